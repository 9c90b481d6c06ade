"""The monthly reminder to units whose completion is behind the year's schedule, and to
units that have not filed for the year."""

import datetime
from decimal import Decimal

from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef, Prefetch
from django.utils import timezone
from django.utils.translation import gettext as _

from ..models import (
    BudgetUnit,
    BudgetUnitMember,
    Filing,
    FilingStatus,
    PolicyYear,
    ReminderSent,
)
from .filings import percent


def procurement_remind_behind(*, today: datetime.date | None = None) -> list[str]:
    """Remind, once per unit and month, the members of every active unit for this year:

    - whose approved filing is behind the even monthly schedule at the end of last month
      (reserved, completed, rate and schedule in the mail);
    - that has not filed, or whose filing was returned, while the year's policy is published
      and open for filing (a mail asking them to file, 请尽快填报). A unit whose filing waits
      for the bureau's review is not reminded: it has done its part.

    Nothing is sent in January: the 1 January run would be about last year, which is closed,
    and no month of the new year has passed to be behind on (the first reminder of a year,
    on 1 February, covers January). Once per month is a ReminderSent row under a unique
    constraint (unit, year, month), written before the mail is sent. Returns the reminded
    units' names, the behind ones first."""
    from ..selectors import schedule_fraction, schedule_text

    today = today or timezone.localdate()
    if today.month == 1:
        return []
    # Reminders go out at the start of a month about the months that have passed: the
    # schedule of completed months, as every page shows it.
    expected = schedule_fraction(year=today.year, today=today)
    reminded = []
    filings = (
        Filing.objects.filter(
            policy_year__year=today.year, status=FilingStatus.APPROVED, unit__is_active=True
        )
        .select_related("unit")
        .prefetch_related(_members("unit__memberships"))
    )
    for filing in filings:
        rate = filing.completion_rate
        if rate >= expected:
            continue
        _remind(
            unit=filing.unit,
            today=today,
            rate=rate,
            subject=_("【惠农集市】%(unit)s 预留份额完成进度提醒") % {"unit": filing.unit.name},
            body=_(
                "%(unit)s：截至上月底，本年度预留份额 ¥%(reserved)s 已完成 ¥%(completed)s，"
                "完成率 %(rate)s，低于按月均衡进度 %(expected)s。请尽快安排采购。"
            )
            % {
                "unit": filing.unit.name,
                "reserved": f"{filing.reserved_amount:,}",
                "completed": f"{filing.completed:,}",
                "rate": percent(rate),
                "expected": schedule_text(expected),
            },
            reminded=reminded,
        )
    policy_year = PolicyYear.objects.filter(year=today.year, is_open=True).first()
    if policy_year is None:
        return reminded
    year_filings = Filing.objects.filter(unit=OuterRef("pk"), policy_year=policy_year)
    unfiled = (
        BudgetUnit.objects.filter(is_active=True)
        .exclude(
            Exists(year_filings.filter(status__in=(FilingStatus.APPROVED, FilingStatus.SUBMITTED)))
        )
        .prefetch_related(_members("memberships"))
        .prefetch_related(
            Prefetch("filings", queryset=Filing.objects.filter(policy_year=policy_year))
        )
        .order_by("name", "pk")
    )
    for unit in unfiled:
        returned = next((f for f in unit.filings.all() if f.status == FilingStatus.RETURNED), None)
        context = {
            "unit": unit.name,
            "year": policy_year.year,
            "deadline": f"{policy_year.filing_deadline:%Y-%m-%d}",
        }
        if returned is None:
            body = _(
                "%(unit)s：%(year)s 年度的预留份额尚未填报（填报截止日期 %(deadline)s）。"
                "请尽快填报本单位的年度食堂食材采购预算和预留份额。"
            )
        else:
            context["reason"] = returned.return_reason
            body = _(
                "%(unit)s：%(year)s 年度的预留份额填报已被退回（原因：%(reason)s），"
                "尚未通过审核（填报截止日期 %(deadline)s）。请尽快修改后重新填报。"
            )
        _remind(
            unit=unit,
            today=today,
            rate=Decimal("0"),
            subject=_("【惠农集市】%(unit)s %(year)s 年度预留份额填报提醒") % context,
            body=body % context,
            reminded=reminded,
        )
    return reminded


def _members(lookup: str) -> Prefetch:
    """The memberships of the units reached by ``lookup``, with their users."""
    return Prefetch(
        lookup,
        queryset=BudgetUnitMember.objects.select_related("user"),
        to_attr="memberships_with_users",
    )


def _remind(*, unit, today, rate, subject: str, body: str, reminded: list[str]) -> None:
    """Record the month's reminder to ``unit`` and mail its members, unless it was
    reminded this month already."""
    try:
        with transaction.atomic():
            ReminderSent.objects.create(
                unit=unit, year=today.year, month=today.month, completion_rate=rate
            )
    except IntegrityError:
        return  # already reminded this month
    emails = sorted({m.user.email for m in unit.memberships_with_users if m.user.email})
    if emails:
        send_mail(subject, body, None, emails)
    reminded.append(unit.name)
