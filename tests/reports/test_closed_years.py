"""Closed statistics years (年度统计关账): once the city's bureau closes a year, its annual
report (page, Excel, CSV, API) reads the snapshot taken at closing; the live figure is shown
beside it only where it differs; reopening is audited; only the city's bureau may do either."""

import datetime
import io
from decimal import Decimal

import pytest
from django.db import IntegrityError, connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from reports import selectors, services
from reports.exceptions import AnnualReportClosureError
from reports.models import AnnualReportClosure, AnnualReportSnapshot, ClosureStatus
from suppliers.models import CertificationStatus
from suppliers.services.certifications import certification_approve
from tests.factories.accounts import UserFactory
from tests.factories.suppliers import CertificationFactory
from tests.reports.test_pages import dataset  # noqa: F401 (the 2024/2025 fixed dataset)

pytestmark = pytest.mark.django_db
D = Decimal


def certify_today(region, user, households=50):
    """A supplier of ``region`` certified by the city today (the real service)."""
    certification = CertificationFactory(
        status=CertificationStatus.RECOMMENDED,
        partner__region=region,
        partner__households_helped=households,
    )
    certification_approve(certification=certification, user=user)
    return certification.partner


def close_2025(regions, city_staff):
    return services.annual_report_close(year=2025, region=regions["淮北市"], user=city_staff)


def test_closing_snapshots_the_city_and_each_county(dataset, regions, city_staff):  # noqa: F811
    closure = close_2025(regions, city_staff)
    assert (closure.year, closure.region, closure.closed_by, closure.status) == (
        2025,
        regions["淮北市"],
        city_staff,
        ClosureStatus.CLOSED,
    )
    assert sorted(s.region.name for s in closure.snapshots.all()) == [
        "杜集区",
        "淮北市",
        "濉溪县",
        "烈山区",
        "相山区",
    ]
    snapshot = selectors.annual_report_snapshot(year=2025, region=regions["濉溪县"])
    report = selectors.report_from_snapshot(snapshot.data, region=regions["濉溪县"])
    live = selectors.annual_report(year=2025, region=regions["濉溪县"])
    assert report == live  # exact Decimals back, the same shape the page reads


def test_a_supplier_certified_after_closing_does_not_change_the_report(
    client,
    dataset,  # noqa: F811
    regions,
    city_staff,
):
    before = selectors.annual_report(year=2025, region=regions["淮北市"])["headline"]
    close_2025(regions, city_staff)
    certify_today(regions["濉溪镇"], city_staff, households=50)

    live = selectors.annual_report(year=2025, region=regions["淮北市"])["headline"]
    assert (live["suppliers"], live["households"]) == (
        before["suppliers"] + 1,
        before["households"] + 50,
    )
    published = selectors.annual_report_as_published(year=2025, region=regions["淮北市"])
    assert published["report"]["headline"] == before

    client.force_login(city_staff)
    response = client.get(reverse("reports:annual"), {"year": 2025})
    headline = {row[0][0]: row for row in response.context["sections"][0][4]}
    assert headline["认定供应商（家）"][1] == (before["suppliers"], before["suppliers"] + 1)
    assert headline["带动脱贫户数（户）"][1] == (before["households"], before["households"] + 50)
    # Only the two changed figures carry a live value.
    assert response.context["difference_count"] == 2
    assert headline["平台销售额（元）"][1] == ("1,255.80", None)
    page = response.content.decode()
    assert "已于" in page and "关账" in page
    assert f"现值 {before['households'] + 50}" in page
    assert page.count('class="hn-live"') == 2

    # The Excel holds the snapshot, and lists the differences with their live values.
    rows = list(
        load_workbook(
            io.BytesIO(client.get(reverse("reports:annual-xlsx"), {"year": 2025}).content)
        ).active.iter_rows(values_only=True)
    )
    by_label = {row[0]: row for row in rows if row[0]}
    assert by_label["认定供应商（家）"][1] == before["suppliers"]
    assert "关账" in rows[2][0]
    changes = rows[[r[0] for r in rows].index("表") + 1 :]
    assert [(r[1], r[3], r[4]) for r in changes] == [
        ("认定供应商（家）", before["suppliers"], before["suppliers"] + 1),
        ("带动脱贫户数（户）", before["households"], before["households"] + 50),
    ]
    # The API reads the snapshot too.
    api = client.get("/api/v1/reports/annual/2025").json()
    assert api["closed_at"] is not None


def test_a_county_report_of_a_closed_year_is_its_snapshot(
    client,
    dataset,  # noqa: F811
    regions,
    city_staff,
    county_staff,
):
    close_2025(regions, city_staff)
    services.offline_sale_record(
        date=datetime.date(2025, 12, 30), region=regions["濉溪县"], amount=D("500.00"), note="补录"
    )
    client.force_login(county_staff)
    response = client.get(reverse("reports:annual"), {"year": 2025})
    assert response.context["report"]["headline"]["sales"] == D("1119.80")
    county = {row[1][0]: row for row in response.context["sections"][1][4]}
    assert county["濉溪县"][2] == ("1,119.80", "1,619.80")
    assert response.context["may_reopen"] is False  # the county cannot reopen
    csv_text = client.get(
        reverse("reports:annual-csv"), {"year": 2025, "table": "county"}
    ).content.decode("utf-8-sig")
    assert "340621,濉溪县,1119.80" in csv_text


def test_reopening_is_audited_and_the_report_is_live_again(
    client,
    dataset,  # noqa: F811
    regions,
    city_staff,
):
    closure = close_2025(regions, city_staff)
    certify_today(regions["濉溪镇"], city_staff)
    client.force_login(city_staff)
    url = reverse("reports:annual-reopen", args=[closure.pk])

    response = client.post(url, {"reason": "  "})
    assert response.status_code == 400
    assert "请填写重新打开的原因。" in response.content.decode()
    closure.refresh_from_db()
    assert (closure.status, closure.reopened_by, closure.reopen_reason) == ("closed", None, "")

    response = client.post(url, {"reason": "县区补报12月数据"})
    assert response.status_code == 302
    closure.refresh_from_db()
    assert (closure.status, closure.reopened_by, closure.reopen_reason) == (
        ClosureStatus.REOPENED,
        city_staff,
        "县区补报12月数据",
    )
    assert timezone.now() - closure.reopened_at < datetime.timedelta(minutes=1)
    page = client.get(reverse("reports:annual"), {"year": 2025})
    assert page.context["closure"] is None and page.context["difference_count"] == 0
    assert "重新打开，原因：县区补报12月数据" in page.content.decode()
    # Reopened already: a second reopen finds no closing in force.
    assert client.post(url, {"reason": "again"}).status_code == 404
    # Closing again takes a new snapshot, with today's figures.
    again = close_2025(regions, city_staff)
    assert again.pk != closure.pk
    assert AnnualReportClosure.objects.filter(year=2025).count() == 2


def test_the_city_closes_through_the_confirmation_page(
    client,
    dataset,  # noqa: F811
    regions,
    city_staff,
):
    client.force_login(city_staff)
    page = client.get(reverse("reports:annual"), {"year": 2025})
    assert page.context["may_close"] is True
    confirm = client.get(reverse("reports:annual-close"), {"year": 2025})
    assert confirm.status_code == 200
    html = confirm.content.decode()
    assert "确认关账" in html and "濉溪县" in html
    assert AnnualReportClosure.objects.count() == 0  # the GET wrote nothing

    response = client.post(reverse("reports:annual-close"), {"year": 2025})
    assert response.status_code == 302
    assert AnnualReportClosure.objects.get().closed_by == city_staff
    # Twice: refused with a message, nothing more written.
    response = client.post(reverse("reports:annual-close"), {"year": 2025}, follow=True)
    assert "2025 年度统计已关账。" in response.content.decode()
    assert AnnualReportClosure.objects.count() == 1
    assert AnnualReportSnapshot.objects.count() == 5


def test_the_current_year_cannot_be_closed(regions, city_staff):
    year = timezone.localdate().year
    with pytest.raises(AnnualReportClosureError, match="尚未结束"):
        services.annual_report_close(year=year, region=regions["淮北市"], user=city_staff)
    assert AnnualReportClosure.objects.count() == 0


@pytest.mark.parametrize("who", ["county", "consumer"])
def test_only_the_city_bureau_may_close_or_reopen(client, regions, city_staff, county_staff, who):
    closure = close_2025(regions, city_staff)
    user = county_staff if who == "county" else UserFactory()
    client.force_login(user)
    assert client.get(reverse("reports:annual-close"), {"year": 2024}).status_code == 403
    assert client.post(reverse("reports:annual-close"), {"year": 2024}).status_code == 403
    reopen = reverse("reports:annual-reopen", args=[closure.pk])
    assert client.post(reopen, {"reason": "x"}).status_code == 403
    with pytest.raises(AnnualReportClosureError):
        services.annual_report_close(year=2024, region=regions["淮北市"], user=user)
    with pytest.raises(AnnualReportClosureError):
        services.annual_report_reopen(closure_id=closure.pk, user=user, reason="x")
    closure.refresh_from_db()
    assert closure.status == ClosureStatus.CLOSED
    assert AnnualReportClosure.objects.count() == 1


def test_anonymous_visitors_are_sent_to_sign_in(client, regions, city_staff):
    closure = close_2025(regions, city_staff)
    for url in (
        reverse("reports:annual-close") + "?year=2024",
        reverse("reports:annual-reopen", args=[closure.pk]),
    ):
        response = client.post(url, {"year": 2024, "reason": "x"})
        assert response.status_code == 302 and "login" in response["Location"]
    assert AnnualReportClosure.objects.count() == 1


def test_the_database_keeps_one_closing_in_force(regions, city_staff):
    close_2025(regions, city_staff)
    with pytest.raises(IntegrityError):
        AnnualReportClosure.objects.create(
            year=2025, region=regions["淮北市"], closed_by=city_staff, closed_at=timezone.now()
        )


def test_a_reopening_without_a_reason_is_refused_by_the_database(regions, city_staff):
    closure = close_2025(regions, city_staff)
    closure.status = ClosureStatus.REOPENED
    closure.reopened_by = city_staff
    closure.reopened_at = timezone.now()
    with pytest.raises(IntegrityError):
        closure.save()


def test_the_annual_page_of_a_closed_year_takes_a_constant_number_of_queries(
    client,
    dataset,  # noqa: F811
    regions,
    city_staff,
):
    close_2025(regions, city_staff)
    client.force_login(city_staff)
    client.get(reverse("reports:annual"), {"year": 2025})
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("reports:annual"), {"year": 2025})
    for n in range(3):
        certify_today(regions["濉溪镇"], city_staff)
        services.offline_sale_record(
            date=datetime.date(2025, 3, n + 1), region=regions["杜集区"], amount=D("10.00")
        )
    with CaptureQueriesContext(connection) as more:
        client.get(reverse("reports:annual"), {"year": 2025})
    assert len(more) == len(few)
