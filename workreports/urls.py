from django.urls import path

from . import views

app_name = "workreports"

urlpatterns = [
    path("work-reports/", views.period_list, name="period_list"),
    path("work-reports/new/", views.period_create, name="period_create"),
    path("work-reports/<int:pk>/", views.consolidation, name="consolidation"),
    path(
        "work-reports/<int:pk>/consolidated/",
        views.consolidated_edit,
        name="consolidated_edit",
    ),
    path("work-reports/<int:pk>/issue/", views.consolidated_issue, name="consolidated_issue"),
    path("work-reports/report/<int:pk>/", views.ward_report, name="ward_report"),
    path("wards/<str:code>/work-reports/", views.ward_reports, name="ward_reports"),
]
