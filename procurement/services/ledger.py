"""The quota ledger: every change of a filing's balance is one appended entry, written in the
transaction that changes the cached balance on the (locked) filing row.

The reserved amount is a floor to reach, not a ceiling: committed and completed grow past it
(完成率 above 100% is 超额完成). The only ceiling the ledger enforces is the policy year's
spending cap, where the year sets one (the unit's filed annual canteen food budget); it is
checked under the filing's row lock, so concurrent orders can never pass it.

An organisation's order that counts toward no reserved share (see
``procurement.services.organisations``) has no filing: its entries are written with
``filing=None`` and move no balance, so that what it counts, and when, is recorded exactly as
a budget unit's (the sales facts read the entries of every order the same way)."""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.money import ZERO, money, yuan

from ..access import bureau_require_scope
from ..exceptions import FilingSpendingCapError, QuotaAdjustmentError, QuotaBalanceShortError
from ..models import Filing, QuotaEntry, QuotaEntryKind, QuotaEntryLine
from ..portal_cache import units_changed
from .locks import filing_lock


@dataclass
class LineMove:
    """One order line's share of an entry."""

    line: object
    quantity: int
    committed_delta: Decimal = ZERO
    completed_delta: Decimal = ZERO


def spending_cap_check(*, filing: Filing, amount: Decimal) -> None:
    """Raise ``FilingSpendingCapError`` when ``amount`` more committed or completed would take
    ``filing`` past its policy year's spending cap (nothing when the year sets none). Callers
    check without a lock for a cheap early refusal; ``ledger_append`` and
    ``ledger_entry_apply`` check again under the lock, where it counts."""
    cap = filing.spending_cap if filing is not None else None
    if cap is None or amount <= 0:
        return
    used = filing.committed + filing.completed
    if used + amount > cap:
        raise FilingSpendingCapError(
            _(
                "超过本单位 %(year)s 年度采购上限：年度政策以填报的年度食堂食材采购预算"
                " %(cap)s 为上限，已占用和已完成 %(used)s，尚可采购 %(left)s，"
                "本次需要 %(needed)s。"
            )
            % {
                "year": filing.policy_year.year,
                "cap": yuan(cap),
                "used": yuan(used),
                "left": yuan(max(cap - used, ZERO)),
                "needed": yuan(amount),
            }
        )


def _moves_total(moves: list[LineMove]) -> tuple[Decimal, Decimal]:
    return (
        sum((m.committed_delta for m in moves), ZERO),
        sum((m.completed_delta for m in moves), ZERO),
    )


def _balance_after(
    filing: Filing, committed_delta: Decimal, completed_delta: Decimal, capped: bool = True
):
    """(committed, completed) of ``filing`` after the move. Raises
    ``FilingSpendingCapError`` when the move adds to committed + completed past the policy
    year's cap, and ``QuotaBalanceShortError`` when it would leave either below zero. Going
    past the reserved amount is never refused."""
    if filing is None:  # an order outside any reserved share: no balance to move
        return committed_delta, completed_delta
    committed = filing.committed + committed_delta
    completed = filing.completed + completed_delta
    if committed < 0 or completed < 0:
        raise QuotaBalanceShortError(
            _("台账余额不能为负：已占用 %(committed)s，已完成 %(completed)s。")
            % {"committed": yuan(committed), "completed": yuan(completed)}
        )
    if capped:
        spending_cap_check(filing=filing, amount=committed_delta + completed_delta)
    return committed, completed


def _balance_set(filing: Filing | None, committed: Decimal, completed: Decimal) -> None:
    if filing is None:
        return
    # The row is locked by the caller, so the values computed here are current (and exact:
    # SQLite would do F() arithmetic on decimals in floating point).
    Filing.objects.filter(pk=filing.pk).update(committed=committed, completed=completed)
    units_changed(filing_ids=[filing.pk])  # an UPDATE sends no signal
    filing.committed, filing.completed = committed, completed


def ledger_entry_write(
    *,
    filing: Filing | None,
    kind: str,
    committed_delta: Decimal = ZERO,
    completed_delta: Decimal = ZERO,
    order=None,
    moves: list[LineMove] | None = None,
    reason: str = "",
    by=None,
    at: datetime.datetime | None = None,
) -> QuotaEntry | None:
    """Write one entry of ``filing`` (locked or not) and its lines WITHOUT moving its
    balance, so that a caller can write it before it takes the filing lock;
    ``ledger_entry_apply`` must then move the locked filing by it in the same transaction,
    whose rollback on a refusal takes the entry with it. With ``moves`` the deltas are their
    sums. Returns None when nothing moves."""
    if moves is not None:
        moves = [m for m in moves if m.committed_delta or m.completed_delta]
        committed_delta, completed_delta = _moves_total(moves)
    if not committed_delta and not completed_delta:
        return None
    entry = QuotaEntry.objects.create(
        filing=filing,
        kind=kind,
        committed_delta=committed_delta,
        completed_delta=completed_delta,
        order=order,
        reason=reason,
        created_by=by,
        created_at=at or timezone.now(),
    )
    if moves:
        QuotaEntryLine.objects.bulk_create(
            QuotaEntryLine(
                entry=entry,
                line=m.line,
                quantity=m.quantity,
                committed_delta=m.committed_delta,
                completed_delta=m.completed_delta,
            )
            for m in moves
        )
    return entry


def ledger_entry_apply(*, filing: Filing | None, entry: QuotaEntry) -> None:
    """Move the cached balance of a filing that the caller has locked (``filing_lock``) by
    an entry written in the current transaction (``ledger_entry_write``). Raises
    ``QuotaBalanceShortError`` (the filing unchanged) as ``ledger_append`` does; the caller
    lets it roll the transaction back, entry included (``FilingSpendingCapError`` past the
    year's cap)."""
    _balance_set(filing, *_balance_after(filing, entry.committed_delta, entry.completed_delta))


def ledger_append(*, filing: Filing | None, capped: bool = True, **entry) -> QuotaEntry | None:
    """Append one entry to a filing that the caller has locked (``filing_lock``) in the
    current transaction, and move its cached balance by the same amounts. ``entry`` is what
    ``ledger_entry_write`` takes besides the filing: ``kind``, ``committed_delta`` and
    ``completed_delta`` or ``moves`` (the deltas are then their sums), ``order``, ``reason``,
    ``by``, ``at``. Returns None when nothing moves. Raises, with nothing written,
    ``FilingSpendingCapError`` when the move adds past the policy year's spending cap and
    ``QuotaBalanceShortError`` when it would leave committed or completed below zero; the
    reserved amount is no limit. ``capped=False`` records what already happened elsewhere
    (832 platform purchases): a cap refuses orders placed here, never a fact."""
    if entry.get("moves") is not None:
        committed_delta, completed_delta = _moves_total(entry["moves"])
    else:
        committed_delta = entry.get("committed_delta", ZERO)
        completed_delta = entry.get("completed_delta", ZERO)
    if not committed_delta and not completed_delta:
        return None
    committed, completed = _balance_after(filing, committed_delta, completed_delta, capped)
    written = ledger_entry_write(filing=filing, **entry)
    _balance_set(filing, committed, completed)
    return written


def quota_adjust(
    *,
    filing: Filing,
    user,
    reason: str,
    committed_delta: Decimal = ZERO,
    completed_delta: Decimal = ZERO,
) -> QuotaEntry:
    """A correction by bureau staff of the unit's region, with a reason, as its own entry
    (for example a purchase made outside the platform that the bureau counts). Raises
    ``ProcurementPermissionError`` outside the user's region and ``QuotaAdjustmentError``
    for an empty reason, a zero adjustment or one the balance cannot take."""
    bureau_require_scope(user=user, region=filing.unit.region)
    reason = (reason or "").strip()
    if not reason:
        raise QuotaAdjustmentError(_("调整必须填写原因。"))
    committed_delta, completed_delta = money(committed_delta), money(completed_delta)
    if not committed_delta and not completed_delta:
        raise QuotaAdjustmentError(_("调整金额不能为零。"))
    with transaction.atomic():
        locked = filing_lock(filing_id=filing.pk)
        try:
            entry = ledger_append(
                filing=locked,
                kind=QuotaEntryKind.ADJUST,
                committed_delta=committed_delta,
                completed_delta=completed_delta,
                reason=reason,
                by=user,
            )
        except QuotaBalanceShortError as exc:
            raise QuotaAdjustmentError(
                _("调整后已占用与已完成均不能为负，且不能超过年度采购上限：%(detail)s")
                % {"detail": exc.message}
            ) from exc
    filing.committed, filing.completed = locked.committed, locked.completed
    return entry
