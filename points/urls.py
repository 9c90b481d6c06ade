from django.urls import path

from . import views

app_name = "points"

urlpatterns = [
    path("", views.IndexView.as_view(), name="index"),
    path("lookup/", views.LookupView.as_view(), name="lookup"),
    path("v/<str:code>/", views.BoardView.as_view(), name="board"),
    path(
        "v/<str:code>/notices/<int:year>-<int:month>/",
        views.NoticeSheetView.as_view(),
        name="notice-sheet",
    ),
    path("clerk/", views.ClerkView.as_view(), name="clerk"),
    path("clerk/households/import/", views.HouseholdImportView.as_view(), name="households-import"),
    path("clerk/awards/<int:pk>/", views.AwardDetailView.as_view(), name="award-detail"),
    path("clerk/awards/<int:pk>/photo/", views.AwardPhotoView.as_view(), name="award-photo"),
    path(
        "clerk/awards/<int:pk>/<slug:action>/",
        views.AwardActionView.as_view(),
        name="award-action",
    ),
    path("shop/", views.ShopView.as_view(), name="shop"),
    path("shop/restock/", views.RestockView.as_view(), name="restock"),
    path("shop/restock/<str:number>/", views.RestockDetailView.as_view(), name="restock-detail"),
    path("bureau/", views.BureauReportView.as_view(), name="bureau"),
    path("bureau/export.xlsx", views.BureauReportExcelView.as_view(), name="bureau-export"),
    path("bureau/awards/", views.BureauAwardsView.as_view(), name="bureau-awards"),
    path("shop/receipts/<str:number>/", views.ReceiptView.as_view(), name="receipt"),
]
