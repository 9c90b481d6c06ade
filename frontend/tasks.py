from celery import shared_task
from django.core.management import call_command


@shared_task
def publish_scheduled_pages_task() -> None:
    """Publish pages whose go-live time has passed and unpublish expired ones (idempotent)."""
    call_command("publish_scheduled")
