"""The "八进" organisations' pages: self-registration, and the bureau's list with its
creation form and the unions' yearly targets. Review, members and approval rules are the
budget units' own pages (``bureau-unit``, ``members``)."""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import Http404
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.generic import FormView, TemplateView

from regions.models import Region, RegionLevel

from .. import selectors, services
from ..exceptions import ProcurementError
from ..forms import OrganisationForm, UnionTargetForm
from ..models import UNION_TYPE, BudgetUnit
from .base import BureauMixin, refuse
from .unit_portal import year_param
from .unit_registration import unit_form_submit


class OrganisationRegisterView(LoginRequiredMixin, FormView):
    """``/procurement/register/organisation/``: a signed-in user registers their union,
    enterprise, hospital, community or supermarket; it waits for the bureau's review."""

    template_name = "procurement/register_organisation.html"
    form_class = OrganisationForm

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "types": services.organisation_types()}

    def form_valid(self, form):
        unit = unit_form_submit(
            form,
            lambda **data: services.organisation_register(user=self.request.user, **data),
        )
        if not unit:
            return self.form_invalid(form)
        messages.success(
            self.request,
            _("“%(name)s”已提交注册，等待所在县（区）审核部门审核。") % {"name": unit.name},
        )
        return redirect("procurement:register")


class BureauOrganisationView(BureauMixin, TemplateView):
    """``/procurement/bureau/organisations/``: the organisations of the bureau's region by
    type, the unions' targets and progress for a year, and the form to create one."""

    template_name = "procurement/bureau/organisations.html"

    def year(self) -> int:
        return year_param(self.request.GET.get("year")) or timezone.localdate().year

    def _regions(self):
        return Region.objects.within(self.scope).filter(level=RegionLevel.COUNTY)

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        year = self.year()
        types = services.organisation_types(year=year)
        names = {t.code: t.name for t in types}
        org_type = self.request.GET.get("type", "")
        organisations = list(
            selectors.bureau_organisations(
                region=self.scope, org_type=org_type if org_type in names else ""
            )[:200]
        )
        for unit in organisations:
            unit.type_name = names.get(unit.org_type, unit.org_type)
        ctx.update(
            year=year,
            types=types,
            org_type=org_type if org_type in names else "",
            type_names=names,
            organisations=organisations,
            unions=selectors.unions_progress(year=year, region=self.scope),
            form=kwargs.get("form") or OrganisationForm(types=types, regions=self._regions()),
            target_form=kwargs.get("target_form") or UnionTargetForm(initial={"year": year}),
        )
        return ctx

    def post(self, request):
        if request.POST.get("action") == "target":
            return self._target(request)
        form = OrganisationForm(
            request.POST, types=services.organisation_types(), regions=self._regions()
        )
        unit = form.is_valid() and unit_form_submit(
            form, lambda **data: services.organisation_create(user=request.user, **data)
        )
        if not unit:
            return self.render_to_response(self.get_context_data(form=form))
        messages.success(request, _("已创建“%(name)s”，请添加成员。") % {"name": unit.name})
        return redirect("procurement:bureau-unit", pk=unit.pk)

    def _target(self, request):
        union_pk = request.POST.get("union", "")
        union = (
            BudgetUnit.objects.filter(
                pk=union_pk, org_type=UNION_TYPE, region__path__startswith=self.scope.path
            ).first()
            if union_pk.isdecimal()
            else None
        )
        if union is None:
            raise Http404
        form = UnionTargetForm(request.POST)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(target_form=form), status=400)
        try:
            services.union_target_set(
                user=request.user,
                union=union,
                year=form.cleaned_data["year"],
                amount=form.cleaned_data["amount"],
            )
        except ProcurementError as error:
            return refuse(request, error, "procurement:bureau-organisations")
        messages.success(request, _("已下达“%(name)s”的消费帮扶任务。") % {"name": union.name})
        return redirect(f"{request.path}?year={form.cleaned_data['year']}")
