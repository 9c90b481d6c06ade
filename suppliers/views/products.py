"""A supplier's own products: list, create, edit, submit for listing review, delist."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView

from catalog.models import ListingStatus

from ..exceptions import SupplierError
from ..forms import ProductForm
from ..selectors import supplier_product_get, supplier_stockrecords
from ..services import product_delist, product_submit_for_review, supplier_product_save
from .base import SupplierMixin


class ProductListView(SupplierMixin, TemplateView):
    template_name = "suppliers/portal/product_list.html"
    section = "products"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        status = self.request.GET.get("status", "")
        if status not in ListingStatus.values:
            status = ""
        q = self.request.GET.get("q", "").strip()[:50]
        records = supplier_stockrecords(partner=self.partner, status=status, q=q)
        ctx["page_obj"] = Paginator(records, 20).get_page(self.request.GET.get("page"))
        ctx["status"] = status
        ctx["q"] = q
        ctx["statuses"] = ListingStatus.choices
        ctx["page_title"] = _("商品管理")
        return ctx


class ProductEditView(SupplierMixin, TemplateView):
    """Create (no ``pk``) or edit one of the supplier's products."""

    template_name = "suppliers/portal/product_form.html"
    section = "products"

    def dispatch(self, request, *args, **kwargs):
        return super().dispatch(request, *args, **kwargs)

    def _product(self):
        pk = self.kwargs.get("pk")
        return supplier_product_get(partner=self.partner, pk=pk) if pk else None

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        product = kwargs.get("product", self._product())
        if "form" not in ctx:
            if product is None:
                ctx["form"] = ProductForm(
                    partner=self.partner,
                    initial={
                        "min_order_quantity": 1,
                        "order_increment": 1,
                        "origin_region": self.partner.region_id,
                    },
                )
            else:
                ctx["form"] = ProductForm(
                    partner=self.partner,
                    record=product.own_record,
                    initial=ProductForm.initial_for(product, product.own_record),
                )
        ctx["product"] = product
        if product is not None:
            ctx["decisions"] = product.listing_decisions.select_related("actor").order_by(
                "-created_at", "-pk"
            )[:10]
            ctx["images"] = product.images.all()
        ctx["page_title"] = _("编辑商品") if product else _("新建商品")
        return ctx

    def get(self, request, *args, **kwargs):
        return self.render_to_response(self.get_context_data(product=self._product()))

    def post(self, request, *args, **kwargs):
        product = self._product()
        form = ProductForm(
            request.POST,
            request.FILES,
            partner=self.partner,
            record=product.own_record if product else None,
        )
        if form.is_valid():
            try:
                saved = supplier_product_save(
                    partner=self.partner,
                    user=request.user,
                    product=product,
                    fields=form.product_fields(),
                    stock=form.stock_fields(),
                    category=form.cleaned_data["category"],
                    image=form.cleaned_data.get("image"),
                )
            except SupplierError as error:
                form.add_error(None, str(error))
            else:
                if (
                    product
                    and product.listing_status == ListingStatus.LISTED
                    and (saved.listing_status == ListingStatus.PENDING)
                ):
                    messages.info(request, _("商品信息已修改，已重新提交上架审核。"))
                else:
                    messages.success(request, _("商品已保存。"))
                return redirect("suppliers:product-edit", pk=saved.pk)
        return self.render_to_response(self.get_context_data(form=form, product=product))


class ProductSubmitView(SupplierMixin, View):
    def post(self, request, pk: int):
        product = supplier_product_get(partner=self.partner, pk=pk)
        try:
            product_submit_for_review(product=product, partner=self.partner, user=request.user)
        except SupplierError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("已提交上架审核。"))
        return redirect("suppliers:product-edit", pk=pk)


class ProductDelistView(SupplierMixin, View):
    def post(self, request, pk: int):
        product = supplier_product_get(partner=self.partner, pk=pk)
        try:
            product_delist(product=product, partner=self.partner, user=request.user)
        except SupplierError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("商品已下架。"))
        return redirect("suppliers:product-edit", pk=pk)
