"""Supplier side of procurement payment: the supplier's staff (partner.users) see approved
procurement orders with their lines, record invoices and confirm receipt of transfers."""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView
from oscar.core.loading import get_model

from .. import selectors, services
from ..exceptions import ProcurementError
from ..forms import InvoiceForm, RefundForm
from ..models import Settlement
from .base import refuse

Partner = get_model("partner", "Partner")


class SupplierMixin(LoginRequiredMixin):
    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        self.partners = list(Partner.objects.filter(users=request.user).order_by("name"))
        if not self.partners:
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


class SupplierOrdersView(SupplierMixin, TemplateView):
    template_name = "procurement/supplier/orders.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["groups"] = [
            {
                "partner": partner,
                "orders": selectors.supplier_procurement_orders(partner=partner),
                "settlements": selectors.supplier_settlements(partner=partner),
            }
            for partner in self.partners
        ]
        ctx["invoice_form"] = InvoiceForm()
        return ctx


class SettlementActionView(SupplierMixin, View):
    def post(self, request, pk, action):
        settlement = (
            Settlement.objects.filter(pk=pk, partner__in=self.partners)
            .select_related("procurement__order", "partner")
            .first()
        )
        if settlement is None:
            raise Http404
        try:
            if action == "invoice":
                form = InvoiceForm(request.POST)
                if not form.is_valid():
                    messages.error(request, _("请完整填写发票号码、开票日期和金额。"))
                    return redirect("procurement:supplier-orders")
                services.settlement_invoice(
                    settlement=settlement, user=request.user, **form.cleaned_data
                )
                messages.success(request, _("发票已登记，等待采购单位转账。"))
            elif action == "confirm":
                services.settlement_confirm_receipt(settlement=settlement, user=request.user)
                messages.success(request, _("已确认收款。"))
            else:
                raise Http404
        except ProcurementError as error:
            return refuse(request, error, "procurement:supplier-orders")
        return redirect("procurement:supplier-orders")


class SupplierRefundView(SupplierMixin, View):
    """The supplier records a refund of accepted units of its lines of one order."""

    def post(self, request, pk):
        settlement = (
            Settlement.objects.filter(pk=pk, partner__in=self.partners)
            .select_related("procurement__order", "partner")
            .first()
        )
        if settlement is None:
            raise Http404
        form = RefundForm(request.POST)
        if not form.is_valid():
            messages.error(request, _("请填写退款原因。"))
            return redirect("procurement:supplier-orders")
        quantities = {}
        for key, value in request.POST.items():
            if key.startswith("refund-") and value.strip():
                try:
                    quantities[int(key.removeprefix("refund-"))] = int(value)
                except ValueError:
                    messages.error(request, _("退货数量必须是整数。"))
                    return redirect("procurement:supplier-orders")
        try:
            refund = services.procurement_refund_record(
                order=settlement.procurement.order,
                partner=settlement.partner,
                user=request.user,
                quantities=quantities,
                **form.cleaned_data,
            )
        except ProcurementError as error:
            return refuse(request, error, "procurement:supplier-orders")
        messages.success(
            request,
            _("已登记退款 ¥%(amount)s，已从该单位的预留份额中释放。")
            % {"amount": f"{refund.amount:,}"},
        )
        return redirect("procurement:supplier-orders")
