from django.urls import path

from . import views

app_name = "procurement"

urlpatterns = [
    path("", views.PortalView.as_view(), name="portal"),
    path("filings/", views.FilingView.as_view(), name="filings"),
    path("register/", views.UnitRegisterView.as_view(), name="register"),
    path(
        "register/withdraw/",
        views.UnitRegistrationWithdrawView.as_view(),
        name="register-withdraw",
    ),
    path(
        "register/organisation/",
        views.OrganisationRegisterView.as_view(),
        name="register-organisation",
    ),
    path("members/", views.UnitMembersView.as_view(), name="members"),
    path("staff/", views.MyStaffLinkView.as_view(), name="staff-link"),
    path("staff-links/", views.UnitStaffView.as_view(), name="unit-staff"),
    path("checkout/", views.CheckoutView.as_view(), name="checkout"),
    path("orders/", views.OrderListView.as_view(), name="orders"),
    path(
        "group-addresses/template.xlsx",
        views.GroupAddressTemplateView.as_view(),
        name="group-address-template",
    ),
    path("orders/<str:number>/", views.OrderDetailView.as_view(), name="order-detail"),
    path(
        "orders/<str:number>/<slug:action>/",
        views.OrderActionView.as_view(),
        name="order-action",
    ),
    path(
        "orders/<str:number>/<slug:action>/<int:target>/",
        views.OrderActionView.as_view(),
        name="order-action-target",
    ),
    path("subordinates/", views.SupervisedFilingListView.as_view(), name="supervised-filings"),
    path(
        "subordinates/<int:pk>/",
        views.SupervisedFilingView.as_view(),
        name="supervised-filing",
    ),
    path("imports-832/", views.Unit832ImportView.as_view(), name="imports-832"),
    path("lists/", views.PurchaseListView.as_view(), name="list-save"),
    path("lists/<int:pk>/basket/", views.PurchaseListView.as_view(), name="list-to-basket"),
    path("bureau/", views.CompletionView.as_view(), name="bureau-completion"),
    path("bureau/export.xlsx", views.CompletionExportView.as_view(), name="bureau-export"),
    path("bureau/filings/", views.FilingReviewListView.as_view(), name="bureau-filings"),
    path("bureau/filings/<int:pk>/", views.FilingReviewView.as_view(), name="bureau-filing"),
    path("bureau/units/", views.BureauUnitListView.as_view(), name="bureau-units"),
    path("bureau/units/<int:pk>/", views.BureauUnitView.as_view(), name="bureau-unit"),
    path("bureau/policy/", views.PolicyView.as_view(), name="bureau-policy"),
    path(
        "bureau/organisations/",
        views.BureauOrganisationView.as_view(),
        name="bureau-organisations",
    ),
    path("supplier/", views.SupplierOrdersView.as_view(), name="supplier-orders"),
    path(
        "supplier/settlements/<int:pk>/refund/",
        views.SupplierRefundView.as_view(),
        name="supplier-refund",
    ),
    path(
        "supplier/settlements/<int:pk>/<slug:action>/",
        views.SettlementActionView.as_view(),
        name="supplier-settlement",
    ),
]
