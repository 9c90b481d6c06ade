"""The monthly reminder to units whose completion is behind the year's schedule."""

import datetime

from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ..models import Filing, FilingStatus, ReminderSent
from .filings import percent


def procurement_remind_behind(*, today: datetime.date | None = None) -> list[str]:
    """Email the members of every unit whose approved filing for this year is behind the
    even monthly schedule, once per unit and month (a ReminderSent row under a unique
    constraint, written before the mail is sent). Returns the reminded units' names."""
    from ..selectors import schedule_fraction

    today = today or timezone.localdate()
    # Reminders go out at the start of a month about the months that have passed.
    expected = schedule_fraction(year=today.year, today=today - datetime.timedelta(days=today.day))
    if today.month == 1:
        return []
    reminded = []
    filings = Filing.objects.filter(
        policy_year__year=today.year, status=FilingStatus.APPROVED, unit__is_active=True
    ).select_related("unit")
    for filing in filings:
        rate = filing.completion_rate
        if rate >= expected:
            continue
        try:
            with transaction.atomic():
                ReminderSent.objects.create(
                    unit=filing.unit, year=today.year, month=today.month, completion_rate=rate
                )
        except IntegrityError:
            continue  # already reminded this month
        emails = sorted(
            {m.user.email for m in filing.unit.memberships.select_related("user") if m.user.email}
        )
        if emails:
            send_mail(
                _("【惠农集市】%(unit)s 预留份额完成进度提醒") % {"unit": filing.unit.name},
                _(
                    "%(unit)s：截至上月底，本年度预留份额 ¥%(reserved)s 已完成 ¥%(completed)s，"
                    "完成率 %(rate)s，低于按月均衡进度 %(expected)s。请尽快安排采购。"
                )
                % {
                    "unit": filing.unit.name,
                    "reserved": f"{filing.reserved_amount:,}",
                    "completed": f"{filing.completed:,}",
                    "rate": percent(rate),
                    "expected": percent(expected),
                },
                None,
                emails,
            )
        reminded.append(filing.unit.name)
    return reminded
