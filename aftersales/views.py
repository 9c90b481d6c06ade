"""After-sales pages: the shopper's (/shop/after-sales/), the supplier's
(/supplier/after-sales/) and the bureau's rates (/reports/after-sales/). Thin: permissions
and rules are the services'; refusals become the form's Chinese errors."""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView

from reports.views import BureauStaffMixin
from suppliers.views.base import SupplierMixin

from . import selectors, services
from .exceptions import AfterSalesError, AfterSalesNotFoundError
from .forms import AfterSalesRequestForm, PolicyForm, RefuseForm, ReturnRequestForm, ReturnShipForm
from .models import AfterSalesStatus, SupplierAfterSalesPolicy

PAGE_SIZE = 20


# ---------------------------------------------------------------------------
# The shopper
# ---------------------------------------------------------------------------
class RequestView(LoginRequiredMixin, TemplateView):
    """Ask for after-sales on one line of the user's paid order."""

    template_name = "aftersales/request.html"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            self.line = selectors.shopper_line_get(user=request.user, line_id=kwargs["line_id"])
            self.state = selectors.line_aftersales_state(line=self.line)
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx.update(line=self.line, order=self.line.order, state=self.state)
        ctx.setdefault(
            "form",
            kwargs.get("form") or AfterSalesRequestForm(refundable=self.state.refundable),
        )
        ctx["page_title"] = _("申请售后")
        return ctx

    def post(self, request, *args, **kwargs):
        form = AfterSalesRequestForm(request.POST, request.FILES, refundable=self.state.refundable)
        if form.is_valid():
            try:
                case = services.aftersales_request(
                    user=request.user,
                    line_id=self.line.pk,
                    kind=form.cleaned_data["kind"],
                    reason=form.cleaned_data["reason"],
                    amount=form.cleaned_data["amount"],
                    photos=form.cleaned_data["photos"],
                )
            except AfterSalesNotFoundError:
                raise Http404
            except AfterSalesError as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(request, _("售后申请已提交，等待商家处理。"))
                return redirect("aftersales:case", pk=case.pk)
        return self.render_to_response(self.get_context_data(form=form), status=400)


class ShopperCaseListView(LoginRequiredMixin, TemplateView):
    template_name = "aftersales/shopper_list.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["page_obj"] = Paginator(
            selectors.shopper_cases(user=self.request.user), PAGE_SIZE
        ).get_page(self.request.GET.get("page"))
        ctx["page_title"] = _("我的售后")
        return ctx


class ShopperCaseView(LoginRequiredMixin, TemplateView):
    """One of the user's cases; POST ``action`` cancel or ship (the goods sent back)."""

    template_name = "aftersales/shopper_case.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        case = selectors.shopper_case_get(user=self.request.user, pk=self.kwargs["pk"])
        ctx.update(case=case, order=case.order)
        ctx.setdefault("ship_form", ReturnShipForm())
        ctx["page_title"] = _("售后单 %(number)s") % {"number": case.number}
        return ctx

    def post(self, request, *args, **kwargs):
        action = request.POST.get("action")
        ship_form = ReturnShipForm(request.POST if action == "ship" else None)
        try:
            if action == "cancel":
                services.aftersales_cancel(user=request.user, case_id=kwargs["pk"])
                messages.success(request, _("售后申请已撤销。"))
            elif action == "ship" and ship_form.is_valid():
                services.aftersales_return_ship(
                    user=request.user,
                    case_id=kwargs["pk"],
                    carrier=ship_form.cleaned_data["carrier"],
                    tracking_number=ship_form.cleaned_data["tracking_number"],
                )
                messages.success(request, _("已提交退货运单，等待商家确认收货。"))
            elif action != "ship":
                raise Http404
            else:
                return self.render_to_response(
                    self.get_context_data(ship_form=ship_form), status=400
                )
        except AfterSalesNotFoundError:
            raise Http404
        except AfterSalesError as exc:
            ship_form.add_error(None, str(exc))
            return self.render_to_response(self.get_context_data(ship_form=ship_form), status=400)
        return redirect("aftersales:case", pk=kwargs["pk"])


class PhotoView(LoginRequiredMixin, View):
    def get(self, request, pk):
        photo = selectors.photo_for_user(user=request.user, pk=pk)
        response = FileResponse(photo.file.open("rb"), content_type=photo.content_type)
        response["Cache-Control"] = "private, max-age=3600"
        return response


# ---------------------------------------------------------------------------
# The supplier
# ---------------------------------------------------------------------------
class SupplierCaseListView(SupplierMixin, TemplateView):
    """The supplier's cases (its own lines only) and its after-sales terms."""

    template_name = "aftersales/supplier_list.html"
    section = "aftersales"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        status = self.request.GET.get("status", "open")
        if status not in ("open", "", *AfterSalesStatus.values):
            status = "open"
        ctx["page_obj"] = Paginator(
            selectors.supplier_cases(partner=self.partner, status=status), PAGE_SIZE
        ).get_page(self.request.GET.get("page"))
        ctx["status"] = status
        ctx["statuses"] = AfterSalesStatus.choices
        if "policy_form" not in ctx:
            policy = SupplierAfterSalesPolicy.objects.filter(partner=self.partner).first()
            ctx["policy_form"] = PolicyForm(
                initial={
                    "window_days": selectors.supplier_window_days(partner=self.partner),
                    "return_address": policy.return_address if policy else "",
                }
            )
        ctx["page_title"] = _("售后处理")
        return ctx

    def post(self, request, *args, **kwargs):
        form = PolicyForm(request.POST)
        if form.is_valid():
            try:
                services.aftersales_policy_save(user=request.user, **form.cleaned_data)
            except AfterSalesError as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(request, _("售后设置已保存。"))
                return redirect("aftersales:supplier-list")
        return self.render_to_response(self.get_context_data(policy_form=form), status=400)


class SupplierCaseView(SupplierMixin, TemplateView):
    """One case of the supplier's; POST ``action`` agree, refuse or return."""

    template_name = "aftersales/supplier_case.html"
    section = "aftersales"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        case = selectors.supplier_case_get(partner=self.partner, pk=self.kwargs["pk"])
        ctx["case"] = case
        ctx.setdefault("refuse_form", RefuseForm())
        if "return_form" not in ctx:
            policy = SupplierAfterSalesPolicy.objects.filter(partner=self.partner).first()
            ctx["return_form"] = ReturnRequestForm(
                initial={"return_address": policy.return_address if policy else ""}
            )
        ctx["page_title"] = _("售后单 %(number)s") % {"number": case.number}
        return ctx

    def post(self, request, *args, **kwargs):
        action = request.POST.get("action")
        forms = {
            "refuse_form": RefuseForm(request.POST if action == "refuse" else None),
            "return_form": ReturnRequestForm(request.POST if action == "return" else None),
        }
        try:
            if action == "agree":
                services.aftersales_agree(user=request.user, case_id=kwargs["pk"])
                messages.success(request, _("已同意退款，款项将原路退回买家。"))
            elif action == "refuse" and forms["refuse_form"].is_valid():
                services.aftersales_refuse(
                    user=request.user,
                    case_id=kwargs["pk"],
                    reason=forms["refuse_form"].cleaned_data["reason"],
                )
                messages.success(request, _("已拒绝售后申请。"))
            elif action == "return" and forms["return_form"].is_valid():
                services.aftersales_return_request(
                    user=request.user,
                    case_id=kwargs["pk"],
                    return_address=forms["return_form"].cleaned_data["return_address"],
                )
                messages.success(request, _("已要求买家退货。"))
            elif action not in ("refuse", "return"):
                raise Http404
            else:
                return self.render_to_response(self.get_context_data(**forms), status=400)
        except AfterSalesNotFoundError:
            raise Http404
        except AfterSalesError as exc:
            messages.error(request, str(exc))
            return self.render_to_response(self.get_context_data(**forms), status=400)
        return redirect("aftersales:supplier-case", pk=kwargs["pk"])


# ---------------------------------------------------------------------------
# The bureau
# ---------------------------------------------------------------------------
class BureauRatesView(BureauStaffMixin, TemplateView):
    """After-sales rates per supplier in the staff member's region (the reports' filters)."""

    template_name = "aftersales/bureau_rates.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        form, filters = self.filters()
        ctx.update(
            form=form,
            filters=filters,
            rows=selectors.aftersales_rates(
                region=filters.region, date_from=filters.date_from, date_to=filters.date_to
            ),
        )
        return ctx
