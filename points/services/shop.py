"""Redemption at the supermarket: the points price leaves the household's ledger and the
goods leave the supermarket's stock in one transaction; a reversal (退兑) puts both back."""

import uuid
from collections import Counter
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from core.locks import row_lock
from core.money import ZERO, money
from core.states import StateMachine

from ..access import manager_require
from ..exceptions import PointsPermissionError, RedemptionInvalidError
from ..models import (
    EntryKind,
    Goods,
    Redemption,
    RedemptionLine,
    RedemptionStatus,
    StockMoveKind,
    Supermarket,
)
from .awards import household_by_code
from .ledger import goods_lock, household_lock, ledger_append, stock_move_append

MAX_QUANTITY = 999

#: A redemption is reversed once.
REDEMPTION_MOVES = StateMachine(
    field="status",
    transitions={RedemptionStatus.DONE: (RedemptionStatus.REVERSED,)},
    error=RedemptionInvalidError,
    refusal=_lazy("该兑换单已退兑过。"),
)


@dataclass(frozen=True)
class Item:
    goods_id: int
    quantity: int


def _items_merged(items: list[Item]) -> dict[int, int]:
    merged: Counter = Counter()
    for item in items:
        if item.quantity < 0 or item.quantity > MAX_QUANTITY:
            raise RedemptionInvalidError(
                _("兑换数量须在 1 到 %(max)s 之间。") % {"max": MAX_QUANTITY}
            )
        if item.quantity:
            merged[item.goods_id] += item.quantity
    if not merged:
        raise RedemptionInvalidError(_("请至少选择一件商品。"))
    return dict(merged)


def supermarket_for_manager(*, user, supermarket_id: int) -> Supermarket:
    supermarket = Supermarket.objects.filter(pk=supermarket_id, is_active=True).first()
    if supermarket is None:
        raise PointsPermissionError()
    manager_require(user=user, supermarket=supermarket)
    return supermarket


def redemption_create(
    *, user, supermarket_id: int, household_code: str, items: list[Item]
) -> Redemption:
    """Redeem ``items`` of the supermarket's goods for the household with ``household_code``.
    Raises ``PointsPermissionError`` (not the supermarket's manager),
    ``HouseholdNotFoundError``, ``RedemptionInvalidError`` (no goods, unknown goods, a
    household of a village the supermarket does not serve), ``BalanceShortError`` or
    ``StockShortError``; nothing is written then."""
    supermarket = supermarket_for_manager(user=user, supermarket_id=supermarket_id)
    household = household_by_code(household_code)
    if household.village.supermarket_id != supermarket.pk:
        raise RedemptionInvalidError(
            _("该户属于%(village)s，不在本超市服务的村。") % {"village": household.village.name}
        )
    wanted = _items_merged(items)
    with transaction.atomic():
        household = household_lock(household_id=household.pk)
        goods = goods_lock(goods_ids=wanted)
        if set(goods) != set(wanted) or any(
            g.supermarket_id != supermarket.pk or not g.is_active for g in goods.values()
        ):
            raise RedemptionInvalidError(_("所选商品不在本超市货架上。"))
        total_points = sum(goods[pk].points_price * q for pk, q in wanted.items())
        total_value = money(sum((goods[pk].unit_value * q for pk, q in wanted.items()), ZERO))
        redemption = Redemption.objects.create(
            number=uuid.uuid4().hex[:20],
            supermarket=supermarket,
            household=household,
            total_points=total_points,
            total_value=total_value,
            created_by=user,
        )
        redemption.number = f"DH{timezone.localdate():%y%m%d}{redemption.pk:06d}"
        redemption.save(update_fields=["number"])
        # The ledger first: a short balance is the commoner refusal, and its message says
        # what the household has.
        ledger_append(
            household=household,
            kind=EntryKind.REDEMPTION,
            delta=-total_points,
            redemption=redemption,
            by=user,
        )
        for pk, quantity in sorted(wanted.items()):
            RedemptionLine.objects.create(
                redemption=redemption,
                goods=goods[pk],
                quantity=quantity,
                points_price=goods[pk].points_price,
                unit_value=goods[pk].unit_value,
            )
            stock_move_append(
                goods=goods[pk],
                kind=StockMoveKind.REDEMPTION,
                delta=-quantity,
                redemption=redemption,
                by=user,
            )
    return redemption


def redemption_reverse(*, user, redemption_id: int, reason: str) -> Redemption:
    """Reverse (退兑) a redemption with a reason: the points go back to the household and the
    goods back on the shelf. Only once, only by the supermarket's managers."""
    reason = (reason or "").strip()
    if not reason:
        raise RedemptionInvalidError(_("退兑须填写原因。"))
    with transaction.atomic():
        try:
            redemption = row_lock(
                Redemption, pk=redemption_id, related=("supermarket",), own_row_only=True
            )
        except Redemption.DoesNotExist as exc:
            raise RedemptionInvalidError(_("没有找到该兑换单。")) from exc
        manager_require(user=user, supermarket=redemption.supermarket)
        REDEMPTION_MOVES.check(redemption, RedemptionStatus.REVERSED)
        household = household_lock(household_id=redemption.household_id)
        lines = list(redemption.lines.all())
        goods = goods_lock(goods_ids=[line.goods_id for line in lines])
        for line in sorted(lines, key=lambda line: line.goods_id):
            stock_move_append(
                goods=goods[line.goods_id],
                kind=StockMoveKind.REVERSAL,
                delta=line.quantity,
                redemption=redemption,
                reason=reason[:300],
                by=user,
            )
        ledger_append(
            household=household,
            kind=EntryKind.REVERSAL,
            delta=redemption.total_points,
            redemption=redemption,
            reason=reason[:300],
            by=user,
        )
        redemption.reversed_by = user
        redemption.reversed_at = timezone.now()
        redemption.reversal_reason = reason[:300]
        REDEMPTION_MOVES.move(
            redemption,
            RedemptionStatus.REVERSED,
            also=["reversed_by", "reversed_at", "reversal_reason"],
        )
    return redemption


def goods_restock(*, user, goods_id: int, quantity: int, reason: str) -> Goods:
    """Put ``quantity`` units of goods on the shelf (a delivery, a donation), by a manager."""
    if quantity <= 0 or quantity > 100_000:
        raise RedemptionInvalidError(_("入库数量须为正整数。"))
    reason = (reason or "").strip()
    if not reason:
        raise RedemptionInvalidError(_("入库须填写来源或说明。"))
    goods = Goods.objects.select_related("supermarket").filter(pk=goods_id).first()
    if goods is None:
        raise RedemptionInvalidError(_("所选商品不在本超市货架上。"))
    manager_require(user=user, supermarket=goods.supermarket)
    with transaction.atomic():
        locked = goods_lock(goods_ids=[goods_id])[goods_id]
        stock_move_append(
            goods=locked, kind=StockMoveKind.RESTOCK, delta=quantity, reason=reason[:300], by=user
        )
    return locked
