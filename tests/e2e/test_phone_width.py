"""Phone-sized pages (issue #18 item 8): every role signs in on a 390 px wide Chromium and
walks its main pages; none may scroll sideways (document.scrollingElement.scrollWidth <=
innerWidth). A table too wide for the screen scrolls inside its card or stacks its cells.

The data is made wide on purpose: amounts in the hundreds of millions, a closed year whose
annual report shows the live figure beside the snapshot's, orders with their detail pages."""

import datetime
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone
from oscar.core.loading import get_model

from orders.reference import country_cn
from reports import services as reports_services
from tests.factories.accounts import UserFactory
from tests.factories.payments import paid_order
from tests.factories.points import points_world
from tests.factories.procurement import FilingFactory, procurement_order_submit, shipment
from tests.factories.regions import BureauStaffFactory
from tests.points.restock_support import place, shop_open

pytestmark = pytest.mark.django_db(transaction=True)

PHONE = {"width": 390, "height": 844}

WIDTHS = "() => [document.scrollingElement.scrollWidth, window.innerWidth]"

# What sticks out, to say which element to fix when the test fails.
WIDEST = """() => Array.from(document.querySelectorAll('body *'))
  .filter((el) => el.getBoundingClientRect().right > window.innerWidth + 1)
  .slice(0, 5)
  .map((el) => `${el.tagName.toLowerCase()}.${String(el.className).slice(0, 40)}`
    + ` right=${Math.round(el.getBoundingClientRect().right)}`)"""


def overflows(contexts, user, paths):
    """{path: what sticks out} for the pages of ``paths`` wider than the screen, and the
    status of every page (each must answer 200)."""
    page = contexts(user, **PHONE)
    found, statuses = {}, {}
    for path in paths:
        response = page.goto(page.base_url + path)
        page.wait_for_load_state("networkidle")
        statuses[path] = response.status
        scroll_width, inner_width = page.evaluate(WIDTHS)
        assert inner_width == PHONE["width"]
        if scroll_width > inner_width:
            found[path] = (scroll_width, page.evaluate(WIDEST))
    return found, statuses


def test_no_page_of_any_role_scrolls_sideways_on_a_phone(
    contexts,
    catalogue,
    home_page,
    unit,
    purchaser,
    approver,
    policy_year,
    supplier_staff,
    regions,
):
    today = timezone.localdate()
    consumer = UserFactory(email="shopper@example.com")
    order = paid_order(consumer, (catalogue["pomegranate"], 2), (catalogue["rice"], 1))
    address = get_model("address", "UserAddress").objects.create(
        user=consumer,
        first_name="王小明",
        phone_number="+8613812345678",
        state="新疆维吾尔自治区",
        line4="克孜勒苏柯尔克孜自治州",
        line3="阿克陶县",
        line1="某某乡某某村幸福路 123 号院 4 号楼 5 单元 678 室",
        country=country_cn(),
    )
    city = BureauStaffFactory(user__email="city-phone@example.com").user
    county = BureauStaffFactory(
        user__email="county-phone@example.com",
        region=regions["濉溪县"],
        level="county",
        bureau_name="濉溪县乡村振兴局",
    ).user
    filing = FilingFactory(unit=unit, user=purchaser, year=policy_year.year, approved_by=city)
    unit_order = procurement_order_submit(purchaser, unit, filing, (catalogue["pomegranate"], 3))
    # Bureau-sized figures: 15.98亿元 of offline sales last year, closed, then a late entry,
    # so the annual report shows the live figure beside the snapshot's in its widest table.
    last_year = today.year - 1
    for county_name, amount in (("濉溪县", "1598000000.00"), ("烈山区", "5337876.75")):
        reports_services.offline_sale_record(
            date=datetime.date(last_year, 6, 1),
            region=regions[county_name],
            amount=Decimal(amount),
            note="八进机关",
        )
    reports_services.annual_report_close(year=last_year, region=regions["淮北市"], user=city)
    reports_services.offline_sale_record(
        date=datetime.date(last_year, 12, 30),
        region=regions["濉溪县"],
        amount=Decimal("123456789.01"),
        note="补录",
    )
    editor = get_user_model().objects.create_superuser(
        email="editor-phone@example.com", password="huinong-test"
    )
    world = points_world()
    restock = place(
        shop_open(world, catalogue), (catalogue["pomegranate"], 1), funding={"donation": "68.00"}
    )
    shipment(restock.order, partner=catalogue["supplier"])
    product = catalogue["pomegranate"].get_absolute_url()
    annual = f"/reports/annual/?year={last_year}"

    walks = {
        "consumer": (
            consumer,
            [
                "/",
                "/shop/catalogue/",
                product,
                "/shop/basket/",
                "/shop/accounts/",
                "/shop/accounts/orders/",
                f"/shop/accounts/orders/{order.number}/",
                "/shop/accounts/addresses/",
                "/shop/accounts/addresses/add/",
                f"/shop/accounts/addresses/{address.pk}/",
                "/stats/",
            ],
        ),
        "supplier": (
            supplier_staff,
            [
                "/supplier/",
                "/supplier/orders/",
                f"/supplier/orders/{order.number}/",
                "/supplier/products/",
                "/supplier/sales/",
                "/supplier/profile/",
                "/procurement/supplier/",
            ],
        ),
        "purchaser": (
            purchaser,
            [
                "/procurement/",
                "/procurement/filings/",
                "/procurement/orders/",
                f"/procurement/orders/{unit_order.number}/",
                "/procurement/members/",
            ],
        ),
        "approver": (
            approver,
            ["/procurement/", "/procurement/orders/", f"/procurement/orders/{unit_order.number}/"],
        ),
        "city bureau": (
            city,
            [
                "/reports/",
                annual,
                f"/reports/annual/close/?year={last_year - 1}",
                "/reports/drill/?region=340621",
                "/reports/entities/",
                "/reports/imports/new/",
                "/reports/indicators/",
                "/reports/offline/",
                "/procurement/bureau/",
                "/procurement/bureau/filings/",
                f"/procurement/bureau/filings/{filing.pk}/",
                "/procurement/bureau/units/",
                "/procurement/bureau/policy/",
                "/supplier/review/",
                "/points/bureau/",
            ],
        ),
        "county bureau": (
            county,
            ["/reports/", annual, "/procurement/bureau/", "/supplier/review/", "/points/bureau/"],
        ),
        "editor": (
            editor,
            [
                "/cms/",
                "/cms/pages/",
                "/dashboard/",
                "/dashboard/orders/",
                f"/dashboard/orders/{order.number}/",
                "/dashboard/catalogue/",
                "/dashboard/users/",
            ],
        ),
        "clerk": (world.clerk, ["/points/", "/points/clerk/"]),
        "shopkeeper": (
            world.manager,
            [
                "/points/shop/",
                "/points/shop/restock/?q=石榴",
                f"/points/shop/restock/{restock.order.number}/",
            ],
        ),
    }

    found, refused = {}, {}
    for role, (user, paths) in walks.items():
        wide, statuses = overflows(contexts, user, paths)
        if wide:
            found[role] = wide
        refused.update({f"{role} {p}": s for p, s in statuses.items() if s != 200})
    assert refused == {}
    assert found == {}, f"pages wider than a phone: {found}"
