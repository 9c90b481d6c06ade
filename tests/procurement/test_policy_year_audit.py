"""A policy year's rules (ratios, deadline, counting event, open or closed) are never set or
changed without a record of who did it, when, and the rules before and after."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from procurement import exceptions, services
from procurement.models import PolicyYear, PolicyYearChange
from tests.factories.accounts import UserFactory

pytestmark = pytest.mark.django_db

RULES = {
    "year": 2031,
    "min_ratio": Decimal("0.1"),
    "encouraged_ratio": Decimal("0.15"),
    "filing_deadline": datetime.date(2031, 3, 31),
    "counting_event": "accepted",
}


def test_creating_a_year_records_its_rules_after_and_nothing_before(city_staff):
    policy = services.policy_year_save(user=city_staff, **RULES)

    change = PolicyYearChange.objects.get()
    assert (change.policy_year, change.changed_by) == (policy, city_staff)
    assert change.before == {}
    assert change.after == {
        "min_ratio": "0.1000",
        "encouraged_ratio": "0.1500",
        "filing_deadline": "2031-03-31",
        "counting_event": "accepted",
        "is_open": True,
        "cap_at_canteen_budget": False,
        "supervisor_review_required": False,
        "union_counts_for_parent": False,
    }


def test_changing_a_year_records_the_rules_before_and_after(city_staff):
    services.policy_year_save(user=city_staff, **RULES)

    services.policy_year_save(user=city_staff, **{**RULES, "min_ratio": Decimal("0.12")})
    services.policy_year_save(user=city_staff, **{**RULES, "min_ratio": Decimal("0.12")})

    latest = PolicyYearChange.objects.first()  # newest first
    assert PolicyYearChange.objects.count() == 2  # the same rules again record nothing
    assert (latest.before["min_ratio"], latest.after["min_ratio"]) == ("0.1000", "0.1200")
    assert latest.changed_fields == ["min_ratio"]


def test_a_refused_change_writes_nothing(city_staff, county_staff):
    services.policy_year_save(user=city_staff, **RULES)

    with pytest.raises(exceptions.ProcurementPermissionError):
        services.policy_year_save(user=county_staff, **{**RULES, "is_open": False})
    with pytest.raises(exceptions.FilingInvalidError):
        services.policy_year_save(user=city_staff, **{**RULES, "min_ratio": Decimal("2")})

    assert PolicyYearChange.objects.count() == 1
    assert PolicyYear.objects.get(year=2031).is_open is True


def test_the_admin_lists_the_changes_read_only(client, city_staff):
    services.policy_year_save(user=city_staff, **RULES)
    client.force_login(UserFactory(is_staff=True, is_superuser=True))

    listing = client.get(reverse("admin:procurement_policyyearchange_changelist"))
    add = client.get(reverse("admin:procurement_policyyearchange_add"))

    assert listing.status_code == 200
    assert "2031" in listing.content.decode()
    assert add.status_code == 403
