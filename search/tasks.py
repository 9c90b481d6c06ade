"""Celery tasks of the search app: thin, idempotent, retried while the cluster is down."""

import logging

from celery import shared_task

from core.tasks import RetryingTask

from . import services
from .engines import SearchUnavailableError

logger = logging.getLogger("search")


@shared_task(base=RetryingTask, autoretry_for=(SearchUnavailableError,))
def search_outbox_process_task() -> int:
    return services.search_outbox_drain()


@shared_task
def search_outbox_sweep_task(min_age_seconds: int = 0) -> int:
    """Periodic: whatever the outbox still holds (a lost task, a cluster that was down). The
    outbox is drained whole, whatever the age of its rows: indexing twice is harmless."""
    try:
        return services.search_outbox_drain()
    except SearchUnavailableError as exc:
        logger.warning("search outbox sweep: cluster still unavailable: %s", exc)
        return 0


@shared_task
def search_sales_refresh_task() -> int:
    """Periodic: sales counts into the search documents (see the service)."""
    return services.search_sales_refresh()
