"""Bureau pages (/reports/) and the public statistics page (/stats/). Thin: they check the
staff member's scope, read through selectors, and write through services."""

from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView

from core.money import amount
from regions.models import Region

from . import exports, selectors, services
from .exceptions import AnnualReportClosureError, RegionOutOfScopeError
from .forms import (
    AnnualReopenForm,
    AnnualReportForm,
    EntityForm,
    FigureForm,
    ImportUploadForm,
    IndicatorForm,
    OfflineSaleForm,
    ReportFilterForm,
    default_year,
)
from .imports.templates import import_template
from .models import (
    AnnualReportClosure,
    ClosureStatus,
    EcommerceEntity,
    ImportJob,
    ImportKind,
    IndicatorRecord,
    SalesFact,
)
from .selectors import ReportFilters


class BureauStaffMixin(LoginRequiredMixin):
    """Bureau staff only, each within their region's subtree (``self.scope``)."""

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        self.scope = selectors.staff_scope_region(request.user)
        if self.scope is None:
            raise PermissionDenied(_("仅乡村振兴局、财政局工作人员可以查看统计报表。"))
        return super().dispatch(request, *args, **kwargs)

    def region_from(self, code):
        try:
            return selectors.region_in_scope(scope=self.scope, code=code)
        except RegionOutOfScopeError as exc:
            raise PermissionDenied(_("您无权查看该区域的数据。")) from exc

    def filters(self) -> tuple[ReportFilterForm, ReportFilters]:
        region = self.region_from(self.request.GET.get("region"))
        form = ReportFilterForm(self.request.GET or None, scope=self.scope)
        if self.request.GET and form.is_valid():
            data = form.cleaned_data
            filters = ReportFilters(
                region=region,
                date_from=data["date_from"],
                date_to=data["date_to"],
                channel=data["channel"],
            )
        else:
            filters = ReportFilters.year_to_date(region)
            if not self.request.GET:
                form = ReportFilterForm(
                    initial={
                        "date_from": filters.date_from,
                        "date_to": filters.date_to,
                        "region": region.code,
                    },
                    scope=self.scope,
                )
        return form, filters

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["scope"] = self.scope
        return context


class DashboardView(BureauStaffMixin, TemplateView):
    template_name = "reports/dashboard.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        form, filters = self.filters()
        context.update(form=form, summary=selectors.dashboard_summary(filters=filters))
        context["query"] = self.request.GET.urlencode()
        return context


class DrilldownView(BureauStaffMixin, TemplateView):
    template_name = "reports/drilldown.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        form, filters = self.filters()
        supplier = self.request.GET.get("supplier")
        supplier_id = None
        if supplier:
            if not supplier.isdigit():
                raise Http404
            supplier_id = int(supplier)
        data = selectors.drilldown(filters=filters, supplier_id=supplier_id)
        if supplier_id is not None and not data["rows"]:
            raise Http404(_("该区域内没有这家供应商的销售。"))
        query = self.request.GET.copy()
        query.pop("supplier", None)
        context.update(form=form, data=data, base_query=query.urlencode())
        return context


class AnnualReportMixin(BureauStaffMixin):
    def published(self) -> tuple[AnnualReportForm, dict]:
        """The form and the report as published (``annual_report_as_published``): the
        snapshot of a closed year with the live figures, or the live report."""
        form = AnnualReportForm(self.request.GET or {"year": default_year()}, scope=self.scope)
        region = self.region_from(self.request.GET.get("region"))
        year = form.cleaned_data["year"] if form.is_valid() else default_year()
        return form, selectors.annual_report_as_published(year=year, region=region)

    def filename(self, report, ext):
        return f"annual-{report['region'].code}-{report['year']}.{ext}"


def _cell(value):
    """A table cell as the bureau prints it: amounts in 元 with separators."""
    if isinstance(value, Decimal):
        return amount(value)
    return value


class AnnualReportView(AnnualReportMixin, TemplateView):
    template_name = "reports/annual.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        form, published = self.published()
        report, closure = published["report"], published["closure"]
        differences = exports.table_differences(report, published["live"])
        sections = []
        for key, (header, rows) in exports.report_tables(report).items():
            changed = differences.get(key, {})
            sections.append(
                (
                    key,
                    _(exports.TABLE_TITLES[key]),
                    _(exports.TABLE_BASES[key]),
                    header,
                    [
                        [
                            (_cell(v), _cell(changed[(r, c)]) if (r, c) in changed else None)
                            for c, v in enumerate(row)
                        ]
                        for r, row in enumerate(rows)
                    ],
                )
            )
        closing = selectors.closing_region(user=self.request.user)
        year, region = report["year"], report["region"]
        context.update(
            form=form,
            report=report,
            closure=closure,
            closure_note=exports.closure_note(closure) if closure else "",
            difference_count=sum(len(cells) for cells in differences.values()),
            closures=selectors.annual_closures(year=year, region=region),
            # Closing and reopening are the city bureau's, for its own region's report.
            may_close=closing is not None
            and closing == region
            and closure is None
            and year < timezone.localdate().year,
            may_reopen=closing is not None and closure is not None and closure.region == closing,
            sections=sections,
            query=f"year={year}&region={region.code}",
        )
        return context


class AnnualReportExcelView(AnnualReportMixin, View):
    def get(self, request):
        _form, published = self.published()
        report = published["report"]
        response = HttpResponse(
            exports.annual_report_xlsx(
                report, live=published["live"], closure=published["closure"]
            ),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
        response["Content-Disposition"] = f'attachment; filename="{self.filename(report, "xlsx")}"'
        return response


class AnnualReportCsvView(AnnualReportMixin, View):
    def get(self, request):
        table = request.GET.get("table", "county")
        if table not in exports.TABLE_TITLES:
            raise Http404
        _form, published = self.published()
        report = published["report"]
        response = HttpResponse(
            exports.annual_report_csv(report, table), content_type="text/csv; charset=utf-8"
        )
        name = self.filename(report, "csv").replace(".csv", f"-{table}.csv")
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        return response


class CityBureauMixin(BureauStaffMixin):
    """Closing and reopening a statistics year: the city-level bureau of the region only
    (county staff, other staff and everyone else are refused with 403)."""

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        self.closing = selectors.closing_region(user=request.user)
        if self.closing is None:
            raise PermissionDenied(_("只有市级乡村振兴局工作人员可以关账或重新打开年度统计。"))
        return super().dispatch(request, *args, **kwargs)


class AnnualCloseView(CityBureauMixin, TemplateView):
    """GET: the confirmation page (the figures about to be frozen); POST: close the year."""

    template_name = "reports/annual_close.html"

    def year(self) -> int:
        form = AnnualReportForm(self.request.GET or self.request.POST, scope=self.scope)
        if not form.is_valid():
            raise Http404(_("年度无效。"))
        return form.cleaned_data["year"]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        year = self.year()
        context.update(
            year=year,
            region=self.closing,
            report=selectors.annual_report(year=year, region=self.closing),
            regions=list(
                Region.objects.within(self.closing).filter(level__in=selectors.REPORT_LEVELS)
            ),
        )
        return context

    def post(self, request):
        year = self.year()
        try:
            services.annual_report_close(year=year, region=self.closing, user=request.user)
        except AnnualReportClosureError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(
                request, _("%(year)s 年度统计已关账，报表此后按关账时的数据显示。") % {"year": year}
            )
        return redirect(f"{reverse('reports:annual')}?year={year}&region={self.closing.code}")


class AnnualReopenView(CityBureauMixin, TemplateView):
    """GET: the reopen form (a reason is required); POST: reopen, audited."""

    template_name = "reports/annual_reopen.html"

    def closure(self) -> AnnualReportClosure:
        return get_object_or_404(
            AnnualReportClosure.objects.select_related("region", "closed_by"),
            pk=self.kwargs["pk"],
            region=self.closing,
            status=ClosureStatus.CLOSED,
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        closure = self.closure()
        context.setdefault("form", AnnualReopenForm())
        context.update(closure=closure, closure_note=exports.closure_note(closure))
        return context

    def post(self, request, pk):
        closure = self.closure()
        form = AnnualReopenForm(request.POST)
        if form.is_valid():
            try:
                services.annual_report_reopen(
                    closure_id=closure.pk, user=request.user, reason=form.cleaned_data["reason"]
                )
            except AnnualReportClosureError as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(
                    request,
                    _("%(year)s 年度统计已重新打开，报表按现值显示。") % {"year": closure.year},
                )
                return redirect(
                    f"{reverse('reports:annual')}?year={closure.year}&region={closure.region.code}"
                )
        return self.render_to_response(self.get_context_data(form=form), status=400)


class EntityListView(BureauStaffMixin, TemplateView):
    template_name = "reports/entities.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        entities = EcommerceEntity.objects.filter(
            region__path__startswith=self.scope.path
        ).select_related("region")
        q = self.request.GET.get("q", "").strip()
        if q:
            entities = entities.filter(name__icontains=q) | entities.filter(shop_name__icontains=q)
        page = Paginator(entities.order_by("-registered_on", "pk"), 50).get_page(
            self.request.GET.get("page")
        )
        context.update(
            page=page,
            q=q,
            entity_count=entities.count(),
            jobs=ImportJob.objects.filter(scope_region__path__startswith=self.scope.path)[:5],
        )
        return context


class ScopedFormView(BureauStaffMixin, TemplateView):
    """A create form limited to the staff member's scope."""

    form_class = None
    title = ""
    success = ""

    def get_form(self):
        return self.form_class(self.request.POST or None, scope=self.scope)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.setdefault("form", self.get_form())
        context["title"] = self.title
        return context

    def post(self, request):
        form = self.get_form()
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form))
        self.save(form)
        messages.success(request, self.success)
        return redirect(self.success_url())

    def save(self, form):
        raise NotImplementedError

    def success_url(self):
        return self.request.path


class EntityCreateView(ScopedFormView):
    template_name = "reports/form.html"
    form_class = EntityForm

    @property
    def title(self):
        return _("登记农村电商主体")

    @property
    def success(self):
        return _("电商主体已登记。")

    def save(self, form):
        services.ecommerce_entity_create(**form.cleaned_data)

    def success_url(self):
        return reverse("reports:entity-list")


class FigureCreateView(ScopedFormView):
    template_name = "reports/form.html"
    form_class = FigureForm

    @property
    def title(self):
        return _("录入月度网络零售额")

    @property
    def success(self):
        return _("月度数据已保存。")

    def save(self, form):
        services.entity_figure_record(**form.cleaned_data)


class IndicatorListView(ScopedFormView):
    template_name = "reports/indicators.html"
    form_class = IndicatorForm

    @property
    def title(self):
        return _("官方指标")

    @property
    def success(self):
        return _("指标已保存。")

    def save(self, form):
        services.indicator_record_create(created_by=self.request.user, **form.cleaned_data)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["records"] = (
            IndicatorRecord.objects.filter(region__path__startswith=self.scope.path)
            .select_related("region")
            .order_by("-month", "indicator")[:100]
        )
        return context


class OfflineSaleView(ScopedFormView):
    template_name = "reports/offline.html"
    form_class = OfflineSaleForm

    @property
    def title(self):
        return _("线下“八进”活动销售录入")

    @property
    def success(self):
        return _("线下销售已记入统计。")

    def save(self, form):
        data = form.cleaned_data
        services.offline_sale_record(
            date=data["date"],
            region=data["region"],
            category=data["category"],
            amount=data["amount"],
            quantity=data["quantity"] or 0,
            note=data["note"],
            created_by=self.request.user,
            organisation=data["organisation_code"],
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["records"] = (
            SalesFact.objects.filter(source="offline", region__path__startswith=self.scope.path)
            .select_related("region", "category")
            .order_by("-date", "-pk")[:50]
        )
        return context


class ImportUploadView(BureauStaffMixin, TemplateView):
    template_name = "reports/import.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.setdefault("form", ImportUploadForm(initial={"kind": self.request.GET.get("kind")}))
        return context

    def post(self, request):
        form = ImportUploadForm(request.POST, request.FILES)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form))
        job = services.import_job_start(
            kind=form.cleaned_data["kind"],
            upload=form.cleaned_data["file"],
            import_valid_rows=form.cleaned_data["import_valid_rows"],
            scope_region=self.scope,
            created_by=request.user,
        )
        return redirect("reports:import-detail", pk=job.pk)


class ImportDetailView(BureauStaffMixin, TemplateView):
    template_name = "reports/import_detail.html"

    def job(self):
        return get_object_or_404(
            ImportJob, pk=self.kwargs["pk"], scope_region__path__startswith=self.scope.path
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["job"] = self.job()
        return context


class ImportProgressView(ImportDetailView):
    def get(self, request, pk):
        job = self.job()
        return JsonResponse(
            {
                "status": job.status,
                "status_label": job.get_status_display(),
                "finished": job.is_finished,
                "total_rows": job.total_rows,
                "processed_rows": job.processed_rows,
                "percent": job.percent,
                "created_count": job.created_count,
                "message": job.message,
            }
        )


class ImportTemplateView(BureauStaffMixin, View):
    def get(self, request, kind, fmt):
        if kind not in ImportKind.values or fmt not in ("xlsx", "csv"):
            raise Http404
        content_type = (
            "text/csv; charset=utf-8"
            if fmt == "csv"
            else "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        )
        response = HttpResponse(import_template(kind, fmt), content_type=content_type)
        response["Content-Disposition"] = f'attachment; filename="template-{kind}.{fmt}"'
        return response


def public_stats(request):
    return render(request, "reports/stats.html", {"stats": selectors.public_statistics()})
