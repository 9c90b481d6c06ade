"""A supplier's orders: only its own lines of orders it may see; shipping them."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.generic import TemplateView

from ..exceptions import ShipmentLineNotFoundError, SupplierError
from ..forms import ShipmentForm
from ..selectors import supplier_order_get, supplier_orders, supplier_orders_attach_lines
from ..services import order_shippable_by_supplier, shipment_create
from .base import SupplierMixin


class OrderListView(SupplierMixin, TemplateView):
    template_name = "suppliers/portal/order_list.html"
    section = "orders"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        state = self.request.GET.get("state", "to_ship")
        if state not in ("to_ship", "all"):
            state = "to_ship"
        orders = supplier_orders(
            partner=self.partner, state="to_ship" if state == "to_ship" else ""
        )
        page = Paginator(orders.select_related("shipping_address"), 20).get_page(
            self.request.GET.get("page")
        )
        page.object_list = supplier_orders_attach_lines(
            partner=self.partner, orders=page.object_list
        )
        ctx["page_obj"] = page
        ctx["state"] = state
        ctx["page_title"] = _("订单发货")
        return ctx


class OrderDetailView(SupplierMixin, TemplateView):
    template_name = "suppliers/portal/order_detail.html"
    section = "orders"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        order = kwargs.get("order") or supplier_order_get(
            partner=self.partner, number=self.kwargs["number"]
        )
        ctx["order"] = order
        ctx["can_ship"] = order_shippable_by_supplier(order) and order.own_to_ship > 0
        if "form" not in ctx:
            ctx["form"] = ShipmentForm(lines=order.own_lines)
        ctx["page_title"] = _("订单 %(number)s") % {"number": order.number}
        return ctx

    def post(self, request, *args, **kwargs):
        order = supplier_order_get(partner=self.partner, number=self.kwargs["number"])
        form = ShipmentForm(request.POST, lines=order.own_lines)
        if form.is_valid():
            try:
                shipment_create(
                    partner=self.partner,
                    order=order,
                    quantities=form.quantities(),
                    carrier=form.cleaned_data["carrier_name"],
                    tracking_number=form.cleaned_data["tracking_number"],
                    user=request.user,
                )
            except ShipmentLineNotFoundError:
                raise Http404
            except SupplierError as error:
                form.add_error(None, str(error))
            else:
                messages.success(request, _("已登记发货。"))
                return redirect("suppliers:order-detail", number=order.number)
        return self.render_to_response(self.get_context_data(order=order, form=form))
