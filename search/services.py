"""Writes of the search app: marking products for re-indexing and bringing indexes up to date.

Every change that can alter a product's search entry writes an outbox row in the same
transaction (``search_products_changed``), and a task enqueued on commit processes the
outbox (``search_outbox_process``): nothing is lost when the broker is down, because the
periodic sweep and ``search_index --rebuild`` pick the rows up later.

Without a broker (demo, tests) tasks run in-process; the database engine's documents are
then refreshed inside the changing transaction itself, so they commit or roll back with it.
"""

import logging
from collections.abc import Callable, Iterable

from django.conf import settings
from django.db import connection, transaction
from django.db.models import F
from django.db.models.functions import Coalesce
from django.utils import timezone

from core.caching import catalogue_changed
from core.tasks import enqueue_on_commit

from .documents import Product, build_documents, documents_store
from .engines import DatabaseEngine, SearchUnavailableError, cluster_engine
from .models import ProductDocument, ProductDocumentCategory, SearchOutbox

logger = logging.getLogger("search")

OUTBOX_BATCH = 500


def search_products_changed(*, product_ids: Iterable[int]) -> None:
    """Record that these products' search entries are stale and enqueue their update."""
    from .tasks import search_outbox_process_task

    product_ids = sorted({pk for pk in product_ids if pk})
    if not product_ids:
        return
    SearchOutbox.objects.bulk_create(SearchOutbox(product_id=pk) for pk in product_ids)
    if settings.CELERY_TASK_ALWAYS_EAGER:
        DatabaseEngine().index_products(product_ids)
    # A broker that is down is logged, never fails the change (the outbox has it).
    enqueue_on_commit(search_outbox_process_task)


def search_outbox_process(*, limit: int = OUTBOX_BATCH) -> int:
    """Index the products of up to ``limit`` outbox rows in both engines; returns how many
    rows were done. Raises ``SearchUnavailableError`` (rows kept) if the cluster is down."""
    rows = list(SearchOutbox.objects.order_by("pk").values_list("pk", "product_id")[:limit])
    if not rows:
        return 0
    product_ids = sorted({pk for _, pk in rows})
    DatabaseEngine().index_products(product_ids)
    cluster = cluster_engine()
    if cluster is not None:
        cluster.index_products(product_ids)
    SearchOutbox.objects.filter(pk__lte=rows[-1][0], product_id__in=product_ids).delete()
    # Retire results and pages cached while an index was behind the committed change.
    catalogue_changed()
    return len(rows)


@transaction.atomic
def search_sales_refresh() -> int:
    """Mark for re-indexing every product whose document's sales count (the 销量 sort and
    the suggestions' order) is behind Oscar's purchase counter; returns how many.

    Orders move the counter but, leaving their products buyable, not their documents
    (``StockRecord.shown_changed``): this periodic task carries sales into the indexes, and
    retires the caches, once per run instead of once per order."""
    product_ids = list(
        ProductDocument.objects.annotate(sold=Coalesce(F("product__stats__num_purchases"), 0))
        .exclude(num_sold=F("sold"))
        .values_list("product_id", flat=True)
    )
    search_products_changed(product_ids=product_ids)
    return len(product_ids)


def search_outbox_drain() -> int:
    """Process the whole outbox; returns the number of rows done."""
    done = 0
    while n := search_outbox_process():
        done += n
    return done


def search_index_rebuild_database(*, progress: Callable[[int, int], None] | None = None) -> int:
    """Rebuild every database search document; returns the number of documents. On
    PostgreSQL, outside a transaction, the tables are vacuumed and analysed afterwards."""
    total = Product.objects.purchasable().count()
    done = 0
    with transaction.atomic():
        ProductDocumentCategory.objects.all().delete()
        ProductDocument.objects.all().delete()
        for batch in build_documents():
            documents_store(batch, replace_ids=[])
            done += len(batch)
            if progress:
                progress(done, total)
    if connection.vendor == "postgresql" and not connection.in_atomic_block:
        # Every row was replaced: without this, queries would wade through the dead rows
        # and the GIN index's pending list until autovacuum came by.
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE search_productdocument, search_productdocumentcategory")
    return done


def search_index_rebuild(*, progress: Callable[[str, int, int], None] | None = None) -> dict:
    """Rebuild the database documents and, if a cluster is configured, a new cluster index
    swapped in behind its alias. The outbox rows seen at the start are cleared at the end."""
    started_at = SearchOutbox.objects.order_by("-pk").values_list("pk", flat=True).first()
    report = {
        "database": search_index_rebuild_database(
            progress=(lambda d, t: progress("database", d, t)) if progress else None
        )
    }
    cluster = cluster_engine()
    if cluster is not None:
        report["elasticsearch"] = cluster.rebuild(
            progress=(lambda d, t: progress("elasticsearch", d, t)) if progress else None
        )
    if started_at is not None:
        SearchOutbox.objects.filter(pk__lte=started_at).delete()
    catalogue_changed()
    return report


def _expected_entries() -> dict[int, dict]:
    expected = {}
    for batch in build_documents():
        for built in batch:
            doc = built.document
            expected[doc.product_id] = {
                "title": doc.title,
                "price": doc.price,
                "in_stock": doc.in_stock,
                "supplier_id": doc.supplier_id,
                "certified_until": doc.certified_until,
            }
    return expected


def _differences(expected: dict[int, dict], indexed: dict[int, dict]) -> dict:
    missing = sorted(set(expected) - set(indexed))
    extra = sorted(set(indexed) - set(expected))
    stale = sorted(pk for pk in set(expected) & set(indexed) if expected[pk] != indexed[pk])
    return {"missing": missing, "extra": extra, "stale": stale}


def search_index_check() -> dict:
    """Drift between the catalogue and each index: products missing from the index, entries
    that should not be there, and entries whose price, stock, supplier or title differ."""
    from decimal import Decimal

    expected = _expected_entries()
    indexed_db = {
        row["product_id"]: {k: v for k, v in row.items() if k != "product_id"}
        for row in ProductDocument.objects.values(
            "product_id", "title", "price", "in_stock", "supplier_id", "certified_until"
        )
    }
    report = {"database": _differences(expected, indexed_db)}
    cluster = cluster_engine()
    if cluster is not None:
        try:
            raw = cluster.indexed_entries()
        except SearchUnavailableError as error:
            report["elasticsearch"] = {"error": str(error)}
        else:
            indexed = {
                pk: {
                    "title": src.get("title"),
                    "price": None
                    if src.get("price") is None
                    else Decimal(str(src["price"])).quantize(Decimal("0.01")),
                    "in_stock": src.get("in_stock"),
                    "supplier_id": src.get("supplier_id"),
                    "certified_until": timezone.datetime.fromisoformat(
                        src["certified_until"]
                    ).date()
                    if src.get("certified_until")
                    else None,
                }
                for pk, src in raw.items()
            }
            report["elasticsearch"] = _differences(expected, indexed)
    return report
