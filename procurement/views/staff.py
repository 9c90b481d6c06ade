"""Staff personal purchases: the consumer's page to link their account to their
organisation, and the organisation's page with its invite code, the requests its admins
decide, and its staff's totals (counts and amounts only, never who bought what)."""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import Http404
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.generic import TemplateView

from .. import selectors, services
from ..exceptions import ProcurementError
from ..models import BudgetUnit, StaffLink
from .base import UnitMixin


class MyStaffLinkView(LoginRequiredMixin, TemplateView):
    """``/procurement/staff/``: link my account with an invite code or by asking the
    organisation (its credit code), and end a link."""

    template_name = "procurement/staff_link.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["links"] = selectors.user_staff_links(user=self.request.user)
        return ctx

    def post(self, request):
        action = request.POST.get("action", "")
        try:
            if action == "code":
                link = services.staff_link_by_code(user=request.user, code=request.POST.get("code"))
                messages.success(request, _("已关联“%(unit)s”。") % {"unit": link.unit.name})
            elif action == "request":
                code = (request.POST.get("credit_code") or "").strip().upper()
                unit = BudgetUnit.objects.filter(credit_code=code, is_active=True).first()
                if unit is None:
                    messages.error(request, _("没有找到该统一社会信用代码的已审核单位。"))
                    return redirect("procurement:staff-link")
                services.staff_link_request(user=request.user, unit=unit)
                messages.success(
                    request,
                    _("已向“%(unit)s”提出关联申请，等待单位管理员确认。") % {"unit": unit.name},
                )
            elif action == "revoke":
                link = StaffLink.objects.filter(
                    pk=request.POST.get("link") or 0, user=request.user
                ).first()
                if link is None:
                    raise Http404
                services.staff_link_revoke(link=link, user=request.user)
                messages.success(request, _("已解除关联。"))
            else:
                raise Http404
        except ProcurementError as error:
            messages.error(request, str(error))
        return redirect("procurement:staff-link")


class UnitStaffView(UnitMixin, TemplateView):
    """``/procurement/staff-links/``: the unit's staff personal purchases this year (linked
    accounts, orders, amount), and for its admins the invite code and the links."""

    template_name = "procurement/unit_staff.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        year = timezone.localdate().year
        ctx["year"] = year
        ctx["totals"] = selectors.staff_purchase_totals(unit=self.unit, year=year)
        ctx["is_admin"] = "admin" in self.roles
        if ctx["is_admin"]:
            ctx["invite"] = getattr(self.unit, "staff_invite", None)
            ctx["links"] = selectors.unit_staff_links(unit=self.unit)
        return ctx

    def post(self, request):
        action = request.POST.get("action", "")
        try:
            if action == "rotate":
                services.staff_invite_rotate(unit=self.unit, user=request.user)
                messages.success(request, _("已生成新的邀请码，旧邀请码失效。"))
            elif action in ("approve", "refuse", "revoke"):
                link = StaffLink.objects.filter(
                    pk=request.POST.get("link") or 0, unit=self.unit
                ).first()
                if link is None:
                    raise Http404
                if action == "revoke":
                    services.staff_link_revoke(link=link, user=request.user)
                else:
                    services.staff_link_decide(
                        link=link, user=request.user, approve=action == "approve"
                    )
                messages.success(request, _("已处理。"))
            else:
                raise Http404
        except ProcurementError as error:
            messages.error(request, str(error))
        return redirect("procurement:unit-staff")
