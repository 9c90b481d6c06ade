"""Procurement: policy years, budget units and their members, approval rules, filings (made
through the filing services, so their versions and ledger are real), registrations, and the
steps of a procurement order (submit, ship, accept)."""

import datetime
from decimal import Decimal

import factory
from django.utils import timezone
from oscar.core.loading import get_model

from procurement import services
from procurement.models import (
    ApprovalRule,
    BudgetUnit,
    BudgetUnitMember,
    Filing,
    MemberRole,
    PolicyYear,
)
from suppliers.services import shipment_create
from tests.factories.accounts import UserFactory
from tests.factories.catalog import make_credit_code
from tests.factories.payments import basket_for
from tests.factories.regions import region_tree

ShippingEvent = get_model("order", "ShippingEvent")


class PolicyYearFactory(factory.django.DjangoModelFactory):
    """This year (Asia/Shanghai), 10% minimum, 15% encouraged, filings due in 30 days."""

    class Meta:
        model = PolicyYear

    year = factory.LazyFunction(lambda: timezone.localdate().year)
    min_ratio = Decimal("0.10")
    encouraged_ratio = Decimal("0.15")
    filing_deadline = factory.LazyFunction(
        lambda: timezone.localdate() + datetime.timedelta(days=30)
    )


def policy_year_current() -> PolicyYear:
    """This year's policy, made by ``PolicyYearFactory`` if there is none."""
    year = timezone.localdate().year
    return PolicyYear.objects.filter(year=year).first() or PolicyYearFactory(year=year)


class BudgetUnitFactory(factory.django.DjangoModelFactory):
    """An active school of 淮北市 (the Huaibei region tree is made if missing)."""

    class Meta:
        model = BudgetUnit

    name = factory.Sequence(lambda n: f"测试预算单位{n}")
    credit_code = factory.Sequence(lambda n: make_credit_code(970000 + n))
    region = factory.LazyFunction(lambda: region_tree()["淮北市"])
    unit_type = "school"
    supervising_unit = "淮北市教育局"


class BudgetUnitMemberFactory(factory.django.DjangoModelFactory):
    """A purchaser of a new unit unless ``unit`` and ``role`` are given."""

    class Meta:
        model = BudgetUnitMember

    unit = factory.SubFactory(BudgetUnitFactory)
    user = factory.SubFactory(UserFactory)
    role = MemberRole.PURCHASER


class ApprovalRuleFactory(factory.django.DjangoModelFactory):
    """Level 1 from ¥200."""

    class Meta:
        model = ApprovalRule

    unit = factory.SubFactory(BudgetUnitFactory)
    level = 1
    min_amount = Decimal("200.00")


class FilingFactory(factory.Factory):
    """A filing submitted by ``user`` through ``filing_submit`` (budget ¥10,000, reserved
    ¥1,000), approved by ``approved_by`` when given (bureau staff of the unit's region)."""

    class Meta:
        model = Filing

    unit = factory.SubFactory(BudgetUnitFactory)
    year = factory.LazyFunction(lambda: policy_year_current().year)
    user = factory.LazyAttribute(lambda o: BudgetUnitMemberFactory(unit=o.unit).user)
    canteen_budget = Decimal("10000")
    reserved_amount = Decimal("1000")
    contact_name = "刘芳"
    contact_phone = "0561-3012345"
    approved_by = None

    @classmethod
    def _create(cls, model_class, *args, approved_by=None, **kwargs):
        filing = services.filing_submit(**kwargs)
        if approved_by is not None:
            filing = services.filing_approve(filing=filing, user=approved_by)
        return filing


def registration_form_data(regions, **overrides) -> dict:
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


def registration_fields(regions, **overrides) -> dict:
    """The same as the registration services' keyword arguments."""
    data = registration_form_data(regions, **overrides)
    data["region"] = regions["濉溪县"] if "region" not in overrides else overrides["region"]
    return data


#: The delivery and invoice details of the checkout (page form and service alike).
CHECKOUT_DETAILS = {
    "canteen": "第一食堂",
    "delivery_address": "淮北市相山区淮海西路1号",
    "contact_name": "刘芳",
    "contact_phone": "13812345678",
    "invoice_title": "淮北市第一中学",
    "tax_number": "12340600MB1234567X",
}


def procurement_order_submit(user, unit, filing, *items, basket=None):
    """A procurement order of ``items`` ((product, quantity), ...) through the real
    submission service, with the delivery and invoice details of 淮北市第一中学."""
    basket = basket or basket_for(user, *items)
    return services.procurement_order_submit(
        user=user,
        unit=unit,
        filing=filing,
        basket=basket,
        **CHECKOUT_DETAILS,
    )


def shipment(order, quantities: dict | None = None, *, partner=None, user=None):
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
        tracking_number=f"SF{order.pk:011d}{ShippingEvent.objects.count():02d}",
        user=user,
    )


def accepted_order(purchaser, unit, filing, *items):
    """An order of ``items`` shipped in full by each supplier and accepted in full."""
    order = procurement_order_submit(purchaser, unit, filing, *items)
    for partner in {line.partner for line in order.lines.all()}:
        services.procurement_shipment_accept(
            shipping_event=shipment(order, partner=partner), user=purchaser
        )
    order.refresh_from_db()
    return order


def filing_balance(filing) -> tuple:
    """(reserved, committed, completed) as the database holds them now."""
    filing.refresh_from_db()
    return (filing.reserved_amount, filing.committed, filing.completed)
