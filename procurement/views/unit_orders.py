"""The budget unit's orders: checkout, the order list and pages, approvals, acceptance,
transfers, quick reorder and saved purchase lists.
"""

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import FormView, TemplateView

from orders.exceptions import BasketAlreadySubmittedError
from orders.group_orders import address_template
from orders.models import OrderStatus, SalesChannel, ShipmentAddress
from orders.selectors import basket_placed_order

from .. import selectors, services
from ..exceptions import (
    AcceptanceQuantityError,
    BasketChangedError,
    GroupAddressListRefusedError,
    ProcurementError,
)
from ..forms import (
    CheckoutForm,
    GroupAddressUploadForm,
    ParcelAcceptanceForm,
    PurchaseListForm,
    TransferForm,
)
from ..models import Filing, FilingStatus, PurchaseList, Settlement
from ..review import basket_fingerprint
from .base import UnitMixin, refuse


class CheckoutView(UnitMixin, FormView):
    """Review the purchaser's basket and check it out as the unit. The submit orders exactly
    the lines the review showed (their fingerprint travels with the form) or is refused with
    the new review; prices are frozen on the order's lines at submission. A second submit of
    one basket (a double click, a retry) is answered with the order the first one placed."""

    template_name = "procurement/checkout.html"
    form_class = CheckoutForm

    def usable_filings(self):
        """The unit's approved filing of this year (a shared canteen's member orders against
        its host's): an order counts toward its own year only (the service refuses any
        other)."""
        return Filing.objects.filter(
            unit_id=self.unit.filing_unit_id,
            status=FilingStatus.APPROVED,
            policy_year__year=timezone.localdate().year,
        ).select_related("policy_year", "unit")

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["filings"] = None if self.unit.is_organisation else self.usable_filings()
        kwargs["unit"] = self.unit
        return kwargs

    def get_initial(self):
        last = selectors.unit_orders(unit=self.unit, limit=1)
        initial = {
            "filing": None if self.unit.is_organisation else self.usable_filings().first(),
            "invoice_title": self.unit.name,
            "delivery_address": self.unit.address,
        }
        if last:
            p = last[0]
            initial.update(
                canteen=p.canteen,
                delivery_address=p.delivery_address,
                contact_name=p.contact_name,
                contact_phone=p.contact_phone,
                invoice_title=p.invoice_title,
                tax_number=p.tax_number,
            )
        else:
            initial["tax_number"] = self.unit.credit_code
        return initial

    def post(self, request, *args, **kwargs):
        # A repeated submit (a double click, a retry) that arrives after the first one went
        # through: the basket it posted is no longer the open one. Show the order it became.
        order = self.order_of_posted_basket()
        if order is not None:
            return order_placed_already(request, order)
        return super().post(request, *args, **kwargs)

    def order_of_posted_basket(self):
        """The order the reviewed basket (the form's ``basket_id``, else the open basket)
        became, once that basket is no longer open; None while it is still open."""
        posted = self.request.POST.get("basket_id", "")
        basket_id = int(posted) if posted.isdigit() else self.request.basket.id
        return basket_placed_order(basket_id=basket_id, user=self.request.user)

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        basket = self.request.basket
        lines = basket.all_lines()
        ctx["basket"] = basket
        ctx["lines"] = lines
        ctx["fingerprint"] = basket_fingerprint(lines)
        ctx["rules"] = self.unit.approval_rules.all()
        ctx["year"] = timezone.localdate().year
        if self.unit.is_organisation:
            ctx["organisation_terms"] = organisation_terms_text(self.unit)
        return ctx

    def form_valid(self, form):
        data = form.cleaned_data
        try:
            order = services.procurement_order_submit(
                user=self.request.user,
                unit=self.unit,
                filing=data.get("filing"),
                basket=self.request.basket,
                canteen=data["canteen"],
                delivery_address=data["delivery_address"],
                contact_name=data["contact_name"],
                contact_phone=data["contact_phone"],
                invoice_title=data["invoice_title"],
                tax_number=data["tax_number"],
                note=data.get("note", ""),
                fingerprint=self.request.POST.get("fingerprint", ""),
            )
        except BasketAlreadySubmittedError as error:
            if error.order is not None and error.order.user_id == self.request.user.pk:
                return order_placed_already(self.request, error.order)
            messages.info(self.request, str(error))
            return redirect("basket:summary")
        except ProcurementError as error:
            # A submission that raced a concurrent one of the same basket may be refused
            # for what that one took (the balance): answer with the order it placed.
            order = self.order_of_posted_basket()
            if order is not None:
                return order_placed_already(self.request, order)
            form.add_error(None, str(error))
            response = self.form_invalid(form)
            if isinstance(error, BasketChangedError):
                response.status_code = 409
            return response
        if order.status == OrderStatus.PENDING_APPROVAL:
            messages.success(
                self.request, _("订单 %(n)s 已提交，等待审批人审批。") % {"n": order.number}
            )
        else:
            messages.success(
                self.request, _("订单 %(n)s 已提交，供应商将按单发货。") % {"n": order.number}
            )
        return redirect("procurement:order-detail", number=order.number)


def organisation_terms_text(unit) -> str:
    """What an organisation's order will count toward, in words, for the checkout."""
    try:
        channel, filing, _policy = services.order_terms(unit=unit, at=timezone.now())
    except ProcurementError as error:
        return str(error)
    label = SalesChannel(channel).label
    if filing is not None:
        return _("本单计入%(channel)s，并按年度政策计入%(parent)s %(year)s 年度预留份额。") % {
            "channel": label,
            "parent": filing.unit.name,
            "year": filing.policy_year.year,
        }
    if unit.is_union:
        return _("本单计入%(channel)s和本工会的消费帮扶任务，不计入所属单位的预留份额。") % {
            "channel": label
        }
    return _("本单计入%(channel)s（“八进”统计），开具发票后按转账结算。") % {"channel": label}


def order_placed_already(request, order):
    """The calm answer to a second submission of one basket: the order it became."""
    messages.info(request, str(BasketAlreadySubmittedError(order=order)))
    if order.channel == SalesChannel.PROCUREMENT:
        return redirect("procurement:order-detail", number=order.number)
    return redirect("customer:order", order_number=order.number)


class OrderListView(UnitMixin, TemplateView):
    template_name = "procurement/orders.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        status = self.request.GET.get("status", "")
        ctx["status"] = status
        ctx["statuses"] = OrderStatus.PROCUREMENT
        orders = selectors.unit_orders(unit=self.unit, status=status or None)
        ctx["page_obj"] = Paginator(orders, 50).get_page(self.request.GET.get("page"))
        ctx["orders"] = ctx["page_obj"].object_list
        return ctx


class OrderMixin(UnitMixin):
    def get_procurement(self):
        procurement = selectors.order_detail_by_number(number=self.kwargs["number"])
        if procurement is None or procurement.unit_id != self.unit.pk:
            # Orders of other units do not exist for this user.
            other = procurement and next(
                (u for u in self.units if u.pk == procurement.unit_id), None
            )
            if other is None:
                raise Http404
            self.unit = other
        return procurement


class OrderDetailView(OrderMixin, TemplateView):
    template_name = "procurement/order_detail.html"

    def get_context_data(self, **kwargs):
        procurement = self.get_procurement()
        ctx = super().get_context_data(**kwargs)
        ctx["p"] = procurement
        ctx["order"] = procurement.order
        user = self.request.user
        ctx["can_approve"] = (
            procurement.order.status == OrderStatus.PENDING_APPROVAL
            and "approver" in self.roles
            and procurement.purchaser_id != user.pk
            and not any(a.approver_id == user.pk for a in procurement.approvals.all())
        )
        ctx["can_cancel"] = (
            procurement.order.status
            in (
                OrderStatus.PENDING_APPROVAL,
                OrderStatus.APPROVED,
            )
            and not procurement.order.shipping_events.all()
        )
        ctx["shipments"] = [
            {
                "event": event,
                "acceptance": getattr(event, "acceptance", None),
                "quantities": list(event.line_quantities.all()),
            }
            for event in procurement.order.shipping_events.all()
        ]
        ctx["acceptance_error"] = self.request.session.pop("acceptance_error", None)
        ctx.update(self.group_context(procurement))
        return ctx

    #: Addresses per page of a group order's list.
    GROUP_PAGE_SIZE = 50

    def group_context(self, procurement, parcel_form=None) -> dict:
        """The address list of a group order (50 addresses a page, each with its parcels,
        and for each parcel waiting for acceptance its form for a shortfall or damage)
        and, while no parcel is shipped, the upload form for a purchaser. ``parcel_form``
        is a refused parcel's bound form: the page is the one of its address."""
        order = procurement.order
        progress = selectors.group_order_progress(order=order)
        page = None
        if progress["total"]:
            number = self.request.GET.get("page")
            if parcel_form is not None:
                number = self.address_page(order, parcel_form.address_row)
            page = Paginator(
                selectors.group_order_addresses(order=order), self.GROUP_PAGE_SIZE
            ).get_page(number)
            page.object_list = list(page.object_list)
            for address in page.object_list:
                for shipment in address.shipments.all():
                    event = shipment.shipping_event
                    if event is None or hasattr(event, "acceptance"):
                        continue
                    if parcel_form is not None and parcel_form.event_id == event.pk:
                        shipment.accept_form = parcel_form
                    else:
                        shipment.accept_form = ParcelAcceptanceForm(
                            shipped=event.line_quantities.all(), prefix=f"parcel-{event.pk}"
                        )
        editable = (
            order.status in (OrderStatus.PENDING_APPROVAL, OrderStatus.APPROVED)
            and not order.shipping_events.all()
        )
        return {
            "group_page": page,
            "group_progress": progress,
            "group_can_upload": editable and bool(self.roles & {"purchaser", "admin"}),
            "group_form": GroupAddressUploadForm(),
        }

    def post(self, request, *args, **kwargs):
        """Upload the order's address list (多地址配送): all rows or none; or accept one
        parcel with a shortfall or damage (``parcel``: its shipping event)."""
        procurement = self.get_procurement()
        if "parcel" in request.POST:
            return self.parcel_accept(procurement)
        form = GroupAddressUploadForm(request.POST, request.FILES)
        errors = []
        if form.is_valid():
            try:
                count = services.group_order_addresses_import(
                    order=procurement.order, user=request.user, data=form.file_bytes()
                )
            except GroupAddressListRefusedError as error:
                errors = error.errors
            except ProcurementError as error:
                return refuse(
                    request, error, "procurement:order-detail", number=procurement.order.number
                )
            else:
                messages.success(
                    request,
                    _("已导入 %(n)s 个配送地址，订单已按供应商和地址拆分为包裹。") % {"n": count},
                )
                return redirect("procurement:order-detail", number=procurement.order.number)
        ctx = self.get_context_data(**kwargs)
        ctx["group_form"] = form
        ctx["group_errors"] = errors
        return self.render_to_response(ctx, status=400)

    def address_page(self, order, row: int) -> int:
        """The page of the group order's address list that shows the address of ``row``."""
        before = ShipmentAddress.objects.filter(order=order, row__lt=row).count()
        return before // self.GROUP_PAGE_SIZE + 1

    def parcel_accept(self, procurement):
        """A parcel accepted with what was received: field errors re-show the page of its
        address with the form as it was filled in (400)."""
        order = procurement.order
        parcel = self.request.POST["parcel"].strip()
        event = (
            order.shipping_events.filter(pk=parcel, group_shipment__isnull=False)
            .select_related("group_shipment__address")
            .first()
            if parcel.isdigit()
            else None
        )
        if event is None:
            raise Http404
        form = ParcelAcceptanceForm(
            self.request.POST,
            shipped=event.line_quantities.select_related("line"),
            prefix=f"parcel-{event.pk}",
        )
        form.event_id, form.address_row = event.pk, event.group_shipment.address.row
        if form.is_valid():
            try:
                acceptance = services.group_parcel_accept(
                    order=order,
                    shipping_event_id=event.pk,
                    user=self.request.user,
                    quantities=form.quantities(),
                    reason=form.cleaned_data["reason"],
                )
            except AcceptanceQuantityError as error:
                form.add_error(None, str(error))
            except ProcurementError as error:
                return refuse(self.request, error, "procurement:order-detail", number=order.number)
            else:
                lacking = sum(line.short + line.damaged for line in acceptance.lines.all())
                if lacking:
                    messages.success(
                        self.request,
                        _("已验收该包裹，短少或破损 %(n)s 件，相应金额不计入完成额。")
                        % {"n": lacking},
                    )
                else:
                    messages.success(self.request, _("已验收该包裹。"))
                return redirect(
                    reverse("procurement:order-detail", args=[order.number])
                    + f"?page={self.address_page(order, form.address_row)}#parcel-{event.pk}"
                )
        ctx = self.get_context_data(**self.kwargs)
        ctx.update(self.group_context(procurement, parcel_form=form))
        return self.render_to_response(ctx, status=400)


class GroupAddressTemplateView(UnitMixin, View):
    """The blank address list (.xlsx) to fill in."""

    def get(self, request):
        response = HttpResponse(
            address_template(),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
        response["Content-Disposition"] = "attachment; filename=group-addresses.xlsx"
        return response


class OrderActionView(OrderMixin, View):
    """POST-only actions on an order: approve, reject, cancel, reorder, accept, transfer."""

    def post(self, request, number, action, target=None):
        procurement = self.get_procurement()
        order = procurement.order
        back = {"to": "procurement:order-detail", "number": number}
        try:
            if action == "approve":
                services.procurement_order_approve(
                    order=order, user=request.user, comment=request.POST.get("comment", "")
                )
                messages.success(request, _("已审批通过。"))
            elif action == "reject":
                services.procurement_order_reject(
                    order=order, user=request.user, reason=request.POST.get("reason", "")
                )
                messages.success(request, _("已驳回，占用的份额已释放。"))
            elif action == "cancel":
                services.procurement_order_cancel(
                    order=order, user=request.user, reason=request.POST.get("reason", "")
                )
                messages.success(request, _("订单已取消，占用的份额已释放。"))
            elif action == "reorder":
                added, skipped = services.reorder_to_basket(
                    procurement=procurement, user=request.user, basket=request.basket
                )
                self._basket_message(added, skipped)
                return redirect("basket:summary")
            elif action == "accept":
                return self._accept(request, procurement, target, back)
            elif action == "accept-parcel":
                # A group order's parcel, accepted in full (its event is this order's).
                event = order.shipping_events.filter(pk=target, group_shipment__isnull=False)
                if not event.exists():
                    raise Http404
                services.procurement_shipment_accept(shipping_event=event.get(), user=request.user)
                messages.success(request, _("已验收该包裹。"))
            elif action == "accept-group":
                count = services.group_order_accept_shipped(order=order, user=request.user)
                messages.success(request, _("已验收 %(n)s 个包裹。") % {"n": count})
            elif action == "transfer":
                settlement = Settlement.objects.filter(pk=target, procurement=procurement).first()
                form = TransferForm(request.POST)
                if settlement is None:
                    raise Http404
                if not form.is_valid():
                    messages.error(request, _("请填写转账流水号。"))
                    return redirect(**back)
                services.settlement_transfer(
                    settlement=settlement,
                    user=request.user,
                    reference_no=form.cleaned_data["reference_no"],
                )
                messages.success(request, _("转账已登记，等待供应商确认收款。"))
            else:
                raise Http404
        except ProcurementError as error:
            return refuse(request, error, **back)
        return redirect(**back)

    def _accept(self, request, procurement, event_id, back):
        event = procurement.order.shipping_events.filter(pk=event_id).first()
        if event is None:
            raise Http404
        quantities = {}
        try:
            for q in event.line_quantities.all():
                quantities[q.line_id] = tuple(
                    int(request.POST.get(f"{field}-{q.line_id}") or 0)
                    for field in ("accepted", "short", "damaged")
                )
        except ValueError:
            return refuse(request, AcceptanceQuantityError(_("验收数量必须是整数。")), **back)
        try:
            services.procurement_shipment_accept(
                shipping_event=event,
                user=request.user,
                quantities=quantities,
                note=request.POST.get("note", ""),
            )
        except ProcurementError as error:
            return refuse(request, error, **back)
        messages.success(request, _("验收完成。"))
        return redirect(**back)

    def _basket_message(self, added, skipped):
        if added:
            messages.success(self.request, _("已将 %(n)s 种商品加入购物车。") % {"n": added})
        if skipped:
            messages.warning(
                self.request,
                _("以下商品已不可采购，未加入：%(items)s") % {"items": "、".join(skipped)},
            )


class PurchaseListView(UnitMixin, View):
    """Save the basket as a purchase list, or put a list into the basket."""

    def post(self, request, pk=None):
        basket = request.basket
        try:
            if pk is None:
                form = PurchaseListForm(request.POST)
                if not form.is_valid():
                    messages.error(request, _("请填写清单名称。"))
                    return redirect("procurement:portal")
                items = [(line.product_id, line.quantity) for line in basket.all_lines()]
                services.purchase_list_save(
                    unit=self.unit, user=request.user, name=form.cleaned_data["name"], items=items
                )
                messages.success(request, _("已保存为常购清单。"))
                return redirect("procurement:portal")
            purchase_list = PurchaseList.objects.filter(pk=pk, unit=self.unit).first()
            if purchase_list is None:
                raise Http404
            added, skipped = services.purchase_list_add_to_basket(
                purchase_list=purchase_list, user=request.user, basket=basket
            )
        except ProcurementError as error:
            return refuse(request, error, "procurement:portal")
        if added:
            messages.success(request, _("已将 %(n)s 种商品加入购物车。") % {"n": added})
        if skipped:
            messages.warning(
                request, _("以下商品已不可采购，未加入：%(items)s") % {"items": "、".join(skipped)}
            )
        return redirect("basket:summary")
