"""Budget units, member side: self-registration (its status until the bureau approves it,
its withdrawal, a rejection's reason), and the unit admin's member list and approval rules."""

from django import forms
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import FormView, TemplateView

from .. import selectors, services
from ..access import review_office_name, unit_may_manage_members
from ..exceptions import ProcurementError
from ..forms import MemberAddForm, UnitForm, _money_field
from ..models import BudgetUnitMember, RegistrationStatus
from ..services.approval_rules import MAX_LEVELS
from .base import UnitMixin


def unit_form_submit(form, submit):
    """``submit(**form.cleaned_data)``'s result, or None when the service refused: its field
    errors or its refusal are then on the form."""
    try:
        return submit(**form.cleaned_data)
    except ValidationError as error:
        form.add_error(None, error)
    except ProcurementError as error:
        form.add_error(None, str(error))
    return None


class UnitRegisterView(LoginRequiredMixin, FormView):
    """``/procurement/register/``: a signed-in user who belongs to no unit registers theirs;
    while it waits for review the page shows its status, and a returned registration shows
    the bureau's reason with the form to correct it. A rejected registration's reason shows
    above an empty form."""

    template_name = "procurement/register.html"
    form_class = UnitForm

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        if selectors.user_units(user=request.user):
            messages.info(request, _("您已是预算单位成员，无需注册。"))
            return redirect("procurement:portal")
        self.registration = selectors.user_unit_registration(user=request.user)
        self.rejected = None
        if self.registration and self.registration.registration_status == (
            RegistrationStatus.REJECTED
        ):
            self.rejected, self.registration = self.registration, None
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        if self.registration is not None:
            kwargs["instance"] = self.registration
        return kwargs

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["registration"] = self.registration
        ctx["rejected"] = self.rejected
        ctx["returned"] = (
            self.registration is not None
            and self.registration.registration_status == RegistrationStatus.RETURNED
        )
        return ctx

    def post(self, request, *args, **kwargs):
        if self.registration is not None and (
            self.registration.registration_status == RegistrationStatus.PENDING
        ):
            messages.info(request, _("您的注册正在等待审核，请勿重复提交。"))
            return redirect("procurement:register")
        return super().post(request, *args, **kwargs)

    def form_valid(self, form):
        if self.registration is None:
            done = unit_form_submit(
                form, lambda **data: services.unit_register(user=self.request.user, **data)
            )
        else:
            done = unit_form_submit(
                form,
                lambda **data: services.unit_registration_resubmit(
                    unit=self.registration, user=self.request.user, **data
                ),
            )
        if not done:
            return self.form_invalid(form)
        messages.success(
            self.request,
            _("注册已提交，%(office)s审核通过后即可使用。")
            % {"office": review_office_name(region=form.cleaned_data.get("region"))},
        )
        return redirect("procurement:register")


class UnitRegistrationWithdrawView(LoginRequiredMixin, View):
    """``POST /procurement/register/withdraw/``: the registrant withdraws their registration
    waiting for review or returned, and sees the empty registration form again."""

    http_method_names = ["post"]

    def post(self, request):
        registration = selectors.user_unit_registration(user=request.user)
        if registration is None:
            messages.error(request, _("您没有待审核或被退回的注册，无需撤回。"))
            return redirect("procurement:register")
        try:
            services.unit_registration_withdraw(unit=registration, user=request.user)
        except ProcurementError as error:  # a rejected registration, or decided meanwhile
            messages.error(request, str(error))
            return redirect("procurement:register")
        messages.success(
            request,
            _("已撤回“%(name)s”的注册，您可以重新注册。") % {"name": registration.name},
        )
        return redirect("procurement:register")


class ApprovalRulesForm(forms.Form):
    """The minimum amount of each approval level; a blank amount sets no rule at its level.
    ``approval_rules_replace`` judges the set (its errors are keyed by these fields)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for level in range(1, MAX_LEVELS + 1):
            self.fields[f"level_{level}"] = _money_field(
                _("第 %(level)s 级：订单金额达到（元）") % {"level": level}, required=False
            )

    @classmethod
    def for_rules(cls, rules):
        return cls(initial={f"level_{r.level}": r.min_amount for r in rules})

    def thresholds(self) -> dict:
        return {
            int(name.removeprefix("level_")): amount
            for name, amount in self.cleaned_data.items()
            if amount is not None
        }


class UnitMembersView(UnitMixin, TemplateView):
    """``/procurement/members/``: the unit's members and approval rules; its admins add and
    remove members and set the rules."""

    template_name = "procurement/members.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["members"] = selectors.unit_members(unit=self.unit)
        ctx["can_manage"] = unit_may_manage_members(user=self.request.user, unit=self.unit)
        ctx["member_form"] = kwargs.get("member_form") or MemberAddForm()
        ctx["decisions"] = selectors.unit_decisions(unit=self.unit, limit=20)
        ctx["rules"] = rules = list(self.unit.approval_rules.order_by("level"))
        ctx["can_edit_rules"] = services.approval_rules_may_edit(
            user=self.request.user, unit=self.unit
        )
        if ctx["can_edit_rules"]:
            ctx["rules_form"] = kwargs.get("rules_form") or ApprovalRulesForm.for_rules(rules)
        return ctx

    def post(self, request):
        if request.POST.get("action") == "rules-save":
            return self.rules_post(request)
        if not unit_may_manage_members(user=request.user, unit=self.unit):
            raise PermissionDenied
        outcome = member_post(request, self.unit)
        if outcome is not None:
            return self.render_to_response(self.get_context_data(member_form=outcome))
        return redirect("procurement:members")

    def rules_post(self, request):
        if not services.approval_rules_may_edit(user=request.user, unit=self.unit):
            raise PermissionDenied
        form = ApprovalRulesForm(request.POST)
        if form.is_valid():
            try:
                services.approval_rules_replace(
                    unit=self.unit, user=request.user, thresholds=form.thresholds()
                )
            except ValidationError as error:  # keyed by the form's fields
                form.add_error(None, error)
            except ProcurementError as error:  # no longer an admin meanwhile
                form.add_error(None, str(error))
            else:
                messages.success(request, _("审批规则已保存，对之后提交的订单生效。"))
                return redirect("procurement:members")
        return self.render_to_response(self.get_context_data(rules_form=form))


def member_post(request, unit):
    """Add (``action=member-add``) or remove (``member-remove``) a member from a POST. Returns
    the invalid form to show again, else None (a message says what happened)."""
    action = request.POST.get("action")
    if action == "member-add":
        form = MemberAddForm(request.POST)
        if not form.is_valid():
            return form
        try:
            services.unit_member_add(unit=unit, user=request.user, **form.cleaned_data)
        except ProcurementError as error:
            form.add_error("email", str(error))
            return form
        messages.success(request, _("已添加成员 %(email)s。") % form.cleaned_data)
        return None
    if action == "member-remove":
        pk = request.POST.get("membership", "")
        membership = (
            BudgetUnitMember.objects.filter(pk=pk, unit=unit).first() if pk.isdecimal() else None
        )
        if membership is None:
            raise Http404
        try:
            services.unit_member_remove(membership=membership, user=request.user)
        except ProcurementError as error:
            messages.error(request, str(error))
            return None
        messages.success(request, _("已移除该成员的角色。"))
        return None
    raise Http404
