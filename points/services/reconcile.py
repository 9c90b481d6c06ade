"""Reconciliation: every household's cached balance equals the sum of its entries and each
entry's ``balance_after`` the running sum; every line of goods' stock equals the sum of its
moves; every redemption's entries and stock moves equal its lines; every credited award has
exactly its credited points in the ledger; every restocking order's funding adds up to its
total and its total to its order's, and every accepted line of a supermarket's delivery has
exactly one stock move of its accepted quantity, into the supermarket's own goods."""

from collections import defaultdict

from django.db.models import Sum
from django.utils.translation import gettext as _

from ..models import (
    Award,
    AwardStatus,
    EntryKind,
    Goods,
    Household,
    PointsEntry,
    Redemption,
    RedemptionLine,
    RedemptionStatus,
    RestockOrder,
    StockMove,
)


def _household_problems() -> list[str]:
    problems = []
    running: dict[int, int] = defaultdict(int)
    for household_id, entry_id, delta, after in PointsEntry.objects.order_by(
        "household_id", "created_at", "pk"
    ).values_list("household_id", "pk", "delta", "balance_after"):
        running[household_id] += delta
        if running[household_id] != after:
            problems.append(
                _("台账 #%(id)s：变动后余额 %(after)s，按逐笔累计应为 %(sum)s。")
                % {"id": entry_id, "after": after, "sum": running[household_id]}
            )
    for pk, code, balance in Household.objects.values_list("pk", "code", "balance"):
        if running.get(pk, 0) != balance:
            problems.append(
                _("农户 %(code)s：余额 %(balance)s，台账合计 %(sum)s。")
                % {"code": code, "balance": balance, "sum": running.get(pk, 0)}
            )
    return problems


def _stock_problems() -> list[str]:
    sums = dict(
        StockMove.objects.values("goods_id").annotate(s=Sum("delta")).values_list("goods_id", "s")
    )
    return [
        _("商品 %(name)s（#%(id)s）：库存 %(stock)s，库存变动合计 %(sum)s。")
        % {"name": name, "id": pk, "stock": stock, "sum": sums.get(pk, 0)}
        for pk, name, stock in Goods.objects.values_list("pk", "name", "stock")
        if sums.get(pk, 0) != stock
    ]


def _redemption_problems() -> list[str]:
    problems = []
    lines: dict[int, dict[int, int]] = defaultdict(dict)
    points: dict[int, int] = defaultdict(int)
    for rid, goods_id, quantity, price in RedemptionLine.objects.values_list(
        "redemption_id", "goods_id", "quantity", "points_price"
    ):
        lines[rid][goods_id] = lines[rid].get(goods_id, 0) + quantity
        points[rid] += quantity * price
    moves: dict[int, dict[int, int]] = defaultdict(dict)
    for rid, goods_id, delta in StockMove.objects.filter(redemption__isnull=False).values_list(
        "redemption_id", "goods_id", "delta"
    ):
        moves[rid][goods_id] = moves[rid].get(goods_id, 0) + delta
    entries: dict[int, int] = defaultdict(int)
    for rid, delta in PointsEntry.objects.filter(redemption__isnull=False).values_list(
        "redemption_id", "delta"
    ):
        entries[rid] += delta
    for rid, number, total, status in Redemption.objects.values_list(
        "pk", "number", "total_points", "status"
    ):
        done = status == RedemptionStatus.DONE
        want_entries = -total if done else 0
        want_moves = {g: -q for g, q in lines[rid].items()} if done else {}
        got_moves = {g: d for g, d in moves[rid].items() if d}
        if points[rid] != total:
            problems.append(
                _("兑换单 %(n)s：积分合计 %(total)s，明细合计 %(sum)s。")
                % {"n": number, "total": total, "sum": points[rid]}
            )
        if entries[rid] != want_entries:
            problems.append(
                _("兑换单 %(n)s：台账净变动 %(got)s，应为 %(want)s。")
                % {"n": number, "got": entries[rid], "want": want_entries}
            )
        if got_moves != want_moves:
            problems.append(
                _("兑换单 %(n)s：库存净变动 %(got)s，应为 %(want)s。")
                % {"n": number, "got": got_moves, "want": want_moves}
            )
    return problems


def _award_problems() -> list[str]:
    problems = []
    credited = dict(
        PointsEntry.objects.filter(kind=EntryKind.AWARD).values_list("award_id", "delta")
    )
    for pk, status, points in Award.objects.values_list("pk", "status", "credited_points"):
        want = points if status == AwardStatus.CREDITED else None
        got = credited.get(pk)
        if want == 0:
            want = None  # a deduction from an empty balance writes no entry
        if got != want:
            problems.append(
                _("积分记录 #%(id)s（%(status)s）：台账入账 %(got)s，应为 %(want)s。")
                % {"id": pk, "status": status, "got": got, "want": want}
            )
    return problems


def _restock_problems() -> list[str]:
    from procurement.models import AcceptanceLine

    problems = []
    orders = RestockOrder.objects.select_related("order").annotate(funded=Sum("funding__amount"))
    for restock in orders:
        if restock.funded != restock.total or restock.total != restock.order.total_incl_tax:
            problems.append(
                _(
                    "补货单 %(number)s：资金来源合计 %(funded)s，"
                    "补货单金额 %(total)s，订单金额 %(order)s。"
                )
                % {
                    "number": restock.order.number,
                    "funded": restock.funded,
                    "total": restock.total,
                    "order": restock.order.total_incl_tax,
                }
            )
    moves = {
        m.acceptance_line_id: m
        for m in StockMove.objects.filter(acceptance_line__isnull=False).select_related("goods")
    }
    rows = AcceptanceLine.objects.filter(
        acceptance__procurement__order__points_restock__isnull=False
    ).values_list(
        "pk",
        "accepted",
        "line__order__number",
        "line__product_id",
        "line__order__points_restock__supermarket_id",
    )
    seen = set()
    for pk, accepted, number, product_id, supermarket_id in rows:
        seen.add(pk)
        move = moves.get(pk)
        got = move.delta if move else 0
        wrong_shelf = move is not None and (
            move.goods.supermarket_id != supermarket_id or move.goods.product_id != product_id
        )
        if got != accepted or wrong_shelf:
            problems.append(
                _("补货单 %(number)s 验收明细 #%(id)s：验收合格 %(accepted)s，入库 %(moved)s。")
                % {"number": number, "id": pk, "accepted": accepted, "moved": got}
            )
    for pk in set(moves) - seen:
        problems.append(
            _("库存变动 #%(id)s：所依据的验收不属于任何补货单。") % {"id": moves[pk].pk}
        )
    return problems


def points_reconcile() -> list[str]:
    """Every difference found, as readable lines (empty when all reconciles)."""
    return (
        _household_problems()
        + _stock_problems()
        + _redemption_problems()
        + _award_problems()
        + _restock_problems()
    )
