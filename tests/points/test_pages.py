"""The pages: public boards and notices without login (query counts constant in rows), the
household lookup (only the matching household, throttled), the clerk's award flow, the
manager's redemption and reversal; refusals show their message and write nothing."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from points.models import Award, AwardStatus, Household, Redemption
from tests.factories.accounts import UserFactory
from tests.factories.points import award_in_notice, day

from .conftest import credit, state
from .test_awards import png, record


def board_queries(client, world) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(reverse("points:board", kwargs={"code": world.village.code}))
    assert response.status_code == 200
    return len(ctx)


def test_the_board_reads_without_login_and_shows_masked_names_only(client, world):
    home = world.households[0]
    credit(world, home, world.rules["clean"])

    response = client.get(reverse("points:board", kwargs={"code": world.village.code}))

    html = response.content.decode()
    assert response.status_code == 200
    assert home.masked_head_name in html and home.head_name not in html
    assert home.phone_last4 not in html
    assert [h.code for h in response.context["board"]][:1] == ["CQ001"]
    assert client.get(reverse("points:index")).status_code == 200


def test_the_board_query_count_does_not_grow_with_households_or_notices(client, world):
    credit(world, world.households[0], world.rules["clean"])
    board_queries(client, world)  # the site chrome's caches warm up
    few = board_queries(client, world)
    for n in range(20):
        home = Household.objects.create(
            village=world.village, code=f"M{n:03d}", head_name="王某某", phone_last4="1234"
        )
        credit(world, home, world.rules["clean"])
        award_in_notice(world, home, world.rules["care"], on=day(3, 5))
    assert Award.objects.filter(status=AwardStatus.NOTICE).count() == 20
    assert board_queries(client, world) == few


def test_the_notice_sheet_prints_the_months_noticed_awards(client, world):
    credit(world, world.households[0], world.rules["clean"])
    today = timezone.localdate()
    url = reverse(
        "points:notice-sheet",
        kwargs={"code": world.village.code, "year": today.year, "month": today.month},
    )
    response = client.get(url)
    assert response.status_code == 200
    assert list(response.context["awards"].values_list("rule__code", flat=True)) == ["3.1"]
    assert "积分公示表" in response.content.decode()


def lookup(client, code, phone, **extra):
    return client.post(reverse("points:lookup"), {"code": code, "phone_last4": phone}, **extra)


def test_the_lookup_shows_only_the_household_matching_code_and_phone(client, world):
    home, other = world.households[:2]
    credit(world, home, world.rules["clean"])

    response = lookup(client, home.code, home.phone_last4)

    html = response.content.decode()
    assert response.status_code == 200
    assert response.context["household"] == home
    assert [e.delta for e in response.context["history"]] == [10]
    assert other.code not in html and home.head_name not in html


def test_a_wrong_phone_and_an_unknown_code_get_the_same_answer(client, world):
    home = world.households[0]
    wrong_phone = lookup(client, home.code, "9999")
    unknown = lookup(client, "NOSUCH", "9999")
    for response in (wrong_phone, unknown):
        assert response.status_code == 404
        assert "household" not in response.context
        assert "户编码或电话后四位不正确。" in response.content.decode()


def test_the_lookup_is_throttled_per_household_code(client, world, settings):
    settings.POINTS_LOOKUP_LIMIT_PER_CODE = 3
    home = world.households[0]
    for _ in range(3):
        assert lookup(client, home.code, "0000").status_code == 404
    # Past the limit even the right digits are refused, from another address too.
    response = lookup(client, home.code, home.phone_last4, REMOTE_ADDR="10.0.0.9")
    assert response.status_code == 429
    assert "查询过于频繁" in response.content.decode()
    assert "household" not in response.context


def test_a_clerk_records_an_award_on_the_page_and_another_enters_the_review(client, world):
    client.force_login(world.clerk)
    assert client.get(reverse("points:clerk")).status_code == 200
    response = client.post(
        reverse("points:clerk"),
        {
            "household_code": "CQ002",
            "rule": world.rules["clean"].pk,
            "awarded_on": "2026-03-02",
            "note": "庭院整洁",
        },
    )
    assert response.status_code == 302
    award = Award.objects.get()
    assert (award.household.code, award.status, award.recorded_by) == (
        "CQ002",
        AwardStatus.PENDING,
        world.clerk,
    )

    client.force_login(world.clerk2)
    url = reverse("points:award-action", kwargs={"pk": award.pk, "action": "review"})
    client.post(url, {"passed": "1", "note": "代表一致同意"})
    award.refresh_from_db()
    assert award.status == AwardStatus.NOTICE


def test_a_refused_award_on_the_page_shows_the_message_and_writes_nothing(client, world):
    client.force_login(world.clerk)
    credit(world, world.households[0], world.rules["army"])
    before = state()
    response = client.post(
        reverse("points:clerk"),
        {"household_code": "CQ001", "rule": world.rules["army"].pk, "awarded_on": "2026-03-02"},
    )
    assert response.status_code == 409
    assert "该细则为一次性积分" in response.content.decode()
    assert state() == before


def test_pages_of_other_roles_are_closed(client, world):
    stranger = UserFactory(email="nobody@example.com")
    client.force_login(stranger)
    assert client.get(reverse("points:clerk")).status_code == 403
    assert client.get(reverse("points:shop")).status_code == 403
    award = credit(world, world.households[0], world.rules["clean"])
    client.force_login(world.other_clerk)  # a clerk of another village
    assert client.get(reverse("points:award-detail", kwargs={"pk": award.pk})).status_code == 404


def test_the_manager_redeems_on_the_page_and_reverses_on_the_receipt(client, world):
    home = world.households[0]
    credit(world, home, world.rules["army"])
    client.force_login(world.manager)

    page = client.get(reverse("points:shop"), {"code": home.code})
    assert page.context["household"] == home
    response = client.post(
        reverse("points:shop"), {"code": home.code, f"qty-{world.goods['soap'].pk}": "4"}
    )
    redemption = Redemption.objects.get()
    assert response.url == reverse("points:receipt", kwargs={"number": redemption.number})
    home.refresh_from_db()
    assert (home.balance, redemption.total_points) == (30, 20)
    assert client.get(response.url).status_code == 200

    client.post(response.url, {"reason": "拿错了"})
    home.refresh_from_db()
    redemption.refresh_from_db()
    assert (home.balance, redemption.status) == (50, "reversed")


def test_a_redemption_above_the_balance_on_the_page_writes_nothing(client, world):
    home = world.households[0]
    credit(world, home, world.rules["clean"])
    client.force_login(world.manager)
    before = state()
    response = client.post(
        reverse("points:shop"),
        {"code": home.code, f"qty-{world.goods['oil'].pk}": "1"},
        follow=True,
    )
    assert "积分余额不足：当前余额 10 分，本次需要 60 分。" in response.content.decode()
    assert state() == before


@pytest.mark.parametrize("user", ["clerk", "other_clerk"])
def test_the_evidence_photo_is_served_only_to_the_villages_clerks(client, world, user):
    award = record(world, world.rules["photo"], photo=png())
    client.force_login(getattr(world, user))
    response = client.get(reverse("points:award-photo", kwargs={"pk": award.pk}))
    assert response.status_code == (200 if user == "clerk" else 404)
