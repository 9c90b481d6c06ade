"""Dashboards, drill-down, annual report and API: region scoping, exact figures, exports."""

import datetime
import io
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.urls import reverse
from openpyxl import load_workbook

from reports import selectors, services
from reports.exports import report_tables, safe_cell
from reports.models import EcommerceEntity, EntityMonthlyFigure, IndicatorRecord, Platform
from tests.factories.accounts import UserFactory
from tests.reports.conftest import PROCUREMENT_TOTALS, at, refund

pytestmark = pytest.mark.django_db
D = Decimal


@pytest.fixture
def dataset(paid_order_factory, catalogue, regions):
    """2024 and 2025 orders, a refund, offline sales, entities with figures, an indicator.

    2025: pomegranate 2 x 68.00 = 136.00 (烈山区, 3 May); rice 3 x 59.90 = 179.70 (濉溪县,
    10 Jun; free shipping from 99), 59.90 refunded on 12 Jun; offline 1,000.00 (濉溪县,
    1 Jul).  2024: rice 1 x 59.90 (濉溪县, 5 May; 8.00 shipping not counted).
    """
    o1 = paid_order_factory((catalogue["pomegranate"], 2), when=at("2025-05-03"))
    o2 = paid_order_factory((catalogue["rice"], 3), when=at("2025-06-10"))
    o3 = paid_order_factory((catalogue["rice"], 1), when=at("2024-05-05"))
    for order in (o1, o2, o3):
        services.sales_facts_sync(order_id=order.pk)
    refund(o2, "59.90", at("2025-06-12"))
    services.sales_facts_sync(order_id=o2.pk)
    services.offline_sale_record(
        date=datetime.date(2025, 7, 1), region=regions["濉溪县"], amount=D("1000.00"), note="进机关"
    )
    shop = EcommerceEntity.objects.create(
        name="濉溪电商",
        platform=Platform.TAOBAO,
        shop_name="濉溪好物",
        region=regions["濉溪镇"],
        registered_on=datetime.date(2025, 2, 1),
    )
    old = EcommerceEntity.objects.create(
        name="烈山电商",
        platform=Platform.JD,
        shop_name="烈山石榴",
        region=regions["烈山区"],
        registered_on=datetime.date(2024, 2, 1),
    )
    EntityMonthlyFigure.objects.create(
        entity=shop, month=datetime.date(2025, 3, 1), retail_amount=D("50000.00")
    )
    EntityMonthlyFigure.objects.create(
        entity=old, month=datetime.date(2025, 3, 1), retail_amount=D("30000.00")
    )
    EntityMonthlyFigure.objects.create(
        entity=old, month=datetime.date(2024, 3, 1), retail_amount=D("64000.00")
    )
    services.retail_rollup_rebuild()
    IndicatorRecord.objects.create(
        indicator="ag_online_retail",
        region=regions["濉溪县"],
        month=datetime.date(2025, 3, 1),
        value=D("9990000.00"),
        source="县商务局",
    )
    PROCUREMENT_TOTALS[(2025, "340600")] = {
        "reserved": D("8000000"),
        "committed": D("6500000"),
        "completed": D("6040100"),
        "unit_count": 12,
    }
    assert o2.total_incl_tax == D("179.70")
    return {"orders": (o1, o2, o3)}


def test_annual_report_numbers_on_a_fixed_dataset(dataset, regions):
    report = selectors.annual_report(year=2025, region=regions["淮北市"])
    h = report["headline"]
    # 136.00 + 179.70 - 59.90 + 1000.00 offline
    assert h["sales"] == D("1255.80")
    assert h["sales_last"] == D("59.90")
    assert h["sales_yoy"] == D("1996.5")
    assert h["procurement"]["completed"] == D("6040100")
    assert h["procurement"]["rate"] == D("75.5")
    assert h["procurement_last"]["completed"] == D("0")
    assert (h["retail"], h["retail_last"], h["retail_yoy"]) == (
        D("80000.00"),
        D("64000.00"),
        D("25.0"),
    )
    assert (h["new_entities"], h["new_entities_last"], h["active_entities"]) == (1, 1, 2)
    counties = {c["name"]: (c["sales"], c["retail"], c["new_entities"]) for c in report["counties"]}
    assert counties == {
        "杜集区": (D("0"), D("0"), 0),
        "相山区": (D("0"), D("0"), 0),
        "烈山区": (D("136.00"), D("30000.00"), 0),
        "濉溪县": (D("1119.80"), D("50000.00"), 1),
    }
    channels = {c["channel"]: c["amount"] for c in report["channels"]}
    assert (channels["consumer"], channels["offline"], channels["procurement"]) == (
        D("255.80"),
        D("1000.00"),
        D("0"),
    )
    assert report["months"][5]["sales"] == D("119.80")  # June: 179.70 - 59.90
    assert [(i["label"], i["value"], i["source"]) for i in report["indicators"]] == [
        ("农产品网络零售额", D("9990000.00"), "县商务局")
    ]


def test_city_staff_downloads_the_annual_excel_matching_the_orders(client, dataset, city_staff):
    client.force_login(city_staff)
    response = client.get(reverse("reports:annual-xlsx"), {"year": 2025})
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = [[c for c in row] for row in sheet.iter_rows(values_only=True)]
    assert rows[0][0] == "淮北市2025年度消费帮扶工作统计表"
    by_label = {row[0]: row for row in rows if row[0]}
    assert D(str(by_label["平台销售额（元）"][1])) == D("1255.80")
    assert D(str(by_label["平台销售额（元）"][3])) == D("19.965")  # shown as 1996.5%
    assert D(str(by_label["政府采购农副产品完成额（元）"][1])) == D("6040100")
    assert D(str(by_label["上行农产品网络零售额（电商主体报送，元）"][1])) == D("80000.00")
    assert by_label["新增农村电商主体（家）"][1] == 1
    county_row = next(r for r in rows if r[1] == "濉溪县")
    assert (county_row[0], D(str(county_row[2]))) == ("340621", D("1119.80"))

    csv_text = client.get(
        reverse("reports:annual-csv"), {"year": 2025, "table": "channel"}
    ).content.decode("utf-8-sig")
    assert "线下“八进”活动,1000.00,0.00" in csv_text


def test_the_annual_page_prints_the_headline(client, dataset, city_staff):
    client.force_login(city_staff)
    page = client.get(reverse("reports:annual"), {"year": 2025}).content.decode()
    assert "淮北市2025年度消费帮扶工作统计" in page
    assert "共采购农副产品604.01万元" in page
    assert "新增农村电商主体1家" in page


def test_dashboard_shows_city_staff_every_county_with_exact_totals(client, dataset, city_staff):
    client.force_login(city_staff)
    response = client.get(
        reverse("reports:dashboard"), {"date_from": "2025-01-01", "date_to": "2025-12-31"}
    )
    assert response.status_code == 200
    summary = response.context["summary"]
    assert summary["kpi"]["sales"] == D("1255.80")
    assert summary["kpi"]["retail"] == D("80000.00")  # reported, shown apart
    assert [c["name"] for c in summary["counties"]] == ["杜集区", "相山区", "烈山区", "濉溪县"]
    assert summary["charts"]["trend"][4:7] == ["136.00", "119.80", "1000.00"]
    assert summary["charts"]["trend_last"][4] == "59.90"
    page = response.content.decode()
    assert "chart.umd.min.js" in page and "官方指标" in page


def test_county_staff_see_only_their_county(client, dataset, county_staff):
    client.force_login(county_staff)
    response = client.get(
        reverse("reports:dashboard"), {"date_from": "2025-01-01", "date_to": "2025-12-31"}
    )
    summary = response.context["summary"]
    assert [c["name"] for c in summary["counties"]] == ["濉溪县"]
    assert summary["kpi"]["sales"] == D("1119.80")
    assert summary["kpi"]["retail"] == D("50000.00")
    assert "烈山区" not in response.content.decode()
    report = client.get(reverse("reports:annual-xlsx"), {"year": 2025})
    sheet = load_workbook(io.BytesIO(report.content)).active
    assert sheet["A1"].value == "濉溪县2025年度消费帮扶工作统计表"


@pytest.mark.parametrize(
    "url",
    [
        "reports:dashboard",
        "reports:drilldown",
        "reports:annual",
        "reports:annual-xlsx",
        "reports:annual-csv",
    ],
)
def test_county_staff_cannot_reach_another_region_by_url_parameter(
    client, dataset, county_staff, url
):
    client.force_login(county_staff)
    for code in ("340604", "340600", "999999"):
        assert client.get(reverse(url), {"region": code, "year": 2025}).status_code == 403


def test_people_who_are_not_bureau_staff_are_refused(client, dataset):
    assert client.get(reverse("reports:dashboard")).status_code == 302  # to the login page
    client.force_login(UserFactory(email="shopper@example.com"))
    for url in (
        "reports:dashboard",
        "reports:annual-xlsx",
        "reports:entity-list",
        "reports:import",
    ):
        assert client.get(reverse(url)).status_code == 403


def test_drilldown_county_to_supplier_to_product(client, dataset, county_staff, catalogue):
    client.force_login(county_staff)
    params = {"date_from": "2025-01-01", "date_to": "2025-12-31"}
    data = client.get(reverse("reports:drilldown"), params).context["data"]
    assert [(r["name"], r["amount"]) for r in data["rows"]] == [
        ("（未关联）", D("1000.00")),
        ("濉溪县濉河农业发展有限公司", D("119.80")),
    ]
    supplier = catalogue["rice"].stockrecords.get().partner
    products = client.get(
        reverse("reports:drilldown"), {**params, "supplier": supplier.pk}
    ).context["data"]
    assert [(r["name"], r["quantity"], r["amount"]) for r in products["rows"]] == [
        ("濉溪大米 10kg", 3, D("119.80"))
    ]
    # 烈山区's supplier is outside the county: not found, nothing shown
    other = catalogue["supplier"]
    assert (
        client.get(reverse("reports:drilldown"), {**params, "supplier": other.pk}).status_code
        == 404
    )


def test_api_is_scoped_like_the_pages(client, dataset, city_staff, county_staff):
    client.force_login(county_staff)
    url = "/api/v1/reports/summary"
    answer = client.get(url, {"date_from": "2025-01-01", "date_to": "2025-12-31"}).json()
    assert (answer["region_code"], answer["sales"]) == ("340621", "1119.80")
    assert [c["name"] for c in answer["counties"]] == ["濉溪县"]
    refused = client.get(url, {"region": "340604"})
    assert refused.status_code == 403
    assert refused.json() == {"detail": "您无权查看该区域的数据。"}
    assert client.get("/api/v1/reports/annual/2025", {"region": "340600"}).status_code == 403
    assert client.get(url, {"channel": "bogus"}).status_code == 400
    client.force_login(city_staff)
    annual = client.get("/api/v1/reports/annual/2025").json()
    assert (annual["sales"], annual["procurement"]["completed"]) == ("1255.80", "6040100.00")
    client.logout()
    assert client.get(url).status_code == 401


def test_dashboard_query_count_does_not_grow_with_the_data(
    client, dataset, city_staff, paid_order_factory, catalogue, django_assert_max_num_queries
):
    client.force_login(city_staff)
    # 35 with the "八进" tables (a fixed handful of queries, see docs/organisations.md).
    with django_assert_max_num_queries(36) as first:
        client.get(reverse("reports:dashboard"))
    for day in ("2025-01-03", "2025-02-03", "2025-03-03", "2025-08-03"):
        order = paid_order_factory((catalogue["grapes"], 1), when=at(day))
        services.sales_facts_sync(order_id=order.pk)
    with django_assert_max_num_queries(len(first.captured_queries)):
        client.get(reverse("reports:dashboard"))


def test_exports_escape_formula_cells():
    assert [safe_cell(v) for v in ("=1+1", "+86", "-2", "@SUM", "正常", 5)] == [
        "'=1+1",
        "'+86",
        "'-2",
        "'@SUM",
        "正常",
        5,
    ]


def test_an_entity_name_that_looks_like_a_formula_is_escaped_in_the_excel(
    client, city_staff, regions
):
    IndicatorRecord.objects.create(
        indicator="ag_online_retail",
        region=regions["濉溪县"],
        month=datetime.date(2025, 1, 1),
        value=D("1.00"),
        source="=cmd|' /C calc'!A0",
    )
    client.force_login(city_staff)
    sheet = load_workbook(
        io.BytesIO(client.get(reverse("reports:annual-xlsx"), {"year": 2025}).content)
    ).active
    texts = [c.value for row in sheet.iter_rows() for c in row if isinstance(c.value, str)]
    assert not any(t.startswith("=") for t in texts)


def test_public_statistics_are_cached_and_refreshed_by_the_task(dataset, catalogue, client):
    stats = selectors.public_statistics()
    assert stats == {
        "sales_total": D("1315.70"),
        "supplier_count": 2,
        "product_count": 3,
        "households_helped": 48,  # 36 + the rice supplier's 12
    }
    services.offline_sale_record(
        date=datetime.date(2025, 7, 2), region=catalogue["rice"].origin_region, amount=D("9.40")
    )
    assert selectors.public_statistics()["sales_total"] == D("1315.70")  # cached
    from reports.tasks import public_statistics_refresh_task

    public_statistics_refresh_task()
    assert selectors.public_statistics()["sales_total"] == D("1325.10")
    page = client.get("/stats/").content.decode()
    assert "1,325.10元" in page  # under 1万 an amount stays in 元
    assert client.get("/api/v1/reports/public").json()["sales_total"] == "1325.10"


def test_staff_record_an_offline_sale_within_their_scope(client, county_staff, regions):
    client.force_login(county_staff)
    refused = client.post(
        reverse("reports:offline"),
        {
            "date": "2025-05-01",
            "region": regions["烈山区"].pk,
            "amount": "100",
            "note": "进学校",
        },
    )
    assert "region" in refused.context["form"].errors
    ok = client.post(
        reverse("reports:offline"),
        {
            "date": "2025-05-01",
            "region": regions["濉溪县"].pk,
            "amount": "100",
            "note": "进学校",
        },
    )
    assert ok.status_code == 302
    call_command("reconcile_sales")


def test_a_range_cutting_months_reads_the_edge_days_exactly(dataset, regions):
    from reports.selectors.figures import region_index, rollup_rows, split_range

    assert split_range(datetime.date(2025, 5, 3), datetime.date(2025, 8, 11)) == (
        datetime.date(2025, 6, 1),
        datetime.date(2025, 7, 1),
        [
            (datetime.date(2025, 5, 3), datetime.date(2025, 5, 31)),
            (datetime.date(2025, 8, 1), datetime.date(2025, 8, 11)),
        ],
    )
    index = region_index(regions["淮北市"])
    # 3 May .. 11 June: the pomegranates and the rice, not the refund of 12 June
    rows = rollup_rows(
        index=index, date_from=datetime.date(2025, 5, 3), date_to=datetime.date(2025, 6, 11)
    )
    assert sum(r["amount"] for r in rows) == D("315.70")
    rows = rollup_rows(
        index=index, date_from=datetime.date(2025, 5, 4), date_to=datetime.date(2025, 6, 30)
    )
    assert sum(r["amount"] for r in rows) == D("119.80")


def test_importing_figures_shows_on_the_dashboard(
    client, dataset, county_staff, django_capture_on_commit_callbacks
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(county_staff)
    csv_data = "平台,店铺名称,月份,网络零售额（元）\n淘宝,濉溪好物,2025-04,1234.56\n".encode()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("reports:import"),
            {"kind": "figures", "file": SimpleUploadedFile("m.csv", csv_data)},
        )
    summary = client.get(
        reverse("reports:dashboard"), {"date_from": "2025-01-01", "date_to": "2025-12-31"}
    ).context["summary"]
    assert summary["kpi"]["retail"] == D("51234.56")


def test_the_reports_api_is_in_the_openapi_schema(client):
    schema = client.get("/api/v1/openapi.json").json()
    assert {
        "/api/v1/reports/summary",
        "/api/v1/reports/annual/{year}",
        "/api/v1/reports/public",
    } <= set(schema["paths"])


def test_annual_tables_name_their_basis_and_show_both_procurement_bases(
    client, dataset, regions, city_staff
):
    # 濉溪县's units completed ¥550,700 (by buyer region); its products sold ¥0 through the
    # procurement channels (by origin): both are shown, side by side, never added.
    PROCUREMENT_TOTALS[(2025, "340621")] = {
        "reserved": D("600000"),
        "committed": D("0"),
        "completed": D("550700"),
        "unit_count": 3,
    }
    IndicatorRecord.objects.create(
        indicator="ag_online_retail",
        region=regions["濉溪县"],
        month=datetime.date(2024, 3, 1),
        value=D("9000000.00"),
        source="县商务局",
    )
    report = selectors.annual_report(year=2025, region=regions["淮北市"])
    header, rows = report_tables(report)["county"]
    assert header[5:7] == [
        "其中采购渠道（元，按产品产地）",
        "预算单位采购完成额（元，按采购单位所在地）",
    ]
    assert [r[5:7] for r in rows if r[1] == "濉溪县"] == [[D("0"), D("550700")]]
    # The official indicator with the year before and its change.
    header, rows = report_tables(report)["headline"]
    assert rows[-1] == [
        "官方指标：农产品网络零售额（县商务局，元）",
        D("9990000.00"),
        D("9000000.00"),
        "11.0%",
    ]

    client.force_login(city_staff)
    page = client.get(reverse("reports:annual"), {"year": 2025}).content.decode()
    assert 'data-basis="county">口径：平台销售额及其采购渠道按产品产地县区统计' in page
    assert 'data-basis="channel">口径：按销售渠道统计' in page
