"""`manage.py seed_demo` builds a believable Huaibei marketplace and is safe to run again."""

import datetime
import io
from decimal import Decimal

import pytest
from django.contrib.sites.models import Site
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.utils import timezone
from oscar.core.loading import get_model
from PIL import Image
from wagtail.models import Revision

from accounts.models import User
from catalog.models import ListingStatus
from core.validators import validate_credit_code
from demo.services import STEPS
from demo.services.organisations import STAFF
from frontend.models import HomeFeaturedCategory, HomeFeaturedProduct, HomePage
from procurement.models import BudgetUnit, BudgetUnitMember, MemberRole, UnitType
from regions.models import BureauStaff, Region, RegionLevel
from suppliers.models import Certification, CertificationStatus, SupplierType

Category = get_model("catalogue", "Category")
Product = get_model("catalogue", "Product")
ProductCategory = get_model("catalogue", "ProductCategory")
ProductImage = get_model("catalogue", "ProductImage")
Partner = get_model("partner", "Partner")
StockRecord = get_model("partner", "StockRecord")

pytestmark = pytest.mark.django_db

COUNTIES = {"340602": "杜集区", "340603": "相山区", "340604": "烈山区", "340621": "濉溪县"}
IMAGE_FOLDER = "images/products/demo"


@pytest.fixture(scope="module")
def _demo_media(tmp_path_factory):
    return tmp_path_factory.mktemp("demo-media")


@pytest.fixture(autouse=True)
def _media_root(settings, _demo_media):
    """One media folder for the module: the pictures drawn by the first test are found by the
    next ones (as on a rerun), which keeps these tests quick."""
    settings.MEDIA_ROOT = _demo_media


@pytest.fixture
def seeded(home_page):
    call_command("seed_demo", quiet=True)


def _today() -> datetime.date:
    return timezone.localdate()


def test_regions_form_the_huaibei_tree(seeded):
    province = Region.objects.get(code="340000")
    city = Region.objects.get(code="340600")
    assert (province.name, province.level, province.depth) == ("安徽省", RegionLevel.PROVINCE, 1)
    assert (city.name, city.level, city.get_parent()) == ("淮北市", RegionLevel.CITY, province)
    counties = {c.code: c for c in city.get_children()}
    assert {code: c.name for code, c in counties.items()} == COUNTIES
    for county in counties.values():
        towns = list(county.get_children())
        assert len(towns) >= 3
        for town in towns:
            assert town.level == RegionLevel.TOWN
            assert len(town.code) == 9 and town.code.startswith(county.code)
    assert Region.objects.get(code="340621100").name == "濉溪镇"
    assert Region.objects.get(code="340604100").get_parent().name == "烈山区"


def test_categories_have_subcategories_and_ascii_slugs(seeded):
    roots = list(Category.get_root_nodes())
    assert len(roots) >= 8
    assert roots[0].name == "新鲜水果"
    assert sum(1 for root in roots if root.get_children_count() >= 2) >= 3
    for category in Category.objects.all():
        assert category.slug.isascii() and category.slug


def test_at_least_eighty_products_are_purchasable_in_eight_categories(seeded):
    purchasable = Product.objects.purchasable()
    assert purchasable.count() >= 80
    top_level = {
        category.get_root().pk
        for category in Category.objects.filter(product__in=purchasable).distinct()
    }
    assert len(top_level) >= 8
    assert purchasable.filter(title="塔山石榴 精品礼盒 6枚装").exists()
    assert purchasable.filter(title="濉溪大米 10kg").exists()
    assert Product.objects.exclude(listing_status=ListingStatus.LISTED).exists()
    assert Product.objects.filter(priority__gt=0).count() >= 5


def test_each_product_carries_its_farm_facts_stock_and_category(seeded):
    products = Product.objects.select_related("origin_region", "product_class")
    assert len({p.upc for p in products}) == products.count()
    for product in products:
        assert product.product_class.name == "农产品"
        assert product.product_class.track_stock and product.product_class.requires_shipping
        assert product.origin_region.level == RegionLevel.COUNTY
        assert product.origin_detail.startswith(product.origin_region.name)
        assert product.spec and product.shelf_life and product.storage
        assert product.description.startswith("<p>")
        assert product.slug.isascii()
        assert ProductCategory.objects.filter(product=product).count() == 1
        (record,) = product.stockrecords.all()
        assert record.price_currency == "CNY"
        assert record.price > 0 and record.price == record.price.quantize(Decimal("0.01"))
        assert record.num_in_stock > 0
    tashan = Product.objects.get(title="塔山石榴 精品礼盒 6枚装")
    assert (tashan.origin_detail, tashan.is_geo_indication) == ("烈山区烈山镇", True)
    assert StockRecord.objects.filter(num_in_stock__lt=20).exists()  # some run low


def test_only_products_of_validly_certified_suppliers_are_purchasable(seeded):
    today = _today()
    certified = Partner.objects.filter(certified_until__gte=today)
    assert certified.count() >= 12
    assert set(certified.values_list("supplier_type", flat=True)) == set(SupplierType.values)
    for county in Region.objects.counties():
        assert certified.filter(region__path__startswith=county.path).exists(), county.name

    for partner in certified:
        cert = partner.certifications.get()
        assert cert.status == CertificationStatus.CERTIFIED
        assert cert.certificate_no.startswith("淮北消帮认〔")
        assert partner.certified_until == cert.valid_until
        assert 700 <= (cert.valid_until - cert.valid_from).days <= 731
    assert certified.filter(certified_until__lte=today + datetime.timedelta(days=30)).exists()

    others = Partner.objects.exclude(pk__in=certified)
    states = set(Certification.objects.filter(partner__in=others).values_list("status", flat=True))
    assert states == {"applied", "recommended", "returned", "expired", "revoked"}
    assert all(partner.certified_until is None for partner in others)
    assert Product.objects.filter(stockrecords__partner__in=others).count() >= 4
    assert not Product.objects.purchasable().filter(stockrecords__partner__in=others).exists()


def test_credit_codes_of_suppliers_and_units_are_valid(seeded):
    for code in [
        *Partner.objects.values_list("credit_code", flat=True),
        *BudgetUnit.objects.values_list("credit_code", flat=True),
    ]:
        validate_credit_code(code)
    assert BudgetUnit.objects.get(name="淮北市财政局").credit_code.startswith("11")
    assert BudgetUnit.objects.get(name="淮北市第一中学").credit_code.startswith("12")


def test_budget_units_cover_the_city_and_every_county(seeded):
    units = BudgetUnit.objects.filter(kind="budget_unit").select_related("region")
    assert units.count() >= 20
    assert set(units.values_list("unit_type", flat=True)) == set(UnitType.values)
    assert units.filter(region__code="340600").exists()
    for county in Region.objects.counties():
        assert units.filter(region__path__startswith=county.path).exists(), county.name
    assert all(unit.supervising_unit for unit in units)


def test_demo_accounts_sign_in_and_hold_their_roles(seeded):
    emails = [
        "admin@example.com",
        "consumer@example.com",
        "supplier@example.com",
        "supplier2@example.com",
        "purchaser@example.com",
        "approver@example.com",
        "city@example.com",
        "county@example.com",
    ]
    for email in emails:
        user = User.objects.get(email=email)
        assert user.check_password("huinong-demo"), email
        assert user.last_name and user.first_name
    admin = User.objects.get(email="admin@example.com")
    assert admin.is_superuser and admin.is_staff
    assert not User.objects.filter(is_superuser=True).exclude(pk=admin.pk).exists()

    staff = {
        partner.name: sorted(partner.users.values_list("email", flat=True))
        for partner in Partner.objects.filter(users__isnull=False).distinct()
    }
    assert staff == {
        "淮北塔山石榴专业合作社": ["supplier@example.com"],
        "濉溪县口子酒业有限公司": ["supplier2@example.com"],
    }
    assert Partner.objects.get(name="淮北塔山石榴专业合作社").region.get_parent().name == "烈山区"
    assert Partner.objects.get(name="濉溪县口子酒业有限公司").region.code.startswith("340621")

    bureau = {
        s.user.email: (s.level, s.region.name, s.bureau_name, s.get_office_kind_display())
        for s in BureauStaff.objects.select_related("user", "region")
    }
    assert bureau == {
        "city@example.com": ("city", "淮北市", "淮北市乡村振兴局", "乡村振兴局"),
        "finance@example.com": ("city", "淮北市", "淮北市财政局", "财政局"),
        "county@example.com": ("county", "濉溪县", "濉溪县乡村振兴局", "乡村振兴局"),
    }
    members = set(BudgetUnitMember.objects.values_list("unit__name", "user__email", "role"))
    # The other demo units are bought for by one demo purchaser (the procurement demo step).
    others = {
        (name, "units-buyer@example.com", MemberRole.PURCHASER)
        for name in BudgetUnit.objects.filter(is_active=True, kind="budget_unit")
        .exclude(name="淮北市第一中学")
        .values_list("name", flat=True)
    }
    assert members == {
        ("淮北市第一中学", "purchaser@example.com", MemberRole.PURCHASER),
        ("淮北市第一中学", "approver@example.com", MemberRole.APPROVER),
        ("淮北市教育局", "supervisor@example.com", MemberRole.REVIEWER),
        # A self-registration waiting for 濉溪县's review: its registrant is admin and purchaser.
        ("濉溪县临涣中学", "register@example.com", MemberRole.ADMIN),
        ("濉溪县临涣中学", "register@example.com", MemberRole.PURCHASER),
        # The school's union (the “八进” step).
        ("淮北市第一中学工会", "union@example.com", MemberRole.PURCHASER),
        ("淮北市第一中学工会", "union-chair@example.com", MemberRole.APPROVER),
        # An enterprise, its union and a hospital, buying as organisations.
        ("淮北矿业集团", "enterprise@example.com", MemberRole.ADMIN),
        ("淮北矿业集团", "enterprise@example.com", MemberRole.PURCHASER),
        ("淮北矿业集团工会", "mine-union@example.com", MemberRole.PURCHASER),
        ("淮北矿业集团工会", "mine-union-chair@example.com", MemberRole.APPROVER),
        ("淮北矿工总医院", "hospital@example.com", MemberRole.ADMIN),
        ("淮北矿工总医院", "hospital@example.com", MemberRole.PURCHASER),
        # 临涣镇积分超市 restocks from the marketplace as a buyer (the points step).
        ("临涣镇积分超市", "shopkeeper@example.com", MemberRole.ADMIN),
        ("临涣镇积分超市", "shopkeeper@example.com", MemberRole.PURCHASER),
        ("临涣镇积分超市", "village-head@example.com", MemberRole.APPROVER),
        *others,
    }
    pending = BudgetUnit.objects.get(name="濉溪县临涣中学")
    assert (pending.is_active, pending.registration_status, pending.region.code) == (
        False,
        "pending",
        "340621",
    )


def test_home_page_is_published_with_featured_items(seeded):
    page = HomePage.objects.get(locale__language_code="zh-hans")
    assert page.live and not page.has_unpublished_changes
    assert (page.hero_title, page.hero_subtitle) == ("惠农集市", "买脱贫地区好物 · 助力乡村振兴")
    assert "消费帮扶" in page.intro
    categories = list(page.featured_categories.all())
    products = [item.product for item in page.featured_products.all()]
    assert len(categories) == 8 and len(products) == 8
    assert products[0].title == "塔山石榴 精品礼盒 6枚装"
    assert Product.objects.purchasable().filter(pk__in=[p.pk for p in products]).count() == 8
    site = Site.objects.get(pk=1)
    assert (site.domain, site.name) == ("127.0.0.1:8000", "惠农集市")
    # In English: the home page's own English texts, on its alias in the English tree.
    assert (page.hero_title_en, page.hero_button_text_en) == ("Huinong Market", "Start shopping")
    english = HomePage.objects.get(locale__language_code="en")
    assert english.alias_of_id == page.pk and english.live
    assert english.featured_categories.count() == 8
    assert english.hero_subtitle_en == page.hero_subtitle_en


def test_every_category_has_an_english_name(seeded):
    from demo.data import ENGLISH_NAMES

    names = dict(Category.objects.values_list("name", "name_en"))
    assert names == {name: ENGLISH_NAMES[name] for name in names}
    assert names["新鲜水果"] == "Fresh fruit" and all(names.values())


def test_every_product_has_one_generated_picture(seeded):
    assert ProductImage.objects.count() == Product.objects.count()
    for image in ProductImage.objects.select_related("product"):
        assert image.display_order == 0
        assert image.original.name == f"{IMAGE_FOLDER}/{image.product.upc}.jpg"
        with default_storage.open(image.original.name) as f:
            picture = Image.open(f)
            assert (picture.format, picture.size) == ("JPEG", (600, 600))


def _snapshot() -> dict:
    counted = [
        Region,
        Category,
        Partner,
        Partner.users.through,
        Certification,
        User,
        BureauStaff,
        Product,
        StockRecord,
        ProductCategory,
        ProductImage,
        BudgetUnit,
        BudgetUnitMember,
        HomeFeaturedCategory,
        HomeFeaturedProduct,
        Revision,
        Site,
    ]
    snapshot = {model._meta.label: model.objects.count() for model in counted}
    snapshot["product updates"] = sorted(Product.objects.values_list("pk", "date_updated"))
    snapshot["stock updates"] = sorted(StockRecord.objects.values_list("pk", "date_updated"))
    snapshot["passwords"] = sorted(User.objects.values_list("email", "password"))
    snapshot["region paths"] = sorted(Region.objects.values_list("code", "path"))
    return snapshot


def _picture_files() -> dict[str, bytes]:
    _, names = default_storage.listdir(IMAGE_FOLDER)
    files = {}
    for name in names:
        with default_storage.open(f"{IMAGE_FOLDER}/{name}") as f:
            files[name] = f.read()
    return files


def test_a_second_run_creates_and_changes_nothing(seeded):
    before, pictures = _snapshot(), _picture_files()
    assert len(pictures) == Product.objects.count()

    out = io.StringIO()
    call_command("seed_demo", stdout=out)

    assert _snapshot() == before
    assert _picture_files() == pictures  # same files, same bytes, no "_abc123" copies
    assert f"[{len(STEPS)}/{len(STEPS)}] {STEPS[-1]}" in out.getvalue()
    assert "新增" not in out.getvalue()
    assert "更新" not in out.getvalue()


def test_a_lost_picture_file_is_drawn_again_identically(seeded):
    image = ProductImage.objects.first()
    with default_storage.open(image.original.name) as f:
        original = f.read()
    default_storage.delete(image.original.name)

    call_command("seed_demo", quiet=True)

    with default_storage.open(image.original.name) as f:
        assert f.read() == original
    assert ProductImage.objects.filter(product=image.product).count() == 1


def test_an_existing_huaibei_tree_is_completed_in_place(regions, home_page):
    city_pk = regions["淮北市"].pk

    call_command("seed_demo", quiet=True)

    city = Region.objects.get(code="340600")
    assert city.pk == city_pk
    assert city.get_parent().code == "340000"
    assert Region.objects.get(code="340621100").name == "濉溪镇"
    assert Region.find_problems() == ([], [], [], [], [])


def test_every_demo_unit_has_approved_filings_and_orders_in_every_state(seeded):
    from oscar.core.loading import get_model

    from orders.models import OrderStatus
    from procurement.models import Filing, ProcurementRefund
    from procurement.services import quota_reconcile

    year = _today().year
    # Organisations file no reserved share (the “八进” step; tests/demo below).
    units = BudgetUnit.objects.filter(is_active=True, kind="budget_unit").count()
    approved = Filing.objects.filter(status="approved")
    assert approved.filter(policy_year__year=year).count() == units
    assert approved.filter(policy_year__year=year - 1).count() == units
    school = set(
        get_model("order", "Order")
        .objects.filter(procurement__unit__name="淮北市第一中学", date_placed__year=year)
        .values_list("status", flat=True)
    )
    assert school == set(OrderStatus.PROCUREMENT) - {OrderStatus.REFUNDED}
    # One completed order of the school has two units refunded after payment.
    refund = ProcurementRefund.objects.select_related("entry").get()
    assert refund.procurement.unit.name == "淮北市第一中学"
    assert refund.lines.get().quantity == 2
    assert refund.entry.completed_delta == -refund.amount
    # The school's canteen has a weekly list (常购清单) to order from in one step.
    from procurement.models import PurchaseList

    weekly = PurchaseList.objects.get(unit__name="淮北市第一中学")
    assert weekly.items.count() == 3
    rates = {f.unit.name: f.completion_rate for f in approved.filter(policy_year__year=year)}
    assert min(rates.values()) < Decimal("0.25") and Decimal("1") in rates.values()
    # The school has bought past its reserve (a floor, not a ceiling): 超额完成.
    assert rates["淮北市第一中学"] > Decimal("1")
    # 淮北市教育局 supervises the school; this year asks for its pre-review, and the school's
    # amendment waits for it (supervisor@example.com) with the approved figures in force.
    school_filing = approved.get(unit__name="淮北市第一中学", policy_year__year=year)
    assert school_filing.unit.supervisor.name == "淮北市教育局"
    assert school_filing.policy_year.supervisor_review_required is True
    assert school_filing.versions.order_by("-number").first().status == "prereview"
    assert quota_reconcile() == []
    # Last year's government procurement is in the hundreds of 万元, as in the bureau's report.
    from reports.selectors.figures import procurement_totals

    city = Region.objects.get(code="340600")
    completed = procurement_totals(year=year - 1, region=city)["completed"]
    assert Decimal("1000000") <= completed < Decimal("10000000")


def test_the_points_scheme_has_its_rule_book_villages_and_a_reconciled_year(seeded):
    from points.models import Award, AwardStatus, Household, Objection, Redemption, Rule, RuleBook
    from points.services import points_reconcile

    book = RuleBook.objects.get(year=_today().year, region__code="340600")
    assert book.aspects.count() == 8
    assert Rule.objects.filter(aspect__rule_book=book).count() == 38
    assert Household.objects.count() == 120
    counties = {
        code[:6]
        for code in Household.objects.values_list("village__town__code", flat=True).distinct()
    }
    assert counties == {"340621", "340604"}
    statuses = set(Award.objects.values_list("status", flat=True))
    assert {AwardStatus.CREDITED, AwardStatus.NOTICE, AwardStatus.PENDING} <= statuses
    assert Objection.objects.filter(decision="open").count() == 1
    assert Redemption.objects.exists()
    assert User.objects.get(email="clerk@example.com").points_villages.count() == 2
    assert User.objects.get(email="shopkeeper@example.com").points_supermarkets.count() == 2
    assert points_reconcile() == []


def test_the_supermarket_restocked_twice_from_the_marketplace(seeded):
    from orders.models import OrderStatus, SalesChannel
    from points.models import RestockOrder, StockMove
    from reports.models import SalesFact

    restocks = list(RestockOrder.objects.select_related("order").order_by("placed_at"))
    assert [r.supermarket.name for r in restocks] == ["临涣镇积分超市"] * 2
    assert [r.order.status for r in restocks] == [OrderStatus.ACCEPTED, OrderStatus.COMPLETED]
    for restock in restocks:
        assert restock.order.channel == SalesChannel.POINTS_SUPERMARKET
        assert restock.order.procurement.approvals.count() == 1
        assert sum(f.amount for f in restock.funding.all()) == restock.order.total_incl_tax
        moved = StockMove.objects.filter(order_line__order=restock.order)
        assert sum(m.delta for m in moved) == sum(
            line.quantity for line in restock.order.lines.all()
        )
        facts = SalesFact.objects.filter(order=restock.order)
        assert {f.channel for f in facts} == {SalesChannel.POINTS_SUPERMARKET}
        assert sum(f.amount for f in facts) == restock.total
    assert sorted(restocks[1].funding.values_list("source", flat=True)) == ["collective", "subsidy"]


def test_the_unions_holiday_order_went_to_fifty_addresses_and_was_accepted(seeded):
    from orders.models import OrderStatus, SalesChannel, Shipment
    from procurement.models import ProcurementOrder, StaffLink

    holiday = ProcurementOrder.objects.select_related("order", "unit").get(
        unit__name="淮北市第一中学工会"
    )
    order = holiday.order
    assert (order.channel, order.status) == (SalesChannel.UNION, OrderStatus.COMPLETED)
    assert sorted(line.quantity for line in order.lines.all()) == [50, 50]
    assert len({line.partner_id for line in order.lines.all()}) == 2
    assert order.group_addresses.count() == 50
    parcels = Shipment.objects.filter(order=order)
    assert parcels.count() == 100
    assert parcels.filter(shipping_event__acceptance__isnull=False).count() == 100
    assert len(set(parcels.values_list("shipping_event__tracking_number", flat=True))) == 100
    # One box arrived crushed: accepted as damaged with its reason, left out of the payment.
    from procurement.models import AcceptanceLine

    damaged = AcceptanceLine.objects.filter(acceptance__procurement=holiday, damaged__gt=0)
    assert [(a.accepted, a.damaged, a.acceptance.note) for a in damaged] == [
        (0, 1, "礼盒外箱压坏，石榴破损 1 盒")
    ]
    line = damaged.get().line
    assert sum(s.amount for s in holiday.settlements.all()) == order.total_incl_tax - (
        line.line_price_incl_tax / line.quantity
    )
    for email in ("union@example.com", "staffer@example.com"):
        assert User.objects.get(email=email).check_password("huinong-demo")
    links = StaffLink.objects.filter(status="active").select_related("unit", "user")
    assert sorted((link.user.email, link.unit.name) for link in links) == [
        (email, "淮北市第一中学") for email in sorted(STAFF)
    ]


def test_an_enterprise_its_union_and_a_hospital_completed_orders_as_organisations(seeded):
    from orders.models import OrderStatus, SalesChannel
    from procurement.models import ProcurementOrder, Settlement
    from procurement.selectors.organisations import union_progress

    placed = ProcurementOrder.objects.select_related("order", "unit__parent").filter(
        unit__name__in=("淮北矿业集团", "淮北矿业集团工会", "淮北矿工总医院")
    )
    year = timezone.localdate().year
    # This year's order of each, and a smaller one last September.
    assert sorted((p.unit.name, p.order.date_placed.year) for p in placed) == sorted(
        (name, y)
        for name in ("淮北矿业集团", "淮北矿业集团工会", "淮北矿工总医院")
        for y in (year - 1, year)
    )
    orders = {p.unit.name: p for p in placed if p.order.date_placed.year == year}
    assert {name: (p.unit.org_type, p.order.channel) for name, p in orders.items()} == {
        "淮北矿业集团": ("enterprise", SalesChannel.ORGANISATION),
        "淮北矿业集团工会": ("union", SalesChannel.UNION),
        "淮北矿工总医院": ("hospital", SalesChannel.ORGANISATION),
    }
    union = orders["淮北矿业集团工会"]
    assert union.unit.parent.name == "淮北矿业集团"
    # Above the union's ¥5,000 threshold: its chair approved it.
    assert [a.approver.email for a in union.approvals.all()] == ["mine-union-chair@example.com"]
    settlements = Settlement.objects.filter(procurement__in=placed)
    assert settlements.count() == 12  # 塔山 and 口子 for each of the six orders
    assert all(s.invoice_number and s.transfer_reference and s.received_at for s in settlements)
    assert {p.order.status for p in placed} == {OrderStatus.COMPLETED}
    progress = union_progress(union=union.unit, year=year)
    assert progress["target"] == Decimal("50000.00")
    assert progress["completed"] == union.order.total_incl_tax > Decimal("12000")
    assert progress["committed"] == Decimal("0.00")
