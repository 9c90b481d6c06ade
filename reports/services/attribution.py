"""Where an order line's sales belong: supplier, product, origin county, top-level category.

Resolved for a batch of lines in a fixed number of queries (products, their categories, the
regions above them), so syncing one order or reconciling a thousand costs the same few queries.
"""

from dataclasses import dataclass

from oscar.core.loading import get_model

from regions.models import Region, RegionLevel

Product = get_model("catalogue", "Product")
ProductCategory = get_model("catalogue", "ProductCategory")
Category = get_model("catalogue", "Category")
Partner = get_model("partner", "Partner")

STEP = Region.steplen


@dataclass(frozen=True)
class LineAttribution:
    supplier_id: int | None
    product_id: int | None
    region_id: int
    category_id: int | None


def region_county_ids(region_paths: set[str]) -> dict[str, int]:
    """Map each region path to the id of its county-level ancestor (or itself when it is at
    county level or above). One query for all ancestors of all paths."""
    prefixes = {p[:n] for p in region_paths for n in range(STEP, len(p) + 1, STEP)}
    rows = Region.objects.filter(path__in=prefixes).values_list("id", "path", "level")
    by_path = {path: (pk, level) for pk, path, level in rows}
    result = {}
    for path in region_paths:
        chosen = by_path.get(path, (None, None))[0]
        for n in range(STEP, len(path) + 1, STEP):
            pk, level = by_path.get(path[:n], (None, None))
            if level == RegionLevel.COUNTY:
                chosen = pk
                break
        result[path] = chosen
    return result


def _root_region_id() -> int:
    root = Region.get_first_root_node()
    if root is None:
        raise Region.DoesNotExist("reports need at least one region")
    return root.pk


def lines_attribute(lines) -> dict[int, LineAttribution]:
    """Attribution for each of ``lines`` (order lines), keyed by line id."""
    lines = list(lines)
    product_ids = {line.product_id for line in lines if line.product_id}
    products = {
        p.pk: p
        for p in Product.objects.filter(pk__in=product_ids).only(
            "pk", "parent_id", "origin_region_id"
        )
    }
    parent_ids = {p.parent_id for p in products.values() if p.parent_id}
    products.update(
        {
            p.pk: p
            for p in Product.objects.filter(pk__in=parent_ids - set(products)).only(
                "pk", "parent_id", "origin_region_id"
            )
        }
    )
    category_paths: dict[int, str] = {}
    for product_id, path in (
        ProductCategory.objects.filter(product_id__in=set(products))
        .order_by("product_id", "category__path")
        .values_list("product_id", "category__path")
    ):
        category_paths.setdefault(product_id, path)
    roots = dict(
        Category.objects.filter(
            path__in={p[: Category.steplen] for p in category_paths.values()}
        ).values_list("path", "id")
    )
    partner_ids = {line.partner_id for line in lines if line.partner_id}
    partner_regions = dict(
        Partner.objects.filter(pk__in=partner_ids, region__isnull=False).values_list(
            "pk", "region__path"
        )
    )
    origin_paths = dict(
        Region.objects.filter(
            pk__in={p.origin_region_id for p in products.values() if p.origin_region_id}
        ).values_list("pk", "path")
    )
    counties = region_county_ids(set(origin_paths.values()) | set(partner_regions.values()))

    root_id = None
    result = {}
    for line in lines:
        product = products.get(line.product_id)
        owner = product
        if product is not None and product.parent_id:
            owner = products.get(product.parent_id, product)
        region_id = None
        origin = (product and product.origin_region_id) or (owner and owner.origin_region_id)
        if origin:
            region_id = counties.get(origin_paths.get(origin, ""))
        if region_id is None and line.partner_id in partner_regions:
            region_id = counties.get(partner_regions[line.partner_id])
        if region_id is None:
            root_id = root_id or _root_region_id()
            region_id = root_id
        category_path = None
        if owner is not None:
            category_path = category_paths.get(owner.pk) or category_paths.get(product.pk)
        category_id = roots.get(category_path[: Category.steplen]) if category_path else None
        result[line.pk] = LineAttribution(
            supplier_id=line.partner_id,
            product_id=line.product_id,
            region_id=region_id,
            category_id=category_id,
        )
    return result
