"""Celery tasks of the reports app: each takes ids, calls one service, and is idempotent."""

import logging

from celery import shared_task

logger = logging.getLogger(__name__)


@shared_task(bind=True, max_retries=5, default_retry_delay=10)
def sales_facts_sync_task(self, order_id: int) -> int:
    """Bring one order's sales facts (and the rollups) in line with the order."""
    from django.db import OperationalError

    from . import services

    try:
        return len(services.sales_facts_sync(order_id=order_id))
    except OperationalError as exc:  # lock timeout, deadlock victim: transient
        raise self.retry(exc=exc) from exc


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
    from .imports import import_job_run

    return import_job_run(job_id=job_id).status
