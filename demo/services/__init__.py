"""Build the demo data from the tables in ``demo.data``.

Every ``seed_<thing>`` function is idempotent: rows are found by a natural key (region code,
category slug, partner code, product UPC, user email, unit credit code), created when missing
and saved only when a field differs, so a second run writes nothing. Dates are relative to
today, so the certifications stay current whenever the demo is loaded.
"""

from collections.abc import Callable

from django.db import transaction
from django.utils import timezone

from .base import Tally
from .catalogue import seed_categories, seed_product_images, seed_products
from .cms import seed_cms
from .organisations import seed_organisations
from .people import seed_budget_units, seed_users
from .points import seed_points
from .procurement import seed_procurement
from .regions import seed_regions
from .reports import seed_reports
from .search import seed_search_index
from .storefront import seed_home_page, seed_site
from .suppliers import seed_suppliers
from .suppliers_workflow import seed_supplier_workflow

__all__ = [
    "STEPS",
    "Tally",
    "seed_budget_units",
    "seed_categories",
    "seed_cms",
    "seed_demo",
    "seed_home_page",
    "seed_points",
    "seed_procurement",
    "seed_product_images",
    "seed_products",
    "seed_regions",
    "seed_site",
    "seed_supplier_workflow",
    "seed_suppliers",
    "seed_users",
]

StepReport = Callable[[int, int, str, int, Tally], None]

STEPS = [
    "行政区划",
    "商品分类",
    "供应商",
    "演示账号",
    "认定记录",
    "商品",
    "商品图片",
    "预算单位",
    "首页与站点",
    "内容页面",
    "采购填报与订单",
    "“八进”单位",
    "统计报表演示数据",
    "积分超市",
    "搜索索引",
]


@transaction.atomic
def seed_demo(*, report: StepReport | None = None) -> None:
    """Load or refresh all demo data in one transaction; ``report(step, steps, label, count,
    tally)`` is called after each step."""
    today = timezone.localdate()
    tallies = {label: Tally() for label in STEPS}

    def done(label: str, count: int) -> None:
        if report:
            report(STEPS.index(label) + 1, len(STEPS), label, count, tallies[label])

    regions = seed_regions(tally=tallies["行政区划"])
    done("行政区划", len(regions))
    categories = seed_categories(tally=tallies["商品分类"])
    done("商品分类", len(categories))
    suppliers = seed_suppliers(regions=regions, today=today, tally=tallies["供应商"])
    done("供应商", len(suppliers))
    users = seed_users(suppliers=suppliers, regions=regions, tally=tallies["演示账号"])
    done("演示账号", len(users))
    trails = seed_supplier_workflow(regions=regions, today=today, tally=tallies["认定记录"])
    done("认定记录", trails)
    products = seed_products(
        suppliers=suppliers, categories=categories, regions=regions, tally=tallies["商品"]
    )
    done("商品", len(products))
    done("商品图片", seed_product_images(products=products, tally=tallies["商品图片"]))
    units = seed_budget_units(regions=regions, users=users, tally=tallies["预算单位"])
    done("预算单位", len(units))
    seed_site(tally=tallies["首页与站点"])
    page = seed_home_page(categories=categories, products=products, tally=tallies["首页与站点"])
    done("首页与站点", page.featured_categories.count() + page.featured_products.count())
    done("内容页面", seed_cms(home=page, tally=tallies["内容页面"]))
    filings = seed_procurement(units=units, users=users, tally=tallies["采购填报与订单"])
    done("采购填报与订单", filings)
    organisations = seed_organisations(units=units, users=users, tally=tallies["“八进”单位"])
    done("“八进”单位", organisations)
    orders = seed_reports(
        regions=regions, users=users, today=today, tally=tallies["统计报表演示数据"]
    )
    done("统计报表演示数据", orders)
    households = seed_points(regions=regions, users=users, today=today, tally=tallies["积分超市"])
    done("积分超市", households)
    done("搜索索引", seed_search_index(tally=tallies["搜索索引"]))
