from django.urls import path

from . import views

app_name = "awards"

urlpatterns = [
    path("dan-van-kheo/", views.model_list, name="model_list"),
    path("wards/<str:code>/dan-van-kheo/add/", views.model_add, name="model_add"),
    path("dan-van-kheo/<int:pk>/", views.model_detail, name="model_detail"),
    path("dan-van-kheo/<int:pk>/edit/", views.model_edit, name="model_edit"),
    path("dan-van-kheo/evidence/<int:pk>/", views.evidence_file, name="evidence_file"),
    path("people/<int:pk>/dan-van-kheo/", views.person_models, name="person_models"),
]
