"""The public pages, readable without login: the villages, each village's points board and
notices, the printable monthly notice sheet, and a household's own balance lookup."""

import datetime

from axes.helpers import get_client_ip_address
from django.http import Http404
from django.shortcuts import render
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.views import View
from django.views.decorators.cache import never_cache
from django.views.generic import TemplateView

from .. import selectors
from ..exceptions import PointsError
from ..forms import LookupForm
from ..services import household_lookup


class IndexView(TemplateView):
    template_name = "points/index.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["villages"] = selectors.village_list_public()
        ctx["form"] = LookupForm()
        return ctx


class VillageMixin:
    def dispatch(self, request, *args, **kwargs):
        self.village = selectors.village_by_code(kwargs["code"])
        if self.village is None:
            raise Http404
        return super().dispatch(request, *args, **kwargs)


class BoardView(VillageMixin, TemplateView):
    template_name = "points/board.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        today = timezone.localdate()
        ctx.update(
            village=self.village,
            year=today.year,
            today=today,
            board=selectors.village_board(village=self.village, year=today.year),
            notices=selectors.village_notices(village=self.village),
            goods=selectors.supermarket_goods(supermarket=self.village.supermarket),
            month=today.replace(day=1),
        )
        return ctx


class NoticeSheetView(VillageMixin, TemplateView):
    """The month's notice sheet, laid out to be printed and posted in the village."""

    template_name = "points/notice_sheet.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        try:
            month = datetime.date(kwargs["year"], kwargs["month"], 1)
        except ValueError as exc:
            raise Http404 from exc
        ctx.update(
            village=self.village,
            month=month,
            awards=selectors.village_notice_sheet(
                village=self.village, year=month.year, month=month.month
            ),
            printed_on=timezone.localdate(),
        )
        return ctx


@method_decorator(never_cache, name="dispatch")
class LookupView(View):
    """A POST form (the code and digits never go into a URL or a log line); the answer shows
    only the household that matched both."""

    template_name = "points/lookup.html"

    def get(self, request):
        return render(request, self.template_name, {"form": LookupForm()})

    def post(self, request):
        form = LookupForm(request.POST)
        ctx = {"form": form}
        status = 200
        if form.is_valid():
            try:
                household = household_lookup(
                    code=form.cleaned_data["code"],
                    phone_last4=form.cleaned_data["phone_last4"],
                    client_ip=get_client_ip_address(request),
                )
            except PointsError as error:
                form.add_error(None, str(error))
                status = error.status_code
            else:
                ctx.update(
                    household=household,
                    history=selectors.household_history(household=household),
                    pending=selectors.household_pending(household=household),
                )
        return render(request, self.template_name, ctx, status=status)
