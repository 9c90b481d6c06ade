"""The even monthly schedule (按月均衡进度, "应达") counts the months completed, one rule for
every page and the monthly reminder: on 5 December 11 months are done, so 91.7%, not 100%."""

import datetime
from decimal import Decimal

import pytest
from django.core import mail
from django.urls import get_resolver, reverse
from freezegun import freeze_time

from procurement.selectors import schedule_fraction, schedule_text
from procurement.services.reminders import procurement_remind_behind

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("today", "expected", "text"),
    [
        (datetime.date(2026, 12, 5), Decimal(11) / 12, "91.7%"),
        (datetime.date(2026, 12, 31), Decimal(11) / 12, "91.7%"),  # December is not over
        (datetime.date(2026, 7, 1), Decimal("0.5"), "50%"),
        (datetime.date(2026, 2, 1), Decimal(1) / 12, "8.3%"),
        (datetime.date(2026, 1, 20), Decimal(0), "0%"),
        (datetime.date(2027, 1, 5), Decimal(1), "100%"),  # the year is over
        (datetime.date(2025, 6, 1), Decimal(0), "0%"),  # not begun
    ],
)
def test_the_schedule_counts_completed_months(today, expected, text):
    fraction = schedule_fraction(year=2026, today=today)
    assert fraction == expected
    assert schedule_text(fraction) == text


def test_on_5_december_every_page_and_the_reminder_expect_91_7_percent(
    client, filing, purchaser, city_staff
):
    year = filing.policy_year.year
    # The URLconf (and the API's schemas with it) is loaded before the clock is frozen:
    # pydantic cannot build a schema of freezegun's datetime class.
    get_resolver().url_patterns  # noqa: B018
    with freeze_time(f"{year}-12-05 02:00:00"):  # 10:00 in Asia/Shanghai
        client.force_login(city_staff)
        bureau = client.get(reverse("procurement:bureau-completion"))
        assert bureau.context["expected"] == "91.7%"
        assert "应达 91.7%" in bureau.content.decode()
        row = bureau.context["rows"][0]
        assert (row["rate"], row["behind"]) == (Decimal("0"), True)

        client.force_login(purchaser)
        portal = client.get(reverse("procurement:portal"))
        assert portal.context["progress"]["expected"] == "91.7%"
        assert "按月均衡进度应达到 91.7%" in portal.content.decode()

        assert procurement_remind_behind() == ["淮北市第一中学"]
    assert "低于按月均衡进度 91.7%" in mail.outbox[0].body
