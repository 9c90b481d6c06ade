"""832 platform purchases: a unit's monthly purchases on the national 832 platform, taken in
from the 832 purchaser system's statistics (the reports app's spreadsheet import reads and
checks the rows), each counted toward the unit's reserve by its own ledger entry."""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from ..models import Filing, Purchase832, QuotaEntryKind
from .ledger import filing_lock, ledger_append


@dataclass(frozen=True)
class Purchase832Row:
    """One checked row: the unit's approved filing of the month's year, the month (its first
    day), the supplier area and the amount."""

    unit_id: int
    filing_id: int
    month: datetime.date
    supplier_region_id: int
    amount: Decimal
    order_count: int = 0


def _month_end(month: datetime.date) -> datetime.datetime:
    """The month's last moment (Asia/Shanghai), or now in the current month: the ledger dates
    the purchase in its own month, never in the future."""
    following = (month.replace(day=28) + datetime.timedelta(days=4)).replace(day=1)
    end = timezone.make_aware(datetime.datetime.combine(following, datetime.time())) - (
        datetime.timedelta(seconds=1)
    )
    return min(end, timezone.now())


def purchases_832_record(*, rows: list[Purchase832Row], source: str, by=None) -> list[Purchase832]:
    """Write one ``Purchase832`` per row and its ledger entry (832平台采购: completed + amount,
    no order) on the row's filing, in one transaction; the filings are locked in primary-key
    order. A purchase already made is a fact, so the policy year's spending cap does not
    refuse it (it still counts toward what the cap leaves for orders placed here). Raises
    ``IntegrityError`` (nothing written) when a unit, month and supplier area is already
    recorded, for example by a concurrent import of the same file."""
    written = []
    with transaction.atomic():
        filings = {pk: filing_lock(filing_id=pk) for pk in sorted({r.filing_id for r in rows})}
        for row in rows:
            filing: Filing = filings[row.filing_id]
            entry = ledger_append(
                filing=filing,
                capped=False,
                kind=QuotaEntryKind.PURCHASE_832,
                completed_delta=row.amount,
                reason=f"{row.month:%Y-%m} · {source}"[:300],
                by=by,
                at=_month_end(row.month),
            )
            written.append(
                Purchase832.objects.create(
                    unit_id=row.unit_id,
                    filing=filing,
                    month=row.month,
                    supplier_region_id=row.supplier_region_id,
                    amount=row.amount,
                    order_count=row.order_count,
                    entry=entry,
                    source=source[:200],
                    created_by=by,
                )
            )
    return written
