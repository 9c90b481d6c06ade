from django.urls import path

from . import views

app_name = "reports"

urlpatterns = [
    path("", views.DashboardView.as_view(), name="dashboard"),
    path("drill/", views.DrilldownView.as_view(), name="drilldown"),
    path("annual/", views.AnnualReportView.as_view(), name="annual"),
    path("annual.xlsx", views.AnnualReportExcelView.as_view(), name="annual-xlsx"),
    path("annual.csv", views.AnnualReportCsvView.as_view(), name="annual-csv"),
    path("annual/close/", views.AnnualCloseView.as_view(), name="annual-close"),
    path(
        "annual/closures/<int:pk>/reopen/",
        views.AnnualReopenView.as_view(),
        name="annual-reopen",
    ),
    path("entities/", views.EntityListView.as_view(), name="entity-list"),
    path("entities/new/", views.EntityCreateView.as_view(), name="entity-create"),
    path("figures/new/", views.FigureCreateView.as_view(), name="figure-create"),
    path("indicators/", views.IndicatorListView.as_view(), name="indicators"),
    path("offline/", views.OfflineSaleView.as_view(), name="offline"),
    path("imports/new/", views.ImportUploadView.as_view(), name="import"),
    path("imports/<int:pk>/", views.ImportDetailView.as_view(), name="import-detail"),
    path("imports/<int:pk>/progress/", views.ImportProgressView.as_view(), name="import-progress"),
    path(
        "imports/template/<str:kind>.<str:fmt>",
        views.ImportTemplateView.as_view(),
        name="import-template",
    ),
]
