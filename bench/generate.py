"""The bench catalogue: 淮北市's counties, certified suppliers, categories and products.

Everything is created in bulk (``bulk_create``) except the treebeard trees, which are built
node by node with ``add_root``/``add_child`` so that their paths are right. A row in
``bench_meta`` records what was generated; ``catalogue_is_current`` compares it with what a
run asks for, so that an unchanged catalogue is reused between runs.

Call these functions with Django set up on ``bench.settings``.
"""

import datetime
import io
import json
import random
from decimal import Decimal
from pathlib import Path

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone
from oscar.checks import use_productcategory_materialised_view
from oscar.core.loading import get_class, get_model

from catalog.models import ListingStatus
from catalog.utils import pinyin_slugify
from core.validators import credit_code_check_char
from regions.models import Region, RegionLevel
from suppliers.models import Certification, CertificationStatus, SupplierType

Product = get_model("catalogue", "Product")
ProductClass = get_model("catalogue", "ProductClass")
Category = get_model("catalogue", "Category")
ProductCategory = get_model("catalogue", "ProductCategory")
ProductImage = get_model("catalogue", "ProductImage")
Partner = get_model("partner", "Partner")
StockRecord = get_model("partner", "StockRecord")
Basket = get_model("basket", "Basket")

# Bump when the generated data changes shape, so that older bench databases are rebuilt.
GENERATOR_VERSION = 1
SUPPLIERS = 50
BENCH_USER_EMAIL = "bench@example.com"
BATCH = 2000

COUNTIES = [
    ("340602", "杜集区", [("340602100", "朔里镇"), ("340602101", "石台镇")]),
    ("340603", "相山区", [("340603100", "渠沟镇"), ("340603101", "曲阳街道")]),
    ("340604", "烈山区", [("340604100", "烈山镇"), ("340604101", "宋疃镇")]),
    ("340621", "濉溪县", [("340621100", "段园镇"), ("340621101", "临涣镇")]),
]

# Ten top-level categories with two children each; each child lists the products it sells.
# The first one (新鲜水果) gets about 30% of the catalogue, so that its page spans thousands.
CATEGORIES = [
    (
        "新鲜水果",
        "xin-xian-shui-guo",
        [("石榴", ["塔山石榴", "软籽石榴", "石榴礼盒"]), ("酥梨", ["皇藏峪酥梨", "黄金梨"])],
    ),
    ("蔬菜菌菇", "shu-cai-jun-gu", [("时令蔬菜", ["黄心白菜", "铁棍山药"]), ("菌菇", ["香菇"])]),
    ("粮油米面", "liang-you-mi-mian", [("面粉", ["石磨面粉", "挂面"]), ("食用油", ["小磨香油"])]),
    ("肉禽蛋品", "rou-qin-dan-pin", [("禽蛋", ["土鸡蛋", "鸭蛋"]), ("肉类", ["黑猪肉", "羊肉"])]),
    ("水产", "shui-chan", [("淡水鱼", ["南湖草鱼", "鲫鱼"]), ("虾蟹", ["小龙虾"])]),
    ("酒水饮品", "jiu-shui-yin-pin", [("白酒", ["口子窖", "高粱酒"]), ("饮料", ["石榴汁"])]),
    ("茶叶冲饮", "cha-ye-chong-yin", [("花草茶", ["菊花茶"]), ("蜂蜜", ["槐花蜂蜜", "枣花蜜"])]),
    ("休闲零食", "xiu-xian-ling-shi", [("坚果炒货", ["花生", "瓜子"]), ("糕点", ["烧饼"])]),
    ("南北干货", "nan-bei-gan-huo", [("杂粮", ["小米", "绿豆"]), ("干菜", ["干豆角", "萝卜干"])]),
    ("特产礼盒", "te-chan-li-he", [("节日礼盒", ["年货礼盒"]), ("非遗手作", ["泥塑", "剪纸"])]),
]
SPECS = ["500g/袋", "1kg/袋", "2.5kg/箱", "5kg/箱", "10枚/盒", "礼盒装"]
SHELF_LIVES = ["7天", "15天", "30天", "180天", "12个月"]
STORAGES = ["冷藏0-4℃", "阴凉干燥处", "常温避光"]
IMAGE_DIR = "images/products/bench"


def requested_catalogue(products: int) -> dict:
    leaves = sum(len(children) for _, _, children in CATEGORIES)
    return {
        "version": GENERATOR_VERSION,
        "products": products,
        "categories": len(CATEGORIES) + leaves,
        "suppliers": SUPPLIERS,
    }


def catalogue_marker() -> dict | None:
    """What the bench database holds, or None if nothing was generated in it yet."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT to_regclass('bench_meta') IS NOT NULL")
        if not cursor.fetchone()[0]:
            return None
        cursor.execute("SELECT value FROM bench_meta WHERE key = 'catalogue'")
        row = cursor.fetchone()
    return json.loads(row[0]) if row else None


def catalogue_is_current(products: int) -> bool:
    return catalogue_marker() == requested_catalogue(products)


@transaction.atomic
def catalogue_generate(*, products: int, seed: int = 20240601) -> dict:
    """Fill an empty, migrated bench database and record what it holds.

    Returns the marker (the figures written to ``bench_meta``). Images go to MEDIA_ROOT.
    """
    rng = random.Random(seed)
    counties = _regions()
    suppliers = _suppliers(counties, rng)
    leaves = _categories()
    product_class = ProductClass.objects.create(
        name="农产品", slug="farm-product", requires_shipping=True, track_stock=True
    )
    _products(products, product_class, leaves, counties, suppliers, rng)
    _refresh_category_hierarchy()
    ensure_images()
    _bench_user_with_basket()
    marker = requested_catalogue(products)
    with connection.cursor() as cursor:
        cursor.execute("CREATE TABLE IF NOT EXISTS bench_meta (key text PRIMARY KEY, value text)")
        cursor.execute(
            "INSERT INTO bench_meta VALUES ('catalogue', %s) "
            "ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value",
            [json.dumps(marker)],
        )
    return marker


def statistics_refresh() -> None:
    """ANALYZE the database: without planner statistics, fresh bulk-loaded tables look empty
    to PostgreSQL and it picks nested loops over 10,000 rows that no live shop would see."""
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def ensure_images() -> None:
    """One small JPEG per leaf category, shared by its products (a few KB each)."""
    from PIL import Image, ImageDraw

    folder = Path(settings.MEDIA_ROOT) / IMAGE_DIR
    folder.mkdir(parents=True, exist_ok=True)
    rng = random.Random(7)
    for index in range(sum(len(children) for _, _, children in CATEGORIES)):
        path = folder / f"category-{index:02d}.jpg"
        if path.exists():
            continue
        colour = tuple(rng.randrange(60, 230) for _ in range(3))
        image = Image.new("RGB", (400, 400), colour)
        draw = ImageDraw.Draw(image)
        for _ in range(12):
            x, y = rng.randrange(400), rng.randrange(400)
            r = rng.randrange(20, 80)
            fill = tuple(min(255, c + rng.randrange(-50, 50)) for c in colour)
            draw.ellipse((x - r, y - r, x + r, y + r), fill=fill)
        buffer = io.BytesIO()
        image.save(buffer, "JPEG", quality=70)
        path.write_bytes(buffer.getvalue())


def _regions() -> list[Region]:
    province = Region.add_root(code="340000", name="安徽省", level=RegionLevel.PROVINCE)
    city = province.add_child(code="340600", name="淮北市", level=RegionLevel.CITY)
    counties = []
    for code, name, towns in COUNTIES:
        city.refresh_from_db()
        county = city.add_child(code=code, name=name, level=RegionLevel.COUNTY)
        for town_code, town_name in towns:
            county.refresh_from_db()
            county.add_child(code=town_code, name=town_name, level=RegionLevel.TOWN)
        counties.append(county)
    return counties


def _credit_code(county_code: str, n: int) -> str:
    body = f"93{county_code}MA{n:07d}"[:17]
    return body + credit_code_check_char(body)


def _suppliers(counties: list[Region], rng: random.Random) -> list[Partner]:
    today = timezone.localdate()
    kinds = [
        (SupplierType.COOPERATIVE, "农民专业合作社"),
        (SupplierType.ENTERPRISE, "农业发展有限公司"),
        (SupplierType.FAMILY_FARM, "家庭农场"),
    ]
    partners = []
    for n in range(SUPPLIERS):
        county = counties[n % len(counties)]
        supplier_type, suffix = kinds[n % len(kinds)]
        partners.append(
            Partner(
                name=f"{county.name}惠农{n + 1:02d}{suffix}",
                code=f"bench-supplier-{n + 1:03d}",
                credit_code=_credit_code(county.code, n + 1),
                supplier_type=supplier_type,
                region=county,
                contact_name="联系人",
                contact_phone=f"1380561{n:04d}",
                households_helped=rng.randrange(5, 200),
                # Far ahead, so that a reused bench database stays certified for years.
                certified_until=today + datetime.timedelta(days=3650),
            )
        )
    partners = Partner.objects.bulk_create(partners)
    Certification.objects.bulk_create(
        Certification(
            partner=p,
            status=CertificationStatus.CERTIFIED,
            certificate_no=f"HB-BENCH-{p.pk:05d}",
            valid_from=today - datetime.timedelta(days=30),
            valid_until=p.certified_until,
            decided_at=timezone.now(),
        )
        for p in partners
    )
    return partners


def _categories() -> list[tuple[Category, list[str], float]]:
    """The category tree; returns (leaf, product names, weight) for each leaf."""
    leaves = []
    for top_index, (name, slug, children) in enumerate(CATEGORIES):
        top = Category.add_root(name=name, slug=slug, description=f"{name}：淮北市脱贫地区好物")
        # 新鲜水果 carries 30% of the products; the other nine share the rest.
        weight = 0.30 if top_index == 0 else 0.70 / (len(CATEGORIES) - 1)
        for child_name, product_names in children:
            top.refresh_from_db()
            child = top.add_child(name=child_name, slug=pinyin_slugify(child_name))
            leaves.append((child, product_names, weight / len(children)))
    return leaves


def _products(count, product_class, leaves, counties, suppliers, rng) -> None:
    weights = [weight for _, _, weight in leaves]
    slugs = {name: pinyin_slugify(name) for _, names, _ in leaves for name in names}
    towns = {c.pk: list(c.get_children()) for c in counties}
    rows, placements = [], []
    for n in range(count):
        leaf_index = rng.choices(range(len(leaves)), weights)[0]
        _, names, _ = leaves[leaf_index]
        name = rng.choice(names)
        county = rng.choice(counties)
        town = rng.choice(towns[county.pk])
        spec = rng.choice(SPECS)
        rows.append(
            Product(
                structure=Product.STANDALONE,
                upc=f"BENCH{n + 1:08d}",
                title=f"{county.name}{name} {spec}",
                slug=f"{slugs[name]}-{n + 1}",
                description=f"产自{county.name}{town.name}的{name}，当季采收，产地直发。",
                product_class=product_class,
                is_public=True,
                listing_status=ListingStatus.LISTED,
                origin_region=town,
                origin_detail=f"{county.name}{town.name}",
                spec=spec,
                shelf_life=rng.choice(SHELF_LIVES),
                storage=rng.choice(STORAGES),
                is_geo_indication=rng.random() < 0.2,
                is_green=rng.random() < 0.3,
                is_organic=rng.random() < 0.1,
                priority=rng.randrange(0, 3),
            )
        )
        placements.append(leaf_index)
    rows = Product.objects.bulk_create(rows, batch_size=BATCH)
    ProductCategory.objects.bulk_create(
        (
            ProductCategory(product=p, category=leaves[i][0])
            for p, i in zip(rows, placements, strict=True)
        ),
        batch_size=BATCH,
    )
    ProductImage.objects.bulk_create(
        (
            ProductImage(product=p, original=f"{IMAGE_DIR}/category-{i:02d}.jpg", display_order=0)
            for p, i in zip(rows, placements, strict=True)
        ),
        batch_size=BATCH,
    )
    StockRecord.objects.bulk_create(
        (
            StockRecord(
                product=p,
                partner=rng.choice(suppliers),
                partner_sku=p.upc,
                price_currency="CNY",
                price=Decimal(rng.randrange(590, 39900)) / 100,
                num_in_stock=rng.randrange(50, 5000),
            )
            for p in rows
        ),
        batch_size=BATCH,
    )


def _refresh_category_hierarchy() -> None:
    # bulk_create sends no post_save, so Oscar's receiver did not refresh this view.
    if use_productcategory_materialised_view():
        with connection.cursor() as cursor:
            cursor.execute("REFRESH MATERIALIZED VIEW catalogue_product_category_hierarchy")


def _bench_user_with_basket():
    """The signed-in shopper, with three products in an open basket."""
    User = get_model("accounts", "User")
    Selector = get_class("partner.strategy", "Selector")
    user = User.objects.create_user(BENCH_USER_EMAIL, password=None, first_name="测试")
    basket = Basket.objects.create(owner=user)
    basket.strategy = Selector().strategy(user=user)
    for product in Product.objects.purchasable().order_by("pk")[:3]:
        basket.add_product(product, quantity=2)
    return user


def bench_user():
    return get_model("accounts", "User").objects.get(email=BENCH_USER_EMAIL)
