from django.urls import path

from . import views

app_name = "meetings"

urlpatterns = [
    path("assignments/<int:pk>/progress/", views.progress_add, name="progress_add"),
    path("progress/<int:pk>/edit/", views.progress_edit, name="progress_edit"),
]
