from .bureau import (
    BureauUnitListView,
    BureauUnitView,
    CompletionExportView,
    CompletionView,
    FilingReviewListView,
    FilingReviewView,
    PolicyView,
)
from .imports832 import Unit832ImportView
from .organisations import BureauOrganisationView, OrganisationRegisterView
from .staff import MyStaffLinkView, UnitStaffView
from .supervisor import SupervisedFilingListView, SupervisedFilingView
from .supplier import SettlementActionView, SupplierOrdersView, SupplierRefundView
from .unit_orders import (
    CheckoutView,
    GroupAddressTemplateView,
    OrderActionView,
    OrderDetailView,
    OrderListView,
    PurchaseListView,
)
from .unit_portal import FilingView, PortalView
from .unit_registration import UnitMembersView, UnitRegisterView, UnitRegistrationWithdrawView

__all__ = [
    "BureauOrganisationView",
    "BureauUnitListView",
    "BureauUnitView",
    "CheckoutView",
    "CompletionExportView",
    "CompletionView",
    "FilingReviewListView",
    "FilingReviewView",
    "FilingView",
    "GroupAddressTemplateView",
    "MyStaffLinkView",
    "OrderActionView",
    "OrderDetailView",
    "OrderListView",
    "OrganisationRegisterView",
    "PolicyView",
    "PortalView",
    "PurchaseListView",
    "SettlementActionView",
    "SupervisedFilingListView",
    "SupervisedFilingView",
    "SupplierOrdersView",
    "SupplierRefundView",
    "Unit832ImportView",
    "UnitMembersView",
    "UnitRegisterView",
    "UnitRegistrationWithdrawView",
    "UnitStaffView",
]
