"""A supplier's orders: only its own lines of orders it may see; shipping them."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.generic import TemplateView

from ..exceptions import ShipmentLineNotFoundError, SupplierError
from ..forms import ShipmentForm
from ..selectors import (
    group_order_sets,
    supplier_group_shipments,
    supplier_order_get,
    supplier_orders,
    supplier_orders_attach_lines,
)
from ..services import group_shipment_ship, order_shippable_by_supplier, shipment_create
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
        shippable = order_shippable_by_supplier(order)
        total_sets = group_order_sets(order=order)
        if total_sets:
            ctx.update(self.group_context(order, total_sets, shippable))
            ctx["can_ship"] = False
        else:
            ctx["can_ship"] = shippable and order.own_to_ship > 0
        if "form" not in ctx:
            ctx["form"] = ShipmentForm(lines=order.own_lines)
        ctx["page_title"] = _("订单 %(number)s") % {"number": order.number}
        return ctx

    def group_context(self, order, total_sets: int, shippable: bool) -> dict:
        """A group order: the supplier's parcels, one per address (50 a page), each with
        what goes in it and, until shipped, a form for its carrier and tracking number."""
        per_set = {line.pk: line.quantity // total_sets for line in order.own_lines}
        page = Paginator(supplier_group_shipments(partner=self.partner, order=order), 50).get_page(
            self.request.GET.get("page")
        )
        for shipment in page.object_list:
            shipment.contents = [
                (line, per_set[line.pk] * shipment.address.sets) for line in order.own_lines
            ]
        shipped = supplier_group_shipments(partner=self.partner, order=order).filter(
            shipping_event__isnull=False
        )
        return {
            "group_page": page,
            "group_total": page.paginator.count,
            "group_shipped": shipped.count(),
            "group_can_ship": shippable,
            "group_form": ShipmentForm(lines=[]),
        }

    def post(self, request, *args, **kwargs):
        order = supplier_order_get(partner=self.partner, number=self.kwargs["number"])
        if "shipment" in request.POST:
            return self.post_group(request, order)
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

    def post_group(self, request, order):
        form = ShipmentForm(request.POST, lines=[])
        shipment_id = request.POST.get("shipment", "")
        if not shipment_id.isdigit():
            raise Http404
        back = redirect(
            f"{reverse('suppliers:order-detail', args=[order.number])}"
            f"?page={request.GET.get('page', '1')}#shipment-{shipment_id}"
        )
        if not form.is_valid():
            problems = [str(e) for errors in form.errors.values() for e in errors]
            messages.error(request, "；".join(problems))
            return back
        try:
            shipment = group_shipment_ship(
                partner=self.partner,
                order=order,
                shipment_id=int(shipment_id),
                carrier=form.cleaned_data["carrier_name"],
                tracking_number=form.cleaned_data["tracking_number"],
                user=request.user,
            )
        except ShipmentLineNotFoundError:
            raise Http404
        except SupplierError as error:
            messages.error(request, str(error))
            return back
        messages.success(
            request,
            _("已登记发往%(name)s的包裹。") % {"name": shipment.address.recipient},
        )
        return back
