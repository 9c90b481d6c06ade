"""Index updates through the outbox and tasks, rebuild with an alias swap, drift check,
and the fallback to the database engine when the cluster goes away."""

import datetime
import logging
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone
from oscar.core.loading import get_model

from search.engines import FallbackEngine, SearchQuery, SortOrder, get_engine, reset_state
from search.engines.database import DatabaseEngine
from search.models import ProductDocument, SearchOutbox
from search.tasks import search_outbox_sweep_task

from .conftest import _prefixes, es_engine

StockRecord = get_model("partner", "StockRecord")


@pytest.fixture
def cluster(settings, osmem, search_catalogue, db):
    """The site configured for a fresh osmem index of the module's catalogue."""
    prefix = f"ix{next(_prefixes)}"
    settings.SEARCH_URL = osmem.url
    settings.SEARCH_FLAVOR = "opensearch"
    settings.SEARCH_INDEX_PREFIX = prefix
    reset_state()
    engine = es_engine(osmem, prefix)
    engine.rebuild()
    return engine


def test_rebuild_fills_a_new_index_and_swaps_the_alias(cluster, cat):
    before = cluster.current_index()
    out = StringIO()

    call_command("search_index", "--rebuild", stdout=out)

    after = cluster.current_index()
    assert after != before
    assert not cluster.client.indices.exists(index=before)
    assert cluster.client.count(index=cluster.alias)["count"] == 6
    assert "elasticsearch: 6/6 (100%)" in out.getvalue()
    assert "database: 6/6 (100%)" in out.getvalue()
    assert "别名已切换" in out.getvalue()


def test_a_price_change_reaches_both_engines_after_commit(
    cluster, cat, django_capture_on_commit_callbacks
):
    record = cat["grapes"].stockrecords.get()
    with django_capture_on_commit_callbacks(execute=True):
        record.price = Decimal("9.90")
        record.save()

    cheapest = SearchQuery(sort=SortOrder.PRICE_ASC)
    for engine in (cluster, DatabaseEngine()):
        result = engine.search(cheapest, limit=1)
        assert result.product_ids == [cat["grapes"].pk], engine.name
        assert engine.search(SearchQuery(price_range="0-20")).total == 1
    assert SearchOutbox.objects.count() == 0


def test_a_revoked_certification_removes_the_suppliers_products(
    cluster, cat, django_capture_on_commit_callbacks
):
    coop = cat["coop"]
    with django_capture_on_commit_callbacks(execute=True):
        coop.certified_until = timezone.localdate() - datetime.timedelta(days=1)
        coop.save()

    assert cluster.client.count(index=cluster.alias)["count"] == 3
    assert ProductDocument.objects.count() == 3
    assert cluster.search(SearchQuery(text="石榴")).total == 0


def test_check_reports_drift_and_exits_non_zero(cluster, cat):
    out = StringIO()
    call_command("search_index", "--check", stdout=out)
    assert "elasticsearch: 一致" in out.getvalue()
    assert "database: 一致" in out.getvalue()

    # A write that bypasses the signals (e.g. a bulk update) leaves the indexes behind.
    StockRecord.objects.filter(product=cat["pear"]).update(price=Decimal("1.00"))
    out = StringIO()
    with pytest.raises(SystemExit) as exit_info:
        call_command("search_index", "--check", stdout=out)

    assert exit_info.value.code == 1
    assert "elasticsearch: 缺失 0，多余 0，过期 1" in out.getvalue()
    assert f"stale: {cat['pear'].pk}" in out.getvalue()


def test_updates_wait_in_the_outbox_while_the_cluster_is_down(
    cluster, cat, settings, django_capture_on_commit_callbacks, caplog
):
    live_url = settings.SEARCH_URL
    settings.SEARCH_URL = "http://127.0.0.1:9"  # nothing listens there
    record = cat["rice5"].stockrecords.get()
    with caplog.at_level(logging.WARNING, logger="search"):
        with django_capture_on_commit_callbacks(execute=True):
            record.price = Decimal("250.00")
            record.save()

    assert list(SearchOutbox.objects.values_list("product_id", flat=True)) == [cat["rice5"].pk]
    assert "left for the sweep" in caplog.text
    # The database engine already has it; the cluster does not, yet.
    assert DatabaseEngine().search(SearchQuery(price_range="200-")).total == 1
    assert cluster.search(SearchQuery(price_range="200-")).total == 0

    settings.SEARCH_URL = live_url
    assert search_outbox_sweep_task() == 1

    assert SearchOutbox.objects.count() == 0
    assert cluster.search(SearchQuery(price_range="200-")).product_ids == [cat["rice5"].pk]


def test_search_falls_back_to_the_database_when_the_cluster_goes_down(
    search_catalogue, cat, db, caplog
):
    from osmem_server import OsmemServer

    server = OsmemServer.start(japanese=False)
    try:
        engine = FallbackEngine(es_engine(server, "gone"), DatabaseEngine())
        engine.primary.rebuild()
        reset_state()
        assert engine.search(SearchQuery(text="shiliu")).engine == "elasticsearch"
    finally:
        server.close()

    with caplog.at_level(logging.WARNING, logger="search"):
        result = engine.search(SearchQuery(text="shiliu"))
    assert result.engine == "database"
    assert set(result.product_ids) == {cat["gift"].pk, cat["family"].pk}
    assert "search cluster unavailable" in caplog.text
    assert engine.suggest("shil")[0].title == "塔山石榴 精品礼盒 6枚装"
    reset_state()


def test_without_a_search_url_the_database_engine_serves(settings):
    settings.SEARCH_URL = ""
    assert isinstance(get_engine(), DatabaseEngine)
