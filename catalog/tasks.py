from celery import shared_task

from .services import product_views_flush


@shared_task
def product_views_flush_task() -> int:
    """Write the product page views counted in the cache to Oscar's analytics (idempotent:
    what it wrote is taken off the counters)."""
    return product_views_flush()
