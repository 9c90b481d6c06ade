"""A year or a pk that is not a number never makes a 500: a bad year in a query string
falls back to this year, a bad year posted with a filing is a 400 with a Chinese message
and nothing filed, a bad policy pk is a 404."""

from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from procurement.models import Filing, FilingVersion, PolicyRegionOverride

pytestmark = pytest.mark.django_db

BAD_YEARS = ["abc", "2026.5", "-1", "0", "99999999999999999999", "２０２６x"]


@pytest.mark.parametrize("year", BAD_YEARS)
def test_the_portal_shows_this_year_for_a_year_that_is_not_one(client, unit, purchaser, year):
    client.force_login(purchaser)
    response = client.get(reverse("procurement:portal"), {"year": year})
    assert response.status_code == 200
    assert response.context["year"] == timezone.localdate().year


@pytest.mark.parametrize("year", BAD_YEARS)
def test_the_filing_page_shows_this_year_for_a_year_that_is_not_one(
    client, unit, purchaser, policy_year, year
):
    client.force_login(purchaser)
    response = client.get(reverse("procurement:filings"), {"year": year})
    assert response.status_code == 200
    assert response.context["year"] == policy_year.year
    assert f'<input type="hidden" name="year" value="{policy_year.year}">' in (
        response.content.decode()
    )


FILING = {
    "canteen_budget": "10000",
    "reserved_amount": "1000",
    "union_demand": "0",
    "contact_name": "刘芳",
    "contact_phone": "0561-3012345",
}


@pytest.mark.parametrize("year", ["abc", "99999999999999999999"])
def test_a_filing_posted_with_a_bad_year_is_a_400_and_files_nothing(
    client, unit, purchaser, policy_year, year
):
    client.force_login(purchaser)
    response = client.post(reverse("procurement:filings"), {**FILING, "year": year})
    assert response.status_code == 400
    assert "填报年度无效，请从填报页面重新提交。" in response.content.decode()
    assert (Filing.objects.count(), FilingVersion.objects.count()) == (0, 0)


def test_a_filing_posted_to_a_bad_year_in_the_query_string_is_a_400(
    client, unit, purchaser, policy_year
):
    client.force_login(purchaser)
    response = client.post(reverse("procurement:filings") + "?year=abc", FILING)
    assert response.status_code == 400
    assert "填报年度无效" in response.content.decode()
    assert Filing.objects.count() == 0


def test_a_filing_posted_with_a_good_year_is_still_filed(client, unit, purchaser, policy_year):
    client.force_login(purchaser)
    response = client.post(reverse("procurement:filings"), {**FILING, "year": policy_year.year})
    assert response.status_code == 302
    assert Filing.objects.get().policy_year == policy_year


def post_override(client, regions, policy):
    return client.post(
        reverse("procurement:bureau-policy"),
        {
            "action": "override",
            "policy": policy,
            "region": regions["濉溪县"].pk,
            "min_ratio": "12",
            "encouraged_ratio": "15",
        },
    )


@pytest.mark.parametrize("policy", ["abc", "", "1.5", "99999999999999999999", "²", "missing"])
def test_a_policy_override_for_a_bad_policy_pk_is_a_404_and_writes_nothing(
    client, regions, city_staff, policy_year, policy
):
    client.force_login(city_staff)
    if policy == "missing":
        policy = policy_year.pk + 1000
    assert post_override(client, regions, policy).status_code == 404
    assert PolicyRegionOverride.objects.count() == 0


def test_a_policy_override_for_a_good_pk_is_saved(client, regions, city_staff, policy_year):
    client.force_login(city_staff)
    assert post_override(client, regions, policy_year.pk).status_code == 302
    override = PolicyRegionOverride.objects.get()
    assert (override.region, override.min_ratio) == (regions["濉溪县"], Decimal("0.12"))


@pytest.mark.parametrize("page", ["abc", "-1", "99999"])
def test_the_order_list_shows_a_page_for_a_page_that_is_not_one(client, unit, purchaser, page):
    client.force_login(purchaser)
    response = client.get(reverse("procurement:orders"), {"page": page})
    assert response.status_code == 200


@pytest.mark.parametrize("membership", ["abc", "", "1.5", "99999999999999999999", "missing"])
def test_removing_a_membership_that_is_not_one_is_a_404_and_removes_nothing(
    client, unit, purchaser, city_staff, membership
):
    from procurement.models import BudgetUnitMember

    BudgetUnitMember.objects.create(unit=unit, user=purchaser, role="admin")
    count = BudgetUnitMember.objects.count()
    if membership == "missing":
        membership = BudgetUnitMember.objects.order_by("pk").last().pk + 1000
    data = {"action": "member-remove", "membership": membership}
    client.force_login(purchaser)
    assert client.post(reverse("procurement:members"), data).status_code == 404
    client.force_login(city_staff)
    bureau_page = reverse("procurement:bureau-unit", args=[unit.pk])
    assert client.post(bureau_page, data).status_code == 404
    assert BudgetUnitMember.objects.count() == count
