from .bureau import (
    BureauUnitListView,
    BureauUnitView,
    CompletionExportView,
    CompletionView,
    FilingReviewListView,
    FilingReviewView,
    PolicyView,
)
from .supplier import SettlementActionView, SupplierOrdersView, SupplierRefundView
from .unit import (
    CheckoutView,
    FilingView,
    OrderActionView,
    OrderDetailView,
    OrderListView,
    PortalView,
    PurchaseListView,
)
from .units import UnitMembersView, UnitRegisterView, UnitRegistrationWithdrawView

__all__ = [
    "BureauUnitListView",
    "BureauUnitView",
    "CheckoutView",
    "CompletionExportView",
    "CompletionView",
    "FilingReviewListView",
    "FilingReviewView",
    "FilingView",
    "OrderActionView",
    "OrderDetailView",
    "OrderListView",
    "PolicyView",
    "PortalView",
    "PurchaseListView",
    "SettlementActionView",
    "SupplierOrdersView",
    "SupplierRefundView",
    "UnitMembersView",
    "UnitRegisterView",
    "UnitRegistrationWithdrawView",
]
