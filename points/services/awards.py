"""Awards: a clerk records, another clerk enters the village review's outcome (村民代表评议),
the award is noticed publicly (公示) for the rule book's ``notice_days`` and, with no open
objection, credited to the household's ledger the day after the notice ends. Every step
writes an ``AwardStep``; every refusal is raised before anything is written."""

import datetime
import uuid

from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone
from django.utils.translation import gettext as _

from core.locks import row_lock
from core.states import StateMachine
from suppliers.exceptions import DocumentInvalidError
from suppliers.services.documents import product_image_check

from ..access import bureau_require_village, clerk_or_bureau_require, clerk_require_village
from ..exceptions import (
    AwardInvalidError,
    AwardStateError,
    EvidenceInvalidError,
    EvidenceMissingError,
    HouseholdNotFoundError,
    ReviewBySelfError,
    RuleCapReachedError,
    RuleNotInForceError,
    RuleOnceOnlyError,
)
from ..models import (
    LIVE_STATUSES,
    Award,
    AwardAction,
    AwardStatus,
    AwardStep,
    CapPeriod,
    EntryKind,
    Household,
    Objection,
    ObjectionDecision,
    Rule,
    RuleBook,
    RuleUnit,
    Village,
)
from .ledger import household_lock, ledger_append


def rule_book_for(*, village: Village, year: int) -> RuleBook | None:
    """The book in force for ``village`` in ``year``: the one of the nearest region above the
    village (a county's book overrides the city's)."""
    path = village.town.path
    books = [
        b
        for b in RuleBook.objects.filter(year=year).select_related("region")
        if path.startswith(b.region.path)
    ]
    return max(books, key=lambda b: len(b.region.path), default=None)


def rules_in_force(*, village: Village, on: datetime.date):
    book = rule_book_for(village=village, year=on.year)
    if book is None:
        return Rule.objects.none()
    return Rule.objects.filter(aspect__rule_book=book, is_active=True).select_related(
        "aspect", "aspect__rule_book"
    )


def household_by_code(code: str) -> Household:
    """The active household with ``code`` (spaces trimmed), or ``HouseholdNotFoundError``."""
    household = (
        Household.objects.filter(code=(code or "").strip(), is_active=True)
        .select_related("village", "village__town")
        .first()
    )
    if household is None:
        raise HouseholdNotFoundError()
    return household


def _period(rule: Rule, on: datetime.date) -> tuple[datetime.date, datetime.date]:
    if rule.unit == RuleUnit.PER_MONTH or rule.cap_period == CapPeriod.MONTH:
        start = on.replace(day=1)
        end = (start + datetime.timedelta(days=32)).replace(day=1) - datetime.timedelta(days=1)
        return start, end
    return on.replace(month=1, day=1), on.replace(month=12, day=31)


def _cap_check(*, household: Household, rule: Rule, on: datetime.date) -> None:
    """Refuse a second award of a one-off rule, a second in a month of a monthly rule and
    one past the rule's cap in its period. The caller holds the household lock, so two
    clerks at once cannot both pass."""
    live = Award.objects.filter(household=household, rule=rule, status__in=LIVE_STATUSES)
    if rule.unit == RuleUnit.ONCE:
        if live.exists():
            raise RuleOnceOnlyError()
        return
    start, end = _period(rule, on)
    count = live.filter(awarded_on__range=(start, end)).count()
    limit = 1 if rule.unit == RuleUnit.PER_MONTH else rule.cap_times
    if limit is not None and count >= limit:
        raise RuleCapReachedError(
            _("该户在“%(rule)s”下%(period)s已记 %(count)s 次，达到上限 %(limit)s 次。")
            % {
                "rule": rule.title,
                "period": _("本月") if start.day == 1 and end.month == start.month else _("本年"),
                "count": count,
                "limit": limit,
            }
        )


def _photo_checked(photo):
    if not photo:
        return None
    try:
        checked = product_image_check(photo)
    except DocumentInvalidError as exc:
        raise EvidenceInvalidError(str(exc)) from exc
    checked.content.name = f"{uuid.uuid4().hex}.{checked.extension}"
    return checked.content


def award_record(
    *,
    user,
    household_code: str,
    rule_id: int,
    awarded_on: datetime.date,
    note: str = "",
    photo=None,
    today: datetime.date | None = None,
) -> Award:
    """Record an award for review. Raises ``HouseholdNotFoundError``,
    ``ClerkOutsideVillageError``, ``AwardInvalidError`` (a date in the future, a note too
    long), ``RuleNotInForceError``, ``EvidenceMissingError``/``EvidenceInvalidError``,
    ``RuleOnceOnlyError`` or ``RuleCapReachedError``; nothing is written then."""
    today = today or timezone.localdate()
    household = household_by_code(household_code)
    clerk_require_village(user=user, village=household.village)
    note = (note or "").strip()
    if awarded_on > today:
        raise AwardInvalidError(_("事项日期不能晚于今天。"))
    if len(note) > 300:
        raise AwardInvalidError(_("说明不能超过 300 个字。"))
    rule = rules_in_force(village=household.village, on=awarded_on).filter(pk=rule_id).first()
    if rule is None:
        raise RuleNotInForceError(
            _("该评分细则不适用于 %(village)s %(date)s 的事项（不在当年细则中或已停用）。")
            % {"village": household.village.name, "date": awarded_on.isoformat()}
        )
    if rule.evidence_required and not photo:
        raise EvidenceMissingError(_("“%(rule)s”需要上传佐证照片。") % {"rule": rule.title})
    content = _photo_checked(photo)
    with transaction.atomic():
        household = household_lock(household_id=household.pk)
        _cap_check(household=household, rule=rule, on=awarded_on)
        award = Award(
            household=household,
            rule=rule,
            awarded_on=awarded_on,
            points=rule.points,
            note=note,
            recorded_by=user,
        )
        if content is not None:
            award.photo.save(content.name, content, save=False)
        award.save()
        AwardStep.objects.create(award=award, action=AwardAction.RECORD, by=user, note=note)
    return award


#: An award's way: reviewed once (passed into its notice, or rejected), then credited or,
#: on an upheld objection, cancelled.
AWARD_MOVES = StateMachine(
    field="status",
    transitions={
        AwardStatus.PENDING: (AwardStatus.NOTICE, AwardStatus.REJECTED),
        AwardStatus.NOTICE: (AwardStatus.CREDITED, AwardStatus.CANCELLED),
    },
    error=AwardStateError,
)


def _award_lock(award_id: int) -> Award:
    try:
        return row_lock(
            Award,
            pk=award_id,
            related=("household__village__town", "rule__aspect__rule_book"),
            own_row_only=True,
        )
    except Award.DoesNotExist as exc:
        raise AwardStateError(_("没有找到该积分记录。")) from exc


def award_review(
    *, user, award_id: int, passed: bool, note: str = "", today: datetime.date | None = None
) -> Award:
    """Enter the village review's outcome. Passed: the notice starts today and runs for the
    book's ``notice_days`` (the last notice day is ``notice_ends_on``). Only a clerk of the
    village other than the one who recorded the award; a rejection needs a reason."""
    today = today or timezone.localdate()
    note = (note or "").strip()
    if not passed and not note:
        raise AwardInvalidError(_("评议不通过须填写原因。"))
    with transaction.atomic():
        award = _award_lock(award_id)
        clerk_require_village(user=user, village=award.household.village)
        if award.recorded_by_id == user.pk:
            raise ReviewBySelfError()
        if passed:
            award.notice_ends_on = today + datetime.timedelta(
                days=award.rule.aspect.rule_book.notice_days
            )
        AWARD_MOVES.move(
            award,
            AwardStatus.NOTICE if passed else AwardStatus.REJECTED,
            refusal=_("该积分记录已评议过。"),
            also=["notice_ends_on"],
        )
        AwardStep.objects.create(
            award=award,
            action=AwardAction.REVIEW_PASS if passed else AwardAction.REVIEW_REJECT,
            by=user,
            note=note,
        )
    return award


def objection_record(
    *, user, award_id: int, raised_by: str, content: str, today: datetime.date | None = None
) -> Objection:
    """Record an objection raised during the notice; the award is held until it is decided."""
    today = today or timezone.localdate()
    raised_by, content = (raised_by or "").strip(), (content or "").strip()
    if not raised_by or not content:
        raise AwardInvalidError(_("请填写异议人和异议内容。"))
    with transaction.atomic():
        award = _award_lock(award_id)
        clerk_or_bureau_require(user=user, village=award.household.village)
        if award.status != AwardStatus.NOTICE or today > award.notice_ends_on:
            raise AwardStateError(_("只能在公示期内对公示中的积分提出异议。"))
        objection = Objection.objects.create(
            award=award, raised_by=raised_by[:50], content=content[:500], recorded_by=user
        )
        AwardStep.objects.create(
            award=award, action=AwardAction.OBJECTION, by=user, note=content[:300]
        )
    return objection


def objection_decide(
    *, user, objection_id: int, upheld: bool, reason: str, today: datetime.date | None = None
) -> Objection:
    """Decide an objection with a reason. Upheld: the award is cancelled and never credited.
    Dismissed: the award goes on, and is credited at once if its notice has ended."""
    reason = (reason or "").strip()
    if not reason:
        raise AwardInvalidError(_("处理异议须填写理由。"))
    objection = Objection.objects.filter(pk=objection_id).only("award_id").first()
    if objection is None:
        raise AwardStateError(_("没有找到该异议。"))
    with transaction.atomic():
        award = _award_lock(objection.award_id)
        clerk_or_bureau_require(user=user, village=award.household.village)
        objection = Objection.objects.select_for_update().get(pk=objection_id)
        if objection.decision != ObjectionDecision.OPEN or award.status != AwardStatus.NOTICE:
            raise AwardStateError(_("该异议已处理过。"))
        objection.decision = ObjectionDecision.UPHELD if upheld else ObjectionDecision.DISMISSED
        objection.reason = reason[:300]
        objection.decided_by = user
        objection.decided_at = timezone.now()
        objection.save(update_fields=["decision", "reason", "decided_by", "decided_at"])
        AwardStep.objects.create(
            award=award,
            action=AwardAction.OBJECTION_UPHELD if upheld else AwardAction.OBJECTION_DISMISSED,
            by=user,
            note=reason[:300],
        )
        if upheld:
            AWARD_MOVES.move(award, AwardStatus.CANCELLED)
    if not upheld:
        award_credit(award_id=award.pk, today=today)
    return objection


def award_end_notice_early(
    *, user, award_id: int, reason: str, today: datetime.date | None = None
) -> Award:
    """An administrator (bureau staff over the village, or a superuser) ends a notice early,
    with a reason, and the award is credited now (audited as its own step). Refused while an
    objection is open."""
    today = today or timezone.localdate()
    reason = (reason or "").strip()
    if not reason:
        raise AwardInvalidError(_("提前结束公示须填写原因。"))
    with transaction.atomic():
        award = _award_lock(award_id)
        bureau_require_village(user=user, village=award.household.village)
        if award.status != AwardStatus.NOTICE:
            raise AwardStateError(_("该积分记录不在公示中。"))
        if award.objections.filter(decision=ObjectionDecision.OPEN).exists():
            raise AwardStateError(_("该积分有待处理的异议，处理后才能结束公示。"))
        award.notice_ends_on = today - datetime.timedelta(days=1)
        award.save(update_fields=["notice_ends_on"])
        AwardStep.objects.create(
            award=award, action=AwardAction.NOTICE_END_EARLY, by=user, note=reason[:300]
        )
        _credit_locked(award, today=today, by=user)
    return award


def _credit_locked(award: Award, *, today: datetime.date, by=None) -> bool:
    if award.status != AwardStatus.NOTICE or award.notice_ends_on >= today:
        return False
    if award.objections.filter(decision=ObjectionDecision.OPEN).exists():
        return False
    household = household_lock(household_id=award.household_id)
    delta = award.points
    if delta < 0:
        # A deduction takes what the balance holds: a balance never goes below zero.
        delta = -min(-delta, household.balance)
    if delta:
        ledger_append(
            household=household,
            kind=EntryKind.AWARD,
            delta=delta,
            award=award,
            reason=f"{award.rule.code} {award.rule.title}"[:300],
            by=by,
        )
    award.credited_points = delta
    AWARD_MOVES.move(award, AwardStatus.CREDITED, also=["credited_points"])
    note = "" if delta == award.points else _("余额不足，实扣 %(n)s 分。") % {"n": -delta}
    AwardStep.objects.create(award=award, action=AwardAction.CREDIT, by=by, note=note)
    return True


def award_credit(*, award_id: int, today: datetime.date | None = None, by=None) -> bool:
    """Credit one award whose notice has ended with no open objection; False (nothing
    written) otherwise. Safe to call again."""
    today = today or timezone.localdate()
    with transaction.atomic():
        return _credit_locked(_award_lock(award_id), today=today, by=by)


def awards_credit_due(*, today: datetime.date | None = None) -> int:
    """Credit every award whose notice ended before ``today`` and that has no open
    objection, each in its own transaction; the number credited. Idempotent."""
    today = today or timezone.localdate()
    open_objection = Objection.objects.filter(award=OuterRef("pk"), decision=ObjectionDecision.OPEN)
    due = (
        Award.objects.filter(status=AwardStatus.NOTICE, notice_ends_on__lt=today)
        .exclude(Exists(open_objection))
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    return sum(award_credit(award_id=pk, today=today) for pk in list(due))
