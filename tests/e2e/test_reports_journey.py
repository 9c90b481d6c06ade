"""Bureau staff in the browser: the dashboard with its charts, the annual Excel, the scope."""

import io
from decimal import Decimal

import pytest
from openpyxl import load_workbook
from playwright.sync_api import expect

from regions.models import BureauLevel
from reports import services
from tests.reports.conftest import at, pay, staff_user

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def sales(catalogue, regions):
    from tests.factories.accounts import UserFactory
    from tests.factories.payments import place_pending_order

    for product, qty, day in (
        (catalogue["pomegranate"], 2, "2026-03-03"),
        (catalogue["rice"], 3, "2026-04-10"),
    ):
        order = place_pending_order(UserFactory(), (product, qty))
        pay(order, at(day))
        services.sales_facts_sync(order_id=order.pk)
    return {
        "city": staff_user("city@example.com", regions["淮北市"], BureauLevel.CITY),
        "county": staff_user("county@example.com", regions["濉溪县"], BureauLevel.COUNTY),
    }


def login(page, email):
    page.goto(page.base_url + "/shop/accounts/login/")
    page.locator("#login_form input[name=login-username]").fill(email)
    page.locator("#login_form input[name=login-password]").fill("huinong-test")
    page.locator("#login_form button[name=login_submit]").click()
    page.wait_for_load_state()


def test_city_staff_see_charts_and_download_the_annual_excel(page, sales, screenshot):
    login(page, "city@example.com")
    page.goto(page.base_url + "/reports/?date_from=2026-01-01&date_to=2026-11-28")
    page.wait_for_function("window.hnCharts && window.hnCharts.length === 4")
    rows = page.locator("#county-table tbody tr")
    assert rows.count() == 4
    # under 1万 an amount stays in 元
    expect(page.locator("[data-kpi=sales] .hn-kpi__value")).to_have_text("315.70元")
    expect(page.locator("tr[data-region='340621']")).to_contain_text("179.70")
    screenshot("reports-dashboard-city")

    page.goto(page.base_url + "/reports/annual/?year=2026")
    screenshot("reports-annual-city")
    with page.expect_download() as download:
        page.click("#annual-xlsx")
    sheet = load_workbook(io.BytesIO(open(download.value.path(), "rb").read())).active
    by_label = {row[0]: row for row in sheet.iter_rows(values_only=True) if row and row[0]}
    assert Decimal(str(by_label["平台销售额（元）"][1])) == Decimal("315.70")  # 136.00 + 179.70


def test_county_staff_see_only_their_county(page, sales, screenshot):
    login(page, "county@example.com")
    page.goto(page.base_url + "/reports/?date_from=2026-01-01&date_to=2026-11-28")
    page.wait_for_function("window.hnCharts && window.hnCharts.length === 4")
    assert page.locator("#county-table tbody tr").all_inner_texts()[0].startswith("濉溪县")
    assert page.locator("#county-table tbody tr").count() == 1
    expect(page.locator("#content_inner")).not_to_contain_text("烈山区")
    screenshot("reports-dashboard-county")
    response = page.goto(page.base_url + "/reports/?region=340604")
    assert response.status == 403
