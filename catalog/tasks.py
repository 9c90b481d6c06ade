from celery import shared_task

from .services import product_views_flush, user_product_views_flush


@shared_task
def product_views_flush_task() -> int:
    """Write the product page views counted and queued in the cache to Oscar's analytics
    (idempotent: what it wrote is taken off the counters and the queue)."""
    return product_views_flush() + user_product_views_flush()
