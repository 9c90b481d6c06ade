"""Fixtures for the supplier tests: two suppliers with their staff, county and city
reviewers, a product of each, and paid orders with lines of both."""

from decimal import Decimal

import pytest

from regions.models import BureauLevel
from tests.factories.accounts import UserFactory
from tests.factories.catalog import CategoryFactory, ProductFactory, SupplierFactory
from tests.factories.payments import paid_order
from tests.factories.suppliers import (  # noqa: F401 (the upload helpers the tests import)
    PDF_BYTES,
    jpeg_bytes,
    png_bytes,
    reviewer,
    upload,
)
from tests.procurement.conftest import (  # noqa: F401 (procurement fixtures, for the sales report)
    city_staff,
    filing,
    policy_year,
    purchaser,
    rice_staff,
    supplier_staff,
    unit,
)


@pytest.fixture(autouse=True)
def _private_root(settings, tmp_path):
    settings.SUPPLIERS_PRIVATE_ROOT = tmp_path / "private"


@pytest.fixture
def suppliers(regions):
    """supplier@example.com works for 塔山 (烈山区), supplier2@example.com for 口子 (濉溪县)."""
    user1 = UserFactory(email="supplier@example.com")
    user2 = UserFactory(email="supplier2@example.com")
    tashan = SupplierFactory(
        name="淮北塔山石榴专业合作社",
        region=regions["烈山镇"],
        contact_name="张秀英",
        contact_phone="0561-4611208",
        address="烈山镇榴园村",
    )
    kouzi = SupplierFactory(name="濉溪县口子酒业有限公司", region=regions["濉溪镇"])
    tashan.users.add(user1)
    kouzi.users.add(user2)
    fruit = CategoryFactory(name="水果", slug="shui-guo")
    pomegranate = ProductFactory(
        title="塔山石榴 6枚装",
        categories=[fruit],
        origin_region=regions["烈山区"],
        stockrecord__partner=tashan,
        stockrecord__price="68.00",
        stockrecord__num_in_stock=50,
    )
    liquor = ProductFactory(
        title="口子窖 500ml",
        categories=[fruit],
        origin_region=regions["濉溪县"],
        stockrecord__partner=kouzi,
        stockrecord__price="128.00",
        stockrecord__num_in_stock=30,
    )
    return {
        "tashan": tashan,
        "kouzi": kouzi,
        "user1": user1,
        "user2": user2,
        "pomegranate": pomegranate,
        "liquor": liquor,
        "fruit": fruit,
    }


@pytest.fixture
def reviewers(regions):
    return {
        "county": reviewer("county@example.com", regions["濉溪县"], bureau_name="濉溪县乡村振兴局"),
        "city": reviewer(
            "city@example.com",
            regions["淮北市"],
            level=BureauLevel.CITY,
            bureau_name="淮北市乡村振兴局",
        ),
        "lieshan": reviewer(
            "lieshan@example.com", regions["烈山区"], bureau_name="烈山区乡村振兴局"
        ),
    }


@pytest.fixture
def shared_order(suppliers):
    """A paid order with 3 pomegranates (塔山) and 2 bottles (口子)."""
    consumer = UserFactory(email="consumer@example.com")
    order = paid_order(consumer, (suppliers["pomegranate"], 3), (suppliers["liquor"], 2))
    lines = {line.partner_id: line for line in order.lines.all()}
    return {
        "order": order,
        "consumer": consumer,
        "own_line": lines[suppliers["tashan"].pk],
        "other_line": lines[suppliers["kouzi"].pk],
    }


MONEY = Decimal("0.01")
