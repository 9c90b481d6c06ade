"""Fixtures of the "八进" organisation tests: this year's policy with its organisation types,
淮北市第一中学 (a budget unit with an approved filing) and its union with a purchaser, an
approver and a ¥200 approval rule, and the suppliers' staff. Re-exports the procurement
fixtures."""

import pytest

from procurement import services
from procurement.models import BudgetUnitMember
from tests.factories.accounts import UserFactory
from tests.factories.catalog import make_credit_code
from tests.factories.procurement import ApprovalRuleFactory
from tests.procurement.conftest import *  # noqa: F403 (the procurement fixtures)


@pytest.fixture
def types(policy_year):
    return services.organisation_types_seed(policy_year=policy_year)


def union_fields(regions, parent, **overrides) -> dict:
    return {
        "name": "淮北市第一中学工会",
        "credit_code": make_credit_code(810001),
        "region": regions["相山区"],
        "org_type": "union",
        "parent": parent,
        "address": "淮北市相山区淮海西路1号",
        **overrides,
    }


@pytest.fixture
def union(regions, unit, types, city_staff):
    return services.organisation_create(user=city_staff, **union_fields(regions, unit))


def member(unit, role, email):
    user = UserFactory(email=email)
    BudgetUnitMember.objects.create(unit=unit, user=user, role=role)
    return user


@pytest.fixture
def union_buyer(union):
    return member(union, "purchaser", "union@example.com")


@pytest.fixture
def union_approver(union):
    return member(union, "approver", "union-chair@example.com")


@pytest.fixture
def union_rule(union):
    return ApprovalRuleFactory(unit=union)
