"""Policy years and reserved-share filings: submit, approve, return, amend."""

import datetime
from decimal import ROUND_CEILING, ROUND_DOWN, Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from core.money import FEN, money, yuan
from core.states import StateMachine

from ..access import (
    bureau_is_city,
    bureau_require_scope,
    bureau_review_role,
    filing_needs_pre_review,
    unit_require_role,
)
from ..exceptions import (
    FilingInvalidError,
    FilingRatioTooLowError,
    FilingStateError,
    PolicyYearClosedError,
    PolicyYearMissingError,
    ProcurementPermissionError,
)
from ..models import (
    FILING_PENDING,
    BudgetUnit,
    CanteenStatus,
    Filing,
    FilingAction,
    FilingDecision,
    FilingStatus,
    FilingVersion,
    MemberRole,
    PolicyRegionOverride,
    PolicyYear,
    PolicyYearChange,
)
from ..models.filings import POLICY_YEAR_FIELDS
from .locks import filing_lock

F = FilingStatus

#: A filing's own state: waiting for its first review (by its supervising unit first where
#: the year asks for it, then by the bureau), returned for correction, or approved (an
#: approved filing stays approved while an amendment of it waits: its versions move).
FILING_MOVES = StateMachine(
    field="status",
    transitions={
        F.DRAFT: (F.PRE_REVIEW, F.SUBMITTED),
        F.PRE_REVIEW: (F.SUBMITTED, F.RETURNED),
        F.SUBMITTED: (F.APPROVED, F.RETURNED),
        F.RETURNED: (F.PRE_REVIEW, F.SUBMITTED),
        F.APPROVED: (F.APPROVED,),
    },
    error=FilingStateError,
)
#: A version is submitted once, pre-reviewed at most once and decided once.
FILING_VERSION_MOVES = StateMachine(
    field="status",
    transitions={
        F.PRE_REVIEW: (F.SUBMITTED, F.RETURNED),
        F.SUBMITTED: (F.APPROVED, F.RETURNED),
    },
    error=FilingStateError,
    refusal=_lazy("该填报没有等待审核的版本。"),
)


def policy_ratios(*, policy_year: PolicyYear, region) -> tuple[Decimal, Decimal]:
    """(minimum, encouraged) ratio for a unit in ``region``: the override of the deepest
    region containing it, else the year's own."""
    best = None
    for override in policy_year.overrides.select_related("region"):
        if override.region.contains(region) and (
            best is None or len(override.region.path) > len(best.region.path)
        ):
            best = override
    if best is not None:
        return best.min_ratio, best.encouraged_ratio
    return policy_year.min_ratio, policy_year.encouraged_ratio


def percent(ratio: Decimal) -> str:
    """0.099999 -> '9.99%': rounded down, so a ratio short of a minimum never reads as it."""
    return f"{(ratio * 100).quantize(Decimal('0.01'), rounding=ROUND_DOWN).normalize():f}%"


def policy_year_save(
    *,
    user,
    year: int,
    min_ratio: Decimal,
    encouraged_ratio: Decimal,
    filing_deadline: datetime.date,
    counting_event: str,
    is_open: bool = True,
    cap_at_canteen_budget: bool = False,
    union_counts_for_parent: bool | None = None,
    supervisor_review_required: bool = False,
) -> PolicyYear:
    """Create or change a policy year; city-level bureau staff only. The reserve is a floor;
    ``cap_at_canteen_budget`` makes each unit's filed canteen budget its spending cap for the
    year (orders already placed stay; new ones past the cap are refused);
    ``supervisor_review_required`` sends filings submitted from then on to the unit's
    supervising unit for pre-review first (versions already waiting stay where they are). A
    creation or a
    change of its rules is recorded (``PolicyYearChange``: who, when, the rules before and
    after) in the same transaction; saving the same rules again records nothing.
    ``union_counts_for_parent`` (whether union orders also count toward the parent unit's
    reserved share) is left as it is when not given (a new year: no)."""
    if not bureau_is_city(user):
        raise ProcurementPermissionError(_("只有市级工作人员可以设置年度政策。"))
    if not (Decimal("0") <= min_ratio <= Decimal("1")) or encouraged_ratio < min_ratio:
        raise FilingInvalidError(_("比例应在 0 到 100% 之间，且鼓励比例不低于最低比例。"))
    with transaction.atomic():
        stored = PolicyYear.objects.select_for_update().filter(year=year).first()
        before = PolicyYearChange.values_of(stored, POLICY_YEAR_FIELDS) if stored else {}
        policy, _created = PolicyYear.objects.update_or_create(
            year=year,
            defaults={
                "min_ratio": min_ratio,
                "encouraged_ratio": encouraged_ratio,
                "filing_deadline": filing_deadline,
                "counting_event": counting_event,
                "is_open": is_open,
                "cap_at_canteen_budget": cap_at_canteen_budget,
                **(
                    {}
                    if union_counts_for_parent is None
                    else {"union_counts_for_parent": union_counts_for_parent}
                ),
                "supervisor_review_required": supervisor_review_required,
            },
        )
        policy.refresh_from_db(fields=POLICY_YEAR_FIELDS)  # as stored (decimal places)
        after = PolicyYearChange.values_of(policy, POLICY_YEAR_FIELDS)
        if after != before:
            PolicyYearChange.objects.create(
                policy_year=policy, changed_by=user, before=before, after=after
            )
    return policy


def policy_override_save(
    *, user, policy_year: PolicyYear, region, min_ratio: Decimal, encouraged_ratio: Decimal
) -> PolicyRegionOverride:
    if not bureau_is_city(user):
        raise ProcurementPermissionError(_("只有市级工作人员可以设置年度政策。"))
    if not (Decimal("0") <= min_ratio <= Decimal("1")) or encouraged_ratio < min_ratio:
        raise FilingInvalidError(_("比例应在 0 到 100% 之间，且鼓励比例不低于最低比例。"))
    override, _created = PolicyRegionOverride.objects.update_or_create(
        policy_year=policy_year,
        region=region,
        defaults={"min_ratio": min_ratio, "encouraged_ratio": encouraged_ratio},
    )
    return override


def minimum_reserve(*, canteen_budget: Decimal, ratio: Decimal) -> Decimal:
    """The least a unit may reserve: ``ratio`` of its budget rounded up to the fen, so that
    a reserve short of the ratio by a fraction of a fen never passes (¥100.05 at 10% is
    ¥10.01, not ¥10.00)."""
    return (canteen_budget * ratio).quantize(FEN, rounding=ROUND_CEILING)


def canteen_case_rule(*, policy_year, unit) -> tuple[Decimal, bool]:
    """(minimum ratio, whether a zero reserve may be filed) for ``unit``'s canteen case in
    ``policy_year``: the year's ``PolicyCanteenCase`` row where there is one, else the
    region's minimum, and a zero reserve only without a canteen."""
    minimum, _encouraged = policy_ratios(policy_year=policy_year, region=unit.region)
    case = policy_year.canteen_cases.filter(canteen_status=unit.canteen_status).first()
    if case is None:
        return minimum, unit.canteen_status == CanteenStatus.NONE
    return (
        case.min_ratio if case.min_ratio is not None else minimum,
        case.zero_reserve_allowed,
    )


def _check_case(*, unit, canteen_budget, reserved_amount, zero_allowed, details) -> None:
    """The canteen case's own rules: a member of a shared canteen does not file (its host
    does); an outsourced canteen records its contract; a zero reserve needs a reason and a
    year that allows it for the case; only a unit without a canteen may file a zero budget
    (its budget is then its other farm-product purchases, such as union welfare)."""
    if unit.canteen_status == CanteenStatus.SHARED and unit.canteen_host_id:
        raise FilingInvalidError(
            _("本单位与“%(host)s”共用食堂，由主办单位统一填报，本单位计入其填报。")
            % {"host": unit.canteen_host.name}
        )
    if unit.canteen_status == CanteenStatus.OUTSOURCED and not (
        details["contractor_name"] and details["contract_no"]
    ):
        raise FilingInvalidError(_("食堂外包的单位请填写食堂承包方和承包合同编号。"))
    if canteen_budget < 0:
        raise FilingInvalidError(_("金额不能为负数。"))
    if canteen_budget == 0 and unit.canteen_status != CanteenStatus.NONE:
        raise FilingInvalidError(_("年度食堂食材采购预算必须大于零。"))
    if reserved_amount == 0:
        if not zero_allowed:
            raise FilingInvalidError(_("本年度政策不允许该食堂情况填报零预留。"))
        if not details["zero_reason"]:
            raise FilingInvalidError(_("填报零预留时请说明原因，由审核部门认定。"))


def _check_figures(*, policy_year, unit, canteen_budget, reserved_amount, union_demand, details):
    if reserved_amount < 0 or union_demand < 0:
        raise FilingInvalidError(_("金额不能为负数。"))
    minimum, zero_allowed = canteen_case_rule(policy_year=policy_year, unit=unit)
    _check_case(
        unit=unit,
        canteen_budget=canteen_budget,
        reserved_amount=reserved_amount,
        zero_allowed=zero_allowed,
        details=details,
    )
    if reserved_amount == 0:
        return
    if reserved_amount > canteen_budget:
        raise FilingInvalidError(_("预留份额不能超过食堂食材采购预算。"))
    needed = minimum_reserve(canteen_budget=canteen_budget, ratio=minimum)
    if reserved_amount < needed:
        raise FilingRatioTooLowError(
            _(
                "预留比例 %(ratio)s 低于 %(year)s 年度最低要求 %(minimum)s："
                "预算 %(budget)s 至少应预留 %(needed)s。"
            )
            % {
                "ratio": percent(reserved_amount / canteen_budget),
                "year": policy_year.year,
                "minimum": percent(minimum),
                "budget": yuan(canteen_budget),
                "needed": yuan(needed),
            }
        )


def _check_cap_kept(*, policy_year, filing, canteen_budget, message) -> None:
    """An amendment may lower the reserve below what is already bought (the reserve is a
    floor: completion then reads above 100%), but where the year caps spending at the
    canteen budget, never the budget below it."""
    used = filing.committed + filing.completed
    if policy_year.cap_at_canteen_budget and canteen_budget < used:
        raise FilingInvalidError(message % {"used": yuan(used)})


def filing_submit(
    *,
    unit: BudgetUnit,
    year: int,
    user,
    canteen_budget: Decimal,
    reserved_amount: Decimal,
    union_demand: Decimal = Decimal("0"),
    contact_name: str,
    contact_phone: str,
    note: str = "",
    zero_reason: str = "",
    contractor_name: str = "",
    contract_no: str = "",
    at: datetime.datetime | None = None,
) -> Filing:
    """Submit the unit's filing for ``year`` (a first filing, a corrected returned one, or an
    amendment of an approved one) as a new version waiting for review: by the supervising
    unit first (待主管单位初审) where the policy year asks for it (``filing_needs_pre_review``),
    else by the bureau (待审核). The figures of an
    approved filing stay in force until the amendment is approved. Every canteen case files
    (see ``_check_case``): the unit's canteen status is kept on the filing, with the zero
    reserve's reason or the outsourced canteen's contract. Raises
    ``PolicyYearMissingError``, ``PolicyYearClosedError``, ``FilingRatioTooLowError``,
    ``FilingInvalidError``, ``FilingStateError`` (a version is already waiting) or a
    permission error; nothing is written then."""
    unit_require_role(user=user, unit=unit, roles=(MemberRole.PURCHASER, MemberRole.ADMIN))
    if unit.is_organisation:
        raise FilingInvalidError(_("“八进”单位不填报预留份额，按年度任务或实际采购统计。"))
    at = at or timezone.now()
    policy_year = PolicyYear.objects.filter(year=year).first()
    if policy_year is None:
        raise PolicyYearMissingError(
            _("%(year)s 年度的政策尚未发布，暂不能填报。") % {"year": year}
        )
    if not policy_year.is_open:
        raise PolicyYearClosedError(
            _("%(year)s 年度已停止填报，不能再提交或修改预留份额。") % {"year": year}
        )
    canteen_budget, reserved_amount = money(canteen_budget), money(reserved_amount)
    union_demand = money(union_demand or 0)
    details = {
        "canteen_status": unit.canteen_status,
        "zero_reason": (zero_reason or "").strip(),
        "contractor_name": (contractor_name or "").strip(),
        "contract_no": (contract_no or "").strip(),
    }
    _check_figures(
        policy_year=policy_year,
        unit=unit,
        canteen_budget=canteen_budget,
        reserved_amount=reserved_amount,
        union_demand=union_demand,
        details=details,
    )
    if not contact_name.strip() or not contact_phone.strip():
        raise FilingInvalidError(_("请填写联系人和联系电话。"))
    late = timezone.localtime(at).date() > policy_year.filing_deadline
    waiting = (
        F.PRE_REVIEW if filing_needs_pre_review(unit=unit, policy_year=policy_year) else F.SUBMITTED
    )
    figures = {
        "canteen_budget": canteen_budget,
        "reserved_amount": reserved_amount,
        "union_demand": union_demand,
        "contact_name": contact_name.strip(),
        "contact_phone": contact_phone.strip(),
        **details,
    }
    with transaction.atomic():
        filing = (
            Filing.objects.select_for_update().filter(unit=unit, policy_year=policy_year).first()
        )
        if filing is None:
            filing = Filing.objects.create(
                unit=unit,
                policy_year=policy_year,
                status=waiting,
                is_late=late,
                **figures,
            )
            number = 1
        else:
            last = filing.versions.order_by("-number").first()
            if last is not None and last.status in FILING_PENDING:
                raise FilingStateError(_("已有一个版本在等待审核，请等待审核结果后再修改。"))
            if filing.status == FilingStatus.APPROVED:
                _check_cap_kept(
                    policy_year=policy_year,
                    filing=filing,
                    canteen_budget=canteen_budget,
                    message=_(
                        "本年度以食堂食材采购预算为采购上限，修改后的预算不能低于已占用和已完成"
                        "的金额 %(used)s。"
                    ),
                )
            else:
                FILING_MOVES.check(filing, waiting)
                for name, value in figures.items():
                    setattr(filing, name, value)
                filing.status = waiting
                filing.return_reason = ""
                filing.is_late = filing.is_late or late
                filing.save()
            number = (last.number if last else 0) + 1
        FilingVersion.objects.create(
            filing=filing,
            number=number,
            status=waiting,
            is_late=late,
            note=note,
            submitted_by=user,
            submitted_at=at,
            **figures,
        )
    return filing


def _pending_version(filing: Filing) -> FilingVersion:
    """The version waiting for the bureau's decision; one still waiting for its supervising
    unit's pre-review is refused with the supervising unit's name."""
    version = filing.versions.order_by("-number").first()
    if version is None:
        raise FilingStateError(_("该填报没有等待审核的版本。"))
    if version.status == F.PRE_REVIEW:
        raise FilingStateError(
            _("该填报正在等待主管预算单位“%(supervisor)s”初审，初审通过后才能审核。")
            % {"supervisor": filing.unit.supervisor.name if filing.unit.supervisor else ""}
        )
    FILING_VERSION_MOVES.check(version, F.APPROVED)
    return version


def filing_decision_record(*, filing, version, user, role, office, action, reason="", at=None):
    """One audited step of a filing's review (``FilingDecision``)."""
    return FilingDecision.record(
        filing=filing,
        version=version,
        who=user,
        role=role,
        office=office,
        outcome=action,
        reason=reason,
        at=at,
    )


def filing_approve(*, filing: Filing, user, at: datetime.datetime | None = None) -> Filing:
    """Approve the version waiting for review: its figures come into force. Bureau staff of
    the unit's region only."""
    bureau_require_scope(user=user, region=filing.unit.region)
    at = at or timezone.now()
    with transaction.atomic():
        locked = filing_lock(filing_id=filing.pk)
        version = _pending_version(locked)
        _check_cap_kept(
            policy_year=locked.policy_year,
            filing=locked,
            canteen_budget=version.canteen_budget,
            message=_(
                "本年度以食堂食材采购预算为采购上限，该版本的预算低于已占用和已完成的金额"
                " %(used)s，不能通过。"
            ),
        )
        for name in (
            "canteen_budget",
            "reserved_amount",
            "union_demand",
            "contact_name",
            "contact_phone",
            "canteen_status",
            "zero_reason",
            "contractor_name",
            "contract_no",
        ):
            setattr(locked, name, getattr(version, name))
        FILING_MOVES.check(locked, F.APPROVED)
        locked.status = FilingStatus.APPROVED
        locked.return_reason = ""
        locked.approved_at = at
        locked.save()
        version.decided_by = user
        version.decided_at = at
        FILING_VERSION_MOVES.move(version, F.APPROVED, also=["decided_by", "decided_at"])
        role, office = bureau_review_role(user)
        filing_decision_record(
            filing=locked,
            version=version,
            user=user,
            role=role,
            office=office,
            action=FilingAction.APPROVED,
            at=at,
        )
    return locked


def filing_return(*, filing: Filing, user, reason: str) -> Filing:
    """Return the version waiting for the bureau's review with a reason. A first filing goes
    back to the unit for correction; a returned amendment leaves the approved figures in
    force. The decision is recorded in the reviewer's role (财政局审核 / 乡村振兴局审核)."""
    bureau_require_scope(user=user, region=filing.unit.region)
    reason = (reason or "").strip()
    if not reason:
        raise FilingInvalidError(_("退回时必须填写原因。"))
    with transaction.atomic():
        locked = filing_lock(filing_id=filing.pk)
        version = _pending_version(locked)
        version.decided_by = user
        version.decided_at = timezone.now()
        version.reason = reason
        FILING_VERSION_MOVES.move(version, F.RETURNED, also=["decided_by", "decided_at", "reason"])
        if locked.status != FilingStatus.APPROVED:
            locked.return_reason = reason
            FILING_MOVES.move(locked, F.RETURNED, also=["return_reason"])
        role, office = bureau_review_role(user)
        filing_decision_record(
            filing=locked,
            version=version,
            user=user,
            role=role,
            office=office,
            action=FilingAction.RETURNED,
            reason=reason,
            at=version.decided_at,
        )
    return locked
