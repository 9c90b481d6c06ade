"""Product page views counted in the cache and written to Oscar's analytics in batches.

Oscar's ``product_viewed`` receiver runs an ``UPDATE`` of ``ProductRecord.num_views`` per
view, which would cost a product page served from the page cache its only query (and, on a
popular product, a contended row). Views of a stateless visitor (``catalog.views``) are
counted here instead: one counter per product in the cache, which a beat task
(``product_views_flush_task``) adds to ``num_views``.

A signed-in shopper's view is counted the same way, and also queued in the cache
(``user_product_view_record``) for the same task to write as Oscar's ``UserProductView`` rows
and ``UserRecord.num_product_views``: a product page then writes nothing to the database.
Visitors with a basket cookie keep Oscar's receivers, which write at once.
"""

import datetime
from contextlib import suppress

from django.core.cache import cache
from django.db import IntegrityError, connection, transaction
from django.db.models import Case, F, Value, When
from django.utils import timezone
from oscar.core.loading import get_model

Product = get_model("catalogue", "Product")
ProductRecord = get_model("analytics", "ProductRecord")
UserProductView = get_model("analytics", "UserProductView")
UserRecord = get_model("analytics", "UserRecord")

VIEWS_KEY = "catalogue:views:{}"
FLUSH_BATCH = 1000
# Signed-in views: each is one cache entry numbered by a sequence. A flush writes the
# entries numbered up to the sequence seen by the flush before it, so that a view whose
# number was taken but whose entry was not yet stored is never skipped.
USER_VIEW_SEQUENCE_KEY = "catalogue:user-views:seq"
USER_VIEW_WRITTEN_KEY = "catalogue:user-views:written"
USER_VIEW_SEEN_KEY = "catalogue:user-views:seen"
USER_VIEW_KEY = "catalogue:user-views:{}"


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


def user_product_view_record(*, user_id: int, product_id: int) -> None:
    """Count a signed-in user's view of a product page: the product's counter
    (``product_view_record``) and one queued ``UserProductView``, both written by
    ``product_views_flush``. Two cache round trips, no query. Without a cache to queue in
    (it is down), the view is written at once as Oscar's receiver would."""
    product_view_record(product_id=product_id)
    try:
        number = cache.incr(USER_VIEW_SEQUENCE_KEY)
    except ValueError:
        if cache.add(USER_VIEW_SEQUENCE_KEY, 1, timeout=None):
            number = 1
        else:
            try:
                number = cache.incr(USER_VIEW_SEQUENCE_KEY)
            except ValueError:  # the cache is unavailable
                _user_views_write([(user_id, product_id, timezone.now())])
                return
    entry = (user_id, product_id, timezone.now().timestamp())
    cache.set(USER_VIEW_KEY.format(number), entry, timeout=None)


def _user_views_write(views: list[tuple[int, int, datetime.datetime]]) -> None:
    """Insert ``views`` ((user id, product id, when)) as ``UserProductView`` rows, with
    their own times, and add them to ``UserRecord.num_product_views``, in one transaction.
    Views of users or products deleted meanwhile are left out."""
    users = {u for u, _, _ in views}
    products = {p for _, p, _ in views}
    with transaction.atomic():
        live_users = set(
            UserRecord.user.field.related_model.objects.filter(pk__in=users).values_list(
                "pk", flat=True
            )
        )
        live_products = set(Product.objects.filter(pk__in=products).values_list("pk", flat=True))
        rows = [(u, p, when) for u, p, when in views if u in live_users and p in live_products]
        if not rows:
            return
        table = connection.ops.quote_name(UserProductView._meta.db_table)
        with connection.cursor() as cursor:
            cursor.executemany(
                f"INSERT INTO {table} (user_id, product_id, date_created) "  # noqa: S608
                "VALUES (%s, %s, %s)",
                rows,
            )
        per_user: dict[int, int] = {}
        for u, _, _ in rows:
            per_user[u] = per_user.get(u, 0) + 1
        existing = set(
            UserRecord.objects.filter(user_id__in=per_user).values_list("user_id", flat=True)
        )
        for u, n in per_user.items():
            if u in existing:
                UserRecord.objects.filter(user_id=u).update(
                    num_product_views=F("num_product_views") + n
                )
            else:
                UserRecord.objects.create(user_id=u, num_product_views=n)


def user_product_views_flush() -> int:
    """Write the queued signed-in views numbered up to what the previous flush saw; returns
    how many were written. Entries are deleted once their rows committed."""
    written_up_to = cache.get(USER_VIEW_WRITTEN_KEY, 0)
    seen = cache.get(USER_VIEW_SEEN_KEY, 0)
    current = cache.get(USER_VIEW_SEQUENCE_KEY, 0)
    if current < written_up_to:  # the cache was emptied: start again from its sequence
        written_up_to = seen = 0
    written = 0
    for start in range(written_up_to + 1, seen + 1, FLUSH_BATCH):
        keys = [USER_VIEW_KEY.format(n) for n in range(start, min(start + FLUSH_BATCH, seen + 1))]
        found = cache.get_many(keys)
        views = [
            (u, p, datetime.datetime.fromtimestamp(ts, tz=datetime.UTC))
            for u, p, ts in (found[k] for k in keys if k in found)
        ]
        if views:
            _user_views_write(views)
        cache.delete_many(keys)
        written += len(views)
    cache.set_many({USER_VIEW_WRITTEN_KEY: seen, USER_VIEW_SEEN_KEY: current}, timeout=None)
    return written
