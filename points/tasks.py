"""Daily: credit the awards whose notice has ended, and expire points per rule-book policy."""

from celery import shared_task

from .services import awards_credit_due, points_expire_due


@shared_task
def points_credit_due_task() -> int:
    return awards_credit_due()


@shared_task
def points_expire_due_task() -> int:
    return points_expire_due()
