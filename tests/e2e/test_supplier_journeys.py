"""Browser journeys of the supplier portal and the bureau's review pages."""

import re
from decimal import Decimal

import pytest
from django.utils import timezone
from oscar.core.loading import get_model
from playwright.sync_api import expect

from catalog.models import ListingStatus
from orders.models import OrderStatus
from regions.models import BureauLevel, BureauStaff
from suppliers.models import Certification, CertificationStatus
from tests.factories.accounts import UserFactory
from tests.factories.catalog import CategoryFactory, ProductFactory, SupplierFactory
from tests.suppliers.conftest import PDF_BYTES, paid_order

pytestmark = pytest.mark.django_db(transaction=True)

Partner = get_model("partner", "Partner")
Product = get_model("catalogue", "Product")
StockRecord = get_model("partner", "StockRecord")
ShippingEvent = get_model("order", "ShippingEvent")


@pytest.fixture(autouse=True)
def _private_root(settings, tmp_path):
    settings.SUPPLIERS_PRIVATE_ROOT = tmp_path / "private"


def login(page, email):
    page.context.clear_cookies()
    page.goto(page.base_url + "/shop/accounts/login/")
    page.locator("#login_form input[name=login-username]").fill(email)
    page.locator("#login_form input[name=login-password]").fill("huinong-test")
    page.locator("#login_form button[name=login_submit]").click()
    page.wait_for_load_state()


@pytest.fixture
def bureau(regions):
    county = UserFactory(email="county@example.com")
    city = UserFactory(email="city@example.com")
    BureauStaff.objects.create(
        user=county,
        region=regions["濉溪县"],
        level=BureauLevel.COUNTY,
        bureau_name="濉溪县乡村振兴局",
    )
    BureauStaff.objects.create(
        user=city, region=regions["淮北市"], level=BureauLevel.CITY, bureau_name="淮北市乡村振兴局"
    )
    return {"county": county, "city": city}


def test_a_new_supplier_is_certified_by_county_and_city_and_its_product_reaches_the_shop(
    page, regions, bureau, home_page, screenshot, tmp_path
):
    fruit = CategoryFactory(name="水果", slug="shui-guo")
    UserFactory(email="xinmiao@example.com")

    # The farm applies with its business licence.
    login(page, "xinmiao@example.com")
    page.goto(page.base_url + "/supplier/")
    page.wait_for_url(re.compile(r"/supplier/apply/"))
    page.fill("#id_name", "濉溪县新苗家庭农场")
    from tests.factories.catalog import make_credit_code

    page.fill("#id_credit_code", make_credit_code(4242))
    page.select_option("#id_supplier_type", "family_farm")
    page.select_option("#id_region", str(regions["濉溪镇"].pk))
    page.fill("#id_address", "濉溪县濉溪镇新苗村三组")
    page.fill("#id_contact_name", "李新苗")
    page.fill("#id_contact_phone", "13955512345")
    page.fill("#id_households_helped", "9")
    page.fill("#id_bank_name", "安徽濉溪农村商业银行")
    page.fill("#id_bank_account", "6228480012345678")
    licence = tmp_path / "营业执照.pdf"
    licence.write_bytes(PDF_BYTES)
    page.set_input_files("#id_business_license", str(licence))
    screenshot("supplier-apply")
    page.get_by_role("button", name="提交申请").click()
    page.wait_for_url(re.compile(r"/supplier/certification/"))
    expect(page.get_by_text("申请已提交").first).to_be_visible()

    # 濉溪县 recommends.
    login(page, "county@example.com")
    page.get_by_role("link", name=re.compile("认定审核")).first.click()
    page.wait_for_url(re.compile(r"/supplier/review/"))
    page.get_by_role("link", name="濉溪县新苗家庭农场").click()
    expect(page.get_by_role("link", name="营业执照")).to_be_visible()
    page.fill("#id_reason", "材料齐全，带贫情况属实")
    screenshot("review-county")
    page.get_by_role("button", name="推荐").click()
    page.wait_for_load_state()
    expect(page.get_by_text("已推荐：濉溪县新苗家庭农场")).to_be_visible()

    # 淮北市 approves: a certificate number and a validity period.
    login(page, "city@example.com")
    page.goto(page.base_url + "/supplier/review/")
    page.get_by_role("link", name="濉溪县新苗家庭农场").click()
    page.get_by_role("button", name="批准认定").click()
    page.wait_for_load_state()
    year = timezone.localdate().year
    expect(page.get_by_text(f"淮北消帮认〔{year}〕0001").first).to_be_visible()
    screenshot("review-city-approved")
    partner = Partner.objects.get(name="濉溪县新苗家庭农场")
    assert partner.is_certified
    cert = Certification.objects.get(partner=partner)
    assert cert.status == CertificationStatus.CERTIFIED
    assert list(cert.decisions.values_list("to_status", flat=True)) == [
        "applied",
        "recommended",
        "certified",
    ]

    # The supplier lists a product ...
    login(page, "xinmiao@example.com")
    page.goto(page.base_url + "/supplier/products/new/")
    page.fill("#id_title", "新苗农场 樱桃番茄 3斤装")
    page.select_option("#id_category", str(fruit.pk))
    page.fill("#id_spec", "1.5kg/箱")
    page.select_option("#id_origin_region", str(regions["濉溪镇"].pk))
    page.fill("#id_partner_sku", "XM-TOMATO-3")
    page.fill("#id_price", "29.90")
    page.fill("#id_num_in_stock", "120")
    page.locator("#product_form button[type=submit]").click()
    page.wait_for_url(re.compile(r"/supplier/products/\d+/"))
    page.get_by_role("button", name="提交上架审核").click()
    page.wait_for_load_state()
    expect(page.get_by_text("已提交上架审核").first).to_be_visible()

    # ... the city approves the listing ...
    login(page, "city@example.com")
    page.goto(page.base_url + "/supplier/review/listings/")
    item = page.locator(".sp-review-item", has_text="新苗农场 樱桃番茄 3斤装")
    screenshot("review-listings")
    item.get_by_role("button", name="通过上架").click()
    expect(page.get_by_text("“新苗农场 樱桃番茄 3斤装”已上架。")).to_be_visible()
    product = Product.objects.get(title="新苗农场 樱桃番茄 3斤装")
    assert product.listing_status == ListingStatus.LISTED

    # ... and shoppers find it in the shop.
    page.context.clear_cookies()
    page.goto(page.base_url + "/")
    box = page.locator("header input[name=q]").first
    box.fill("樱桃番茄")
    box.press("Enter")
    page.wait_for_url(re.compile(r"/shop/search/"))
    page.get_by_role("link", name="新苗农场 樱桃番茄 3斤装").first.click()
    expect(page.get_by_text("¥29.90").first).to_be_visible()
    expect(page.get_by_text("濉溪县新苗家庭农场").first).to_be_visible()
    screenshot("shop-new-product")


def test_a_supplier_edits_a_product_and_ships_an_order(page, regions, home_page, screenshot):
    user = UserFactory(email="supplier@example.com")
    tashan = SupplierFactory(name="淮北塔山石榴专业合作社", region=regions["烈山镇"])
    tashan.users.add(user)
    other = SupplierFactory(name="濉溪县口子酒业有限公司", region=regions["濉溪镇"])
    fruit = CategoryFactory(name="水果", slug="shui-guo")
    pomegranate = ProductFactory(
        title="塔山石榴 精品礼盒 6枚装",
        categories=[fruit],
        origin_region=regions["烈山区"],
        stockrecord__partner=tashan,
        stockrecord__price="68.00",
        stockrecord__num_in_stock=50,
    )
    liquor = ProductFactory(title="口子窖 500ml", stockrecord__partner=other)
    order = paid_order(UserFactory(email="consumer@example.com"), (pomegranate, 3), (liquor, 1))

    login(page, "supplier@example.com")
    page.get_by_role("link", name=re.compile("供应商中心")).first.click()
    page.wait_for_url(re.compile(r"/supplier/$"))
    expect(page.locator("[data-kpi=to-ship]")).to_have_text("1")
    expect(page.locator("[data-kpi=sales]")).to_have_text("¥204.00")
    screenshot("supplier-home")

    page.get_by_role("link", name=re.compile("商品管理")).first.click()
    page.get_by_role("link", name="塔山石榴 精品礼盒 6枚装").click()
    page.fill("#id_price", "72.00")
    page.fill("#id_num_in_stock", "80")
    screenshot("supplier-product-edit")
    page.locator("#product_form button[type=submit]").click()
    page.wait_for_load_state()
    expect(page.get_by_text("商品已保存").first).to_be_visible()
    record = StockRecord.objects.get(product=pomegranate)
    assert (record.price, record.num_in_stock) == (Decimal("72.00"), 80)

    page.get_by_role("link", name=re.compile("订单发货")).first.click()
    page.get_by_role("link", name=order.number).click()
    assert page.get_by_text("口子窖").count() == 0
    own_line = order.lines.get(partner=tashan)
    page.fill(f"#id_qty_{own_line.pk}", "4")
    page.select_option("#id_carrier", "sf")
    page.fill("#id_tracking_number", "SF1234567890123")
    page.get_by_role("button", name="确认发货").click()
    page.wait_for_load_state()
    expect(page.get_by_text("最多还能发 3 件，您填写了 4 件")).to_be_visible()
    assert ShippingEvent.objects.count() == 0

    page.fill(f"#id_qty_{own_line.pk}", "2")
    page.get_by_role("button", name="确认发货").click()
    page.wait_for_load_state()
    expect(page.get_by_text("已登记发货").first).to_be_visible()
    expect(page.locator(f"tr[data-line='{own_line.pk}'] [data-to-ship]")).to_have_text("1")
    page.fill(f"#id_qty_{own_line.pk}", "1")
    page.select_option("#id_carrier", "sf")
    page.fill("#id_tracking_number", "SF1234567891123")
    page.get_by_role("button", name="确认发货").click()
    expect(page.locator(f"tr[data-line='{own_line.pk}'] [data-to-ship]")).to_have_text("0")
    screenshot("supplier-order-shipped")
    events = ShippingEvent.objects.filter(order=order, partner=tashan)
    assert sorted(events.values_list("tracking_number", flat=True)) == [
        "SF1234567890123",
        "SF1234567891123",
    ]
    order.refresh_from_db()
    assert order.status == OrderStatus.PAID  # the other supplier has not shipped yet
