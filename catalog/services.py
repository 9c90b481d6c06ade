"""Product page views counted in the cache and written to Oscar's analytics in batches.

Oscar's ``product_viewed`` receiver runs an ``UPDATE`` of ``ProductRecord.num_views`` per
view, which would cost a product page served from the page cache its only query (and, on a
popular product, a contended row). Views of a stateless visitor (``catalog.views``) are
counted here instead: one counter per product in the cache, which a beat task
(``product_views_flush_task``) adds to ``num_views``. Signed-in shoppers and visitors with a
basket keep Oscar's receivers (``UserProductView`` and the rest), which write at once.
"""

from contextlib import suppress

from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.db.models import Case, F, Value, When
from oscar.core.loading import get_model

Product = get_model("catalogue", "Product")
ProductRecord = get_model("analytics", "ProductRecord")

VIEWS_KEY = "catalogue:views:{}"
FLUSH_BATCH = 1000


def _views_key(product_id: int) -> str:
    return VIEWS_KEY.format(product_id)


def product_view_record(*, product_id: int) -> None:
    """Count one view of the product's page, to be written by ``product_views_flush``.

    The counter never expires: it holds views not written yet."""
    key = _views_key(product_id)
    try:
        cache.incr(key)
    except ValueError:  # the product's first view since the cache started
        # add() is False when another view added the key meanwhile (count onto it) or when
        # the cache is unavailable (the view goes uncounted; incr() raises again).
        if not cache.add(key, 1, timeout=None):
            with suppress(ValueError):
                cache.incr(key)


def _views_write(counts: dict[int, int]) -> None:
    """Add ``counts`` ({product id: views}) to ``ProductRecord.num_views`` in one
    transaction: all or nothing."""
    with transaction.atomic():
        existing = set(
            ProductRecord.objects.filter(product_id__in=counts).values_list("product_id", flat=True)
        )
        if existing:
            added = Case(
                *(When(product_id=pk, then=Value(counts[pk])) for pk in existing),
                default=Value(0),
            )
            ProductRecord.objects.filter(product_id__in=existing).update(
                num_views=F("num_views") + added
            )
        for pk in counts.keys() - existing:
            try:
                with transaction.atomic():
                    ProductRecord.objects.create(product_id=pk, num_views=counts[pk])
            except IntegrityError:  # Oscar's receiver made the row meanwhile
                ProductRecord.objects.filter(product_id=pk).update(
                    num_views=F("num_views") + counts[pk]
                )


def product_views_flush() -> int:
    """Write the counted views into ``ProductRecord.num_views``; returns how many.

    Each batch of products is written in one transaction, and only then taken off the
    counters (by subtraction, so views counted meanwhile stay). A flush that fails before a
    batch commits leaves that batch's counts in the cache for the next flush: nothing is
    lost. One that dies between a commit and the subtraction would write that batch again
    next time (the only way a view can count twice)."""
    written, last = 0, 0
    ids = Product.objects.order_by("pk").values_list("pk", flat=True)
    while batch := list(ids.filter(pk__gt=last)[:FLUSH_BATCH]):
        last = batch[-1]
        found = cache.get_many([_views_key(pk) for pk in batch])
        counts = {pk: found.get(_views_key(pk), 0) for pk in batch}
        counts = {pk: n for pk, n in counts.items() if n > 0}
        if not counts:
            continue
        _views_write(counts)
        for pk, n in counts.items():
            try:
                cache.decr(_views_key(pk), n)
            except ValueError:  # evicted meanwhile: there is nothing left to take off
                pass
        written += sum(counts.values())
    return written
