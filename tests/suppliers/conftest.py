"""Fixtures for the supplier tests: two suppliers with their staff, county and city
reviewers, a product of each, and paid orders with lines of both."""

import io
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.test import TestCase
from PIL import Image

from orders.models import OrderStatus
from orders.services import order_status_move
from regions.models import BureauLevel, BureauStaff
from tests.factories.accounts import UserFactory
from tests.factories.catalog import CategoryFactory, ProductFactory, SupplierFactory
from tests.factories.payments import place_pending_order
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


def png_bytes(size=(40, 30), color=(200, 30, 30)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, color).save(out, format="PNG")
    return out.getvalue()


def jpeg_bytes() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (32, 32), (20, 120, 40)).save(out, format="JPEG")
    return out.getvalue()


PDF_BYTES = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Count 0/Kids[]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
)


def upload(name: str, content: bytes, content_type: str = "application/octet-stream"):
    return SimpleUploadedFile(name, content, content_type=content_type)


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
    county = UserFactory(email="county@example.com")
    city = UserFactory(email="city@example.com")
    other_county = UserFactory(email="lieshan@example.com")
    BureauStaff.objects.create(
        user=county,
        region=regions["濉溪县"],
        level=BureauLevel.COUNTY,
        bureau_name="濉溪县乡村振兴局",
    )
    BureauStaff.objects.create(
        user=city, region=regions["淮北市"], level=BureauLevel.CITY, bureau_name="淮北市乡村振兴局"
    )
    BureauStaff.objects.create(
        user=other_county,
        region=regions["烈山区"],
        level=BureauLevel.COUNTY,
        bureau_name="烈山区乡村振兴局",
    )
    return {"county": county, "city": city, "lieshan": other_county}


def paid_order(user, *items):
    """A paid consumer order with its sales facts: the facts are written by a task enqueued
    on commit, and a test's transaction never commits, so its hooks run as a commit would
    (in a live-server test the commit has run them already)."""
    order = place_pending_order(user, *items)
    with TestCase.captureOnCommitCallbacks(execute=True), transaction.atomic():
        order = type(order).objects.select_for_update().get(pk=order.pk)
        order_status_move(order=order, status=OrderStatus.PAID)
    return order


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
