"""The budget unit's portal: its progress this year and its filings."""

import datetime
from decimal import Decimal

from django.contrib import messages
from django.db.models import Sum
from django.shortcuts import redirect
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.generic import FormView, TemplateView

from core.caching import CSRF_PLACEHOLDER
from core.scoped_caching import private_page

from .. import selectors, services
from ..access import review_office_name
from ..exceptions import ProcurementError
from ..forms import FilingForm
from ..models import FILING_PENDING, Filing, FilingStatus, PolicyYear
from ..portal_cache import unit_portal_key
from ..services.filings import canteen_case_rule, percent, policy_ratios
from ..services.organisations import organisation_type_names
from .base import UnitMixin

LIST_SAVE_PLACEHOLDER = "__HN_PC_LIST_SAVE__"


def year_param(value) -> int | None:
    """A year from a query string or form (``"2026"``), or None when it is not one."""
    try:
        year = int(value)
    except (TypeError, ValueError):
        return None
    return year if datetime.MINYEAR <= year <= datetime.MAXYEAR else None


class PortalView(UnitMixin, TemplateView):
    """The unit's progress, to-dos and recent orders: from the cache of the user's copy
    (``procurement.portal_cache``), retired by any write to what it shows."""

    template_name = "procurement/portal.html"

    def get_year(self) -> int:
        return year_param(self.request.GET.get("year")) or timezone.localdate().year

    def get(self, request, *args, **kwargs):
        key = unit_portal_key(
            request=request,
            unit=self.unit,
            units=self.units,
            roles=self.roles,
            year=self.get_year(),
        )
        render = lambda: super(PortalView, self).get(request, *args, **kwargs)  # noqa: E731
        return private_page(
            request, render, key=key, holes={LIST_SAVE_PLACEHOLDER: self.list_save_form}
        )

    def list_save_form(self, request) -> str:
        """The "save the basket as a list" form: it depends on this request's basket."""
        if not self.roles & {"purchaser", "admin"}:
            return ""
        return render_to_string(
            "procurement/partials/list_save_form.html",
            {"is_purchaser": True},
            request=request,
        )

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        if getattr(self.request, "csrf_placeholder", False):
            ctx["csrf_token"] = CSRF_PLACEHOLDER  # the real token goes in after the cache
            ctx["list_save_form"] = LIST_SAVE_PLACEHOLDER
        else:
            ctx["list_save_form"] = self.list_save_form(self.request)
        year = self.get_year()
        # A shared canteen's member sees its host's filing: its orders are charged to it.
        filing = (
            Filing.objects.filter(unit_id=self.unit.filing_unit_id, policy_year__year=year)
            .select_related("policy_year", "unit")
            .first()
        )
        ctx["year"] = year
        if self.unit.is_organisation:
            ctx["org_type_name"] = organisation_type_names(year=year).get(
                self.unit.org_type, self.unit.org_type
            )
            ctx["union"] = (
                selectors.union_progress(union=self.unit, year=year) if self.unit.is_union else None
            )
        else:
            ctx["unions_beside"] = selectors.unit_unions_beside(unit=self.unit, year=year)
        ctx["years"] = sorted(
            set(self.unit.filings.values_list("policy_year__year", flat=True)) | {year},
            reverse=True,
        )
        ctx["filing"] = filing
        if filing is not None and filing.status == FilingStatus.APPROVED:
            reserved = filing.reserved_amount or Decimal("1")
            expected = selectors.schedule_fraction(year=year)
            # The bar is the reserve; past it (超额完成) it is simply full.
            done = min(float(filing.completed / reserved * 100), 100.0)
            ctx["progress"] = {
                "completed_pct": done,
                "committed_pct": min(float(filing.committed / reserved * 100), 100.0 - done),
                "rate": percent(filing.completion_rate),
                "expected": selectors.schedule_text(expected),
                "behind": filing.completion_rate < expected,
            }
            ctx["chart"] = selectors.monthly_chart(filing=filing)
            ctx["completed_832"] = filing.purchases_832.aggregate(total=Sum("amount"))["total"]
        ctx["approvals"] = selectors.approvals_waiting(unit=self.unit, user=self.request.user)
        ctx["acceptances"] = selectors.acceptances_due(unit=self.unit)
        ctx["transfers"] = selectors.transfers_due(unit=self.unit)
        ctx["orders"] = selectors.unit_orders(unit=self.unit, limit=8)
        ctx["purchase_lists"] = self.unit.purchase_lists.prefetch_related("items")
        return ctx


class FilingView(UnitMixin, FormView):
    """Filing history and the form for this year's filing (first, corrected or amended)."""

    template_name = "procurement/filings.html"
    form_class = FilingForm

    def requested_year(self) -> str:
        return self.request.POST.get("year") or self.request.GET.get("year") or ""

    def get_year(self) -> int:
        """The year asked for; this year when none (or no valid one) is asked for."""
        return year_param(self.requested_year()) or timezone.localdate().year

    def post(self, request, *args, **kwargs):
        if self.requested_year() and year_param(self.requested_year()) is None:
            # Never file for a year the user did not mean: refuse rather than fall back.
            form = self.get_form()
            form.add_error(None, _("填报年度无效，请从填报页面重新提交。"))
            response = self.form_invalid(form)
            response.status_code = 400
            return response
        return super().post(request, *args, **kwargs)

    def get_initial(self):
        filing = Filing.objects.filter(unit=self.unit, policy_year__year=self.get_year()).first()
        if filing is None:
            return {"union_demand": Decimal("0")}
        return {
            "canteen_budget": filing.canteen_budget,
            "reserved_amount": filing.reserved_amount,
            "union_demand": filing.union_demand,
            "contact_name": filing.contact_name,
            "contact_phone": filing.contact_phone,
            "zero_reason": filing.zero_reason,
            "contractor_name": filing.contractor_name,
            "contract_no": filing.contract_no,
        }

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "canteen_status": self.unit.canteen_status}

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        year = self.get_year()
        policy = PolicyYear.objects.filter(year=year).first()
        ctx["year"] = year
        ctx["policy"] = policy
        if policy:
            _low, high = policy_ratios(policy_year=policy, region=self.unit.region)
            low, zero_allowed = canteen_case_rule(policy_year=policy, unit=self.unit)
            ctx["min_ratio"], ctx["encouraged_ratio"] = percent(low), percent(high)
            ctx["zero_allowed"] = zero_allowed
        ctx["filings"] = selectors.unit_filings(unit=self.unit)
        current = next((f for f in ctx["filings"] if f.policy_year.year == year), None)
        ctx["current"] = current
        latest = current.versions.all()[0] if current and current.versions.all() else None
        ctx["pending"] = latest is not None and latest.status in FILING_PENDING
        ctx["awaiting_supervisor"] = latest is not None and latest.status == FilingStatus.PRE_REVIEW
        if current is not None and current.status == FilingStatus.RETURNED:
            # Whoever returned it: the supervising unit's pre-review or the bureau.
            returned = current.decisions.filter(action="returned").order_by("-pk").first()
            ctx["returned_by"] = (
                returned.office if returned else review_office_name(region=self.unit.region)
            )
        return ctx

    def form_valid(self, form):
        data = form.cleaned_data
        try:
            filing = services.filing_submit(
                unit=self.unit,
                year=self.get_year(),
                user=self.request.user,
                canteen_budget=data["canteen_budget"],
                reserved_amount=data["reserved_amount"],
                union_demand=data.get("union_demand") or Decimal("0"),
                contact_name=data["contact_name"],
                contact_phone=data["contact_phone"],
                note=data.get("note", ""),
                zero_reason=data.get("zero_reason", ""),
                contractor_name=data.get("contractor_name", ""),
                contract_no=data.get("contract_no", ""),
            )
        except ProcurementError as error:
            form.add_error(None, str(error))
            return self.form_invalid(form)
        office = review_office_name(region=self.unit.region)
        if filing.versions.order_by("-number").first().status == FilingStatus.PRE_REVIEW:
            message = _(
                "填报已提交，等待主管预算单位“%(supervisor)s”初审，初审通过后由%(office)s审核。"
            ) % {"supervisor": self.unit.supervisor.name, "office": office}
        else:
            message = _("填报已提交，等待%(office)s审核。") % {"office": office}
        messages.success(self.request, message)
        return redirect(reverse("procurement:filings") + f"?year={self.get_year()}")
