"""商品分类, 商品 and their pictures."""

from dataclasses import dataclass
from decimal import Decimal

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from oscar.core.loading import get_model

from catalog.models import ListingStatus
from catalog.utils import pinyin_slugify
from regions.models import Region

from .. import data
from ..images import product_image
from .base import Tally, ean13, sync, upsert

Category = get_model("catalogue", "Category")
Product = get_model("catalogue", "Product")
ProductCategory = get_model("catalogue", "ProductCategory")
ProductClass = get_model("catalogue", "ProductClass")
ProductImage = get_model("catalogue", "ProductImage")
Partner = get_model("partner", "Partner")
StockRecord = get_model("partner", "StockRecord")

IMAGE_FOLDER = "images/products/demo"
LOW_STOCK_THRESHOLD = 20


def seed_categories(*, tally: Tally) -> dict[str, Category]:
    """Top-level categories in menu order with their subcategories, keyed by name."""
    existing = {c.slug: c for c in Category.objects.all()}
    categories: dict[str, Category] = {}

    def node(name: str, description: str, parent: Category | None) -> Category:
        slug = pinyin_slugify(name)
        category = existing.get(slug)
        name_en = data.ENGLISH_NAMES[name]
        if category is None:
            fields = {"name": name, "name_en": name_en, "slug": slug, "description": description}
            if parent is None:
                category = Category.add_root(**fields)
            else:
                parent.refresh_from_db()
                category = parent.add_child(**fields)
            tally.created += 1
        else:
            sync(category, {"name": name, "name_en": name_en, "description": description}, tally)
        categories[name] = category
        return category

    for entry in data.CATEGORIES:
        top = node(entry["name"], entry["description"], None)
        for child in entry["children"]:
            node(child, "", top)
    return categories


def category_palettes() -> dict[str, tuple[str, str, str]]:
    """Illustration colours by category name; subcategories take their parent's."""
    palettes = {}
    for entry in data.CATEGORIES:
        for name in [entry["name"], *entry["children"]]:
            palettes[name] = entry["colors"]
    return palettes


def seed_products(
    *,
    suppliers: dict[str, Partner],
    categories: dict[str, Category],
    regions: dict[str, Region],
    tally: Tally,
) -> dict[str, Product]:
    """Every variant of every product line, with its stock record and category, by title."""
    product_class = upsert(
        ProductClass,
        {"slug": "farm-product"},
        {"name": "农产品", "requires_shipping": True, "track_stock": True},
        tally,
    )

    rows = list(_product_rows(suppliers, categories, regions))
    upcs = [row.product["upc"] for row in rows]
    existing = {p.upc: p for p in Product.objects.filter(upc__in=upcs)}
    seeded: list[tuple[_ProductRow, Product]] = []
    for row in rows:
        values = {**row.product, "product_class": product_class}
        product = existing.get(values["upc"])
        if product is None:
            product = Product(**values)
            product.save()
            tally.created += 1
        else:
            sync(product, values, tally)
        seeded.append((row, product))

    records = StockRecord.objects.filter(product__upc__in=upcs)
    stock = {(s.product_id, s.partner_id): s for s in records}
    new_stock = []
    for row, product in seeded:
        record = stock.get((product.pk, row.partner.pk))
        if record is None:
            new_stock.append(StockRecord(product=product, partner=row.partner, **row.stock))
        else:
            values = {k: v for k, v in row.stock.items() if k != "num_in_stock"}
            sync(record, values, tally)  # keep the stock level: demo orders may have used it
    StockRecord.objects.bulk_create(new_stock)
    tally.created += len(new_stock)

    _sync_product_categories({p.pk: row.category.pk for row, p in seeded}, tally=tally)
    return {product.title: product for _, product in seeded}


@dataclass
class _ProductRow:
    partner: Partner
    category: Category
    product: dict
    stock: dict


def _product_rows(suppliers, categories, regions):
    barcodes = {entry["key"]: entry["barcode"] for entry in data.SUPPLIERS}
    for line in data.PRODUCTS:
        town = regions[line["town"]]
        county = regions[line["town"][:6]]
        barcode = barcodes[line["supplier"]]
        flags = set(line["flags"])
        for index, (suffix, spec, price, stock) in enumerate(line["variants"], start=1):
            title = f"{line['name']} {suffix}"
            yield _ProductRow(
                partner=suppliers[line["supplier"]],
                category=categories[line["category"]],
                product={
                    "upc": ean13(f"69{barcode}{line['item']}{index:02d}"),
                    "title": title,
                    "slug": pinyin_slugify(title)[:255],
                    "structure": Product.STANDALONE,
                    "description": f"<p>{line['description']}</p>",
                    "is_public": True,
                    "listing_status": line.get("status", ListingStatus.LISTED),
                    "priority": line.get("priority", 0) if index == 1 else 0,
                    "origin_region": county,
                    "origin_detail": f"{county.name}{town.name}",
                    "spec": spec,
                    "shelf_life": line["shelf_life"],
                    "storage": line["storage"],
                    "is_geo_indication": "geo" in flags,
                    "is_green": "green" in flags,
                    "is_organic": "organic" in flags,
                },
                stock={
                    "partner_sku": f"{barcode}-{line['item']}-{index:02d}",
                    "price_currency": "CNY",
                    "price": Decimal(price),
                    "num_in_stock": stock,
                    "low_stock_threshold": LOW_STOCK_THRESHOLD,
                },
            )


def _sync_product_categories(wanted: dict[int, int], *, tally: Tally) -> None:
    """Each seeded product sits in exactly its one category."""
    links = ProductCategory.objects.filter(product_id__in=wanted)
    have = set(links.values_list("product_id", "category_id"))
    stale = [pair for pair in have if wanted[pair[0]] != pair[1]]
    for product_id, category_id in stale:
        links.filter(product_id=product_id, category_id=category_id).delete()
    missing = [pair for pair in wanted.items() if pair not in have]
    ProductCategory.objects.bulk_create(
        [ProductCategory(product_id=p, category_id=c) for p, c in missing]
    )
    tally.created += len(missing)
    tally.updated += len(stale)


def seed_product_images(*, products: dict[str, Product], tally: Tally) -> int:
    """One generated picture per product; an existing file or a product's own picture is
    kept. Returns how many products have a demo picture."""
    palettes = category_palettes()
    lines = {f"{line['name']} {v[0]}": line for line in data.PRODUCTS for v in line["variants"]}
    images: dict[int, list] = {}
    for image in ProductImage.objects.filter(product__in=products.values()):
        images.setdefault(image.product_id, []).append(image)

    new_images = []
    for title, product in products.items():
        line = lines[title]
        name = f"{IMAGE_FOLDER}/{product.upc}.jpg"
        own = images.get(product.pk, [])
        if own and all(image.original.name != name for image in own):
            continue  # a real photo was uploaded: leave it
        if not default_storage.exists(name):
            content = product_image(
                seed=product.upc,
                shape=line["shape"],
                color=line["color"],
                palette=palettes[line["category"]],
                label=line["name"],
            )
            name = default_storage.save(name, ContentFile(content))
            tally.updated += bool(own)
        if not own:
            new_images.append(
                ProductImage(product=product, original=name, caption=title, display_order=0)
            )
    ProductImage.objects.bulk_create(new_images)
    tally.created += len(new_images)
    return ProductImage.objects.filter(original__startswith=f"{IMAGE_FOLDER}/").count()
