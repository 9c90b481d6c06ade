"""Who may see which region's figures, and the filters of a report request."""

import datetime
from dataclasses import dataclass

from django.utils import timezone

from orders.models import SalesChannel
from regions.models import BureauStaff, Region

from ..exceptions import RegionOutOfScopeError


def staff_scope_region(user) -> Region | None:
    """The region whose subtree ``user`` may see, or None for anyone who is not bureau staff."""
    if not user.is_authenticated:
        return None
    staff = BureauStaff.objects.filter(user=user).select_related("region").first()
    return staff.region if staff else None


def region_in_scope(*, scope: Region, code: str | None) -> Region:
    """The region named by ``code`` (the scope itself when empty), refused outside the scope."""
    if not code:
        return scope
    region = Region.objects.filter(code=code).first()
    if region is None or not scope.contains(region):
        raise RegionOutOfScopeError(code)
    return region


def year_ago(day: datetime.date) -> datetime.date:
    try:
        return day.replace(year=day.year - 1)
    except ValueError:  # 29 February
        return day.replace(year=day.year - 1, day=28)


def months_between(start: datetime.date, end: datetime.date) -> list[datetime.date]:
    months, month = [], start.replace(day=1)
    while month <= end:
        months.append(month)
        month = (month + datetime.timedelta(days=32)).replace(day=1)
    return months


@dataclass(frozen=True)
class ReportFilters:
    region: Region
    date_from: datetime.date
    date_to: datetime.date
    channel: str = ""

    @classmethod
    def year_to_date(cls, region: Region, today: datetime.date | None = None):
        today = today or timezone.localdate()
        return cls(region=region, date_from=today.replace(month=1, day=1), date_to=today)

    @property
    def previous(self) -> "ReportFilters":
        """The same dates a year earlier (for year-on-year figures)."""
        return ReportFilters(
            region=self.region,
            date_from=year_ago(self.date_from),
            date_to=year_ago(self.date_to),
            channel=self.channel,
        )

    @property
    def channel_label(self) -> str:
        return str(SalesChannel(self.channel).label) if self.channel else ""
