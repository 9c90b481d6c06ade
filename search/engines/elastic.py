"""Elasticsearch engine (Elasticsearch 8 or OpenSearch) built with ``elasticsearch.dsl``.

The index is reached through an alias (``<prefix>-products``); ``rebuild`` fills a new
concrete index and swaps the alias in one request, so searches never see a half-built
index.

Matching is by substring, as in the database engine, without ``wildcard`` queries (a
leading ``*`` walks the whole term dictionary, slow on a real cluster as on osmem): every
suffix of every word of the normalised search text is indexed in the keyword field
``text_suffixes`` (and of the title's pinyin in ``pinyin_suffixes``), so that "the term
is a substring of a word" becomes a ``prefix`` query, a seek in the term dictionary. A
term has no spaces, so it is a substring of the text exactly when it is a prefix of one
of these suffixes. The title is also analysed (standard tokenizer, ``cjk_width``,
``lowercase``, ``cjk_bigram``) for the relevance score only. Pinyin is computed in Python
(pypinyin), not by a cluster plug-in.

Facet counts come from one ``terms`` aggregation over ``facet_keys``, a keyword per facet
value of the product (``c<category id>``, ``r<county id>``, ``s<supplier id>``, the flags,
``stock``, ``p<price range key>``): one pass over the matching documents instead of eight
aggregations. The price ranges are therefore fixed at indexing time: changing
``PRICE_RANGES`` needs ``search_index --rebuild``.
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

from ..documents import BuiltDocument, Product, build_documents
from ..text import is_pinyin_term, query_terms
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

# Distinct facet values a result can have (categories + counties + suppliers + a few):
# the ``terms`` aggregation must return every one of them.
FACET_SIZE = 10_000
# Documents per bulk request while rebuilding: osmem-server merges its segments every ten
# requests (smaller chunks make many merges) and slows down on very large requests;
# 2,000 documents (about 2 MB) is also a sensible bulk size for a real cluster.
BULK_CHUNK = 2000
REFRESH_INTERVAL = "1s"
hn_cjk = analyzer("hn_cjk", tokenizer="standard", filter=["cjk_width", "lowercase", "cjk_bigram"])

MAPPING_FIELDS = {
    "product_id": Integer(),
    "title": Text(analyzer=hn_cjk),
    "text_suffixes": Keyword(multi=True),
    "pinyin_suffixes": Keyword(multi=True),
    "facet_keys": Keyword(multi=True),
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


def word_suffixes(text: str) -> list[str]:
    """Every suffix of every space-separated word of ``text``, each once: a term without
    spaces is a substring of ``text`` exactly when it is a prefix of one of them."""
    suffixes = dict.fromkeys(word[i:] for word in text.split() for i in range(len(word)))
    return list(suffixes)


def _price_range_key(price) -> str | None:
    """The key of the range holding ``price`` (low inclusive, high exclusive)."""
    if price is None:
        return None
    for r in PRICE_RANGES:
        if (r.low is None or price >= r.low) and (r.high is None or price < r.high):
            return r.key
    return None


def facet_keys(built: BuiltDocument) -> list[str]:
    """One keyword per facet value of the product ("kind:value"), so that one ``terms``
    aggregation counts every facet."""
    doc = built.document
    keys = [f"category:{pk}" for pk in built.category_ids]
    if doc.county_id is not None:
        keys.append(f"county:{doc.county_id}")
    keys.append(f"supplier:{doc.supplier_id}")
    keys += [f"flag:{flag}" for flag, name in FLAG_FIELDS.items() if getattr(doc, name)]
    if doc.in_stock:
        keys.append("stock:1")
    if (price_key := _price_range_key(doc.price)) is not None:
        keys.append(f"price:{price_key}")
    return keys


def facets_from_buckets(buckets: list[dict]) -> Facets:
    """The facet counts of a result, from its ``facet_keys`` aggregation buckets."""
    by_kind: dict[str, dict[str, int]] = {}
    for bucket in buckets:
        kind, _, value = bucket["key"].partition(":")
        by_kind.setdefault(kind, {})[value] = bucket["doc_count"]

    def ids_of(kind: str) -> dict[int, int]:
        return {int(value): n for value, n in by_kind.get(kind, {}).items()}

    flags, prices = by_kind.get("flag", {}), by_kind.get("price", {})
    return Facets(
        categories=ids_of("category"),
        counties=ids_of("county"),
        suppliers=ids_of("supplier"),
        flags={str(flag): flags.get(str(flag), 0) for flag in FLAG_FIELDS},
        price_ranges={r.key: prices.get(r.key, 0) for r in PRICE_RANGES},
        in_stock=by_kind.get("stock", {}).get("1", 0),
    )


def index_source(built: BuiltDocument) -> dict:
    """The ``_source`` of a product's entry."""
    doc = built.document
    return {
        "product_id": doc.product_id,
        "title": doc.title,
        "text_suffixes": word_suffixes(doc.text),
        "pinyin_suffixes": word_suffixes(doc.pinyin),
        "facet_keys": facet_keys(built),
        "category_ids": built.category_ids,
        "origin_path": doc.origin_path,
        "county_id": doc.county_id,
        "supplier_id": doc.supplier_id,
        "certified_until": doc.certified_until.isoformat(),
        "price": float(doc.price) if doc.price is not None else None,
        "in_stock": doc.in_stock,
        "is_geo_indication": doc.is_geo_indication,
        "is_green": doc.is_green,
        "is_organic": doc.is_organic,
        "num_sold": doc.num_sold,
        "priority": doc.priority,
        "date_created": doc.date_created.isoformat(),
    }


def _term_query(term: str) -> Q:
    """A term matches where it is a substring of the search text (or of the title pinyin)."""
    text = Q("prefix", text_suffixes=term)
    if not is_pinyin_term(term):
        return text
    return Q("bool", should=[text, Q("prefix", pinyin_suffixes=term)], minimum_should_match=1)


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
        """Every filter and term in filter context (cached, unscored); the title match only
        scores. Facet values are filtered on ``facet_keys`` (one term lookup each)."""
        filters = [_term_query(t) for t in terms]
        if query.category_ids:
            filters.append(Q("terms", facet_keys=[f"category:{pk}" for pk in query.category_ids]))
        if query.origin_region_path:
            filters.append(Q("prefix", origin_path=query.origin_region_path))
        if query.supplier_id:
            filters.append(Q("term", facet_keys=f"supplier:{query.supplier_id}"))
        filters += [Q("term", facet_keys=f"flag:{flag}") for flag in query.flags]
        if query.price_range in PRICE_RANGE_BY_KEY:
            filters.append(Q("term", facet_keys=f"price:{query.price_range}"))
        if query.in_stock:
            filters.append(Q("term", facet_keys="stock:1"))
        # Lapsed certifications are checked at query time. They are few, so the clause
        # excludes them rather than listing every valid one (every entry has a date).
        lapsed = Q("range", certified_until={"lt": timezone.localdate().isoformat()})
        should = [Q("match", title={"query": " ".join(terms)})] if terms else []
        query_dsl = Q("bool", filter=filters, must_not=[lapsed], should=should)
        return Search(using=self.client, index=self.alias).query(query_dsl)

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
        s = s.extra(track_total_hits=True, size=limit, **{"from": offset}).source(False)
        s.aggs.bucket("facets", "terms", field="facet_keys", size=FACET_SIZE)
        response = self._call(s.execute)
        return SearchResult(
            total=response.hits.total.value,
            product_ids=[int(hit.meta.id) for hit in response.hits],
            facets=facets_from_buckets(response.aggregations.facets.to_dict()["buckets"]),
            engine=self.name,
        )

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
    def index_definition(self, name: str, *, refresh_interval: str = REFRESH_INTERVAL) -> DslIndex:
        index = DslIndex(name, using=self.client)
        index.settings(number_of_shards=1, number_of_replicas=0, refresh_interval=refresh_interval)
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
                        "_source": index_source(built[pk]),
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
        """Fill a new index with every purchasable product, then point the alias at it.

        The new index is created without periodic refreshes (nobody searches it yet); the
        documents are streamed in bulk requests of ``BULK_CHUNK`` as they are built, then
        refreshed once, given their normal refresh interval and swapped in.
        """
        started = time.monotonic()
        name = self._new_index_name()
        definition = self.index_definition(name, refresh_interval="-1")
        self._call(lambda: definition.create(using=self.bulk_client))
        total = Product.objects.purchasable().count()
        counted = {"done": 0}

        def actions():
            for batch in build_documents():
                for built in batch:
                    yield {
                        "_index": name,
                        "_id": built.document.product_id,
                        "_source": index_source(built),
                    }
                counted["done"] += len(batch)
                if progress:
                    progress(counted["done"], total)

        def send():
            for _ in helpers.streaming_bulk(self.bulk_client, actions(), chunk_size=BULK_CHUNK):
                pass

        self._call(send)
        self._call(
            lambda: self.bulk_client.indices.put_settings(
                index=name, settings={"refresh_interval": REFRESH_INTERVAL}
            )
        )
        self._call(lambda: self.bulk_client.indices.refresh(index=name))
        old = self._call(self.current_index)
        alias_actions = [{"add": {"index": name, "alias": self.alias}}]
        if old:
            alias_actions.insert(0, {"remove": {"index": old, "alias": self.alias}})
        self._call(lambda: self.client.indices.update_aliases(actions=alias_actions))
        if old:
            self._call(lambda: self.client.indices.delete(index=old, ignore_unavailable=True))
        return {
            "index": name,
            "documents": counted["done"],
            "seconds": time.monotonic() - started,
        }

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
