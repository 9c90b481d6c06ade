"""The points ledger and the stock moves: every change of a household's balance or of a
line of goods' stock is one appended row, written in the transaction that changes the cached
figure on the (locked) row. Lock order everywhere: award, household, goods in pk order."""

import datetime

from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from core.locks import row_lock

from ..exceptions import BalanceShortError, StockShortError
from ..models import Goods, Household, PointsEntry, StockMove


def household_lock(*, household_id: int) -> Household:
    return row_lock(Household, pk=household_id, related=("village",), own_row_only=True)


def goods_lock(*, goods_ids) -> dict[int, Goods]:
    """The goods rows locked in primary-key order (so two redemptions never deadlock)."""
    return {
        g.pk: g for g in Goods.objects.select_for_update().filter(pk__in=goods_ids).order_by("pk")
    }


def ledger_append(
    *,
    household: Household,
    kind: str,
    delta: int,
    award=None,
    redemption=None,
    rule_book=None,
    reason: str = "",
    by=None,
    at: datetime.datetime | None = None,
) -> PointsEntry:
    """Append one entry to a household that the caller has locked (``household_lock``) in
    the current transaction, and move its cached balance by ``delta``. Raises
    ``BalanceShortError`` (nothing written) when the balance would go below zero."""
    after = household.balance + delta
    if after < 0:
        raise BalanceShortError(
            _("积分余额不足：当前余额 %(balance)s 分，本次需要 %(needed)s 分。")
            % {"balance": household.balance, "needed": -delta}
        )
    entry = PointsEntry.objects.create(
        household=household,
        kind=kind,
        delta=delta,
        balance_after=after,
        award=award,
        redemption=redemption,
        rule_book=rule_book,
        reason=reason,
        created_by=by,
        created_at=at or timezone.now(),
    )
    # The row is locked by the caller, so the value computed here is current.
    Household.objects.filter(pk=household.pk).update(balance=after)
    household.balance = after
    return entry


def stock_move_append(
    *,
    goods: Goods,
    kind: str,
    delta: int,
    redemption=None,
    acceptance_line=None,
    reason: str = "",
    by=None,
    at: datetime.datetime | None = None,
) -> StockMove:
    """Append one stock move to goods the caller has locked (``goods_lock``) and move its
    cached stock. ``acceptance_line``: the accepted delivery of a restocking order it puts
    on the shelf (once: a unique constraint). Raises ``StockShortError`` (nothing written)
    when stock would go below zero."""
    after = goods.stock + delta
    if after < 0:
        raise StockShortError(
            _("“%(name)s”库存不足：现有 %(stock)s%(unit)s，本次需要 %(needed)s%(unit)s。")
            % {"name": goods.name, "stock": goods.stock, "unit": goods.unit, "needed": -delta}
        )
    move = StockMove.objects.create(
        goods=goods,
        kind=kind,
        delta=delta,
        redemption=redemption,
        order_line_id=acceptance_line.line_id if acceptance_line else None,
        acceptance_line=acceptance_line,
        reason=reason,
        created_by=by,
        created_at=at or timezone.now(),
    )
    Goods.objects.filter(pk=goods.pk).update(stock=after)
    goods.stock = after
    return move


def household_balance_from_entries(*, household_id: int) -> int:
    return PointsEntry.objects.filter(household_id=household_id).aggregate(s=Sum("delta"))["s"] or 0
