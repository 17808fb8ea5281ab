from django.urls import path

from . import views

app_name = "reports"

urlpatterns = [
    path("overview/", views.overview, name="overview"),
    path("wards/<str:code>/", views.ward_home, name="ward_home"),
    path("wards/<str:code>/dashboard/", views.ward_dashboard, name="ward_dashboard"),
    path("wards/<str:code>/lineage/", views.ward_lineage, name="ward_lineage"),
    path(
        "seminars/<int:pk>/report.pdf",
        views.seminar_document_pdf,
        {"kind": "report"},
        name="seminar_report_pdf",
    ),
    path(
        "seminars/<int:pk>/conclusion.pdf",
        views.seminar_document_pdf,
        {"kind": "notice"},
        name="conclusion_notice_pdf",
    ),
    path(
        "seminars/<int:pk>/progress.pdf",
        views.progress_report_pdf,
        {"by": "seminar"},
        name="progress_report_pdf",
    ),
    path(
        "directives/<int:pk>/progress.pdf",
        views.progress_report_pdf,
        name="directive_progress_pdf",
    ),
    path(
        "work-reports/<int:pk>/report.pdf",
        views.consolidated_report_pdf,
        name="consolidated_report_pdf",
    ),
]
