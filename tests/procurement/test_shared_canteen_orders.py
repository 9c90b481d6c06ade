"""A member of a shared canteen (共用食堂) orders through the unit checkout against its host's
approved filing: the order records the member as buyer and the host's filing; the host's
completion includes it; totals by region count it where the buyer is. Other units are
refused the host's filing with nothing written."""

import json
from decimal import Decimal

import pytest
from django.urls import reverse

from procurement import exceptions
from procurement.models import Filing, ProcurementOrder
from procurement.selectors import procurement_completion_totals
from procurement.services import quota_reconcile
from tests.factories.catalog import make_credit_code
from tests.factories.payments import basket_for
from tests.factories.procurement import (
    BudgetUnitFactory,
    BudgetUnitMemberFactory,
    FilingFactory,
    accepted_order,
    filing_balance,
    procurement_order_submit,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def host_filing(unit, purchaser, policy_year, city_staff):
    """淮北市第一中学 hosts the canteen (city level): budget ¥10,000, reserved ¥1,000."""
    unit.canteen_status = "shared"
    unit.save(update_fields=["canteen_status"])
    return FilingFactory(unit=unit, user=purchaser, year=policy_year.year, approved_by=city_staff)


@pytest.fixture
def member(regions, unit):
    """A school in 濉溪县 that eats at the host's canteen."""
    return BudgetUnitFactory(
        name="濉溪县实验小学",
        region=regions["濉溪县"],
        credit_code=make_credit_code(990021),
        canteen_status="shared",
        canteen_host=unit,
    )


@pytest.fixture
def member_buyer(member):
    return BudgetUnitMemberFactory(unit=member, user__email="member-buyer@example.com").user


def test_a_member_orders_against_its_hosts_filing_as_the_buyer(
    catalogue, host_filing, member, member_buyer, regions
):
    order = accepted_order(member_buyer, member, host_filing, (catalogue["pomegranate"], 2))

    procurement = ProcurementOrder.objects.get(order=order)
    assert (procurement.unit, procurement.filing) == (member, host_filing)
    assert filing_balance(host_filing) == (Decimal("1000.00"), Decimal("0.00"), Decimal("136.00"))
    assert not Filing.objects.filter(unit=member).exists()
    assert quota_reconcile() == []
    # By buyer region: the order counts in 濉溪县, where the member is, and in the city.
    year = host_filing.policy_year.year
    county = procurement_completion_totals(year=year, region=regions["濉溪县"])
    city = procurement_completion_totals(year=year, region=regions["淮北市"])
    assert (county["completed"], county["reserved"]) == (Decimal("136.00"), Decimal("0"))
    assert city["completed"] == Decimal("136.00")
    assert procurement_completion_totals(year=year)["completed"] == Decimal("136.00")


def test_a_unit_that_is_not_the_hosts_member_is_refused_its_filing(
    catalogue, host_filing, regions, unit
):
    other_host = BudgetUnitFactory(name="濉溪县中学", region=regions["濉溪县"])
    stranger = BudgetUnitFactory(
        name="濉溪县第二小学",
        region=regions["濉溪县"],
        canteen_status="shared",
        canteen_host=other_host,
    )
    own = BudgetUnitFactory(name="淮北市实验高级中学")
    for outsider in (stranger, own):
        buyer = BudgetUnitMemberFactory(unit=outsider).user
        basket = basket_for(buyer, (catalogue["pomegranate"], 1))
        with pytest.raises(exceptions.FilingNotApprovedError):
            procurement_order_submit(buyer, outsider, host_filing, basket=basket)

    assert not ProcurementOrder.objects.exists()
    assert filing_balance(host_filing) == (Decimal("1000.00"), Decimal("0.00"), Decimal("0.00"))


def test_the_members_checkout_offers_the_hosts_filing(
    client, catalogue, host_filing, member, member_buyer
):
    basket_for(member_buyer, (catalogue["pomegranate"], 1))
    client.force_login(member_buyer)

    html = client.get(reverse("procurement:checkout")).content.decode()
    assert f'value="{host_filing.pk}"' in html
    assert "共用食堂主办单位“淮北市第一中学”的填报" in html
    portal = client.get(reverse("procurement:portal")).content.decode()
    assert "本单位与“淮北市第一中学”共用食堂" in portal


def test_the_api_lists_and_orders_against_the_hosts_filing_for_members_only(
    client, catalogue, host_filing, member, member_buyer, regions
):
    client.force_login(member_buyer)
    listed = client.get(f"/api/v1/procurement/units/{member.pk}/filings").json()
    assert [f["id"] for f in listed] == [host_filing.pk]
    assert client.get(f"/api/v1/procurement/filings/{host_filing.pk}/balance").status_code == 200

    payload = {
        "unit_id": member.pk,
        "filing_id": host_filing.pk,
        "items": [{"product_id": catalogue["pomegranate"].pk, "quantity": 1}],
        "canteen": "共用食堂",
        "delivery_address": "淮海西路1号",
        "contact_name": "刘芳",
        "contact_phone": "13812345678",
        "invoice_title": "濉溪县实验小学",
        "tax_number": "12340600MB1234567X",
    }
    response = client.post(
        "/api/v1/procurement/orders", json.dumps(payload), content_type="application/json"
    )
    assert response.status_code == 201, response.content
    assert ProcurementOrder.objects.get().unit == member

    outsider = BudgetUnitFactory(name="濉溪县第二小学", region=regions["濉溪县"])
    stranger = BudgetUnitMemberFactory(unit=outsider).user
    client.force_login(stranger)
    assert client.get(f"/api/v1/procurement/filings/{host_filing.pk}/balance").status_code == 404
    response = client.post(
        "/api/v1/procurement/orders",
        json.dumps({**payload, "unit_id": outsider.pk}),
        content_type="application/json",
    )
    assert response.status_code == 404
    assert ProcurementOrder.objects.count() == 1
