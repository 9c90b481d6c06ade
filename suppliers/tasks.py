"""Celery tasks for suppliers: thin wrappers over the services, idempotent."""

import logging

from celery import shared_task

from .services import certification_expiry_reminders, certifications_expire

logger = logging.getLogger(__name__)


@shared_task
def certification_daily_sweep_task() -> dict:
    """Daily (beat): expire certifications past their last day and delist their suppliers'
    products, then send the 30- and 7-day reminders. Safe to run any number of times."""
    expired = certifications_expire()
    reminded = certification_expiry_reminders()
    logger.info("certifications expired: %s; reminders sent: %s", expired, reminded)
    return {"expired": expired, "reminded": reminded}
