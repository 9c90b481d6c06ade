"""The supervising unit's queue (下属单位申报): its reviewers (主管审核人 or 单位管理员)
pre-review its subordinate units' filings before the bureau's final review."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.generic import TemplateView

from .. import selectors, services
from ..access import review_office_name, supervisor_may_review
from ..exceptions import ProcurementError
from ..forms import ReasonForm
from ..models import FilingStatus
from ..services.filings import percent, policy_ratios
from .base import UnitMixin, refuse


class _ReviewerRequired:
    """Runs after ``UnitMixin`` has chosen the current unit."""

    def dispatch(self, request, *args, **kwargs):
        if not supervisor_may_review(user=request.user, supervisor=self.unit):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


class SupervisorMixin(UnitMixin, _ReviewerRequired):
    """The current unit as a supervising unit: only its reviewers (主管审核人, 单位管理员)
    get in (403 otherwise)."""


class SupervisedFilingListView(SupervisorMixin, TemplateView):
    template_name = "procurement/supervised_filings.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["filings"] = selectors.supervised_filings(supervisor=self.unit)
        ctx["waiting"] = sum(1 for f in ctx["filings"] if f.status == FilingStatus.PRE_REVIEW)
        return ctx


class SupervisedFilingView(SupervisorMixin, TemplateView):
    """One subordinate unit's filing: its versions, its review steps, and the pre-review
    (pass on to the bureau, or return with a reason). Another supervisor's unit is a 404."""

    template_name = "procurement/supervised_filing.html"

    def get_filing(self):
        filing = selectors.supervised_filing(supervisor=self.unit, pk=self.kwargs["pk"])
        if filing is None:
            raise Http404
        return filing

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        filing = self.get_filing()
        ctx["filing"] = filing
        ctx["versions"] = filing.versions.select_related("submitted_by", "decided_by")
        ctx["pending"] = next(
            (v for v in ctx["versions"] if v.status == FilingStatus.PRE_REVIEW), None
        )
        ctx["decisions"] = selectors.filing_decisions(filing=filing)
        low, _high = policy_ratios(policy_year=filing.policy_year, region=filing.unit.region)
        ctx["min_ratio"] = percent(low)
        ctx["bureau_office"] = review_office_name(region=filing.unit.region)
        ctx["return_form"] = kwargs.get("return_form") or ReasonForm()
        return ctx

    def post(self, request, pk):
        filing = self.get_filing()
        action = request.POST.get("action")
        try:
            if action == "approve":
                services.filing_pre_review_approve(filing=filing, user=request.user)
                messages.success(
                    request,
                    _("初审通过，已转%(office)s审核。")
                    % {"office": review_office_name(region=filing.unit.region)},
                )
            elif action == "return":
                form = ReasonForm(request.POST)
                if not form.is_valid():
                    return self.render_to_response(self.get_context_data(return_form=form))
                services.filing_pre_review_return(
                    filing=filing, user=request.user, reason=form.cleaned_data["reason"]
                )
                messages.success(request, _("已退回，单位将看到退回原因。"))
            else:
                raise Http404
        except ProcurementError as error:
            return refuse(request, error, "procurement:supervised-filing", pk=pk)
        return redirect("procurement:supervised-filing", pk=pk)
