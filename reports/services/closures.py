"""Closing a statistics year (年度统计关账) and reopening it.

Closing freezes the annual report of the year for the city and every county in it: each
region's figures are stored as a snapshot with who closed and when, and the report page and
its exports read the snapshot from then on (a supplier certified later, a late refund or an
import no longer moves a published figure). Reopening is a decision with a reason, kept with
its author; the snapshots stay with their closing, and closing again takes new ones.

Lock order: the closed region's row (serialises closings of one region), then the closing."""

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.locks import row_lock
from core.states import StateMachine
from regions.models import Region

from ..exceptions import AnnualReportClosureError
from ..models import AnnualReportClosure, AnnualReportSnapshot, ClosureStatus
from ..selectors.annual import annual_report
from ..selectors.closures import REPORT_LEVELS, closing_region, report_snapshot_data

CLOSURE_STATES = StateMachine(
    field="status",
    transitions={ClosureStatus.CLOSED: (ClosureStatus.REOPENED,)},
    error=AnnualReportClosureError,
    refusal=gettext_lazy("该年度统计当前为“%(status)s”，不能重新打开。"),
)


def _check_may_close(*, user, region: Region) -> None:
    if closing_region(user=user) != region:
        raise AnnualReportClosureError(_("只有市级乡村振兴局工作人员可以为本市关账或重新打开。"))


@transaction.atomic
def annual_report_close(*, year: int, region: Region, user, today=None) -> AnnualReportClosure:
    """Close ``year`` for ``region`` (the city-level staff member's own region): one
    ``AnnualReportClosure`` and a snapshot of the annual report of the region and of every
    province, city or county region below it. Refused with nothing written when ``user`` is
    not that city's bureau, the year has not ended (Asia/Shanghai) or it is closed already."""
    _check_may_close(user=user, region=region)
    today = today or timezone.localdate()
    if year >= today.year:
        raise AnnualReportClosureError(_("%(year)s 年尚未结束，不能关账。") % {"year": year})
    row_lock(Region, pk=region.pk)
    if AnnualReportClosure.objects.filter(
        year=year, region=region, status=ClosureStatus.CLOSED
    ).exists():
        raise AnnualReportClosureError(_("%(year)s 年度统计已关账。") % {"year": year})
    try:
        with transaction.atomic():
            closure = AnnualReportClosure.objects.create(
                year=year, region=region, closed_by=user, closed_at=timezone.now()
            )
    except IntegrityError as exc:  # a closing of another process got there first
        raise AnnualReportClosureError(_("%(year)s 年度统计已关账。") % {"year": year}) from exc
    AnnualReportSnapshot.objects.bulk_create(
        AnnualReportSnapshot(
            closure=closure,
            region=each,
            data=report_snapshot_data(annual_report(year=year, region=each)),
        )
        for each in Region.objects.within(region).filter(level__in=REPORT_LEVELS)
    )
    return closure


@transaction.atomic
def annual_report_reopen(*, closure_id: int, user, reason: str) -> AnnualReportClosure:
    """Reopen a closed year with a reason: the closing records who reopened it, when and why,
    and the report reads the live figures again. Refused with nothing written when ``user``
    is not the closed region's city bureau, the reason is empty or the year is not closed."""
    reason = (reason or "").strip()
    closure = row_lock(AnnualReportClosure, pk=closure_id, related=("region",))
    _check_may_close(user=user, region=closure.region)
    if not reason:
        raise AnnualReportClosureError(_("请填写重新打开的原因。"))
    closure.reopened_by = user
    closure.reopened_at = timezone.now()
    closure.reopen_reason = reason[:300]
    CLOSURE_STATES.move(
        closure,
        ClosureStatus.REOPENED,
        also=("reopened_by", "reopened_at", "reopen_reason"),
    )
    return closure
