"""The API for organisations: a union orders without a filing, bureau staff set and read
union targets with the pages' rules and refusals, and an organisation reads its staff's
totals only. Every refusal is a 4xx with a Chinese reason and writes nothing."""

import json
from decimal import Decimal

import pytest

from procurement.models import UnionTarget, UnitDecision
from tests.factories.procurement import CHECKOUT_DETAILS

pytestmark = pytest.mark.django_db


def put(client, url, payload):
    return client.put(url, json.dumps(payload), content_type="application/json")


def test_a_union_orders_through_the_api_without_a_filing(client, catalogue, union, union_buyer):
    client.force_login(union_buyer)
    response = client.post(
        "/api/v1/procurement/orders",
        json.dumps(
            {
                "unit_id": union.pk,
                "items": [{"product_id": catalogue["rice"].pk, "quantity": 2}],
                **CHECKOUT_DETAILS,
            }
        ),
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["channel"], body["filing_id"], body["total"]) == ("union", None, "119.80")


def test_bureau_staff_set_a_target_and_read_the_unions(client, union, city_staff, policy_year):
    client.force_login(city_staff)
    url = f"/api/v1/procurement/unions/{union.pk}/target"
    response = put(client, url, {"year": policy_year.year, "amount": "6000"})
    assert response.status_code == 200
    assert response.json()["target"] == "6000.00"
    rows = client.get("/api/v1/procurement/union-targets").json()
    assert [(r["union"], r["target"]) for r in rows] == [("淮北市第一中学工会", "6000.00")]


def test_target_refusals_write_nothing(client, union, unit, city_staff, county_staff, policy_year):
    decisions = UnitDecision.objects.count()
    client.force_login(county_staff)
    url = f"/api/v1/procurement/unions/{union.pk}/target"
    assert put(client, url, {"year": policy_year.year, "amount": "6000"}).status_code == 404
    client.force_login(city_staff)
    zero = put(client, url, {"year": policy_year.year, "amount": "0"})
    assert zero.status_code == 400 and zero.json()["detail"] == "任务金额须为正数。"
    not_union = put(
        client, f"/api/v1/procurement/unions/{unit.pk}/target", {"year": 2026, "amount": "1"}
    )
    assert not_union.status_code == 400
    assert (UnionTarget.objects.count(), UnitDecision.objects.count()) == (0, decisions)


def test_only_bureau_staff_read_the_targets(client, union_buyer):
    client.force_login(union_buyer)
    assert client.get("/api/v1/procurement/union-targets").status_code == 403


def test_staff_totals_are_counts_and_amounts_only(client, union, union_buyer):
    client.force_login(union_buyer)
    body = client.get(f"/api/v1/procurement/units/{union.pk}/staff-purchases").json()
    assert set(body) == {"year", "linked", "orders", "amount"}
    assert (body["linked"], body["orders"], Decimal(body["amount"])) == (0, 0, Decimal("0"))
