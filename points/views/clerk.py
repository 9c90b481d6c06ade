"""The clerks' pages (记分员): record awards, enter the village review, record and decide
objections, import households. Bureau staff and superusers see the award pages of the
villages in their region and may end a notice early."""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView

from procurement.views.base import refuse

from .. import selectors, services
from ..access import user_is_clerk, user_oversees
from ..exceptions import PointsError
from ..forms import (
    AwardForm,
    DecideForm,
    HouseholdImportForm,
    ObjectionForm,
    ReasonForm,
    ReviewForm,
)
from ..models import AwardStatus, Rule


def clerk_rules(villages, on) -> list:
    """The rules in force in the clerk's villages this year and last (an award of late
    December is often recorded in January); the service checks each against its date."""
    rules: dict[int, Rule] = {}
    for village in villages:
        for day in (on, on.replace(year=on.year - 1, day=min(on.day, 28))):
            for rule in services.rules_in_force(village=village, on=day):
                rules.setdefault(rule.pk, rule)
    return list(rules.values())


class ClerkMixin(LoginRequiredMixin):
    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        self.villages = list(selectors.clerk_villages(user=request.user))
        if not self.villages:
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


class ClerkView(ClerkMixin, TemplateView):
    template_name = "points/clerk.html"

    def _rules(self):
        ids = [r.pk for r in clerk_rules(self.villages, timezone.localdate())]
        return (
            Rule.objects.filter(pk__in=ids)
            .select_related("aspect")
            .order_by("aspect__number", "code")
        )

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx.setdefault(
            "form", AwardForm(rules=self._rules(), initial={"awarded_on": timezone.localdate()})
        )
        user = self.request.user
        pending = selectors.clerk_awards(villages=self.villages, status=AwardStatus.PENDING)
        ctx.update(
            villages=self.villages,
            to_review=[a for a in pending if a.recorded_by_id != user.pk],
            mine_pending=[a for a in pending if a.recorded_by_id == user.pk],
            notices=selectors.clerk_awards(villages=self.villages, status=AwardStatus.NOTICE),
            recent=selectors.clerk_awards(villages=self.villages, limit=20),
        )
        return ctx

    def post(self, request):
        form = AwardForm(request.POST, request.FILES, rules=self._rules())
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form), status=400)
        data = form.cleaned_data
        try:
            award = services.award_record(
                user=request.user,
                household_code=data["household_code"],
                rule_id=data["rule"].pk,
                awarded_on=data["awarded_on"],
                note=data["note"],
                photo=data["photo"],
            )
        except PointsError as error:
            form.add_error(None, str(error))
            return self.render_to_response(
                self.get_context_data(form=form), status=error.status_code
            )
        messages.success(
            request,
            _("已为 %(code)s %(head)s 记录 %(points)+d 分，等待村民代表评议。")
            % {
                "code": award.household.code,
                "head": award.household.head_name,
                "points": award.points,
            },
        )
        return redirect("points:clerk")


class AwardAccessMixin(LoginRequiredMixin):
    """The award of the URL, for the village's clerks and the bureau staff over it."""

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        self.award = selectors.award_detail(pk=kwargs["pk"])
        if self.award is None:
            raise Http404
        village = self.award.household.village
        self.is_clerk = user_is_clerk(user=request.user, village=village)
        self.oversees = user_oversees(user=request.user, village=village)
        if not (self.is_clerk or self.oversees):
            raise Http404
        return super().dispatch(request, *args, **kwargs)


class AwardDetailView(AwardAccessMixin, TemplateView):
    template_name = "points/award_detail.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        award = self.award
        ctx.update(
            award=award,
            is_clerk=self.is_clerk,
            oversees=self.oversees,
            may_review=self.is_clerk
            and award.status == AwardStatus.PENDING
            and award.recorded_by_id != self.request.user.pk,
            review_form=ReviewForm(),
            objection_form=ObjectionForm(),
            decide_form=DecideForm(),
            reason_form=ReasonForm(),
            open_objections=[o for o in award.objections.all() if o.decision == "open"],
        )
        return ctx


class AwardActionView(AwardAccessMixin, View):
    """POST review / objection / decide / end-notice on an award."""

    def post(self, request, pk: int, action: str):
        user = request.user
        forms = {
            "review": ReviewForm,
            "objection": ObjectionForm,
            "decide": DecideForm,
            "end-notice": ReasonForm,
        }
        if action not in forms:
            raise Http404
        form = forms[action](request.POST)
        back = reverse("points:award-detail", kwargs={"pk": pk})
        if not form.is_valid():
            errors = "；".join(e for errs in form.errors.values() for e in errs)
            messages.error(request, errors)
            return redirect(back)
        data = form.cleaned_data
        try:
            if action == "review":
                services.award_review(
                    user=user, award_id=pk, passed=data["passed"], note=data["note"]
                )
                done = _("评议结果已录入。") if data["passed"] else _("已记录评议不通过。")
            elif action == "objection":
                services.objection_record(
                    user=user, award_id=pk, raised_by=data["raised_by"], content=data["content"]
                )
                done = _("异议已受理，处理前该积分暂不入账。")
            elif action == "decide":
                objection_id = int(request.POST.get("objection") or 0)
                if not any(o.pk == objection_id for o in self.award.objections.all()):
                    raise Http404
                services.objection_decide(
                    user=user,
                    objection_id=objection_id,
                    upheld=data["upheld"],
                    reason=data["reason"],
                )
                done = _("异议已处理。")
            else:
                services.award_end_notice_early(user=user, award_id=pk, reason=data["reason"])
                done = _("已提前结束公示，积分已入账。")
        except PointsError as error:
            return refuse(request, error, back)
        messages.success(request, done)
        return redirect(back)


class AwardPhotoView(AwardAccessMixin, View):
    """The evidence photo, from private storage, to the village's clerks and the bureau."""

    def get(self, request, pk: int):
        if not self.award.photo:
            raise Http404
        return FileResponse(self.award.photo.open("rb"), content_type=None)


class HouseholdImportView(ClerkMixin, View):
    template_name = "points/household_import.html"

    def get(self, request):
        form = HouseholdImportForm(villages=selectors.clerk_villages(user=request.user))
        return render(request, self.template_name, {"form": form})

    def post(self, request):
        form = HouseholdImportForm(
            request.POST, request.FILES, villages=selectors.clerk_villages(user=request.user)
        )
        ctx = {"form": form}
        if form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                result = services.households_import(
                    user=request.user,
                    village=form.cleaned_data["village"],
                    data=upload.read(5 * 1024 * 1024 + 1)[: 5 * 1024 * 1024],
                    name=upload.name,
                    import_valid=form.cleaned_data["import_valid"],
                )
            except PointsError as error:
                form.add_error("file", str(error))
            else:
                ctx["result"] = result
        return render(request, self.template_name, ctx, status=200 if form.is_valid() else 400)
