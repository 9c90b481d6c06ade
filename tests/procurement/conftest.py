"""Fixtures of the procurement tests: a unit with its members, a registration waiting for
review, a policy year, an approved filing, and suppliers' staff. The data comes from
tests/factories/procurement.py; the helpers below keep the names the tests import."""

import re
from decimal import Decimal

import pytest
from django.urls import reverse
from oscar.core.loading import get_model

from procurement import services
from regions.models import BureauLevel
from tests.factories.accounts import UserFactory
from tests.factories.catalog import make_credit_code
from tests.factories.procurement import (
    CHECKOUT_DETAILS,  # noqa: F401
    ApprovalRuleFactory,
    BudgetUnitFactory,
    BudgetUnitMemberFactory,
    FilingFactory,
    PolicyYearFactory,
    accepted_order,  # noqa: F401
    registration_fields,
)
from tests.factories.procurement import filing_balance as balance  # noqa: F401
from tests.factories.procurement import procurement_order_submit as submit  # noqa: F401
from tests.factories.procurement import registration_form_data as form_data  # noqa: F401
from tests.factories.procurement import shipment as ship  # noqa: F401
from tests.factories.regions import BureauStaffFactory

Basket = get_model("basket", "Basket")

service_fields = registration_fields


@pytest.fixture
def policy_year(db):
    return PolicyYearFactory()


@pytest.fixture
def unit(regions):
    return BudgetUnitFactory(name="淮北市第一中学", credit_code=make_credit_code(990001))


@pytest.fixture
def registrant(db):
    return UserFactory(email="principal@example.com", last_name="王", first_name="校长")


@pytest.fixture
def registration(regions, registrant):
    """濉溪县实验小学, registered by ``registrant`` and waiting for review."""
    return services.unit_register(user=registrant, **registration_fields(regions))


@pytest.fixture
def purchaser(unit):
    return BudgetUnitMemberFactory(
        unit=unit, user__email="buyer@example.com", user__last_name="刘", user__first_name="芳"
    ).user


@pytest.fixture
def approver(unit):
    return BudgetUnitMemberFactory(
        unit=unit,
        role="approver",
        user__email="boss@example.com",
        user__last_name="赵",
        user__first_name="国强",
    ).user


@pytest.fixture
def city_staff(regions):
    return BureauStaffFactory(user__email="city-staff@example.com").user


@pytest.fixture
def county_staff(regions):
    return BureauStaffFactory(
        user__email="county-staff@example.com",
        region=regions["濉溪县"],
        level=BureauLevel.COUNTY,
        bureau_name="濉溪县乡村振兴局",
    ).user


@pytest.fixture
def approval_rule(unit):
    return ApprovalRuleFactory(unit=unit)


@pytest.fixture
def filing(unit, purchaser, policy_year, city_staff):
    """Approved: budget ¥10,000, reserved ¥1,000."""
    return FilingFactory(unit=unit, user=purchaser, year=policy_year.year, approved_by=city_staff)


@pytest.fixture
def capped_filing(unit, purchaser, policy_year, city_staff):
    """Approved under a year that caps spending at the filed canteen budget: budget and
    reserve ¥1,000 each, so the cap is ¥1,000."""
    policy_year.cap_at_canteen_budget = True
    policy_year.save(update_fields=["cap_at_canteen_budget"])
    return FilingFactory(
        unit=unit,
        user=purchaser,
        year=policy_year.year,
        canteen_budget=Decimal("1000"),
        approved_by=city_staff,
    )


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


def reviewed(client) -> dict:
    """The review page's hidden fields (the basket's id and the fingerprint of the lines it
    shows), which the page's submit posts with the form."""
    html = client.get(reverse("procurement:checkout")).content.decode()
    return dict(
        re.findall(r'<input type="hidden" name="(basket_id|fingerprint)" value="(\w*)">', html)
    )
