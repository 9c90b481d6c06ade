"""Celery tasks of the search app: thin, idempotent, retried while the cluster is down."""

import logging

from celery import shared_task

from . import services
from .engines import SearchUnavailableError

logger = logging.getLogger("search")

RETRY_LIMIT = 8


@shared_task(bind=True, acks_late=True)
def search_outbox_process_task(self) -> int:
    try:
        return services.search_outbox_drain()
    except SearchUnavailableError as exc:
        if self.request.is_eager:
            logger.warning("search index update left for the sweep: %s", exc)
            return 0
        countdown = min(30 * 2**self.request.retries, 3600)
        raise self.retry(exc=exc, countdown=countdown, max_retries=RETRY_LIMIT) from exc


@shared_task
def search_outbox_sweep_task() -> int:
    """Periodic: whatever the outbox still holds (a lost task, a cluster that was down)."""
    try:
        return services.search_outbox_drain()
    except SearchUnavailableError as exc:
        logger.warning("search outbox sweep: cluster still unavailable: %s", exc)
        return 0


@shared_task
def search_sales_refresh_task() -> int:
    """Periodic: sales counts into the search documents (see the service)."""
    return services.search_sales_refresh()
