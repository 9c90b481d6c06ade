"""Fixtures of the procurement tests: a unit with its members, a registration waiting for
review, a policy year, an approved filing, and a supplier's shipment."""

import datetime
import re
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone
from oscar.core.loading import get_model

from procurement import services
from procurement.models import ApprovalRule, BudgetUnit, BudgetUnitMember, PolicyYear
from regions.models import BureauStaff
from suppliers.services import shipment_create
from tests.factories.accounts import UserFactory
from tests.factories.catalog import make_credit_code
from tests.factories.payments import basket_for

ShippingEvent = get_model("order", "ShippingEvent")
Basket = get_model("basket", "Basket")


def ship(order, quantities: dict | None = None, *, partner=None, user=None):
    """A supplier's shipment through the supplier portal's service: all of the partner's
    lines in full unless ``quantities`` maps line -> quantity."""
    lines = list(order.lines.all())
    if quantities is None:
        quantities = {
            line: line.quantity
            for line in lines
            if partner is None or line.partner_id == partner.pk
        }
    partner = partner or next(iter(quantities)).partner
    return shipment_create(
        partner=partner,
        order=order,
        quantities={line.pk: quantity for line, quantity in quantities.items()},
        carrier="顺丰速运",
        tracking_number=f"SF{order.pk:08d}{ShippingEvent.objects.count():02d}",
        user=user,
    )


@pytest.fixture
def policy_year(db):
    today = timezone.localdate()
    return PolicyYear.objects.create(
        year=today.year,
        min_ratio=Decimal("0.10"),
        encouraged_ratio=Decimal("0.15"),
        filing_deadline=today + datetime.timedelta(days=30),
    )


@pytest.fixture
def unit(regions):
    return BudgetUnit.objects.create(
        name="淮北市第一中学",
        credit_code=make_credit_code(990001),
        region=regions["淮北市"],
        unit_type="school",
        supervising_unit="淮北市教育局",
    )


def form_data(regions, **overrides):
    """The registration form of 濉溪县实验小学, with ``overrides``."""
    return {
        "name": "濉溪县实验小学",
        "credit_code": make_credit_code(880001),
        "region": regions["濉溪县"].pk,
        "unit_type": "school",
        "supervising_unit": "濉溪县教育局",
        "canteen_status": "own",
        "address": "濉溪县濉溪镇人民路 8 号",
        **overrides,
    }


def service_fields(regions, **overrides):
    """The same as the registration services' keyword arguments."""
    data = form_data(regions, **overrides)
    data["region"] = regions["濉溪县"] if "region" not in overrides else overrides["region"]
    return data


@pytest.fixture
def registrant(db):
    return UserFactory(email="principal@example.com", last_name="王", first_name="校长")


@pytest.fixture
def registration(regions, registrant):
    """濉溪县实验小学, registered by ``registrant`` and waiting for review."""
    return services.unit_register(user=registrant, **service_fields(regions))


@pytest.fixture
def purchaser(unit):
    user = UserFactory(email="buyer@example.com", last_name="刘", first_name="芳")
    BudgetUnitMember.objects.create(unit=unit, user=user, role="purchaser")
    return user


@pytest.fixture
def approver(unit):
    user = UserFactory(email="boss@example.com", last_name="赵", first_name="国强")
    BudgetUnitMember.objects.create(unit=unit, user=user, role="approver")
    return user


@pytest.fixture
def city_staff(regions):
    user = UserFactory(email="city-staff@example.com")
    BureauStaff.objects.create(
        user=user, region=regions["淮北市"], level="city", bureau_name="淮北市乡村振兴局"
    )
    return user


@pytest.fixture
def county_staff(regions):
    user = UserFactory(email="county-staff@example.com")
    BureauStaff.objects.create(
        user=user, region=regions["濉溪县"], level="county", bureau_name="濉溪县乡村振兴局"
    )
    return user


@pytest.fixture
def approval_rule(unit):
    return ApprovalRule.objects.create(unit=unit, level=1, min_amount=Decimal("200.00"))


@pytest.fixture
def filing(unit, purchaser, policy_year, city_staff):
    """Approved: budget ¥10,000, reserved ¥1,000."""
    filing = services.filing_submit(
        unit=unit,
        year=policy_year.year,
        user=purchaser,
        canteen_budget=Decimal("10000"),
        reserved_amount=Decimal("1000"),
        contact_name="刘芳",
        contact_phone="0561-3012345",
    )
    return services.filing_approve(filing=filing, user=city_staff)


#: The delivery and invoice details of the checkout (page form and service alike).
CHECKOUT_DETAILS = {
    "canteen": "第一食堂",
    "delivery_address": "淮北市相山区淮海西路1号",
    "contact_name": "刘芳",
    "contact_phone": "13812345678",
    "invoice_title": "淮北市第一中学",
    "tax_number": "12340600MB1234567X",
}


def submit(user, unit, filing, *items, basket=None):
    basket = basket or basket_for(user, *items)
    return services.procurement_order_submit(
        user=user, unit=unit, filing=filing, basket=basket, **CHECKOUT_DETAILS
    )


def reviewed(client) -> dict:
    """The review page's hidden fields (the basket's id and the fingerprint of the lines it
    shows), which the page's submit posts with the form."""
    html = client.get(reverse("procurement:checkout")).content.decode()
    return dict(
        re.findall(r'<input type="hidden" name="(basket_id|fingerprint)" value="(\w*)">', html)
    )


def accepted_order(purchaser, unit, filing, *items):
    """An order of ``items`` shipped in full by each supplier and accepted in full."""
    order = submit(purchaser, unit, filing, *items)
    for partner in {line.partner for line in order.lines.all()}:
        services.procurement_shipment_accept(
            shipping_event=ship(order, partner=partner), user=purchaser
        )
    order.refresh_from_db()
    return order


def balance(filing):
    filing.refresh_from_db()
    return (filing.reserved_amount, filing.committed, filing.completed)


@pytest.fixture
def open_baskets():
    return lambda user: Basket.objects.filter(owner=user, status=Basket.OPEN).count()


@pytest.fixture
def supplier_staff(catalogue):
    user = UserFactory(email="tashan-staff@example.com")
    catalogue["supplier"].users.add(user)
    return user


@pytest.fixture
def rice_staff(catalogue):
    user = UserFactory(email="suihe-staff@example.com")
    catalogue["rice"].stockrecords.get().partner.users.add(user)
    return user
