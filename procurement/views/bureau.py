"""Bureau views, scoped to the staff member's region subtree: filings to review, the
completion table with ranking and filters, units behind schedule, Excel export, policy."""

from decimal import Decimal

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView

from regions.models import Region, RegionLevel

from .. import selectors, services
from ..access import bureau_is_city, bureau_review_role, unit_may_manage_members
from ..exceptions import ProcurementError
from ..exports import completion_workbook
from ..forms import (
    AdjustmentForm,
    CompletionFilterForm,
    MemberAddForm,
    PolicyOverrideForm,
    PolicyYearForm,
    ReasonForm,
    UnitForm,
    UnitLinksForm,
)
from ..models import BudgetUnit, Filing, PolicyYear, RegistrationStatus, ReviewRole
from ..services.filings import percent, policy_ratios
from .base import BureauMixin, refuse
from .unit_registration import member_post, unit_form_submit


class CompletionMixin(BureauMixin):
    def completion(self):
        form = CompletionFilterForm(
            self.request.GET or {"year": timezone.localdate().year},
            scope=self.scope,
            supervising=selectors.supervising_units(region=self.scope),
        )
        data = form.cleaned_data if form.is_valid() else {}
        year = data.get("year") or timezone.localdate().year
        rows = selectors.bureau_completion_table(
            region=self.scope,
            year=year,
            unit_region=data.get("region"),
            unit_type=data.get("unit_type", ""),
            supervising_unit=data.get("supervising_unit", ""),
            behind_only=bool(data.get("behind")),
        )
        return form, year, rows


class CompletionView(CompletionMixin, TemplateView):
    template_name = "procurement/bureau/completion.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        form, year, rows = self.completion()
        totals = selectors.procurement_completion_totals(year=year, region=self.scope)
        ctx.update(form=form, year=year, rows=rows, totals=totals)
        ctx["total_rate"] = percent(
            totals["completed"] / totals["reserved"] if totals["reserved"] else Decimal("0")
        )
        ctx["expected"] = selectors.schedule_text(selectors.schedule_fraction(year=year))
        ctx["behind_count"] = sum(1 for r in rows if r["behind"])
        ctx["unfiled_count"] = sum(1 for r in rows if r["filing"] is None)
        ctx["review_count"] = len(selectors.bureau_filings_to_review(region=self.scope))
        ctx["query"] = self.request.GET.urlencode()
        return ctx


class CompletionExportView(CompletionMixin, View):
    def get(self, request):
        _form, year, rows = self.completion()
        content = completion_workbook(rows=rows, year=year, scope=self.scope)
        response = HttpResponse(
            content,
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
        response["Content-Disposition"] = (
            f"attachment; filename=procurement-completion-{year}-{self.scope.code}.xlsx"
        )
        return response


class FilingReviewListView(BureauMixin, TemplateView):
    template_name = "procurement/bureau/filings.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["filings"] = selectors.bureau_filings_to_review(region=self.scope)
        ctx["registrations"] = selectors.pending_unit_registrations(region=self.scope)
        return ctx


class FilingReviewView(BureauMixin, TemplateView):
    template_name = "procurement/bureau/filing_detail.html"

    def get_filing(self):
        filing = (
            Filing.objects.select_related("unit__region", "unit__supervisor", "policy_year")
            .filter(pk=self.kwargs["pk"], unit__region__path__startswith=self.scope.path)
            .first()
        )
        if filing is None:
            raise Http404
        return filing

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        filing = self.get_filing()
        ctx["filing"] = filing
        ctx["versions"] = filing.versions.select_related("submitted_by", "decided_by")
        ctx["pending"] = next((v for v in ctx["versions"] if v.status == "submitted"), None)
        ctx["awaiting_supervisor"] = any(v.status == "prereview" for v in ctx["versions"])
        ctx["decisions"] = selectors.filing_decisions(filing=filing)
        ctx["review_role"] = ReviewRole(bureau_review_role(self.request.user)[0]).label
        low, _high = policy_ratios(policy_year=filing.policy_year, region=filing.unit.region)
        ctx["min_ratio"] = percent(low)
        ctx["entries"] = filing.entries.select_related("order", "created_by").order_by(
            "-created_at", "-pk"
        )[:50]
        ctx["return_form"] = kwargs.get("return_form") or ReasonForm()
        ctx["adjust_form"] = kwargs.get("adjust_form") or AdjustmentForm()
        return ctx

    def post(self, request, pk):
        filing = self.get_filing()
        action = request.POST.get("action")
        try:
            if action == "approve":
                services.filing_approve(filing=filing, user=request.user)
                messages.success(request, _("已通过该填报。"))
            elif action == "return":
                form = ReasonForm(request.POST)
                if not form.is_valid():
                    return self.render_to_response(self.get_context_data(return_form=form))
                services.filing_return(
                    filing=filing, user=request.user, reason=form.cleaned_data["reason"]
                )
                messages.success(request, _("已退回，单位将看到退回原因。"))
            elif action == "adjust":
                form = AdjustmentForm(request.POST)
                if not form.is_valid():
                    return self.render_to_response(self.get_context_data(adjust_form=form))
                services.quota_adjust(filing=filing, user=request.user, **form.cleaned_data)
                messages.success(request, _("调整已记入台账。"))
            else:
                raise Http404
        except ProcurementError as error:
            return refuse(request, error, "procurement:bureau-filing", pk=pk)
        return redirect("procurement:bureau-filing", pk=pk)


class BureauUnitListView(BureauMixin, TemplateView):
    """Units of the bureau's region: registrations to review first, then the units (filtered
    by registration status; withdrawn and rejected ones only when asked for); and the form to
    create a unit directly."""

    template_name = "procurement/bureau/units.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["query"] = self.request.GET.get("q", "").strip()
        status = self.request.GET.get("status", "")
        ctx["status"] = status if status in RegistrationStatus.values else ""
        ctx["statuses"] = RegistrationStatus.choices
        units = selectors.bureau_units(region=self.scope, query=ctx["query"], status=ctx["status"])
        ctx["page_obj"] = Paginator(units, 50).get_page(self.request.GET.get("page"))
        ctx["units"] = ctx["page_obj"].object_list
        ctx["registrations"] = selectors.pending_unit_registrations(region=self.scope)
        ctx["form"] = kwargs.get("form") or UnitForm(regions=self._regions())
        return ctx

    def _regions(self):
        return Region.objects.within(self.scope).filter(level=RegionLevel.COUNTY)

    def post(self, request):
        form = UnitForm(request.POST, regions=self._regions())
        unit = form.is_valid() and unit_form_submit(
            form, lambda **data: services.unit_create(user=request.user, **data)
        )
        if not unit:
            return self.render_to_response(self.get_context_data(form=form))
        messages.success(request, _("已创建单位“%(name)s”，请添加成员。") % {"name": unit.name})
        return redirect("procurement:bureau-unit", pk=unit.pk)


class BureauUnitView(BureauMixin, TemplateView):
    """One unit: its details, the registration decision (approve, return with a reason, or
    reject for good with a reason), its members, and its audit trail."""

    template_name = "procurement/bureau/unit_detail.html"

    def get_unit(self):
        unit = (
            BudgetUnit.objects.select_related(
                "region", "registered_by", "supervisor", "canteen_host"
            )
            .filter(pk=self.kwargs["pk"], region__path__startswith=self.scope.path)
            .first()
        )
        if unit is None:
            raise Http404
        return unit

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        unit = self.get_unit()
        ctx["unit"] = unit
        ctx["members"] = selectors.unit_members(unit=unit)
        ctx["can_manage"] = unit_may_manage_members(user=self.request.user, unit=unit)
        ctx["decisions"] = selectors.unit_decisions(unit=unit)
        ctx["return_form"] = kwargs.get("return_form") or ReasonForm()
        ctx["reject_form"] = kwargs.get("reject_form") or ReasonForm(prefix="reject")
        ctx["member_form"] = kwargs.get("member_form") or MemberAddForm()
        ctx["links_form"] = kwargs.get("links_form") or UnitLinksForm(
            units=self._link_choices(unit),
            initial={
                "supervisor": unit.supervisor_id,
                "canteen_status": unit.canteen_status,
                "canteen_host": unit.canteen_host_id,
            },
        )
        return ctx

    def _link_choices(self, unit):
        return (
            BudgetUnit.objects.filter(region__path__startswith=self.scope.path, is_active=True)
            .exclude(pk=unit.pk)
            .order_by("name")
        )

    def _links_post(self, request, unit):
        """The links form posted: None when saved, else the form with its field errors."""
        form = UnitLinksForm(request.POST, units=self._link_choices(unit))
        if not form.is_valid():
            return form
        try:
            services.unit_links_set(unit=unit, user=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
            return form
        messages.success(request, _("已保存“%(name)s”的主管单位和食堂情况。") % {"name": unit.name})
        return None

    def post(self, request, pk):
        unit = self.get_unit()
        action = request.POST.get("action")
        try:
            if action == "approve":
                services.unit_registration_approve(unit=unit, user=request.user)
                messages.success(request, _("已通过“%(name)s”的注册。") % {"name": unit.name})
            elif action == "return":
                form = ReasonForm(request.POST)
                if not form.is_valid():
                    return self.render_to_response(self.get_context_data(return_form=form))
                services.unit_registration_return(
                    unit=unit, user=request.user, reason=form.cleaned_data["reason"]
                )
                messages.success(request, _("已退回，注册人将看到退回原因。"))
            elif action == "reject":
                form = ReasonForm(request.POST, prefix="reject")
                if not form.is_valid():
                    return self.render_to_response(self.get_context_data(reject_form=form))
                services.unit_registration_reject(
                    unit=unit, user=request.user, reason=form.cleaned_data["reason"]
                )
                messages.success(
                    request,
                    _("已不予通过“%(name)s”的注册，其名称和统一社会信用代码已释放。")
                    % {"name": unit.name},
                )
            elif action == "links":
                invalid = self._links_post(request, unit)
                if invalid is not None:
                    return self.render_to_response(self.get_context_data(links_form=invalid))
            else:
                invalid = member_post(request, unit)
                if invalid is not None:
                    return self.render_to_response(self.get_context_data(member_form=invalid))
        except ProcurementError as error:
            return refuse(request, error, "procurement:bureau-unit", pk=pk)
        return redirect("procurement:bureau-unit", pk=pk)


class PolicyView(BureauMixin, TemplateView):
    """Policy years and per-region overrides; city-level staff change them."""

    template_name = "procurement/bureau/policy.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["policies"] = PolicyYear.objects.prefetch_related("overrides__region")
        ctx["can_edit"] = bureau_is_city(self.request.user)
        ctx["form"] = kwargs.get("form") or PolicyYearForm(
            initial={"year": timezone.localdate().year, "min_ratio": 10, "encouraged_ratio": 15}
        )
        ctx["override_form"] = kwargs.get("override_form") or PolicyOverrideForm()
        return ctx

    def post(self, request):
        if not bureau_is_city(request.user):
            raise PermissionDenied
        hundred = Decimal("100")
        try:
            if request.POST.get("action") == "override":
                form = PolicyOverrideForm(request.POST)
                policy_pk = request.POST.get("policy", "")
                policy = (
                    PolicyYear.objects.filter(pk=policy_pk).first()
                    if policy_pk.isdecimal()
                    else None
                )
                if policy is None:
                    raise Http404
                if not form.is_valid():
                    return self.render_to_response(self.get_context_data(override_form=form))
                services.policy_override_save(
                    user=request.user,
                    policy_year=policy,
                    region=form.cleaned_data["region"],
                    min_ratio=form.cleaned_data["min_ratio"] / hundred,
                    encouraged_ratio=form.cleaned_data["encouraged_ratio"] / hundred,
                )
            else:
                form = PolicyYearForm(request.POST)
                if not form.is_valid():
                    return self.render_to_response(self.get_context_data(form=form))
                data = form.cleaned_data
                services.policy_year_save(
                    user=request.user,
                    year=data["year"],
                    min_ratio=data["min_ratio"] / hundred,
                    encouraged_ratio=data["encouraged_ratio"] / hundred,
                    filing_deadline=data["filing_deadline"],
                    counting_event=data["counting_event"],
                    is_open=data["is_open"],
                    cap_at_canteen_budget=data["cap_at_canteen_budget"],
                    union_counts_for_parent=data["union_counts_for_parent"],
                    supervisor_review_required=data["supervisor_review_required"],
                )
        except ProcurementError as error:
            return refuse(request, error, "procurement:bureau-policy")
        messages.success(request, _("年度政策已保存。"))
        return redirect("procurement:bureau-policy")
