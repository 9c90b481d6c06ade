"""The quota ledger: every change of a filing's balance is one appended entry, written in the
transaction that changes the cached balance on the (locked) filing row."""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ..access import bureau_require_scope
from ..exceptions import QuotaAdjustmentError, QuotaBalanceShortError
from ..models import Filing, QuotaEntry, QuotaEntryKind, QuotaEntryLine

ZERO = Decimal("0.00")
CENT = Decimal("0.01")


def money(value) -> Decimal:
    return Decimal(value).quantize(CENT)


def yuan(value: Decimal) -> str:
    return f"¥{money(value):,}"


@dataclass
class LineMove:
    """One order line's share of an entry."""

    line: object
    quantity: int
    committed_delta: Decimal = ZERO
    completed_delta: Decimal = ZERO


def filing_lock(*, filing_id: int) -> Filing:
    return Filing.objects.select_for_update().get(pk=filing_id)


def ledger_append(
    *,
    filing: Filing,
    kind: str,
    committed_delta: Decimal = ZERO,
    completed_delta: Decimal = ZERO,
    order=None,
    moves: list[LineMove] | None = None,
    reason: str = "",
    by=None,
    at: datetime.datetime | None = None,
) -> QuotaEntry | None:
    """Append one entry to a filing that the caller has locked (``filing_lock``) in the
    current transaction, and move its cached balance by the same amounts. With ``moves``
    the deltas are their sums. Returns None when nothing moves. Raises
    ``QuotaBalanceShortError`` (nothing written) when the result would leave
    committed + completed above the reserved amount or either below zero."""
    if moves is not None:
        moves = [m for m in moves if m.committed_delta or m.completed_delta]
        committed_delta = sum((m.committed_delta for m in moves), ZERO)
        completed_delta = sum((m.completed_delta for m in moves), ZERO)
    if not committed_delta and not completed_delta:
        return None
    committed = filing.committed + committed_delta
    completed = filing.completed + completed_delta
    if committed < 0 or completed < 0 or committed + completed > filing.reserved_amount:
        raise QuotaBalanceShortError(
            _("预留份额余额不足：可用余额 %(remaining)s，本次需要 %(needed)s。")
            % {
                "remaining": yuan(filing.remaining),
                "needed": yuan(committed_delta + completed_delta),
            }
        )
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
    # The row is locked by the caller, so the values computed here are current (and exact:
    # SQLite would do F() arithmetic on decimals in floating point).
    Filing.objects.filter(pk=filing.pk).update(committed=committed, completed=completed)
    filing.committed, filing.completed = committed, completed
    return entry


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
                _("调整后已占用与已完成之和不能超过预留份额，且均不能为负：%(detail)s")
                % {"detail": exc.message}
            ) from exc
    filing.committed, filing.completed = locked.committed, locked.completed
    return entry
