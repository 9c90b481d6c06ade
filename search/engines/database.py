"""Database search engine: the denormalised ``ProductDocument`` table, on SQLite and PostgreSQL.

Matching follows ``search.text``: every term is a substring of the normalised search text,
or, for a term of Latin letters, of the title's pinyin. On PostgreSQL the GIN index of
``search_grams`` (migration 0002) finds the documents holding every character pair of the
terms: that answers a term of one or two characters, and the substring test runs on those
documents only for a longer one.
"""

from django.contrib.postgres.fields import ArrayField
from django.db import connection, transaction
from django.db.models import Case, Count, Func, Q, QuerySet, TextField, Value, When
from django.utils import timezone

from ..cards import product_card_queryset  # noqa: F401 - kept importable from here
from ..documents import build_documents, documents_store
from ..models import ProductDocument, ProductDocumentCategory
from ..text import is_pinyin_term, query_terms
from .base import (
    FLAG_FIELDS,
    PRICE_RANGE_BY_KEY,
    PRICE_RANGES,
    Facets,
    SearchEngine,
    SearchQuery,
    SearchResult,
    SortOrder,
    Suggestion,
)


def _price_q(key: str) -> Q:
    price_range = PRICE_RANGE_BY_KEY[key]
    q = Q(price__isnull=False)
    if price_range.low is not None:
        q &= Q(price__gte=price_range.low)
    if price_range.high is not None:
        q &= Q(price__lt=price_range.high)
    return q


def _text_q(terms: list[str]) -> Q:
    q = Q()
    for term in terms:
        term_q = Q(text__contains=term)
        if is_pinyin_term(term):
            term_q |= Q(pinyin__contains=term)
        q &= term_q
    return q


class SearchGrams(Func):
    """``search_grams(text, pinyin)``: every character and pair of neighbouring characters of
    a document's text, and of its pinyin prefixed with ``p:``; the expression of the GIN
    index ``search_doc_grams`` (PostgreSQL, migration 0002)."""

    function = "search_grams"
    output_field = ArrayField(TextField())


PINYIN_GRAM = "p:"


def term_grams(term: str, *, prefix: str = "") -> list[str]:
    """The grams a text (or, with ``prefix``, a pinyin) holding ``term`` holds: a
    one-character term itself, otherwise each pair of neighbouring characters."""
    if len(term) == 1:
        return [prefix + term]
    return sorted({prefix + term[i : i + 2] for i in range(len(term) - 1)})


def text_filtered(docs: QuerySet, terms: list[str]) -> QuerySet:
    """``docs`` holding every term (``search.text``'s rule)."""
    if not terms:
        return docs
    if connection.vendor != "postgresql":
        return docs.filter(_text_q(terms))
    # Holding a term's grams is necessary; for a term of one or two characters it is also
    # sufficient (its only gram is the term), so only longer terms are tested with LIKE.
    q = Q()
    for term in terms:
        term_q = Q(grams__contains=term_grams(term))
        if is_pinyin_term(term):
            term_q |= Q(grams__contains=term_grams(term, prefix=PINYIN_GRAM))
        q &= term_q
    longer = [term for term in terms if len(term) > 2]
    return docs.alias(grams=SearchGrams("text", "pinyin")).filter(q, _text_q(longer))


class DatabaseEngine(SearchEngine):
    name = "database"

    def documents(self, query: SearchQuery) -> QuerySet:
        """The matching documents, unordered."""
        docs = ProductDocument.objects.filter(certified_until__gte=timezone.localdate())
        docs = text_filtered(docs, query_terms(query.text))
        if query.category_ids:
            docs = docs.filter(
                pk__in=ProductDocumentCategory.objects.filter(
                    category_id__in=query.category_ids
                ).values("document_id")
            )
        if query.origin_region_path:
            docs = docs.filter(origin_path__startswith=query.origin_region_path)
        if query.supplier_id:
            docs = docs.filter(supplier_id=query.supplier_id)
        for flag in query.flags:
            docs = docs.filter(**{FLAG_FIELDS[flag]: True})
        if query.price_range in PRICE_RANGE_BY_KEY:
            docs = docs.filter(_price_q(query.price_range))
        if query.in_stock:
            docs = docs.filter(in_stock=True)
        return docs.order_by()

    @staticmethod
    def _ordered(docs: QuerySet, query: SearchQuery) -> QuerySet:
        sort = query.sort
        if sort == SortOrder.PRICE_ASC:
            return docs.order_by("price", "-pk")
        if sort == SortOrder.PRICE_DESC:
            return docs.order_by("-price", "-pk")
        if sort == SortOrder.NEWEST:
            return docs.order_by("-date_created", "-pk")
        if sort == SortOrder.SALES:
            return docs.order_by("-num_sold", "-priority", "-pk")
        terms = query_terms(query.text)
        if terms:
            # Relevance: how many terms the title itself holds, then the default order.
            in_title = sum(
                (Case(When(title__icontains=t, then=Value(1)), default=Value(0)) for t in terms),
                Value(0),
            )
            docs = docs.annotate(title_hits=in_title).order_by(
                "-title_hits", "-priority", "-num_sold", "-date_created", "-pk"
            )
            return docs
        return docs.order_by("-priority", "-date_created", "-pk")

    def search(self, query: SearchQuery, *, offset: int = 0, limit: int = 24) -> SearchResult:
        docs = self.documents(query)
        if connection.vendor == "postgresql":
            total, product_ids, facets = self._search_postgresql(docs, query, offset, limit)
        else:
            facets = self._facets(docs)
            total = facets.pop("total")
            product_ids = []
            if total and offset < total:
                ordered = self._ordered(docs, query).values_list("pk", flat=True)
                product_ids = list(ordered[offset : offset + limit])
        return SearchResult(
            total=total, product_ids=product_ids, facets=Facets(**facets), engine=self.name
        )

    @staticmethod
    def _aggregates() -> dict:
        aggregates = {"total": Count("pk"), "in_stock": Count("pk", filter=Q(in_stock=True))}
        for flag, field_name in FLAG_FIELDS.items():
            aggregates[f"flag_{flag}"] = Count("pk", filter=Q(**{field_name: True}))
        for i, price_range in enumerate(PRICE_RANGES):
            aggregates[f"price_{i}"] = Count("pk", filter=_price_q(price_range.key))
        return aggregates

    @staticmethod
    def _facets_from(row: dict, groups) -> dict:
        """Facets from the row of overall counts and (kind, key, count) group rows; category
        counts come from the documents' category id lists (ancestors included, each once)."""
        facets = {
            "total": row["total"],
            "in_stock": row["in_stock"],
            "flags": {str(flag): row[f"flag_{flag}"] for flag in FLAG_FIELDS},
            "price_ranges": {r.key: row[f"price_{i}"] for i, r in enumerate(PRICE_RANGES)},
            "categories": {},
            "counties": {},
            "suppliers": {},
        }
        for kind, key, n in groups:
            if kind == "categories":
                for pk in filter(None, (key or "").split(",")):
                    facets["categories"][int(pk)] = facets["categories"].get(int(pk), 0) + n
            elif key is not None:
                facets[kind][key] = n
        return facets

    def _facets(self, docs: QuerySet) -> dict:
        row = docs.aggregate(**self._aggregates())
        groups = []
        if row["total"]:
            by = {
                "categories": "category_ids",
                "counties": "county_id",
                "suppliers": "supplier_id",
            }
            for kind, field_name in by.items():
                counted = docs.values_list(field_name).annotate(n=Count("*")).order_by()
                groups.extend((kind, key, n) for key, n in counted)
        return self._facets_from(row, groups)

    def _search_postgresql(self, docs: QuerySet, query: SearchQuery, offset: int, limit: int):
        """One statement giving the overall counts, the counts per county, supplier and
        category list (GROUPING SETS) and the ordered page.

        A text search reads the matching documents once into a CTE (the substring tests are
        the costly part) and sorts its page from there, relevance included. Without text
        the filters are cheap and the result can be the whole catalogue: the counts read the
        table directly, twice (browsing: the covering index ``search_doc_facets`` alone),
        which costs less than writing 100,000 rows to a CTE, and the page is read in index
        order, stopping after ``offset + limit`` rows.
        """
        facet_columns = ["county_id", "supplier_id", "category_ids", "in_stock", "price"]
        facet_columns += FLAG_FIELDS.values()
        page_columns = ["product_id", "price", "priority", "num_sold", "date_created"]
        ordered = self._ordered(docs, query)
        if query_terms(query.text):
            if query.sort == SortOrder.RELEVANCE:
                page_columns.append("title_hits")
            inner = ordered.values(*dict.fromkeys([*facet_columns, *page_columns])).order_by()
            inner_sql, inner_params = self._sql(inner)
            with_sql, with_params = f"WITH m AS MATERIALIZED ({inner_sql})", inner_params
            facets_from, facets_params = "m", []
            page_from, page_limit, page_params = "m", "LIMIT %s OFFSET %s", [limit, offset]
        else:
            inner_sql, inner_params = self._sql(docs.values(*facet_columns))
            with_sql, with_params = "", []
            facets_from, facets_params = f"({inner_sql}) AS m", inner_params
            page_sql, page_params = self._sql(
                ordered.values(*page_columns)[offset : offset + limit]
            )
            page_from, page_limit = f"({page_sql}) AS page", ""
        order_sql = ", ".join(self._order_columns(query))
        flags_sql = ", ".join(
            f"COUNT(*) FILTER (WHERE {field_name})" for field_name in FLAG_FIELDS.values()
        )
        prices_sql, price_params = [], []
        for price_range in PRICE_RANGES:
            conditions = ["price IS NOT NULL"]
            if price_range.low is not None:
                conditions.append("price >= %s")
                price_params.append(price_range.low)
            if price_range.high is not None:
                conditions.append("price < %s")
                price_params.append(price_range.high)
            prices_sql.append(f"COUNT(*) FILTER (WHERE {' AND '.join(conditions)})")
        padding = ", NULL" * (1 + len(FLAG_FIELDS) + len(PRICE_RANGES))
        sql = f"""
            {with_sql}
            SELECT 'a', NULL, NULL, NULL, NULL, COUNT(*), COUNT(*) FILTER (WHERE in_stock),
                   {flags_sql}, {", ".join(prices_sql)}
              FROM {facets_from}
            UNION ALL
            SELECT 'f', GROUPING(county_id, supplier_id, category_ids), county_id, supplier_id,
                   category_ids, COUNT(*){padding}
              FROM {facets_from}
             GROUP BY GROUPING SETS ((county_id), (supplier_id), (category_ids))
            UNION ALL
            (SELECT 'p', NULL, product_id, NULL, NULL, NULL{padding}
               FROM {page_from} ORDER BY {order_sql} {page_limit})
        """  # noqa: S608 - only our own column names and SQL are formatted in
        # In the order they appear: the CTE, the price counts, both FROMs, the page.
        params = [*with_params, *price_params, *facets_params, *facets_params, *page_params]
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            rows = cursor.fetchall()
        product_ids = [r[2] for r in rows if r[0] == "p"]
        row, groups = None, []
        n_flags = len(FLAG_FIELDS)
        for r in rows:
            if r[0] == "p":
                continue
            grouping, county, supplier, categories, n = r[1], r[2], r[3], r[4], r[5]
            if r[0] == "a":  # counts over the whole result
                row = {"total": n, "in_stock": r[6]}
                for i, flag in enumerate(FLAG_FIELDS):
                    row[f"flag_{flag}"] = r[7 + i]
                for i in range(len(PRICE_RANGES)):
                    row[f"price_{i}"] = r[7 + n_flags + i]
            # GROUPING() sets the bit of each column the row is *not* grouped by
            # (county 4, supplier 2, category_ids 1).
            elif grouping == 3:
                groups.append(("counties", county, n))
            elif grouping == 5:
                groups.append(("suppliers", supplier, n))
            elif grouping == 6:
                groups.append(("categories", categories, n))
        facets = self._facets_from(row, groups)
        return facets.pop("total"), product_ids, facets

    @staticmethod
    def _sql(queryset: QuerySet) -> tuple[str, tuple]:
        return queryset.query.get_compiler(connection=connection).as_sql()

    @staticmethod
    def _order_columns(query: SearchQuery) -> list[str]:
        """The ORDER BY of ``_ordered``, over the CTE's columns."""
        sort = query.sort
        if sort == SortOrder.PRICE_ASC:
            return ["price ASC", "product_id DESC"]
        if sort == SortOrder.PRICE_DESC:
            return ["price DESC", "product_id DESC"]
        if sort == SortOrder.NEWEST:
            return ["date_created DESC", "product_id DESC"]
        if sort == SortOrder.SALES:
            return ["num_sold DESC", "priority DESC", "product_id DESC"]
        if query_terms(query.text):
            return [
                "title_hits DESC",
                "priority DESC",
                "num_sold DESC",
                "date_created DESC",
                "product_id DESC",
            ]
        return ["priority DESC", "date_created DESC", "product_id DESC"]

    def suggest(self, text: str, *, limit: int = 8) -> list[Suggestion]:
        terms = query_terms(text)
        if not terms:
            return []
        docs = (
            text_filtered(
                ProductDocument.objects.filter(certified_until__gte=timezone.localdate()), terms
            )
            .order_by("-num_sold", "-priority", "-pk")
            .values_list("pk", "title")[:limit]
        )
        return [Suggestion(product_id=pk, title=title) for pk, title in docs]

    def index_products(self, product_ids) -> None:
        product_ids = list(product_ids)
        with transaction.atomic():
            built = [b for batch in build_documents(product_ids) for b in batch]
            documents_store(built, replace_ids=product_ids)

    def state(self) -> dict:
        return {"status": "ok", "engine": self.name}
