"""Organisations register and are reviewed like budget units: types are the policy year's
data, a union names its parent unit, one account joins at most one organisation of a type,
and bureau staff of the region create them and set unions' targets. Refusals write nothing."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from procurement import exceptions, services
from procurement.models import (
    BudgetUnit,
    BudgetUnitMember,
    OrganisationType,
    PolicyYear,
    UnionTarget,
    UnitDecision,
)
from tests.factories.accounts import UserFactory
from tests.factories.catalog import make_credit_code

from .conftest import union_fields

pytestmark = pytest.mark.django_db


def enterprise_fields(regions, **overrides) -> dict:
    return {
        "name": "淮北矿业集团有限公司",
        "credit_code": make_credit_code(910001),
        "region": regions["杜集区"],
        "org_type": "enterprise",
        "address": "淮北市杜集区",
        **overrides,
    }


def test_the_types_are_the_policy_years_data_and_carry_over(types, policy_year):
    assert [t.name for t in types] == [
        "机关",
        "学校",
        "医院",
        "企业",
        "社区",
        "军营",
        "商超",
        "工会",
    ]
    OrganisationType.objects.filter(policy_year=policy_year, code="barracks").delete()
    later = PolicyYear.objects.create(
        year=policy_year.year + 1, filing_deadline=policy_year.filing_deadline
    )
    assert "barracks" not in {t.code for t in services.organisation_types_seed(policy_year=later)}


def test_a_registered_union_waits_for_review_then_its_registrant_buys(
    regions, unit, types, city_staff
):
    registrant = UserFactory(email="chair@example.com")
    union = services.organisation_register(user=registrant, **union_fields(regions, unit))

    assert (union.kind, union.org_type, union.parent, union.is_active) == (
        "organisation",
        "union",
        unit,
        False,
    )
    assert set(union.memberships.values_list("role", flat=True)) == {"admin", "purchaser"}
    services.unit_registration_approve(unit=union, user=city_staff)
    union.refresh_from_db()
    assert union.is_active
    assert list(union.decisions.values_list("action", flat=True)) == ["registered", "approved"]


def test_a_union_without_a_parent_is_a_field_error_and_nothing_is_written(regions, types):
    registrant = UserFactory()
    with pytest.raises(ValidationError) as caught:
        services.organisation_register(user=registrant, **union_fields(regions, None))
    assert caught.value.message_dict["parent"] == ["工会须填写所属单位（预算单位或企业）。"]
    assert BudgetUnit.objects.filter(kind="organisation").count() == 0
    assert BudgetUnitMember.objects.filter(user=registrant).count() == 0


def test_a_type_not_in_the_years_list_is_refused(regions, types):
    with pytest.raises(ValidationError) as caught:
        services.organisation_register(
            user=UserFactory(), **enterprise_fields(regions, org_type="farm")
        )
    assert caught.value.message_dict["org_type"] == ["请选择本年度的“八进”单位类型。"]
    assert BudgetUnit.objects.filter(kind="organisation").count() == 0


def test_one_account_joins_one_organisation_of_a_type(regions, types, city_staff):
    user = UserFactory()
    first = services.organisation_register(user=user, **enterprise_fields(regions))
    services.unit_registration_approve(unit=first, user=city_staff)
    before = BudgetUnit.objects.count()
    with pytest.raises(exceptions.UnitRegistrationError) as caught:
        services.organisation_register(
            user=user,
            **enterprise_fields(regions, name="另一家企业", credit_code=make_credit_code(910002)),
        )
    assert "同一类型的单位只能加入一个" in str(caught.value)
    assert BudgetUnit.objects.count() == before


def test_an_enterprise_may_have_a_union(regions, types, city_staff):
    enterprise = services.organisation_create(user=city_staff, **enterprise_fields(regions))
    union = services.organisation_create(
        user=city_staff,
        **union_fields(regions, enterprise, name="淮北矿业集团工会"),
    )
    assert union.parent == enterprise


def test_county_staff_cannot_create_an_organisation_in_another_county(regions, types, county_staff):
    with pytest.raises(exceptions.ProcurementPermissionError):
        services.organisation_create(user=county_staff, **enterprise_fields(regions))
    assert BudgetUnit.objects.filter(kind="organisation").count() == 0


def test_an_organisation_files_no_reserved_share(union, union_buyer, policy_year):
    with pytest.raises(exceptions.FilingInvalidError):
        services.filing_submit(
            unit=union,
            year=policy_year.year,
            user=union_buyer,
            canteen_budget=Decimal("1000"),
            reserved_amount=Decimal("100"),
            contact_name="王",
            contact_phone="13812345678",
        )
    assert union.filings.count() == 0


class TestPages:
    def test_self_registration_page_registers_the_organisation(self, client, regions, types):
        user = UserFactory()
        client.force_login(user)
        data = {**enterprise_fields(regions), "region": regions["杜集区"].pk, "parent": ""}
        response = client.post(reverse("procurement:register-organisation"), data)
        assert response.status_code == 302
        org = BudgetUnit.objects.get(kind="organisation")
        assert (org.name, org.registration_status, org.registered_by) == (
            "淮北矿业集团有限公司",
            "pending",
            user,
        )

    def test_the_page_shows_chinese_field_errors(self, client, regions, types):
        client.force_login(UserFactory())
        data = {**union_fields(regions, None), "region": regions["相山区"].pk, "parent": ""}
        response = client.post(reverse("procurement:register-organisation"), data)
        assert response.status_code == 200
        assert "工会须填写所属单位（预算单位或企业）。" in response.content.decode()
        assert not BudgetUnit.objects.filter(kind="organisation").exists()

    def test_bureau_sets_a_union_target_on_the_organisations_page(
        self, client, union, city_staff, policy_year
    ):
        client.force_login(city_staff)
        url = reverse("procurement:bureau-organisations")
        response = client.post(
            url,
            {"action": "target", "union": union.pk, "year": policy_year.year, "amount": "6000"},
        )
        assert response.status_code == 302
        assert UnionTarget.objects.get(union=union).amount == Decimal("6000.00")
        page = client.get(url).content.decode()
        assert "淮北市第一中学工会" in page and "¥6,000.00" in page

    def test_county_staff_cannot_see_or_target_a_union_of_another_county(
        self, client, union, county_staff, policy_year
    ):
        client.force_login(county_staff)
        url = reverse("procurement:bureau-organisations")
        decisions = UnitDecision.objects.count()
        response = client.post(
            url,
            {"action": "target", "union": union.pk, "year": policy_year.year, "amount": "6000"},
        )
        assert response.status_code == 404
        assert "淮北市第一中学工会" not in client.get(url).content.decode()
        assert (UnionTarget.objects.count(), UnitDecision.objects.count()) == (0, decisions)

    def test_the_union_portal_shows_its_target_and_the_policy_setting(
        self, client, union, union_buyer, city_staff, policy_year
    ):
        services.union_target_set(
            user=city_staff, union=union, year=policy_year.year, amount=Decimal("1000")
        )
        client.force_login(union_buyer)
        page = client.get(reverse("procurement:portal")).content.decode()
        assert 'data-figure="union-target">¥1,000.00' in page
        assert "本工会采购不计入淮北市第一中学的预留份额" in page
        assert "份额填报" not in page
