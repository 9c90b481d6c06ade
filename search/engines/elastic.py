"""Elasticsearch engine (Elasticsearch 8 or OpenSearch) built with ``elasticsearch.dsl``.

The index is reached through an alias (``<prefix>-products``); ``rebuild`` fills a new
concrete index and swaps the alias in one request, so searches never see a half-built
index. Chinese is analysed with the standard tokenizer plus ``cjk_width``, ``lowercase``
and ``cjk_bigram`` (Elasticsearch's ``cjk`` analyzer without its English stop words):
a term of two or more Chinese characters is a phrase of bigrams, which matches exactly
where the term is a substring, as in the database engine. Single characters, terms with
Latin letters or digits and pinyin go to ``wildcard`` queries on keyword fields (substring
semantics again). Pinyin is computed in Python (pypinyin), not by a cluster plug-in.
"""

import dataclasses
import datetime
import logging
import time
from collections.abc import Callable

from django.conf import settings
from django.utils import timezone
from elastic_transport import HttpHeaders, Urllib3HttpNode
from elastic_transport import TransportError as TransportFailure
from elasticsearch import ApiError, Elasticsearch, NotFoundError, helpers
from elasticsearch.dsl import Index as DslIndex
from elasticsearch.dsl import Q, Search, analyzer
from elasticsearch.dsl.field import Boolean, Date, Integer, Keyword, ScaledFloat, Text

from ..documents import Product, build_documents
from ..text import is_cjk, is_pinyin_term, query_terms
from .base import (
    FLAG_FIELDS,
    PRICE_RANGE_BY_KEY,
    PRICE_RANGES,
    Facets,
    SearchEngine,
    SearchQuery,
    SearchResult,
    SearchUnavailableError,
    SortOrder,
    Suggestion,
)

logger = logging.getLogger(__name__)

FACET_SIZE = 1000
hn_cjk = analyzer("hn_cjk", tokenizer="standard", filter=["cjk_width", "lowercase", "cjk_bigram"])

MAPPING_FIELDS = {
    "product_id": Integer(),
    "title": Text(analyzer=hn_cjk),
    "text": Text(analyzer=hn_cjk),
    "text_raw": Keyword(),
    "pinyin": Keyword(),
    "category_ids": Integer(multi=True),
    "origin_path": Keyword(),
    "county_id": Integer(),
    "supplier_id": Integer(),
    "certified_until": Date(format="yyyy-MM-dd"),
    "price": ScaledFloat(scaling_factor=100),
    "in_stock": Boolean(),
    "is_geo_indication": Boolean(),
    "is_green": Boolean(),
    "is_organic": Boolean(),
    "num_sold": Integer(),
    "priority": Integer(),
    "date_created": Date(),
}


class PlainJsonNode(Urllib3HttpNode):
    """For OpenSearch (and osmem-server): the Elasticsearch 8 client's compatibility media
    types become plain JSON, and responses are accepted as coming from Elasticsearch."""

    def perform_request(self, method, target, body=None, headers=None, **kwargs):
        if headers:
            headers = HttpHeaders(headers)
            for name in ("accept", "content-type"):
                value = headers.get(name)
                if value and "vnd.elasticsearch+" in value:
                    headers[name] = value.replace("vnd.elasticsearch+", "").split(";")[0]
        response = super().perform_request(method, target, body=body, headers=headers, **kwargs)
        answered = HttpHeaders(response.meta.headers)
        answered["x-elastic-product"] = "Elasticsearch"
        return response._replace(meta=dataclasses.replace(response.meta, headers=answered))


def make_client(url: str, flavor: str) -> Elasticsearch:
    options = {"request_timeout": 2.0, "max_retries": 0, "retry_on_timeout": False}
    if flavor == "opensearch":
        options["node_class"] = PlainJsonNode
    return Elasticsearch(url, **options)


def _wildcard_value(term: str) -> str:
    escaped = term.replace("\\", "\\\\").replace("*", "\\*").replace("?", "\\?")
    return f"*{escaped}*"


def _term_query(term: str) -> Q:
    """A term matches where it is a substring of the search text (or of the title pinyin)."""
    if len(term) >= 2 and all(is_cjk(ch) for ch in term):
        options = [Q("match_phrase", text=term)]
    else:
        options = [Q("wildcard", text_raw={"value": _wildcard_value(term)})]
    if is_pinyin_term(term):
        options.append(Q("wildcard", pinyin={"value": _wildcard_value(term)}))
    return Q("bool", should=options, minimum_should_match=1)


def _price_range(key: str) -> dict:
    price_range = PRICE_RANGE_BY_KEY[key]
    bounds = {}
    if price_range.low is not None:
        bounds["gte"] = float(price_range.low)
    if price_range.high is not None:
        bounds["lt"] = float(price_range.high)
    return bounds


class ElasticsearchEngine(SearchEngine):
    name = "elasticsearch"

    def __init__(
        self, url: str | None = None, flavor: str | None = None, prefix: str | None = None
    ):
        self.url = url or settings.SEARCH_URL
        self.flavor = flavor or settings.SEARCH_FLAVOR
        self.alias = f"{prefix or settings.SEARCH_INDEX_PREFIX}-products"
        self.client = make_client(self.url, self.flavor)
        # Queries give up after 2 s (the database engine answers instead); bulk writes and
        # index administration may take longer.
        self.bulk_client = self.client.options(request_timeout=120)

    # -- queries -------------------------------------------------------------------------
    def _filtered(self, query: SearchQuery, terms: list[str]) -> Search:
        s = Search(using=self.client, index=self.alias)
        filters = [Q("range", certified_until={"gte": timezone.localdate().isoformat()})]
        if query.category_ids:
            filters.append(Q("terms", category_ids=list(query.category_ids)))
        if query.origin_region_path:
            filters.append(Q("prefix", origin_path=query.origin_region_path))
        if query.supplier_id:
            filters.append(Q("term", supplier_id=query.supplier_id))
        for flag in query.flags:
            filters.append(Q("term", **{FLAG_FIELDS[flag]: True}))
        if query.price_range in PRICE_RANGE_BY_KEY:
            filters.append(Q("range", price=_price_range(query.price_range)))
        if query.in_stock:
            filters.append(Q("term", in_stock=True))
        must = [_term_query(t) for t in terms]
        should = [Q("match", title={"query": " ".join(terms)})] if terms else []
        return s.query(Q("bool", filter=filters, must=must, should=should))

    @staticmethod
    def _sorted(s: Search, query: SearchQuery, has_terms: bool) -> Search:
        sort = query.sort
        if sort == SortOrder.PRICE_ASC:
            return s.sort({"price": {"order": "asc"}}, {"product_id": "desc"})
        if sort == SortOrder.PRICE_DESC:
            return s.sort({"price": {"order": "desc"}}, {"product_id": "desc"})
        if sort == SortOrder.NEWEST:
            return s.sort({"date_created": "desc"}, {"product_id": "desc"})
        if sort == SortOrder.SALES:
            return s.sort({"num_sold": "desc"}, {"priority": "desc"}, {"product_id": "desc"})
        keys = [{"priority": "desc"}, {"date_created": "desc"}, {"product_id": "desc"}]
        if has_terms:
            keys = ["_score", {"priority": "desc"}, {"num_sold": "desc"}, *keys[1:]]
        return s.sort(*keys)

    def _call(self, fn: Callable):
        try:
            return fn()
        except (TransportFailure, ApiError) as error:
            raise SearchUnavailableError(str(error)) from error

    def search(self, query: SearchQuery, *, offset: int = 0, limit: int = 24) -> SearchResult:
        terms = query_terms(query.text)
        s = self._sorted(self._filtered(query, terms), query, bool(terms))
        s = s.extra(track_total_hits=True, size=limit, **{"from": offset}).source(["product_id"])
        s.aggs.bucket("categories", "terms", field="category_ids", size=FACET_SIZE)
        s.aggs.bucket("counties", "terms", field="county_id", size=FACET_SIZE)
        s.aggs.bucket("suppliers", "terms", field="supplier_id", size=FACET_SIZE)
        s.aggs.bucket("in_stock", "filter", Q("term", in_stock=True))
        for flag, field_name in FLAG_FIELDS.items():
            s.aggs.bucket(f"flag_{flag}", "filter", Q("term", **{field_name: True}))
        s.aggs.bucket(
            "prices",
            "range",
            field="price",
            ranges=[{"key": r.key, **self._range_bounds(r.key)} for r in PRICE_RANGES],
        )
        response = self._call(s.execute)
        aggs = response.aggregations.to_dict()
        price_counts = {}
        for bucket in aggs["prices"]["buckets"]:
            price_counts[bucket["key"]] = bucket["doc_count"]

        def terms_of(name):
            return {int(b["key"]): b["doc_count"] for b in aggs[name]["buckets"]}

        facets = Facets(
            categories=terms_of("categories"),
            counties=terms_of("counties"),
            suppliers=terms_of("suppliers"),
            flags={str(flag): aggs[f"flag_{flag}"]["doc_count"] for flag in FLAG_FIELDS},
            price_ranges={r.key: price_counts.get(r.key, 0) for r in PRICE_RANGES},
            in_stock=aggs["in_stock"]["doc_count"],
        )
        return SearchResult(
            total=response.hits.total.value,
            product_ids=[int(hit.meta.id) for hit in response.hits],
            facets=facets,
            engine=self.name,
        )

    @staticmethod
    def _range_bounds(key: str) -> dict:
        bounds = _price_range(key)
        out = {}
        if "gte" in bounds:
            out["from"] = bounds["gte"]
        if "lt" in bounds:
            out["to"] = bounds["lt"]
        return out

    def suggest(self, text: str, *, limit: int = 8) -> list[Suggestion]:
        terms = query_terms(text)
        if not terms:
            return []
        s = self._filtered(SearchQuery(), terms)
        s = s.sort({"num_sold": "desc"}, {"priority": "desc"}, {"product_id": "desc"})
        s = s.extra(size=limit).source(["title"])
        response = self._call(s.execute)
        return [Suggestion(product_id=int(h.meta.id), title=h.title) for h in response.hits]

    # -- indexing ------------------------------------------------------------------------
    def index_definition(self, name: str) -> DslIndex:
        index = DslIndex(name, using=self.client)
        index.settings(number_of_shards=1, number_of_replicas=0, refresh_interval="1s")
        index.analyzer(hn_cjk)
        for field_name, field in MAPPING_FIELDS.items():
            index.get_or_create_mapping().field(field_name, field)
        return index

    def current_index(self) -> str | None:
        try:
            aliases = self.client.indices.get_alias(name=self.alias)
        except NotFoundError:
            return None
        return next(iter(aliases), None)

    def ensure_index(self) -> str:
        """The concrete index behind the alias, created empty when there is none."""
        current = self._call(self.current_index)
        if current:
            return current
        name = self._new_index_name()
        self._call(lambda: self.index_definition(name).create())
        self._call(lambda: self.client.indices.put_alias(index=name, name=self.alias))
        return name

    def _new_index_name(self) -> str:
        return f"{self.alias}-{datetime.datetime.now(datetime.UTC):%Y%m%d%H%M%S%f}"

    def index_products(self, product_ids) -> None:
        product_ids = sorted(set(product_ids))
        index = self.ensure_index()
        built = {b.document.product_id: b for batch in build_documents(product_ids) for b in batch}
        actions = []
        for pk in product_ids:
            if pk in built:
                actions.append(
                    {
                        "_op_type": "index",
                        "_index": index,
                        "_id": pk,
                        "_source": built[pk].as_index_source(),
                    }
                )
            else:
                actions.append({"_op_type": "delete", "_index": index, "_id": pk})
        self._call(
            lambda: helpers.bulk(
                self.bulk_client, actions, raise_on_error=False, refresh="wait_for"
            )
        )

    def rebuild(self, *, progress: Callable[[int, int], None] | None = None) -> dict:
        """Fill a new index with every purchasable product, then point the alias at it."""
        started = time.monotonic()
        name = self._new_index_name()
        self._call(lambda: self.index_definition(name).create(using=self.bulk_client))
        self._call(
            lambda: self.bulk_client.indices.put_settings(
                index=name, settings={"refresh_interval": "-1"}
            )
        )
        done = 0
        total = Product.objects.purchasable().count()
        for batch in build_documents():
            actions = [
                {"_index": name, "_id": b.document.product_id, "_source": b.as_index_source()}
                for b in batch
            ]
            self._call(
                lambda actions=actions: helpers.bulk(self.bulk_client, actions, chunk_size=500)
            )
            done += len(batch)
            if progress:
                progress(done, total)
        self._call(
            lambda: self.client.indices.put_settings(
                index=name, settings={"refresh_interval": "1s"}
            )
        )
        self._call(lambda: self.bulk_client.indices.refresh(index=name))
        old = self._call(self.current_index)
        actions = [{"add": {"index": name, "alias": self.alias}}]
        if old:
            actions.insert(0, {"remove": {"index": old, "alias": self.alias}})
        self._call(lambda: self.client.indices.update_aliases(actions=actions))
        if old:
            self._call(lambda: self.client.indices.delete(index=old, ignore_unavailable=True))
        return {"index": name, "documents": done, "seconds": time.monotonic() - started}

    def indexed_entries(self) -> dict[int, dict]:
        """Every entry of the live index: product id -> the fields ``check`` compares."""
        fields = ["price", "in_stock", "supplier_id", "certified_until", "title"]
        entries = {}
        for hit in helpers.scan(
            self.client,
            index=self.alias,
            query={"query": {"match_all": {}}},
            _source=fields,
            size=1000,
        ):
            entries[int(hit["_id"])] = hit["_source"]
        return entries

    def state(self) -> dict:
        try:
            count = self.client.count(index=self.alias)["count"]
        except NotFoundError:
            return {
                "status": "error",
                "engine": self.name,
                "flavor": self.flavor,
                "error": "index missing",
            }
        except (TransportFailure, ApiError) as error:
            return {
                "status": "error",
                "engine": self.name,
                "flavor": self.flavor,
                "error": error.__class__.__name__,
            }
        return {
            "status": "ok",
            "engine": self.name,
            "flavor": self.flavor,
            "index": self.alias,
            "documents": count,
        }
