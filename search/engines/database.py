"""Database search engine: the denormalised ``ProductDocument`` table, on SQLite and PostgreSQL.

Matching follows ``search.text``: every term is a substring of the normalised search text,
or, for a term of Latin letters, of the title's pinyin. Facets are two queries: one GROUP BY
over categories, counties and suppliers (a UNION), one row of conditional counts.
"""

from django.db import transaction
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
        facets = self._facets(docs)
        total = facets.pop("total")
        product_ids = []
        if total and offset < total:
            product_ids = list(
                self._ordered(docs, query).values_list("pk", flat=True)[offset : offset + limit]
            )
        return SearchResult(
            total=total, product_ids=product_ids, facets=Facets(**facets), engine=self.name
        )

    @staticmethod
    def _facets(docs: QuerySet) -> dict:
        aggregates = {"total": Count("pk"), "in_stock": Count("pk", filter=Q(in_stock=True))}
        for flag, field_name in FLAG_FIELDS.items():
            aggregates[f"flag_{flag}"] = Count("pk", filter=Q(**{field_name: True}))
        for i, price_range in enumerate(PRICE_RANGES):
            aggregates[f"price_{i}"] = Count("pk", filter=_price_q(price_range.key))
        row = docs.aggregate(**aggregates)
        facets = {
            "total": row["total"],
            "in_stock": row["in_stock"],
            "flags": {str(flag): row[f"flag_{flag}"] for flag in FLAG_FIELDS},
            "price_ranges": {r.key: row[f"price_{i}"] for i, r in enumerate(PRICE_RANGES)},
            "categories": {},
            "counties": {},
            "suppliers": {},
        }
        if not row["total"]:
            return facets
        ids = docs.values("pk")
        by_category = (
            ProductDocumentCategory.objects.filter(document_id__in=ids)
            .order_by()
            .values_list(Value("categories"), "category_id")
            .annotate(n=Count("*"))
        )
        by_county = (
            docs.filter(county_id__isnull=False)
            .values_list(Value("counties"), "county_id")
            .annotate(n=Count("*"))
        )
        by_supplier = docs.values_list(Value("suppliers"), "supplier_id").annotate(n=Count("*"))
        for kind, key, n in by_category.union(by_county, by_supplier, all=True):
            facets[kind][key] = n
        return facets

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
