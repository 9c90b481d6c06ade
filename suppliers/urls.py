"""The supplier portal (/supplier/) and the bureau's review pages (/supplier/review/)."""

from django.urls import path

from .views import documents, orders, portal, products, review

app_name = "suppliers"

urlpatterns = [
    path("", portal.HomeView.as_view(), name="home"),
    path("apply/", portal.ApplyView.as_view(), name="apply"),
    path("certification/", portal.CertificationView.as_view(), name="certification"),
    path("profile/", portal.ProfileView.as_view(), name="profile"),
    path("notices/", portal.NoticeListView.as_view(), name="notices"),
    path("notices/<int:pk>/read/", portal.MarkNoticeReadView.as_view(), name="notice-read"),
    path("shipping/", portal.ShippingRuleView.as_view(), name="shipping"),
    path("sales/", portal.SalesView.as_view(), name="sales"),
    path("products/", products.ProductListView.as_view(), name="product-list"),
    path("products/new/", products.ProductEditView.as_view(), name="product-create"),
    path("products/<int:pk>/", products.ProductEditView.as_view(), name="product-edit"),
    path("products/<int:pk>/submit/", products.ProductSubmitView.as_view(), name="product-submit"),
    path("products/<int:pk>/delist/", products.ProductDelistView.as_view(), name="product-delist"),
    path("orders/", orders.OrderListView.as_view(), name="order-list"),
    path("orders/<str:number>/", orders.OrderDetailView.as_view(), name="order-detail"),
    path("documents/<int:pk>/", documents.DocumentView.as_view(), name="document"),
    path("review/", review.CertificationQueueView.as_view(), name="review-queue"),
    path("review/<int:pk>/", review.CertificationReviewView.as_view(), name="review-detail"),
    path("review/listings/", review.ListingQueueView.as_view(), name="review-listings"),
    path(
        "review/listings/<int:pk>/",
        review.ListingDecisionView.as_view(),
        name="review-listing-decision",
    ),
]
