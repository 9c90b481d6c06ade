"""The "八进" table (per organisation type), union targets and staff purchases in the reports,
counted once; reconcile_sales flags an offline entry that repeats an organisation's orders."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from procurement import services
from procurement.selectors.reports import eight_entries_report, offline_entries_also_ordered
from reports.services import offline_sale_record, sales_facts_sync
from tests.factories.accounts import UserFactory
from tests.factories.catalog import make_credit_code
from tests.factories.procurement import accepted_order
from tests.factories.regions import BureauStaffFactory

from .test_staff import admin, invite, paid  # noqa: F401 (fixtures)

pytestmark = pytest.mark.django_db


def row(report, code):
    return next(r for r in report["types"] if r["code"] == code)


@pytest.fixture
def bought(catalogue, union, union_buyer, unit, invite, city_staff, policy_year):  # noqa: F811
    services.union_target_set(
        user=city_staff, union=union, year=policy_year.year, amount=Decimal("1000")
    )
    union_order = accepted_order(union_buyer, union, None, (catalogue["pomegranate"], 2))
    sales_facts_sync(order_id=union_order.pk)
    staffer = UserFactory(email="staffer@example.com")
    services.staff_link_by_code(user=staffer, code=invite.code)
    staff_order = paid(staffer, (catalogue["rice"], 1))
    return union_order, staff_order


def test_each_channel_counts_once_under_its_organisations_type(bought, unit, union):
    report = eight_entries_report(year=timezone.localdate().year)

    union_row, school_row = row(report, "union"), row(report, "school")
    assert (union_row["organisations"], union_row["orders"], union_row["amount"]) == (
        1,
        1,
        Decimal("136.00"),
    )
    assert union_row["union"] == Decimal("136.00")
    assert (school_row["organisations"], school_row["orders"], school_row["staff"]) == (
        1,
        1,
        Decimal("59.90"),
    )
    assert report["total"]["amount"] == Decimal("195.90")
    assert report["total"]["orders"] == 2
    assert report["unions"] == [
        {
            "name": "淮北市第一中学工会",
            "parent": "淮北市第一中学",
            "target": Decimal("1000.00"),
            "completed": Decimal("136.00"),
            "rate": Decimal("0.1360"),
        }
    ]
    assert report["staff"] == [
        {
            "name": "淮北市第一中学",
            "type": "学校",
            "linked": 1,
            "orders": 1,
            "amount": Decimal("59.90"),
        }
    ]


def test_the_table_is_scoped_to_the_buyers_region(bought, regions):
    report = eight_entries_report(year=timezone.localdate().year, region=regions["濉溪县"])
    assert report["total"]["amount"] == Decimal("0.00")
    assert report["unions"] == []


def test_the_dashboard_and_the_annual_report_show_the_table(client, bought, city_staff):
    client.force_login(city_staff)
    year = timezone.localdate().year
    page = client.get(reverse("reports:dashboard")).content.decode()
    assert 'id="eight-entries-table"' in page
    assert "淮北市第一中学工会" in page
    annual = client.get(reverse("reports:annual"), {"year": year, "region": "340600"})
    html = annual.content.decode()
    assert "五、“八进”采购情况" in html and "六、工会消费帮扶任务完成情况" in html
    xlsx = client.get(reverse("reports:annual-xlsx"), {"year": year, "region": "340600"})
    assert xlsx.status_code == 200

    from io import BytesIO

    from openpyxl import load_workbook

    cells = [
        c
        for r in load_workbook(BytesIO(xlsx.content)).active.iter_rows(values_only=True)
        for c in r
    ]
    assert "五、“八进”采购情况" in cells
    assert "淮北市第一中学工会" in cells


def test_reconcile_flags_an_offline_entry_of_an_organisation_that_ordered_that_month(
    bought, union, regions, city_staff
):
    union_order, _staff_order = bought
    assert offline_entries_also_ordered() == []
    month = union_order.sales_facts.first().date
    offline_sale_record(
        date=month.replace(day=1) if month.replace(day=1) <= timezone.localdate() else month,
        region=regions["相山区"],
        amount=Decimal("136.00"),
        note="进工会",
        created_by=city_staff,
        organisation=union,
    )
    problems = offline_entries_also_ordered()
    assert len(problems) == 1 and "淮北市第一中学工会" in problems[0]


def test_an_offline_entry_of_another_month_is_no_difference(bought, union, regions, city_staff):
    union_order, _ = bought
    day = union_order.sales_facts.first().date
    earlier = (day.replace(day=1) - timezone.timedelta(days=40)).replace(day=1)
    offline_sale_record(
        date=earlier,
        region=regions["相山区"],
        amount=Decimal("50"),
        note="进工会",
        organisation=union,
    )
    assert offline_entries_also_ordered() == []


def test_the_table_reads_a_fixed_number_of_queries(bought, catalogue, regions, unit, city_staff):
    year = timezone.localdate().year
    with CaptureQueriesContext(connection) as few:
        eight_entries_report(year=year)
    for n in range(3):
        union = services.organisation_create(
            user=city_staff,
            name=f"测试工会{n}",
            credit_code=make_credit_code(820000 + n),
            region=regions["相山区"],
            org_type="union",
            parent=unit,
        )
        buyer = UserFactory()
        union.memberships.create(user=buyer, role="purchaser")
        order = accepted_order(buyer, union, None, (catalogue["rice"], 1))
        sales_facts_sync(order_id=order.pk)
    with CaptureQueriesContext(connection) as many:
        report = eight_entries_report(year=year)
    assert row(report, "union")["organisations"] == 4
    assert len(many.captured_queries) == len(few.captured_queries)


def test_county_staff_see_no_union_of_another_county_on_the_dashboard(client, bought, regions):
    staff = BureauStaffFactory(region=regions["濉溪县"], level="county").user
    client.force_login(staff)
    assert "淮北市第一中学工会" not in client.get(reverse("reports:dashboard")).content.decode()
