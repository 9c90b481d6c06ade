"""What every procurement page shares: the current unit of a member, bureau scope, and
turning a service's refusal into a message."""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render

from ..access import bureau_region, supervisor_may_review
from ..exceptions import ProcurementError
from ..selectors import user_unit_registration, user_units_and_roles

SESSION_UNIT = "procurement_unit"


class UnitMixin(LoginRequiredMixin):
    """The signed-in member's current unit: ``?unit=<id>`` switches it (kept in the
    session); a user who belongs to no unit gets the "no unit" page."""

    template_no_unit = "procurement/no_unit.html"

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        self.units, roles_by_unit = user_units_and_roles(user=request.user)
        if not self.units:
            # 403 with the way in: register the unit, or its registration's status.
            registration = user_unit_registration(user=request.user)
            return render(
                request, self.template_no_unit, {"registration": registration}, status=403
            )
        wanted = request.GET.get("unit") or request.session.get(SESSION_UNIT)
        self.unit = next((u for u in self.units if str(u.pk) == str(wanted)), self.units[0])
        if request.session.get(SESSION_UNIT) != self.unit.pk:  # a write only on a change
            request.session[SESSION_UNIT] = self.unit.pk
        self.roles = roles_by_unit.get(self.unit.pk, set())
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx.update(
            unit=self.unit,
            units=self.units,
            roles=self.roles,
            is_purchaser=bool(self.roles & {"purchaser", "admin"}),
            is_approver="approver" in self.roles,
            is_supervisor_reviewer=self._is_supervisor_reviewer(),
        )
        return ctx

    def _is_supervisor_reviewer(self) -> bool:
        """A 主管审核人 of the unit, or an admin of a unit that has subordinate units: the
        portal shows them the 下属单位申报 queue."""
        if "reviewer" in self.roles:
            return supervisor_may_review(user=self.request.user, supervisor=self.unit)
        return "admin" in self.roles and self.unit.subordinates.exists()


class BureauMixin(LoginRequiredMixin):
    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        self.scope = bureau_region(request.user)
        if self.scope is None:
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["scope"] = self.scope
        ctx["bureau_staff"] = getattr(self.request.user, "bureau_staff", None)
        return ctx


def refuse(request, error: ProcurementError, to: str, **kwargs):
    """Show a refusal as a message and go back; 404 stays a 404."""
    if error.status_code == 404:
        raise Http404(str(error))
    messages.error(request, str(error))
    return redirect(to, **kwargs)
