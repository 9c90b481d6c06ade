"""The bureau's points report (scoped to the staff member's region), its Excel export and
the awards behind a figure."""

from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.utils import timezone
from django.views import View
from django.views.generic import TemplateView

from procurement.access import bureau_region
from regions.models import Region

from ..bureau import points_report, points_report_xlsx, report_awards


class BureauReportMixin(LoginRequiredMixin):
    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        self.scope = bureau_region(request.user)
        if self.scope is None:
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def region(self) -> Region:
        code = (self.request.GET.get("region") or "").strip()
        if not code:
            return self.scope
        region = Region.objects.filter(code=code).first()
        if region is None or not self.scope.contains(region):
            raise Http404
        return region

    def year(self) -> int:
        today = timezone.localdate().year
        try:
            year = int(self.request.GET.get("year") or today)
        except ValueError as exc:
            raise Http404 from exc
        if not 2000 <= year <= today + 1:
            raise Http404
        return year


class BureauReportView(BureauReportMixin, TemplateView):
    template_name = "points/bureau.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        year = self.year()
        ctx.update(
            report=points_report(region=self.region(), year=year),
            scope=self.scope,
            regions=Region.objects.within(self.scope).filter(level__in=("city", "county", "town")),
            years=range(timezone.localdate().year, timezone.localdate().year - 4, -1),
        )
        return ctx


class BureauReportExcelView(BureauReportMixin, View):
    def get(self, request):
        report = points_report(region=self.region(), year=self.year())
        response = HttpResponse(
            points_report_xlsx(report),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
        response["Content-Disposition"] = (
            f'attachment; filename="points-{report.region.code}-{report.year}.xlsx"'
        )
        return response


class BureauAwardsView(BureauReportMixin, TemplateView):
    """The credited awards behind a figure: one village, aspect or month of the report."""

    template_name = "points/bureau_awards.html"
    LIMIT = 500

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        get = self.request.GET
        try:
            month = int(get["month"]) if get.get("month") else None
        except ValueError as exc:
            raise Http404 from exc
        awards = report_awards(
            region=self.region(),
            year=self.year(),
            village=get.get("village", ""),
            aspect=get.get("aspect", ""),
            month=month,
        )
        ctx.update(
            awards=awards[: self.LIMIT],
            count=awards.count(),
            limit=self.LIMIT,
            year=self.year(),
            region=self.region(),
            village=get.get("village", ""),
            aspect=get.get("aspect", ""),
            month=month,
        )
        return ctx
