"""The reserved share is a floor, not a ceiling (issue #19): a unit orders past it and its
completion reads above 100% (超额完成); the one ceiling is the policy year's spending cap,
where the year sets it (the unit's filed canteen budget)."""

from decimal import Decimal

import pytest
from django.urls import reverse

from procurement import exceptions, services
from procurement.models import FilingVersion, PolicyYear

from .conftest import balance, ship, submit

pytestmark = pytest.mark.django_db


def amend(filing, user, *, budget: str, reserved: str):
    return services.filing_submit(
        unit=filing.unit,
        year=filing.policy_year.year,
        user=user,
        canteen_budget=Decimal(budget),
        reserved_amount=Decimal(reserved),
        contact_name="刘芳",
        contact_phone="0561-3012345",
    )


def test_an_order_past_the_reserve_counts_and_the_portal_says_exceeded(
    client, catalogue, unit, purchaser, filing
):
    # ¥1,000 reserved; 20 x ¥68 = ¥1,360 accepted.
    order = submit(purchaser, unit, filing, (catalogue["pomegranate"], 20))
    services.procurement_shipment_accept(shipping_event=ship(order), user=purchaser)

    assert balance(filing) == (Decimal("1000.00"), Decimal("0.00"), Decimal("1360.00"))
    filing.refresh_from_db()
    assert (filing.completion_rate, filing.exceeded, filing.remaining) == (
        Decimal("1.36"),
        Decimal("360.00"),
        Decimal("0"),
    )
    client.force_login(purchaser)
    html = client.get(reverse("procurement:portal")).content.decode()
    assert "完成率 <strong>136%</strong>" in html
    assert 'data-figure="status">超额完成' in html
    assert 'data-figure="exceeded" class="pc-em">360.00元' in html
    assert 'data-figure="remaining"' not in html
    assert "进度落后" not in html
    assert services.quota_reconcile() == []


def test_the_bureau_ranking_shows_exceeded_units(
    client, catalogue, unit, purchaser, filing, city_staff
):
    order = submit(purchaser, unit, filing, (catalogue["pomegranate"], 20))
    services.procurement_shipment_accept(shipping_event=ship(order), user=purchaser)
    client.force_login(city_staff)
    html = client.get(reverse("procurement:bureau-completion")).content.decode()
    assert "136.0%" in html and "超额完成" in html


def test_an_amendment_may_lower_the_reserve_below_what_is_bought(
    catalogue, unit, purchaser, filing, city_staff
):
    submit(purchaser, unit, filing, (catalogue["pomegranate"], 10))  # ¥680 committed
    amend(filing, purchaser, budget="5000", reserved="500")
    services.filing_approve(filing=filing, user=city_staff)
    assert balance(filing) == (Decimal("500.00"), Decimal("680.00"), Decimal("0.00"))


def test_under_a_cap_an_amendment_never_lowers_the_budget_below_what_is_bought(
    catalogue, unit, purchaser, capped_filing
):
    submit(purchaser, unit, capped_filing, (catalogue["pomegranate"], 10))  # ¥680
    with pytest.raises(exceptions.FilingInvalidError) as caught:
        amend(capped_filing, purchaser, budget="600", reserved="600")
    assert "修改后的预算不能低于已占用和已完成的金额 ¥680.00" in str(caught.value)
    assert FilingVersion.objects.filter(filing=capped_filing).count() == 1
    assert balance(capped_filing) == (Decimal("1000.00"), Decimal("680.00"), Decimal("0.00"))


def test_city_staff_switch_the_cap_on_the_policy_page(client, policy_year, city_staff):
    client.force_login(city_staff)
    response = client.post(
        reverse("procurement:bureau-policy"),
        {
            "year": policy_year.year,
            "min_ratio": "10",
            "encouraged_ratio": "15",
            "filing_deadline": "2026-03-31",
            "counting_event": "accepted",
            "is_open": "on",
            "cap_at_canteen_budget": "on",
        },
    )
    assert response.status_code == 302
    assert PolicyYear.objects.get(pk=policy_year.pk).cap_at_canteen_budget is True
    html = client.get(reverse("procurement:bureau-policy")).content.decode()
    assert "以食堂食材采购预算为上限" in html
