"""Budget units, policy years, filings with their quota ledger, and procurement orders."""

from .filings import (
    CountingEvent,
    Filing,
    FilingStatus,
    FilingVersion,
    PolicyRegionOverride,
    PolicyYear,
    QuotaEntry,
    QuotaEntryKind,
    QuotaEntryLine,
)
from .orders import (
    Acceptance,
    AcceptanceLine,
    ApprovalDecision,
    ApprovalRule,
    OrderApproval,
    ProcurementOrder,
    PurchaseList,
    PurchaseListItem,
    ReminderSent,
    Settlement,
)
from .units import BudgetUnit, BudgetUnitMember, CanteenStatus, MemberRole, UnitType

__all__ = [
    "Acceptance",
    "AcceptanceLine",
    "ApprovalDecision",
    "ApprovalRule",
    "BudgetUnit",
    "BudgetUnitMember",
    "CanteenStatus",
    "CountingEvent",
    "Filing",
    "FilingStatus",
    "FilingVersion",
    "MemberRole",
    "OrderApproval",
    "PolicyRegionOverride",
    "PolicyYear",
    "ProcurementOrder",
    "PurchaseList",
    "PurchaseListItem",
    "QuotaEntry",
    "QuotaEntryKind",
    "QuotaEntryLine",
    "ReminderSent",
    "Settlement",
    "UnitType",
]
