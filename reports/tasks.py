"""Celery tasks of the reports app: each takes ids, calls one service, and is idempotent."""

import datetime
import logging

from celery import shared_task
from django.db import OperationalError
from django.utils import timezone

from core.tasks import RetryingTask

logger = logging.getLogger(__name__)


# A lock timeout or a deadlock victim is transient: Celery retries with backoff.
@shared_task(base=RetryingTask, autoretry_for=(OperationalError,))
def sales_facts_sync_task(order_id: int) -> int:
    """Bring one order's sales facts (and the rollups) in line with the order."""
    from . import services

    return len(services.sales_outbox_process(order_id=order_id))


@shared_task
def reports_outbox_sweep_task(min_age_seconds: int = 120) -> dict:
    """Redo what a lost or failed task left behind: sales outbox rows and spreadsheet imports
    still waiting, older than ``min_age_seconds`` (younger ones are probably in flight; an
    import waits ten times as long, imports being slow to reach the front of the queue)."""
    from . import services
    from .imports.jobs import import_job_run
    from .models import ImportJob, ImportStatus

    now = timezone.now()
    done = {
        "orders": services.sales_outbox_sweep(
            created_before=now - datetime.timedelta(seconds=min_age_seconds)
        ),
        "imports": 0,
    }
    waiting = ImportJob.objects.filter(
        status=ImportStatus.PENDING,
        created_at__lt=now - datetime.timedelta(seconds=10 * min_age_seconds),
    ).values_list("pk", flat=True)
    for job_id in list(waiting):
        import_job_run(job_id=job_id)
        done["imports"] += 1
    return done


@shared_task
def sales_rollups_rebuild_task() -> dict:
    """Nightly: recompute the rollups from the facts."""
    from . import services

    counts = services.rollups_rebuild()
    logger.info("sales rollups rebuilt: %s", counts)
    return counts


@shared_task
def public_statistics_refresh_task() -> dict:
    """Recompute the cached public statistics (home page, /stats/)."""
    from . import selectors

    return {k: str(v) for k, v in selectors.public_statistics(refresh=True).items()}


@shared_task
def ecommerce_import_task(job_id: int) -> str:
    """Validate and import one uploaded spreadsheet, updating its progress as it goes."""
    from .imports.jobs import import_job_run

    return import_job_run(job_id=job_id).status
