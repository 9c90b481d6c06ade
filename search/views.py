"""Product lists (all products, a category, search results) over the search engine."""

from urllib.parse import unquote

from django.contrib import messages
from django.core.paginator import InvalidPage, Paginator
from django.http import Http404, HttpResponsePermanentRedirect
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView
from oscar.core.loading import get_model

from regions.models import Region

from .engines import SearchQuery, get_engine
from .forms import SearchForm

Category = get_model("catalogue", "Category")


class ProductListView(TemplateView):
    """Shared by the catalogue, category and search pages: filter, sort, paginate."""

    paginate_by = 24
    category = None

    def get_search_query(self, form: SearchForm) -> SearchQuery:
        origin = self.get_origin_region(form)
        category_ids = ()
        if self.category is not None:
            category_ids = tuple(
                self.category.get_descendants_and_self().values_list("pk", flat=True)
            )
        return SearchQuery(
            text=form.cleaned_or_default("q"),
            category_ids=category_ids,
            origin_region_path=origin.path if origin else "",
            sort=form.cleaned_or_default("sort_by", "relevance"),
        )

    def get_origin_region(self, form: SearchForm) -> Region | None:
        code = form.cleaned_or_default("origin")
        if not code:
            return None
        return Region.objects.filter(code=code).first()

    def get(self, request, *args, **kwargs):
        form = SearchForm(request.GET)
        result = get_engine().search(self.get_search_query(form))
        paginator = Paginator(result.products, self.paginate_by)
        try:
            page = paginator.page(request.GET.get("page") or 1)
        except InvalidPage:
            messages.error(request, _("页码无效，已返回第一页。"))
            params = request.GET.copy()
            params.pop("page", None)
            query = f"?{params.urlencode()}" if params else ""
            return redirect(request.path + query)
        context = self.get_context_data(
            form=form,
            products=page.object_list,
            page_obj=page,
            paginator=paginator,
            is_paginated=paginator.num_pages > 1,
            origin=self.get_origin_region(form),
            counties=Region.objects.counties(),
            query=form.cleaned_or_default("q"),
        )
        return self.render_to_response(context)


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

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["summary"] = _("搜索结果")
        return ctx
