"""Awards: recorded by a clerk, reviewed by another clerk of the village, noticed for the
book's days, credited the day after the notice ends unless an objection is open; every
refusal writes nothing."""

import io

import pytest
from PIL import Image

from points import services
from points.exceptions import (
    AwardInvalidError,
    AwardStateError,
    ClerkOutsideVillageError,
    EvidenceInvalidError,
    EvidenceMissingError,
    HouseholdNotFoundError,
    PointsPermissionError,
    ReviewBySelfError,
    RuleCapReachedError,
    RuleNotInForceError,
    RuleOnceOnlyError,
)
from points.models import AwardAction, AwardStatus, PointsEntry
from tests.factories.accounts import UserFactory
from tests.factories.points import day, rule_book
from tests.factories.regions import BureauStaffFactory

from .conftest import credit, state


def record(world, rule, *, household=None, on=None, user=None, **extra):
    on = on or day(3, 2)
    return services.award_record(
        user=user or world.clerk,
        household_code=(household or world.households[0]).code,
        rule_id=rule.pk,
        awarded_on=on,
        today=extra.pop("today", on),
        **extra,
    )


def png() -> io.BytesIO:
    out = io.BytesIO()
    Image.new("RGB", (8, 8), "green").save(out, format="PNG")
    out.seek(0)
    out.name = "厕所.png"
    return out


def test_an_award_waits_for_review_then_a_notice_then_is_credited_the_day_after(world):
    home = world.households[0]
    award = record(world, world.rules["clean"], note="三月庭院检查")
    assert (award.status, award.points, home.balance) == (AwardStatus.PENDING, 10, 0)

    services.award_review(user=world.clerk2, award_id=award.pk, passed=True, today=day(3, 3))
    award.refresh_from_db()
    assert (award.status, award.notice_ends_on) == (AwardStatus.NOTICE, day(3, 10))

    # The last notice day is still a notice day: nothing is credited on it.
    assert services.awards_credit_due(today=day(3, 10)) == 0
    assert PointsEntry.objects.count() == 0
    assert services.awards_credit_due(today=day(3, 11)) == 1
    assert services.awards_credit_due(today=day(3, 12)) == 0  # once only

    award.refresh_from_db()
    home.refresh_from_db()
    assert (award.status, award.credited_points, home.balance) == (AwardStatus.CREDITED, 10, 10)
    assert list(award.steps.values_list("action", "by__email")) == [
        (AwardAction.RECORD, "clerk-t@example.com"),
        (AwardAction.REVIEW_PASS, "clerk2-t@example.com"),
        (AwardAction.CREDIT, None),
    ]
    assert services.points_reconcile() == []


def test_the_notice_length_is_the_rule_books(world):
    world.book.notice_days = 3
    world.book.save()
    award = record(world, world.rules["clean"])
    services.award_review(user=world.clerk2, award_id=award.pk, passed=True, today=day(3, 3))
    award.refresh_from_db()
    assert award.notice_ends_on == day(3, 6)


def test_a_rejected_award_is_never_credited_and_the_reason_is_kept(world):
    award = record(world, world.rules["clean"])
    services.award_review(
        user=world.clerk2, award_id=award.pk, passed=False, note="评议认为不符合", today=day(3, 3)
    )
    assert services.awards_credit_due(today=day(5, 1)) == 0
    award.refresh_from_db()
    assert award.status == AwardStatus.REJECTED
    assert award.steps.last().note == "评议认为不符合"


def test_an_open_objection_holds_the_award_and_an_upheld_one_cancels_it(world):
    award = record(world, world.rules["clean"])
    services.award_review(user=world.clerk2, award_id=award.pk, passed=True, today=day(3, 3))
    objection = services.objection_record(
        user=world.clerk2,
        award_id=award.pk,
        raised_by="村民李某",
        content="院子未打扫",
        today=day(3, 5),
    )
    assert services.awards_credit_due(today=day(3, 20)) == 0

    services.objection_decide(
        user=world.clerk,
        objection_id=objection.pk,
        upheld=True,
        reason="经核实属实",
        today=day(3, 21),
    )

    award.refresh_from_db()
    world.households[0].refresh_from_db()
    assert (award.status, world.households[0].balance) == (AwardStatus.CANCELLED, 0)
    assert services.awards_credit_due(today=day(4, 1)) == 0
    assert PointsEntry.objects.count() == 0


def test_a_dismissed_objection_after_the_notice_credits_at_once(world):
    award = record(world, world.rules["clean"])
    services.award_review(user=world.clerk2, award_id=award.pk, passed=True, today=day(3, 3))
    objection = services.objection_record(
        user=world.clerk,
        award_id=award.pk,
        raised_by="村民李某",
        content="有疑问",
        today=day(3, 9),
    )
    services.objection_decide(
        user=world.clerk2,
        objection_id=objection.pk,
        upheld=False,
        reason="经核实不属实",
        today=day(3, 15),
    )
    award.refresh_from_db()
    assert (award.status, award.credited_points) == (AwardStatus.CREDITED, 10)
    assert [s.action for s in award.steps.all()][-2:] == [
        AwardAction.OBJECTION_DISMISSED,
        AwardAction.CREDIT,
    ]


def test_bureau_staff_end_a_notice_early_with_a_reason_and_it_is_audited(world):
    admin = UserFactory(email="root@example.com", is_superuser=True, is_staff=True)
    award = record(world, world.rules["clean"])
    services.award_review(user=world.clerk2, award_id=award.pk, passed=True, today=day(3, 3))

    services.award_end_notice_early(
        user=admin, award_id=award.pk, reason="演示：提前结束公示", today=day(3, 4)
    )

    award.refresh_from_db()
    assert (award.status, award.notice_ends_on) == (AwardStatus.CREDITED, day(3, 3))
    step = award.steps.get(action=AwardAction.NOTICE_END_EARLY)
    assert (step.by, step.note) == (admin, "演示：提前结束公示")


def test_a_deduction_takes_what_the_balance_holds_and_never_goes_below_zero(world):
    home = world.households[0]
    credit(world, home, world.rules["care"])  # +5
    credit(world, home, world.rules["litter"])  # -5
    award = credit(world, home, world.rules["litter"])  # -5 of 0
    home.refresh_from_db()
    assert (home.balance, award.credited_points) == (0, 0)
    assert services.points_reconcile() == []


# ---------------------------------------------------------------------------
# Refusals: each with its message, and nothing written
# ---------------------------------------------------------------------------
def refused(error, call, message=None):
    before = state()
    with pytest.raises(error) as caught:
        call()
    assert state() == before
    if message is not None:
        assert caught.value.message == message
    return caught.value


def test_an_unknown_household_is_refused(world):
    refused(
        HouseholdNotFoundError,
        lambda: services.award_record(
            user=world.clerk,
            household_code="NOPE",
            rule_id=world.rules["clean"].pk,
            awarded_on=day(3, 2),
            today=day(3, 2),
        ),
        "没有找到该户，请核对户编码。",
    )


def test_a_clerk_outside_the_village_is_refused(world):
    refused(
        ClerkOutsideVillageError,
        lambda: record(world, world.rules["clean"], user=world.other_clerk),
        "您不是该村的记分员，不能为该村农户记分。",
    )


def test_a_rule_not_in_force_on_the_date_is_refused(world):
    refused(
        RuleNotInForceError,
        lambda: record(world, world.rules["clean"], on=day(12, 30, 2025), today=day(3, 2)),
    )
    world.rules["care"].is_active = False
    world.rules["care"].save()
    refused(RuleNotInForceError, lambda: record(world, world.rules["care"]))


def test_a_county_book_overrides_the_citys(world):
    county_book, county_rules = rule_book(world.regions["濉溪县"], name="濉溪县细则")
    # The city's rule is no longer in force in 濉溪县's villages; the county's is.
    refused(RuleNotInForceError, lambda: record(world, world.rules["clean"]))
    assert record(world, county_rules["clean"]).rule.aspect.rule_book == county_book


def test_a_second_award_of_a_one_off_rule_is_refused(world):
    record(world, world.rules["army"])
    refused(
        RuleOnceOnlyError,
        lambda: record(world, world.rules["army"], on=day(6, 1)),
        "该细则为一次性积分，该户已记录过，不能重复记分。",
    )


def test_a_second_award_in_a_month_of_a_monthly_rule_is_refused(world):
    record(world, world.rules["clean"], on=day(3, 2))
    refused(RuleCapReachedError, lambda: record(world, world.rules["clean"], on=day(3, 20)))
    assert record(world, world.rules["clean"], on=day(4, 1)).status == AwardStatus.PENDING


def test_an_award_over_the_rules_cap_is_refused_but_a_rejected_one_does_not_count(world):
    first = record(world, world.rules["care"], on=day(3, 1))
    record(world, world.rules["care"], on=day(3, 2))
    record(world, world.rules["care"], on=day(3, 3))
    refused(
        RuleCapReachedError,
        lambda: record(world, world.rules["care"], on=day(3, 4)),
        "该户在“照料老人”下本月已记 3 次，达到上限 3 次。",
    )
    services.award_review(user=world.clerk2, award_id=first.pk, passed=False, note="不实")
    assert record(world, world.rules["care"], on=day(3, 4)).status == AwardStatus.PENDING


def test_evidence_is_required_where_the_rule_says_and_checked_by_content(world):
    refused(EvidenceMissingError, lambda: record(world, world.rules["photo"]))
    fake = io.BytesIO(b"not an image at all")
    fake.name = "photo.jpg"
    refused(EvidenceInvalidError, lambda: record(world, world.rules["photo"], photo=fake))
    award = record(world, world.rules["photo"], photo=png())
    assert award.photo.name.endswith(".png")
    assert award.photo.storage.exists(award.photo.name)


def test_a_future_date_is_refused(world):
    refused(
        AwardInvalidError,
        lambda: record(world, world.rules["clean"], on=day(3, 9), today=day(3, 8)),
        "事项日期不能晚于今天。",
    )


def test_the_recording_clerk_cannot_review_and_outsiders_cannot_either(world):
    award = record(world, world.rules["clean"])
    refused(
        ReviewBySelfError,
        lambda: services.award_review(user=world.clerk, award_id=award.pk, passed=True),
    )
    refused(
        ClerkOutsideVillageError,
        lambda: services.award_review(user=world.other_clerk, award_id=award.pk, passed=True),
    )
    refused(
        AwardInvalidError,
        lambda: services.award_review(user=world.clerk2, award_id=award.pk, passed=False),
        "评议不通过须填写原因。",
    )
    services.award_review(user=world.clerk2, award_id=award.pk, passed=True)
    refused(
        AwardStateError,
        lambda: services.award_review(user=world.clerk2, award_id=award.pk, passed=True),
    )


def test_objections_outside_the_notice_and_undue_early_endings_are_refused(world):
    award = record(world, world.rules["clean"])
    refused(
        AwardStateError,
        lambda: services.objection_record(
            user=world.clerk, award_id=award.pk, raised_by="甲", content="乙"
        ),
    )
    services.award_review(user=world.clerk2, award_id=award.pk, passed=True, today=day(3, 3))
    refused(
        AwardStateError,
        lambda: services.objection_record(
            user=world.clerk, award_id=award.pk, raised_by="甲", content="乙", today=day(3, 11)
        ),
        "只能在公示期内对公示中的积分提出异议。",
    )
    # Clerks are not administrators; county staff of another county are out of scope.
    refused(
        PointsPermissionError,
        lambda: services.award_end_notice_early(user=world.clerk, award_id=award.pk, reason="x"),
    )
    other = BureauStaffFactory(region=world.regions["烈山区"], level="county").user
    refused(
        PointsPermissionError,
        lambda: services.award_end_notice_early(user=other, award_id=award.pk, reason="x"),
    )
    services.objection_record(
        user=world.clerk, award_id=award.pk, raised_by="甲", content="乙", today=day(3, 4)
    )
    county = BureauStaffFactory(region=world.regions["濉溪县"], level="county").user
    refused(
        AwardStateError,
        lambda: services.award_end_notice_early(user=county, award_id=award.pk, reason="x"),
        "该积分有待处理的异议，处理后才能结束公示。",
    )
