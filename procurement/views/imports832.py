"""A unit imports its own 832 statistics (832平台采购) from its portal: the same file, checks
and import job as the bureau's (``procurement.imports_832`` through ``reports.imports``),
limited to the uploader's own units and, for a supervising unit's reviewers, its
subordinate units."""

from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.views.generic import TemplateView

from regions.models import Region
from reports.forms import ImportUploadForm
from reports.imports.columns import PURCHASE_832_COLUMNS
from reports.models import ImportJob, ImportKind
from reports.services import import_job_start

from ..access import bureau_region, unit_832_import_units
from .base import UnitMixin


class Purchase832UploadForm(ImportUploadForm):
    kind = None  # always the 832 statistics


class Unit832ImportView(UnitMixin, TemplateView):
    template_name = "procurement/imports_832.html"

    def allowed_units(self) -> set[int]:
        allowed = unit_832_import_units(user=self.request.user)
        may = self.unit.pk in allowed or self.unit.subordinates.filter(pk__in=allowed).exists()
        if not may:
            raise PermissionDenied
        return allowed

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        self.allowed_units()
        ctx["form"] = kwargs.get("form") or Purchase832UploadForm()
        ctx["jobs"] = ImportJob.objects.filter(
            kind=ImportKind.PURCHASES_832, created_by=self.request.user
        ).order_by("-created_at", "-pk")[:10]
        ctx["columns"] = PURCHASE_832_COLUMNS
        return ctx

    def post(self, request, *args, **kwargs):
        self.allowed_units()
        form = Purchase832UploadForm(request.POST, request.FILES)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form))
        # The uploader's units bound the rows (see purchases_832_validate), wherever they
        # are; bureau staff who are also members stay within their own bureau's region.
        import_job_start(
            kind=ImportKind.PURCHASES_832,
            upload=form.cleaned_data["file"],
            import_valid_rows=form.cleaned_data["import_valid_rows"],
            scope_region=bureau_region(request.user) or Region.get_first_root_node(),
            created_by=request.user,
        )
        return redirect("procurement:imports-832")
