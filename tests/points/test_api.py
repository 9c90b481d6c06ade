"""The points API: award recording and household balance with a personal token, the same
rules and refusals as the pages, and nothing written on a refusal."""

import json

import pytest

from accounts.services import api_token_create
from points.models import Award, AwardStatus

from .conftest import credit, state


def call(client, method, path, user, body=None):
    _token, plain = api_token_create(user=user, name="村务系统")
    return getattr(client, method)(
        f"/api/v1/points{path}",
        data=json.dumps(body) if body is not None else None,
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {plain}",
    )


def award_body(world, **extra):
    return {
        "household_code": "CQ001",
        "rule_id": world.rules["clean"].pk,
        "awarded_on": "2026-03-02",
        "note": "接口记分",
    } | extra


def test_a_clerk_records_an_award_with_a_token(client, world):
    response = call(client, "post", "/awards", world.clerk, award_body(world))
    assert response.status_code == 201
    award = Award.objects.get()
    assert response.json() == {
        "id": award.pk,
        "household_code": "CQ001",
        "rule_id": world.rules["clean"].pk,
        "points": 10,
        "awarded_on": "2026-03-02",
        "status": AwardStatus.PENDING,
        "notice_ends_on": None,
    }


@pytest.mark.parametrize(
    ("who", "body", "status", "detail"),
    [
        ("clerk", {"household_code": "NONE"}, 404, "没有找到该户，请核对户编码。"),
        ("other_clerk", {}, 403, "您不是该村的记分员，不能为该村农户记分。"),
        ("clerk", {"awarded_on": "2025-06-01"}, 409, None),
        (
            "clerk",
            {"rule": "army", "again": True},
            409,
            "该细则为一次性积分，该户已记录过，不能重复记分。",
        ),
        ("clerk", {"rule": "photo"}, 400, "“改厕改厨”需要上传佐证照片。"),
        ("clerk", {"rule_id": 0}, 422, None),
    ],
)
def test_refusals_answer_4xx_in_chinese_and_write_nothing(client, world, who, body, status, detail):
    body = dict(body)
    if body.pop("again", False):
        credit(world, world.households[0], world.rules["army"])
    if "rule" in body:
        body["rule_id"] = world.rules[body.pop("rule")].pk
    before = state()
    response = call(client, "post", "/awards", getattr(world, who), award_body(world, **body))
    assert response.status_code == status
    if detail:
        assert response.json()["detail"] == detail
    assert state() == before


def test_the_balance_for_the_villages_clerk_and_no_one_else(client, world):
    credit(world, world.households[0], world.rules["clean"])
    ok = call(client, "get", "/households/CQ001", world.manager)
    assert ok.status_code == 200
    body = ok.json()
    assert (body["code"], body["balance"], body["pending_points"]) == ("CQ001", 10, 0)
    assert [(e["kind"], e["delta"]) for e in body["entries"]] == [("award", 10)]
    denied = call(client, "get", "/households/CQ001", world.other_clerk)
    unknown = call(client, "get", "/households/NOPE", world.other_clerk)
    assert (denied.status_code, denied.json()) == (unknown.status_code, unknown.json())


def test_the_rules_in_force_in_a_village(client, world):
    response = call(
        client, "get", f"/villages/{world.village.code}/rules?date=2026-05-01", world.clerk
    )
    assert [r["code"] for r in response.json()] == ["1.1", "1.2", "3.1", "3.2", "4.1"]
