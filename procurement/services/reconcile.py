"""Reconciliation: every filing's cached balance equals the sum of its entries, every entry
equals the sum of its lines, and every order's ledger equals what its state says."""

from collections import defaultdict

from django.db.models import Q, Sum
from django.utils.translation import gettext as _

from core.money import ZERO, money
from orders.models import OrderStatus

from ..models import (
    AcceptanceLine,
    CountingEvent,
    Filing,
    FilingStatus,
    FilingVersion,
    ProcurementOrder,
    ProcurementRefund,
    ProcurementRefundLine,
    Purchase832,
    QuotaEntry,
    QuotaEntryKind,
    Settlement,
)
from .orders import line_amount, order_line_balances

CLOSED = (OrderStatus.REJECTED, OrderStatus.CANCELLED)


def _expected(procurement) -> dict[int, tuple]:
    """{line id: (committed, completed)} that the order's state calls for."""
    order = procurement.order
    accepted, bad = defaultdict(int), defaultdict(int)
    for row in AcceptanceLine.objects.filter(acceptance__procurement=procurement).values(
        "line_id", "accepted", "short", "damaged"
    ):
        accepted[row["line_id"]] += row["accepted"]
        bad[row["line_id"]] += row["short"] + row["damaged"]
    refunded = defaultdict(int)
    for row in ProcurementRefundLine.objects.filter(refund__procurement=procurement).values(
        "line_id", "quantity"
    ):
        refunded[row["line_id"]] += row["quantity"]
    received = set(
        procurement.settlements.filter(received_at__isnull=False).values_list(
            "partner_id", flat=True
        )
    )
    counted_placing = procurement.approved_at is not None
    result = {}
    for line in order.lines.all():
        if order.status in CLOSED:
            result[line.pk] = (ZERO, ZERO)
            continue
        # Refunded units were accepted first; they leave the ledger altogether.
        live = line.quantity - bad[line.pk] - refunded[line.pk]
        kept = accepted[line.pk] - refunded[line.pk]
        open_qty = live - kept
        if procurement.counting_event == CountingEvent.PLACED:
            result[line.pk] = (
                (ZERO, line_amount(line, live))
                if counted_placing
                else (line_amount(line, live), ZERO)
            )
        elif procurement.counting_event == CountingEvent.ACCEPTED:
            result[line.pk] = (line_amount(line, open_qty), line_amount(line, kept))
        else:
            done = kept if line.partner_id in received else 0
            result[line.pk] = (line_amount(line, live - done), line_amount(line, done))
    return result


def quota_reconcile(*, filings=None) -> list[str]:
    """Every difference found, as readable lines (empty when all reconciles)."""
    problems = []
    filings = list(
        filings if filings is not None else Filing.objects.select_related("unit", "policy_year")
    )
    sums = {
        row["filing_id"]: row
        for row in QuotaEntry.objects.values("filing_id").annotate(
            committed=Sum("committed_delta"), completed=Sum("completed_delta")
        )
    }
    for filing in filings:
        row = sums.get(filing.pk, {"committed": ZERO, "completed": ZERO})
        # SQLite sums decimals as floats: round back to the fen.
        row = {"committed": money(row["committed"] or 0), "completed": money(row["completed"] or 0)}
        if row["committed"] != filing.committed or row["completed"] != filing.completed:
            cached = filing.committed + filing.completed
            ledger = row["committed"] + row["completed"]
            problems.append(
                _(
                    "%(filing)s：余额 已占用 %(c)s / 已完成 %(d)s，"
                    "台账合计 %(ec)s / %(ed)s（%(side)s）"
                )
                % {
                    "filing": filing,
                    "c": filing.committed,
                    "d": filing.completed,
                    "ec": row["committed"] or ZERO,
                    "ed": row["completed"] or ZERO,
                    "side": _("余额较高") if cached > ledger else _("台账较高"),
                }
            )

    for entry in QuotaEntry.objects.filter(lines__isnull=False).annotate(
        lc=Sum("lines__committed_delta"), ld=Sum("lines__completed_delta")
    ):
        if money(entry.lc) != entry.committed_delta or money(entry.ld) != entry.completed_delta:
            problems.append(
                _("台账 #%(pk)s：合计 %(c)s / %(d)s 与明细 %(lc)s / %(ld)s 不符")
                % {
                    "pk": entry.pk,
                    "c": entry.committed_delta,
                    "d": entry.completed_delta,
                    "lc": entry.lc,
                    "ld": entry.ld,
                }
            )
    for entry in QuotaEntry.objects.filter(order__isnull=False, lines__isnull=True):
        problems.append(_("台账 #%(pk)s：订单台账缺少明细") % {"pk": entry.pk})

    problems += _filing_version_problems(filings)
    problems += _refund_problems()
    problems += _purchase_832_problems()

    orders = ProcurementOrder.objects.select_related("order", "filing").prefetch_related(
        "order__lines"
    )
    for procurement in orders:
        actual = order_line_balances(procurement.order)
        for line_id, (committed, completed) in _expected(procurement).items():
            got = actual.get(line_id, [ZERO, ZERO])
            if got[0] != committed or got[1] != completed:
                problems.append(
                    _(
                        "订单 %(number)s 行 #%(line)s（%(status)s）："
                        "台账 %(gc)s / %(gd)s，应为 %(c)s / %(d)s"
                    )
                    % {
                        "number": procurement.order.number,
                        "line": line_id,
                        "status": procurement.order.status,
                        "gc": got[0],
                        "gd": got[1],
                        "c": committed,
                        "d": completed,
                    }
                )
        foreign = QuotaEntry.objects.filter(order=procurement.order).exclude(
            filing_id=procurement.filing_id
        )
        if foreign.exists():
            problems.append(
                _("订单 %(number)s 的台账记在了其他填报上") % {"number": procurement.order.number}
            )
    return problems


def _refund_problems() -> list[str]:
    """Every refund is exactly its lines, its ledger entry releases exactly its amount, and
    every settlement's refunded sum is its refunds'; no refund entry stands alone."""
    problems = []
    refunds = ProcurementRefund.objects.select_related("entry", "procurement__order").annotate(
        lines_amount=Sum("lines__amount")
    )
    for refund in refunds:
        released = -(refund.entry.committed_delta + refund.entry.completed_delta)
        if (
            money(refund.lines_amount or 0) != refund.amount
            or money(released) != refund.amount
            or refund.entry.kind != QuotaEntryKind.REFUND
            or refund.entry.order_id != refund.procurement.order_id
        ):
            problems.append(
                _("订单 %(number)s 的退款 #%(pk)s（%(amount)s）与其明细或台账不符")
                % {
                    "number": refund.procurement.order.number,
                    "pk": refund.pk,
                    "amount": refund.amount,
                }
            )
    for entry in QuotaEntry.objects.filter(kind=QuotaEntryKind.REFUND, refund__isnull=True):
        problems.append(_("台账 #%(pk)s：退款台账没有对应的退款记录") % {"pk": entry.pk})
    for settlement in Settlement.objects.annotate(total=Sum("refunds__amount")).select_related(
        "procurement__order"
    ):
        if money(settlement.total or 0) != settlement.refunded:
            problems.append(
                _("订单 %(number)s 的结算 #%(pk)s：已退款 %(refunded)s，退款记录合计 %(total)s")
                % {
                    "number": settlement.procurement.order.number,
                    "pk": settlement.pk,
                    "refunded": settlement.refunded,
                    "total": money(settlement.total or 0),
                }
            )
    return problems


def _purchase_832_problems() -> list[str]:
    """Every 832 purchase counts exactly once: its entry completes exactly its amount on its
    own filing, and no 832 entry stands without its record (or moves an order)."""
    problems = []
    for record in Purchase832.objects.select_related("entry", "unit"):
        entry = record.entry
        if (
            entry.kind != QuotaEntryKind.PURCHASE_832
            or entry.filing_id != record.filing_id
            or entry.committed_delta != ZERO
            or entry.completed_delta != record.amount
        ):
            problems.append(
                _("%(unit)s %(month)s 的832平台采购 %(amount)s 与其台账 #%(pk)s 不符")
                % {
                    "unit": record.unit,
                    "month": f"{record.month:%Y-%m}",
                    "amount": record.amount,
                    "pk": entry.pk,
                }
            )
    lonely = QuotaEntry.objects.filter(kind=QuotaEntryKind.PURCHASE_832).filter(
        Q(purchase_832__isnull=True) | Q(order__isnull=False)
    )
    for entry in lonely:
        problems.append(_("台账 #%(pk)s：832平台采购台账没有对应的采购记录") % {"pk": entry.pk})
    return problems


def _filing_version_problems(filings) -> list[str]:
    """Every approved filing's figures in force (reserved amount, canteen budget) are those
    of its latest approved version: a figure changed behind the services' back would move
    the completion rate and the spending cap without anyone deciding it."""
    approved = {}
    for version in FilingVersion.objects.filter(status=FilingStatus.APPROVED).order_by(
        "filing_id", "-number"
    ):
        approved.setdefault(version.filing_id, version)
    problems = []
    for filing in filings:
        if filing.status != FilingStatus.APPROVED:
            continue
        version = approved.get(filing.pk)
        if version is None:
            problems.append(_("%(filing)s：已通过，但没有通过审核的填报版本") % {"filing": filing})
            continue
        for field, label in (
            ("reserved_amount", _("预留份额")),
            ("canteen_budget", _("食堂食材采购预算")),
        ):
            current, decided = getattr(filing, field), getattr(version, field)
            if current != decided:
                problems.append(
                    _(
                        "%(filing)s：%(label)s %(current)s，最近通过的版本 v%(number)s 为 "
                        "%(decided)s（%(side)s）"
                    )
                    % {
                        "filing": filing,
                        "label": label,
                        "current": current,
                        "number": version.number,
                        "decided": decided,
                        "side": _("填报较高") if current > decided else _("审核版本较高"),
                    }
                )
    return problems
