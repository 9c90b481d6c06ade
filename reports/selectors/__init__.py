"""Reads of the reports app: scope, dashboard, drill-down, annual report, public statistics."""

from .annual import annual_report  # noqa: F401
from .closures import (  # noqa: F401
    REPORT_LEVELS,
    annual_closures,
    annual_report_as_published,
    annual_report_snapshot,
    closing_region,
    report_from_snapshot,
)
from .dashboard import dashboard_summary, drilldown  # noqa: F401
from .public import public_statistics  # noqa: F401
from .scope import (  # noqa: F401
    ReportFilters,
    months_between,
    region_in_scope,
    staff_scope_region,
    year_ago,
)
