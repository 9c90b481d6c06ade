"""The bureau's completion table counts every active unit of its region for the year: a unit
without an approved filing (not filed, waiting for review, returned) is behind, with nothing
reserved and nothing completed, and ranks last; the monthly reminder asks units that have not
filed to file; the unit's month-by-month chart keeps to its policy year."""

import datetime
import io
from decimal import Decimal

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from freezegun import freeze_time
from openpyxl import load_workbook

from procurement import services
from procurement.models import BudgetUnit, BudgetUnitMember, PolicyYear, ReminderSent
from procurement.selectors import bureau_completion_table, filing_monthly, monthly_chart
from procurement.services.reminders import procurement_remind_behind
from tests.factories.accounts import UserFactory
from tests.factories.catalog import make_credit_code

from .test_query_counts import add_units

pytestmark = pytest.mark.django_db


def make_unit(name, region, serial, *, unit_type="school", supervising="淮北市教育局", **kw):
    unit = BudgetUnit.objects.create(
        name=name,
        credit_code=make_credit_code(serial),
        region=region,
        unit_type=unit_type,
        supervising_unit=supervising,
        **kw,
    )
    user = UserFactory(email=f"staff{serial}@example.com")
    BudgetUnitMember.objects.create(unit=unit, user=user, role="purchaser")
    return unit, user


def file(unit, user, year):
    return services.filing_submit(
        unit=unit,
        year=year,
        user=user,
        canteen_budget=Decimal("10000"),
        reserved_amount=Decimal("1000"),
        contact_name="刘芳",
        contact_phone="0561-3012345",
    )


@pytest.fixture
def units(regions, unit, filing, city_staff):
    """淮北市第一中学 (the approved filing, completed in full) and, without an approved
    filing: 相山区 unfiled, 濉溪县 waiting for review, 烈山区 returned; one registration
    waiting for review (inactive) and one active unit of another year's filing only."""
    services.quota_adjust(
        filing=filing, user=city_staff, completed_delta=Decimal("1000"), reason="线下采购补录"
    )
    year = filing.policy_year.year
    unfiled, _ = make_unit("相山区实验小学", regions["相山区"], 550001)
    pending, pending_user = make_unit(
        "濉溪县人民医院",
        regions["濉溪镇"],
        550002,
        unit_type="hospital",
        supervising="濉溪县卫健委",
    )
    file(pending, pending_user, year)
    returned, returned_user = make_unit("烈山区第二中学", regions["烈山区"], 550003)
    services.filing_return(
        filing=file(returned, returned_user, year), user=city_staff, reason="预算口径有误"
    )
    make_unit(
        "杜集区待审学校",
        regions["杜集区"],
        550004,
        is_active=False,
        registration_status="pending",
    )
    return {"unfiled": unfiled, "pending": pending, "returned": returned}


def summary(rows):
    return [
        (r["rank"], r["unit"].name, str(r["state_label"]), r["reserved"], r["rate"], r["behind"])
        for r in rows
    ]


def test_units_without_an_approved_filing_are_behind_and_rank_last(regions, filing, units):
    year = filing.policy_year.year
    rows = bureau_completion_table(
        region=regions["淮北市"], year=year, today=datetime.date(year, 7, 15)
    )
    zero = Decimal("0")
    assert summary(rows) == [
        (1, "淮北市第一中学", "已通过", Decimal("1000.00"), Decimal("1"), False),
        (2, "濉溪县人民医院", "待审核", None, zero, True),
        (3, "烈山区第二中学", "已退回", None, zero, True),
        (4, "相山区实验小学", "未填报", None, zero, True),
    ]
    assert [(r["filing"], r["committed"], r["completed"]) for r in rows[1:]] == [
        (None, None, Decimal("0.00"))
    ] * 3
    assert rows[1]["filing_id"] == units["pending"].filings.get().pk
    assert rows[3]["filing_id"] is None

    behind = bureau_completion_table(
        region=regions["淮北市"], year=year, behind_only=True, today=datetime.date(year, 7, 15)
    )
    assert [r["unit"].name for r in behind] == [
        "濉溪县人民医院",
        "烈山区第二中学",
        "相山区实验小学",
    ]


def test_the_filters_apply_to_units_without_an_approved_filing(regions, filing, units):
    year = filing.policy_year.year
    city = regions["淮北市"]

    def names(**filters):
        return [r["unit"].name for r in bureau_completion_table(region=city, year=year, **filters)]

    assert names(unit_type="hospital") == ["濉溪县人民医院"]
    assert names(supervising_unit="濉溪县卫健委") == ["濉溪县人民医院"]
    assert names(unit_region=regions["相山区"]) == ["相山区实验小学"]
    # The county sees its own region only.
    assert names(unit_region=regions["濉溪县"]) == ["濉溪县人民医院"]
    county = bureau_completion_table(region=regions["濉溪县"], year=year)
    assert [r["unit"].name for r in county] == ["濉溪县人民医院"]


def test_without_the_years_policy_no_unit_is_listed(regions, filing, units):
    assert bureau_completion_table(region=regions["淮北市"], year=filing.policy_year.year + 1) == []


def test_the_bureau_page_counts_units_that_have_not_filed(
    client, regions, filing, units, city_staff, county_staff
):
    client.force_login(city_staff)
    response = client.get(reverse("procurement:bureau-completion"))
    html = response.content.decode()
    assert response.context["totals"]["unit_count"] == 1
    assert (response.context["unfiled_count"], response.context["behind_count"]) == (3, 3)
    assert "未填报单位" in html
    unfiled_url = reverse("procurement:bureau-unit", args=[units["unfiled"].pk])
    pending_url = reverse("procurement:bureau-filing", args=[units["pending"].filings.get().pk])
    assert f'href="{unfiled_url}">相山区实验小学' in html
    assert f'href="{pending_url}">濉溪县人民医院' in html
    assert "杜集区待审学校" not in html

    client.force_login(county_staff)
    response = client.get(reverse("procurement:bureau-completion"))
    html = response.content.decode()
    assert "濉溪县人民医院" in html
    assert "相山区实验小学" not in html and "烈山区第二中学" not in html
    assert (response.context["unfiled_count"], response.context["behind_count"]) == (1, 1)


def test_the_excel_export_lists_units_that_have_not_filed(client, filing, units, city_staff):
    client.force_login(city_staff)
    response = client.get(reverse("procurement:bureau-export"))
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = [[cell.value for cell in row] for row in sheet.iter_rows(min_row=3)]
    assert rows[0][:2] == [1, "淮北市第一中学"] and rows[0][5:] == [
        1000,
        0,
        1000,
        0,
        1,
        "正常",
        "已通过",
    ]
    assert [row[:2] + row[5:] for row in rows[1:]] == [
        [2, "濉溪县人民医院", "—", "—", 0, "—", 0, "落后", "待审核"],
        [3, "烈山区第二中学", "—", "—", 0, "—", 0, "落后", "已退回"],
        [4, "相山区实验小学", "—", "—", 0, "—", 0, "落后", "未填报"],
    ]


N = 2


@pytest.mark.parametrize("url_name", ["procurement:bureau-completion", "procurement:bureau-export"])
def test_the_completion_page_and_export_are_constant_in_units_that_have_not_filed(
    client, regions, filing, city_staff, url_name
):
    client.force_login(city_staff)
    url = reverse(url_name)

    def queries_and_listed(names) -> tuple[int, int]:
        """The query count (after a first request warms per-process caches), and how many
        of the active units among ``names`` are listed (checking the others are not)."""
        client.get(url)
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(url)
        assert response.status_code == 200
        if url_name == "procurement:bureau-export":
            sheet = load_workbook(io.BytesIO(response.content)).active
            shown = {row[1].value for row in sheet.iter_rows(min_row=3)}
        else:
            shown = response.content.decode()
        active = [name for name in names if name.startswith("测试单位")]
        waiting = [name for name in names if name.startswith("待审单位")]
        assert all(name in shown for name in active)
        assert not any(name in shown for name in waiting)
        return len(ctx), len(active)

    first = add_units(regions, N)
    few, listed = queries_and_listed(first)
    assert listed == N

    more = add_units(regions, 2 * N)
    many, listed = queries_and_listed(first + more)
    assert listed == 3 * N

    assert many == few


# ------------------------------------------------------------------------ reminder
def test_units_that_have_not_filed_are_asked_to_file_once_a_month(filing, units):
    year = filing.policy_year.year
    deadline = f"{filing.policy_year.filing_deadline:%Y-%m-%d}"
    assert sorted(procurement_remind_behind(today=datetime.date(year, 7, 1))) == [
        "烈山区第二中学",
        "相山区实验小学",
    ]
    assert procurement_remind_behind(today=datetime.date(year, 7, 1)) == []
    by_unit = {message.subject: message for message in mail.outbox}
    assert len(mail.outbox) == 2
    unfiled = by_unit[f"【惠农集市】相山区实验小学 {year} 年度预留份额填报提醒"]
    assert unfiled.to == ["staff550001@example.com"]
    assert unfiled.body == (
        f"相山区实验小学：{year} 年度的预留份额尚未填报（填报截止日期 {deadline}）。"
        "请尽快填报本单位的年度食堂食材采购预算和预留份额。"
    )
    returned = by_unit[f"【惠农集市】烈山区第二中学 {year} 年度预留份额填报提醒"]
    assert returned.body == (
        f"烈山区第二中学：{year} 年度的预留份额填报已被退回（原因：预算口径有误），"
        f"尚未通过审核（填报截止日期 {deadline}）。请尽快修改后重新填报。"
    )
    assert sorted(ReminderSent.objects.values_list("unit__name", "month", "completion_rate")) == [
        ("烈山区第二中学", 7, Decimal("0")),
        ("相山区实验小学", 7, Decimal("0")),
    ]
    # Next month again.
    assert len(procurement_remind_behind(today=datetime.date(year, 8, 1))) == 2


def test_no_filing_reminder_before_the_years_filing_is_open(filing, units):
    year = filing.policy_year.year
    PolicyYear.objects.filter(year=year).update(is_open=False)
    assert procurement_remind_behind(today=datetime.date(year, 7, 1)) == []
    PolicyYear.objects.filter(year=year).update(is_open=True)
    assert procurement_remind_behind(today=datetime.date(year + 1, 3, 1)) == []  # no policy yet
    assert procurement_remind_behind(today=datetime.date(year, 1, 1)) == []  # January: none
    assert mail.outbox == [] and not ReminderSent.objects.exists()


# ------------------------------------------------------------------------ monthly chart
def test_the_monthly_chart_keeps_to_its_policy_year(unit, purchaser, city_staff):
    year = timezone.localdate().year - 1
    PolicyYear.objects.create(
        year=year,
        min_ratio=Decimal("0.10"),
        encouraged_ratio=Decimal("0.15"),
        filing_deadline=datetime.date(year, 3, 31),
    )
    with freeze_time(f"{year - 1}-12-20 10:00:00+08:00"):
        filing = services.filing_approve(filing=file(unit, purchaser, year), user=city_staff)

    def complete(when, amount):
        with freeze_time(when):
            services.quota_adjust(
                filing=filing, user=city_staff, completed_delta=Decimal(amount), reason="补录"
            )

    complete(f"{year - 1}-12-28 10:00:00+08:00", "20")  # before the year: January
    complete(f"{year}-01-10 10:00:00+08:00", "30")
    complete(f"{year}-12-15 10:00:00+08:00", "100")
    complete(f"{year + 1}-01-05 10:00:00+08:00", "50")  # a December order accepted in January
    # Shanghai's 1 January, still 31 December in UTC: the next year, so December's.
    complete(f"{year + 1}-01-01 07:00:00+08:00", "5")

    months = filing_monthly(filing=filing)
    amounts = {m["month"]: m["amount"] for m in months if m["amount"]}
    assert amounts == {1: Decimal("50.00"), 12: Decimal("155.00")}
    filing.refresh_from_db()
    assert months[-1]["cumulative"] == filing.completed == Decimal("205.00")
    chart = monthly_chart(filing=filing)
    assert [b["month"] for b in chart["bars"]] == list(range(1, 13))
    assert chart["bars"][-1]["cumulative"] == Decimal("205.00")
    assert chart["bars"][10]["cumulative"] == Decimal("50.00")
