from .bureau import (
    CompletionExportView,
    CompletionView,
    FilingReviewListView,
    FilingReviewView,
    PolicyView,
    UnitRegistrationApproveView,
)
from .supplier import SettlementActionView, SupplierOrdersView
from .unit import (
    CheckoutView,
    FilingView,
    OrderActionView,
    OrderDetailView,
    OrderListView,
    PortalView,
    PurchaseListView,
)

__all__ = [
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
    "UnitRegistrationApproveView",
]
