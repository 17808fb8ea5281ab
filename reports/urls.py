from django.urls import path

from . import views

app_name = "reports"

urlpatterns = [
    path("overview/", views.overview, name="overview"),
    path("wards/<str:code>/", views.ward_home, name="ward_home"),
    path("wards/<str:code>/dashboard/", views.ward_dashboard, name="ward_dashboard"),
]
