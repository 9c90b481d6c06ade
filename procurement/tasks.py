from celery import shared_task

from .services.reminders import procurement_remind_behind


@shared_task
def procurement_remind_behind_task() -> list[str]:
    """Monthly (beat): remind units behind schedule; idempotent within a month."""
    return procurement_remind_behind()
