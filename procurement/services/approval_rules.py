"""A unit's approval rules (审批规则): which of its orders wait for its approvers before
suppliers see them.

How submission reads them (``procurement.services.submission``): an order of total ``T`` needs
``k`` approvals, ``k`` being the number of rules whose ``min_amount`` is at most ``T``; the
approvals are given one after another (第 1 级, 第 2 级, ...), each by a different approver
who is not the order's purchaser, and the order keeps ``k`` even if the rules change later.
Because thresholds never decrease with the level, the rules an order meets are exactly levels
1..k: level 2 applies to orders that also need level 1."""

import datetime
from collections.abc import Mapping
from decimal import Decimal, InvalidOperation

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.money import FEN, yuan

from ..access import unit_roles
from ..exceptions import ProcurementPermissionError
from ..models import ApprovalRule, BudgetUnit, MemberRole, UnitAction
from ..portal_cache import units_changed
from .units import _record

#: Multi-level approval is optional; more than three levels is not a canteen's need.
MAX_LEVELS = 3
#: ``ApprovalRule.min_amount`` has 14 digits, 2 of them after the point.
AMOUNT_LIMIT = Decimal("1000000000000")


def approval_rules_may_edit(*, user, unit: BudgetUnit) -> bool:
    """The unit's own admins, while the unit is active, set its rules. Bureau staff and the
    unit's other members only read them."""
    return unit.is_active and MemberRole.ADMIN in unit_roles(user=user, unit=unit)


def approval_rules_describe(rules) -> str:
    """The rules in words, as the audit trail keeps them."""
    if not rules:
        return _("无审批规则，下单无需审批")
    return "；".join(
        _("第 %(level)s 级：%(amount)s 起") % {"level": r.level, "amount": yuan(r.min_amount)}
        for r in rules
    )


def _amount(value) -> Decimal | str:
    """``value`` as a Decimal amount of yuan, or the Chinese reason it is not one."""
    try:
        amount = value if isinstance(value, Decimal) else Decimal(str(value))
    except (InvalidOperation, TypeError, ValueError):
        return _("请输入金额（元），如 200.00。")
    if not amount.is_finite() or isinstance(value, float):
        return _("请输入金额（元），如 200.00。")
    if amount < 0:
        return _("金额起点不能为负数。")
    if amount != amount.quantize(FEN):
        return _("金额最多保留两位小数（精确到分）。")
    if amount >= AMOUNT_LIMIT:
        return _("金额起点过大。")
    return amount.quantize(FEN)


def approval_rules_check(*, thresholds: Mapping[int, object]) -> list[tuple[int, Decimal]]:
    """``thresholds`` (level -> minimum amount in yuan) as ``(level, amount)`` pairs in level
    order, when they make a rule set: at most ``MAX_LEVELS`` levels, consecutive from 1,
    amounts Decimal ≥ 0 to the fen and non-decreasing with the level. Otherwise raises
    ``ValidationError`` with Chinese messages keyed ``level_<n>`` for the level at fault
    (``NON_FIELD_ERRORS`` for too many levels)."""
    errors: dict[str, list[str]] = {}
    if len(thresholds) > MAX_LEVELS:
        raise ValidationError(
            {NON_FIELD_ERRORS: [_("最多设置 %(n)s 级审批。") % {"n": MAX_LEVELS}]}
        )
    rules = []
    for expected, level in enumerate(sorted(thresholds), start=1):
        amount = _amount(thresholds[level])
        if isinstance(amount, str):
            errors[f"level_{level}"] = [amount]
        elif level != expected:
            errors[f"level_{level}"] = [
                _("请先设置第 %(missing)s 级：审批级别须从第 1 级起连续设置。")
                % {"missing": expected}
            ]
        elif rules and amount < rules[-1][1]:
            errors[f"level_{level}"] = [
                _(
                    "第 %(level)s 级的金额起点不能低于第 %(previous)s 级（%(amount)s）："
                    "达到第 %(level)s 级的订单也须先经前面各级审批。"
                )
                % {"level": level, "previous": rules[-1][0], "amount": yuan(rules[-1][1])}
            ]
        if f"level_{level}" in errors:
            break  # the levels after a bad one cannot be judged against it
        rules.append((level, amount))
    if errors:
        raise ValidationError(errors)
    return rules


def approval_rules_replace(
    *,
    unit: BudgetUnit,
    user,
    thresholds: Mapping[int, object],
    at: datetime.datetime | None = None,
) -> list[ApprovalRule]:
    """Replace the unit's approval rules with ``thresholds`` (level -> minimum amount in
    yuan; empty: no order needs approval) and record the change in the unit's audit trail
    (修改审批规则, the new rules in words); an unchanged set records nothing. Orders already
    placed keep the levels they were placed under. Returns the rules in level order.

    Refusals (nothing changes): ``ProcurementPermissionError`` for anyone but an admin of the
    active unit; ``ValidationError`` as ``approval_rules_check`` raises it, and keyed
    ``NON_FIELD_ERRORS`` when the unit has fewer approvers than levels (no approver can
    give two levels of one order, so such orders would wait for ever)."""
    at = at or timezone.now()
    with transaction.atomic():
        # Serialises with member changes, which lock the same row.
        unit = BudgetUnit.objects.select_for_update().get(pk=unit.pk)
        if not approval_rules_may_edit(user=user, unit=unit):
            raise ProcurementPermissionError()
        wanted = approval_rules_check(thresholds=thresholds)
        current = [(r.level, r.min_amount) for r in unit.approval_rules.order_by("level")]
        if wanted == current:
            return list(unit.approval_rules.order_by("level"))
        approvers = (
            unit.memberships.filter(role=MemberRole.APPROVER).values("user").distinct().count()
        )
        if len(wanted) > approvers:
            raise ValidationError(
                {
                    NON_FIELD_ERRORS: [
                        _("本单位还没有审批人，按此规则提交的订单将无人审批。请先添加审批人。")
                        if not approvers
                        else _(
                            "%(levels)s 级审批须由 %(levels)s 位不同的审批人依次审批，"
                            "本单位只有 %(approvers)s 位审批人。请先添加审批人或减少审批级数。"
                        )
                        % {"levels": len(wanted), "approvers": approvers}
                    ]
                }
            )
        unit.approval_rules.all().delete()
        rules = ApprovalRule.objects.bulk_create(
            ApprovalRule(unit=unit, level=level, min_amount=amount) for level, amount in wanted
        )
        units_changed(unit_ids=[unit.pk])  # bulk_create sends no signal
        _record(
            unit=unit,
            actor=user,
            action=UnitAction.RULES_CHANGED,
            detail=approval_rules_describe(rules),
            at=at,
        )
    return rules
