"""Product lists (all products, a category, search results) and suggestions, over the
search engine."""

from urllib.parse import unquote

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpResponsePermanentRedirect, JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views import View
from django.views.generic import TemplateView
from oscar.core.loading import get_model

from core.caching import CSRF_PLACEHOLDER, anonymous_page
from regions.models import Region

from .engines import SearchQuery, SortOrder, get_engine
from .forms import SearchForm
from .selectors import ProductsInOrder, facet_groups, product_search
from .text import highlight

Category = get_model("catalogue", "Category")
Product = get_model("catalogue", "Product")

MAX_PAGE = 400  # deep pages are not browsing; the engines are not asked past 400 x 24


class ResultWindow:
    """The page a search returned, shaped for Django's Paginator (which only counts and
    slices): the engine has already fetched exactly this window."""

    def __init__(self, total: int, items):
        self.total = total
        self.items = items

    def count(self) -> int:
        return self.total

    def __getitem__(self, key):
        return self.items


def search_query_from(form: SearchForm, *, category=None, origin=None) -> SearchQuery:
    category_ids = (category.pk,) if category is not None else ()
    return SearchQuery(
        text=form.cleaned_or_default("q"),
        category_ids=category_ids,
        origin_region_path=origin.path if origin else "",
        supplier_id=form.cleaned_or_default("supplier", None),
        flags=tuple(form.cleaned_or_default("flag", [])),
        price_range=form.cleaned_or_default("price"),
        in_stock=bool(form.cleaned_or_default("in_stock", False)),
        sort=form.cleaned_or_default("sort_by", SortOrder.RELEVANCE),
    )


def origin_region(form: SearchForm) -> Region | None:
    code = form.cleaned_or_default("origin")
    if not code:
        return None
    return Region.objects.filter(code=code).first()


class ProductListView(TemplateView):
    """Shared by the catalogue, category and search pages: filter, facets, sort, paginate."""

    paginate_by = 24
    category = None

    def dispatch(self, request, *args, **kwargs):
        def render():
            return super(ProductListView, self).dispatch(request, *args, **kwargs)

        # The lists show nothing of a signed-in user's own but the header: one copy for them.
        return anonymous_page(request, render, signed_in=True)

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        if getattr(self.request, "csrf_placeholder", False):
            ctx["csrf_token"] = CSRF_PLACEHOLDER  # the real token goes in after the cache
        return ctx

    def get(self, request, *args, **kwargs):
        form = SearchForm(request.GET)
        origin = origin_region(form)
        query = search_query_from(form, category=self.category, origin=origin)
        try:
            number = int(request.GET.get("page") or 1)
        except ValueError:
            number = 0
        if not 1 <= number <= MAX_PAGE:
            return self.invalid_page(request)
        offset = (number - 1) * self.paginate_by
        result = product_search(query, offset=offset, limit=self.paginate_by)
        if number > 1 and offset >= result.total:
            return self.invalid_page(request)
        products = ProductsInOrder(result.product_ids)
        paginator = Paginator(ResultWindow(result.total, products), self.paginate_by)
        page = paginator.page(number)
        context = self.get_context_data(
            form=form,
            products=products,
            page_obj=page,
            paginator=paginator,
            is_paginated=paginator.num_pages > 1,
            origin=origin,
            query=query.text,
            search=query,
            facets=facet_groups(result, query=query, category=self.category, origin=origin),
            search_engine=result.engine,
        )
        return self.render_to_response(context)

    def invalid_page(self, request):
        messages.error(request, _("页码无效，已返回第一页。"))
        params = request.GET.copy()
        params.pop("page", None)
        query = f"?{params.urlencode()}" if params else ""
        return redirect(request.path + query)


class CatalogueView(ProductListView):
    template_name = "oscar/catalogue/browse.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["summary"] = _("全部商品")
        return ctx


class ProductCategoryView(ProductListView):
    template_name = "oscar/catalogue/category.html"

    def get(self, request, *args, **kwargs):
        self.category = get_object_or_404(Category, pk=kwargs["pk"])
        if not (self.category.is_public or request.user.is_staff):
            raise Http404
        expected = self.category.get_absolute_url()
        if unquote(expected) != unquote(request.path):
            return HttpResponsePermanentRedirect(expected)
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["category"] = self.category
        ctx["summary"] = self.category.name
        return ctx


class FacetedSearchView(ProductListView):
    template_name = "oscar/search/results.html"

    def get(self, request, *args, **kwargs):
        self.category = self.category_from(request)
        return super().get(request, *args, **kwargs)

    @staticmethod
    def category_from(request):
        """The search page narrows by category with ``?category=<id>``."""
        try:
            pk = int(request.GET.get("category") or 0)
        except ValueError:
            return None
        return Category.objects.filter(pk=pk, is_public=True).first() if pk > 0 else None

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["summary"] = _("搜索结果")
        ctx["category"] = self.category
        return ctx


def suggestions_for(text: str, *, limit: int = 8) -> list[dict]:
    """Products whose title (or its pinyin) matches what was typed so far, best sellers first,
    each with its product page URL."""
    found = get_engine().suggest(text[:100], limit=limit)
    slugs = dict(
        Product.objects.filter(pk__in=[s.product_id for s in found]).values_list("pk", "slug")
    )
    return [
        {
            "id": s.product_id,
            "title": s.title,
            "html": str(highlight(s.title, text)),
            "url": reverse(
                "catalogue:detail", kwargs={"product_slug": slugs[s.product_id], "pk": s.product_id}
            ),
        }
        for s in found
        if s.product_id in slugs
    ]


class SuggestView(View):
    """``GET /shop/search/suggest/?q=shi``: ``{"q": ..., "suggestions": [{id, title, url}]}``
    for the header box (Chinese or pinyin prefixes)."""

    def get(self, request):
        text = (request.GET.get("q") or "").strip()
        items = suggestions_for(text) if text else []
        response = JsonResponse({"q": text, "suggestions": items})
        response["Cache-Control"] = "public, max-age=60"
        return response
