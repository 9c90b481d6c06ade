"""Closed statistics years: which annual report a reader gets (the snapshot taken at closing,
or the live figures), and who may close or reopen a year."""

from decimal import Decimal

from regions.models import BureauLevel, BureauStaff, Region, RegionLevel

from ..models import AnnualReportClosure, AnnualReportSnapshot, ClosureStatus
from .annual import annual_report

#: The regions an annual report is asked for (the annual form's choices): a closing takes a
#: snapshot of each of them below the closed region.
REPORT_LEVELS = (RegionLevel.PROVINCE, RegionLevel.CITY, RegionLevel.COUNTY)

DECIMAL = "$decimal"


def _encode(value):
    if isinstance(value, Decimal):
        return {DECIMAL: str(value)}
    if isinstance(value, dict):
        return {key: _encode(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [_encode(item) for item in value]
    return value


def _decode(value):
    if isinstance(value, dict):
        if set(value) == {DECIMAL}:
            return Decimal(value[DECIMAL])
        return {key: _decode(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_decode(item) for item in value]
    return value


def report_snapshot_data(report: dict) -> dict:
    """``annual_report()``'s figures as JSON (Decimals kept exact, the region by its code)."""
    data = {key: value for key, value in report.items() if key != "region"}
    data["region"] = report["region"].code
    return _encode(data)


def report_from_snapshot(data: dict, *, region: Region) -> dict:
    """The report a snapshot holds, in the form ``annual_report()`` returns it."""
    report = _decode(data)
    report["region"] = region
    return report


def annual_report_snapshot(*, year: int, region: Region) -> AnnualReportSnapshot | None:
    """The snapshot of ``region``'s report taken when ``year`` was closed for it (by its own
    bureau or one above), with the closing and its author; None while the year is open.
    One query."""
    return (
        AnnualReportSnapshot.objects.filter(
            region=region, closure__year=year, closure__status=ClosureStatus.CLOSED
        )
        .select_related("closure__closed_by", "closure__region")
        .order_by("-closure__region__depth")
        .first()
    )


def annual_report_as_published(*, year: int, region: Region) -> dict:
    """What the annual report page and its exports show: ``{"report", "live", "closure"}``.
    For a closed year ``report`` is the snapshot and ``live`` today's figures (to show
    beside the snapshot where they differ); for an open year both are the live report and
    ``closure`` is None. Queries: those of ``annual_report()``, once or twice, plus one."""
    snapshot = annual_report_snapshot(year=year, region=region)
    live = annual_report(year=year, region=region)
    if snapshot is None:
        return {"report": live, "live": live, "closure": None}
    return {
        "report": report_from_snapshot(snapshot.data, region=region),
        "live": live,
        "closure": snapshot.closure,
    }


def annual_closures(*, year: int, region: Region) -> list[AnnualReportClosure]:
    """Every closing and reopening of ``year`` that covers ``region`` (its own or a region
    above), newest first, with their authors: the audit trail shown on the report."""
    ancestors = [
        region.path[:n] for n in range(Region.steplen, len(region.path) + 1, Region.steplen)
    ]
    return list(
        AnnualReportClosure.objects.filter(year=year, region__path__in=ancestors).select_related(
            "region", "closed_by", "reopened_by"
        )
    )


def closing_region(*, user) -> Region | None:
    """The region whose statistics years ``user`` may close and reopen: a city-level
    bureau's own region (the city), None for anyone else (county staff included)."""
    if not user.is_authenticated:
        return None
    staff = (
        BureauStaff.objects.filter(user=user, level=BureauLevel.CITY)
        .select_related("region")
        .first()
    )
    if staff is None or staff.region.level not in (RegionLevel.PROVINCE, RegionLevel.CITY):
        return None
    return staff.region
