"""Reads of the procurement domain, with the relations each page needs fetched up front,
one module per concern. The views use them as ``selectors.<name>``: every public name of
the modules is exported here."""

from .filings import (
    bureau_completion_table,
    bureau_filings_to_review,
    filing_decisions,
    filing_monthly,
    monthly_chart,
    schedule_fraction,
    schedule_text,
    supervised_filing,
    supervised_filings,
    unit_filings,
)
from .orders import (
    acceptances_due,
    approvals_waiting,
    order_detail_by_number,
    supplier_procurement_orders,
    transfers_due,
    unit_orders,
)
from .reports import (
    procurement_completion_totals,
    procurement_order_sales_events,
)
from .settlements import (
    REFUNDABLE_STATUSES,
    order_refunded_quantities,
    order_refunds,
    settlements_with_refund_rows,
    supplier_settlements,
)
from .units import (
    bureau_units,
    pending_unit_registrations,
    supervising_units,
    unit_decisions,
    unit_members,
    user_is_unit_purchaser,
    user_roles_by_unit,
    user_unit_registration,
    user_units,
)

__all__ = [
    "REFUNDABLE_STATUSES",
    "acceptances_due",
    "approvals_waiting",
    "bureau_completion_table",
    "bureau_filings_to_review",
    "bureau_units",
    "filing_decisions",
    "filing_monthly",
    "monthly_chart",
    "order_detail_by_number",
    "order_refunded_quantities",
    "order_refunds",
    "pending_unit_registrations",
    "procurement_completion_totals",
    "procurement_order_sales_events",
    "schedule_fraction",
    "schedule_text",
    "settlements_with_refund_rows",
    "supervised_filing",
    "supervised_filings",
    "supervising_units",
    "supplier_procurement_orders",
    "supplier_settlements",
    "transfers_due",
    "unit_decisions",
    "unit_filings",
    "unit_members",
    "unit_orders",
    "user_is_unit_purchaser",
    "user_roles_by_unit",
    "user_unit_registration",
    "user_units",
]
