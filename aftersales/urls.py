"""After-sales URLs, mounted at the site's root (marketplace/urls.py) under each side's area."""

from django.urls import path

from . import views

app_name = "aftersales"

urlpatterns = [
    path("shop/after-sales/", views.ShopperCaseListView.as_view(), name="mine"),
    path("shop/after-sales/new/<int:line_id>/", views.RequestView.as_view(), name="request"),
    path("shop/after-sales/<int:pk>/", views.ShopperCaseView.as_view(), name="case"),
    path("shop/after-sales/photos/<int:pk>/", views.PhotoView.as_view(), name="photo"),
    path("supplier/after-sales/", views.SupplierCaseListView.as_view(), name="supplier-list"),
    path(
        "supplier/after-sales/<int:pk>/",
        views.SupplierCaseView.as_view(),
        name="supplier-case",
    ),
    path("reports/after-sales/", views.BureauRatesView.as_view(), name="bureau-rates"),
]
