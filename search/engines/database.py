"""Database search engine: the denormalised ``ProductDocument`` table, on SQLite and PostgreSQL.

Matching follows ``search.text``: every term is a substring of the normalised search text,
or, for a term of Latin letters, of the title's pinyin. Facets are two queries: one GROUP BY
over categories, counties and suppliers (a UNION), one row of conditional counts.
"""

from django.db import connection, transaction
from django.db.models import Case, Count, Q, QuerySet, Value, When
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


class DatabaseEngine(SearchEngine):
    name = "database"

    def documents(self, query: SearchQuery) -> QuerySet:
        """The matching documents, unordered."""
        docs = ProductDocument.objects.filter(certified_until__gte=timezone.localdate())
        terms = query_terms(query.text)
        if terms:
            docs = docs.filter(_text_q(terms))
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
        """One statement: the matching documents are read once into a CTE, which gives the
        overall counts, the counts per county, supplier and category list (GROUPING SETS)
        and the ordered page."""
        columns = ["product_id", "county_id", "supplier_id", "category_ids", "in_stock", "price"]
        columns += [*FLAG_FIELDS.values(), "priority", "num_sold", "date_created"]
        inner = self._ordered(docs, query).values(*columns).order_by()
        if query_terms(query.text) and query.sort == SortOrder.RELEVANCE:
            inner = self._ordered(docs, query).values(*columns, "title_hits").order_by()
        inner_sql, inner_params = inner.query.get_compiler(connection=connection).as_sql()
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
            WITH m AS MATERIALIZED ({inner_sql})
            SELECT 'a', NULL, NULL, NULL, NULL, COUNT(*), COUNT(*) FILTER (WHERE in_stock),
                   {flags_sql}, {", ".join(prices_sql)}
              FROM m
            UNION ALL
            SELECT 'f', GROUPING(county_id, supplier_id, category_ids), county_id, supplier_id,
                   category_ids, COUNT(*){padding}
              FROM m
             GROUP BY GROUPING SETS ((county_id), (supplier_id), (category_ids))
            UNION ALL
            (SELECT 'p', NULL, product_id, NULL, NULL, NULL{padding}
               FROM m ORDER BY {order_sql} LIMIT %s OFFSET %s)
        """  # noqa: S608 - only our own column names are formatted in; values are parameters
        with connection.cursor() as cursor:
            cursor.execute(sql, [*inner_params, *price_params, limit, offset])
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
            ProductDocument.objects.filter(certified_until__gte=timezone.localdate())
            .filter(_text_q(terms))
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
