"""Bureau reviewers: certification queues scoped to their region, decisions, listing review."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView
from oscar.core.loading import get_model

from ..access import is_city_reviewer, is_county_reviewer, reviewer_covers
from ..exceptions import CertificationPermissionError, ListingPermissionError, SupplierError
from ..forms import DecisionForm, ListingDecisionForm
from ..models import CertificationStatus
from ..selectors import (
    certification_detail,
    certification_queue,
    certification_queue_counts,
    listing_queue,
)
from ..services import (
    certification_approve,
    certification_recommend,
    certification_reject,
    certification_return,
    certification_revoke,
    listing_approve,
    listing_reject,
)
from .base import ReviewerMixin

Product = get_model("catalogue", "Product")

DECISIONS = {
    "recommend": certification_recommend,
    "return": certification_return,
    "approve": certification_approve,
    "reject": certification_reject,
    "revoke": certification_revoke,
}


class CertificationQueueView(ReviewerMixin, TemplateView):
    template_name = "suppliers/review/queue.html"
    section = "certifications"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        status = self.request.GET.get("status", "")
        if status not in [*CertificationStatus.values, "all"]:
            status = ""
        qs = certification_queue(staff=self.staff, status=status)
        ctx["page_obj"] = Paginator(qs, 30).get_page(self.request.GET.get("page"))
        ctx["status"] = status or (
            CertificationStatus.RECOMMENDED
            if is_city_reviewer(self.staff)
            else CertificationStatus.APPLIED
        )
        ctx["counts"] = certification_queue_counts(staff=self.staff)
        ctx["statuses"] = CertificationStatus.choices
        ctx["page_title"] = _("供应商认定审核")
        return ctx


def _actions_for(staff, certification) -> list[str]:
    if not reviewer_covers(staff, certification.partner):
        return []
    status = certification.status
    if is_county_reviewer(staff) and status == CertificationStatus.APPLIED:
        return ["recommend", "return"]
    if is_city_reviewer(staff):
        if status == CertificationStatus.RECOMMENDED:
            return ["approve", "reject", "return"]
        if status == CertificationStatus.CERTIFIED:
            return ["revoke"]
    return []


class CertificationReviewView(ReviewerMixin, TemplateView):
    """One application with its profile, documents and audit trail; the decisions this
    reviewer may take. Applications outside the reviewer's region are a 404."""

    template_name = "suppliers/review/detail.html"
    section = "certifications"

    def _certification(self):
        certification = certification_detail(pk=self.kwargs["pk"])
        if not reviewer_covers(self.staff, certification.partner):
            raise Http404
        return certification

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        certification = kwargs.get("certification") or self._certification()
        ctx["certification"] = certification
        ctx["supplier"] = certification.partner
        ctx["actions"] = _actions_for(self.staff, certification)
        ctx.setdefault("form", DecisionForm())
        ctx["action_labels"] = DecisionForm.ACTIONS
        ctx["page_title"] = certification.partner.name
        return ctx

    def post(self, request, *args, **kwargs):
        certification = self._certification()
        form = DecisionForm(request.POST)
        if form.is_valid():
            action = form.cleaned_data["action"]
            reason = form.cleaned_data["reason"]
            try:
                DECISIONS[action](certification=certification, user=request.user, reason=reason)
            except CertificationPermissionError as error:
                raise PermissionDenied(str(error))
            except SupplierError as error:
                form.add_error(None, str(error))
            else:
                messages.success(
                    request,
                    _("已%(action)s：%(name)s")
                    % {"action": DecisionForm.ACTIONS[action], "name": certification.partner.name},
                )
                return redirect("suppliers:review-detail", pk=certification.pk)
        return self.render_to_response(
            self.get_context_data(certification=certification, form=form)
        )


class ListingQueueView(ReviewerMixin, TemplateView):
    template_name = "suppliers/review/listings.html"
    section = "listings"
    allow_superuser = True

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        qs = listing_queue(user=self.request.user, staff=self.staff)
        ctx["page_obj"] = Paginator(qs, 20).get_page(self.request.GET.get("page"))
        ctx["page_title"] = _("商品上架审核")
        return ctx


class ListingDecisionView(ReviewerMixin, View):
    allow_superuser = True

    def post(self, request, pk: int):
        product = Product.objects.filter(pk=pk).first()
        if product is None:
            raise Http404
        form = ListingDecisionForm(request.POST)
        if not form.is_valid():
            for errors in form.errors.values():
                for error in errors:
                    messages.error(request, error)
            return redirect("suppliers:review-listings")
        try:
            if form.cleaned_data["action"] == "approve":
                listing_approve(
                    product=product, user=request.user, reason=form.cleaned_data["reason"]
                )
                messages.success(request, _("“%(title)s”已上架。") % {"title": product.title})
            else:
                listing_reject(
                    product=product, user=request.user, reason=form.cleaned_data["reason"]
                )
                messages.success(request, _("“%(title)s”已退回。") % {"title": product.title})
        except ListingPermissionError:
            raise Http404
        except SupplierError as error:
            messages.error(request, str(error))
        return redirect("suppliers:review-listings")
