"""Wagtail choosers for Oscar products and suppliers (modal with search, widget, block).

Registered in ``wagtail_hooks``; ``register_widget`` makes every ForeignKey to a product or a
supplier in a Wagtail edit form use the chooser instead of a long select box.
"""

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from oscar.core.loading import get_model
from wagtail.admin.forms.choosers import BaseFilterForm
from wagtail.admin.ui.tables import Column
from wagtail.admin.views.generic.chooser import ChooseResultsView, ChooseView
from wagtail.admin.viewsets.chooser import ChooserViewSet

Product = get_model("catalogue", "Product")
Partner = get_model("partner", "Partner")


class _TextFilterForm(BaseFilterForm):
    """A plain "contains" search: the shop's models are not in Wagtail's search index."""

    lookups: tuple[str, ...] = ()

    q = forms.CharField(
        label=_("搜索"),
        required=False,
        widget=forms.TextInput(attrs={"placeholder": _("名称或编码")}),
    )

    def filter(self, objects):
        objects = super().filter(objects)
        text = (self.cleaned_data.get("q") or "").strip()
        if text:
            condition = Q()
            for lookup in self.lookups:
                condition |= Q(**{lookup: text})
            objects = objects.filter(condition)
            self.is_searching = True
            self.search_query = text
        return objects


class ProductFilterForm(_TextFilterForm):
    lookups = ("title__icontains", "upc__icontains", "origin_detail__icontains")


class SupplierFilterForm(_TextFilterForm):
    lookups = ("name__icontains", "credit_code__icontains")


class ProductChooseMixin:
    filter_form_class = ProductFilterForm
    ordering = ("title", "pk")

    def get_object_list(self):
        # Only what the shop can sell; a product blocks also re-check this when they render.
        return Product.objects.purchasable().select_related("origin_region")

    @property
    def columns(self):
        return [
            *super().columns,
            Column("origin", label=_("产地"), accessor="origin_display"),
            Column("upc", label=_("商品编码"), accessor="upc"),
        ]


class ProductChooseView(ProductChooseMixin, ChooseView):
    pass


class ProductChooseResultsView(ProductChooseMixin, ChooseResultsView):
    pass


class ProductChooserViewSet(ChooserViewSet):
    model = Product
    icon = "pick"
    choose_one_text = _("选择商品")
    choose_another_text = _("更换商品")
    edit_item_text = _("编辑")
    choose_view_class = ProductChooseView
    choose_results_view_class = ProductChooseResultsView
    per_page = 20


class SupplierChooseMixin:
    filter_form_class = SupplierFilterForm
    ordering = ("name", "pk")

    def get_object_list(self):
        return Partner.objects.filter(certified_until__isnull=False).select_related("region")

    @property
    def columns(self):
        return [
            *super().columns,
            Column("region", label=_("所在区域"), accessor="region"),
            Column("certified_until", label=_("认定有效期至"), accessor="certified_until"),
        ]


class SupplierChooseView(SupplierChooseMixin, ChooseView):
    pass


class SupplierChooseResultsView(SupplierChooseMixin, ChooseResultsView):
    pass


class SupplierChooserViewSet(ChooserViewSet):
    model = Partner
    icon = "group"
    choose_one_text = _("选择供应商")
    choose_another_text = _("更换供应商")
    edit_item_text = _("编辑")
    choose_view_class = SupplierChooseView
    choose_results_view_class = SupplierChooseResultsView
    per_page = 20


product_chooser_viewset = ProductChooserViewSet("product_chooser", url_prefix="product-chooser")
supplier_chooser_viewset = SupplierChooserViewSet("supplier_chooser", url_prefix="supplier-chooser")

ProductChooserBlock = product_chooser_viewset.get_block_class(
    name="ProductChooserBlock", module_path="frontend.choosers"
)
SupplierChooserBlock = supplier_chooser_viewset.get_block_class(
    name="SupplierChooserBlock", module_path="frontend.choosers"
)
