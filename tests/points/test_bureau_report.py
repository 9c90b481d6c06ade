"""The bureau's points report: exact figures per village, town and county, by aspect and
month against the year before, scoped to the staff member's region, with the awards behind a
figure, an Excel export, and a query count that does not grow with villages or rows."""

import datetime
import io
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from points import services
from points.bureau import points_report
from points.models import Household, Village
from points.services import Item
from tests.factories.points import rule_book
from tests.factories.regions import BureauStaffFactory


@pytest.fixture
def year_world(world):
    """This year's book, two credited awards and one redemption in 蔡桥村, one award in 马桥村."""
    today = timezone.localdate()
    if today.year != world.book.year:
        _book, world.rules = rule_book(world.regions["淮北市"], year=today.year)
    on = today - datetime.timedelta(days=1) if today.day > 1 else today
    home = world.households[0]
    far = Household.objects.create(
        village=world.other_village, code="MQ001", head_name="马某", phone_last4="0000"
    )
    world.other_village.clerks.add(world.clerk, world.clerk2)
    for household, rule in ((home, "army"), (home, "clean"), (far, "clean")):
        award = services.award_record(
            user=world.clerk,
            household_code=household.code,
            rule_id=world.rules[rule].pk,
            awarded_on=on,
            today=on,
        )
        services.award_review(user=world.clerk2, award_id=award.pk, passed=True, today=on)
        admin = BureauStaffFactory().user
        services.award_end_notice_early(user=admin, award_id=award.pk, reason="测试", today=today)
    services.redemption_create(
        user=world.manager,
        supermarket_id=world.supermarket.pk,
        household_code=home.code,
        items=[Item(world.goods["soap"].pk, 2)],
    )
    world.year = today.year
    return world


def test_the_report_adds_up_per_village_town_county_and_aspect(year_world):
    w = year_world
    report = points_report(region=w.regions["淮北市"], year=w.year)

    rows = {(r.level, r.name): r for r in report.rows}
    print([(r.level, r.name) for r in report.rows])
    village = rows[("village", "蔡桥村")]
    assert (village.households, village.participating, village.awarded, village.redeemed) == (
        3,
        1,
        60,
        10,
    )
    assert str(village.value) == "7.00"
    assert (rows[("village", "马桥村")].households, rows[("village", "马桥村")].awarded) == (1, 10)
    town = rows[("town", "濉溪镇")]
    county = rows[("county", "濉溪县")]
    assert (town.households, town.participating, town.awarded) == (4, 2, 70)
    assert (county.awarded, report.total.awarded, report.total.redeemed) == (70, 70, 10)
    assert str(report.total.participation) == "50.0"
    assert report.aspects == [("孝老敬亲", 50, 1), ("环境卫生", 20, 2)]
    month = timezone.localdate().month
    assert report.months[month - 1]["this"] == {
        "awarded": 70,
        "redeemed": 10,
        "value": report.total.value,
    }
    assert report.months[month - 1]["last"]["awarded"] == 0
    # The factory's opening stock was received this year: 4 oil + 50 soap.
    assert report.supermarkets == [
        {
            "name": "濉溪镇积分超市",
            "opening": 0,
            "received": 54,
            "redeemed": 2,
            "turnover": Decimal("3.7"),
        }
    ]


def test_county_staff_see_their_county_only(client, year_world):
    other = BureauStaffFactory(region=year_world.regions["烈山区"], level="county").user
    client.force_login(other)
    response = client.get(reverse("points:bureau"))
    assert response.status_code == 200
    assert response.context["report"].total.awarded == 0
    assert client.get(reverse("points:bureau"), {"region": "340621"}).status_code == 404
    county = BureauStaffFactory(region=year_world.regions["濉溪县"], level="county").user
    client.force_login(county)
    assert client.get(reverse("points:bureau")).context["report"].total.awarded == 70


def test_the_awards_behind_a_figure(client, year_world):
    client.force_login(BureauStaffFactory().user)
    response = client.get(
        reverse("points:bureau-awards"),
        {"year": year_world.year, "village": year_world.village.code, "aspect": "环境卫生"},
    )
    assert [(a.household.code, a.credited_points) for a in response.context["awards"]] == [
        ("CQ001", 10)
    ]


def test_the_excel_export_carries_the_figures(client, year_world):
    client.force_login(BureauStaffFactory().user)
    response = client.get(reverse("points:bureau-export"), {"year": year_world.year})
    book = load_workbook(io.BytesIO(response.content))
    rows = list(book.worksheets[0].iter_rows(values_only=True))
    total = rows[-1]
    assert total[0] == "合计" and total[5] == 70 and total[7] == 10
    assert book.sheetnames == ["分村统计", "分方面", "分月", "库存周转"]


def test_the_report_query_count_does_not_grow_with_villages(client, year_world):
    client.force_login(BureauStaffFactory().user)
    client.get(reverse("points:bureau"))

    def count():
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(reverse("points:bureau")).status_code == 200
        return len(ctx)

    few = count()
    for n in range(5):
        village = Village.objects.create(
            code=f"34062110030{n}",
            name=f"新村{n}",
            town=year_world.regions["濉溪镇"],
            supermarket=year_world.supermarket,
        )
        Household.objects.create(
            village=village, code=f"XC{n}01", head_name="某", phone_last4="1111"
        )
    assert count() == few
