from django.urls import path

from . import views
from .services import SEMINAR_DOCUMENTS

app_name = "meetings"

urlpatterns = [
    path("seminars/", views.seminar_list, name="seminar_list"),
    path("seminars/add/", views.seminar_add, name="seminar_add"),
    path("seminars/<int:pk>/", views.seminar_detail, name="seminar_detail"),
    path("seminars/<int:pk>/edit/", views.seminar_edit, name="seminar_edit"),
    path("directives/", views.directive_list, name="directive_list"),
    path("directives/add/", views.directive_add, name="directive_add"),
    path("directives/<int:pk>/", views.directive_detail, name="directive_detail"),
    path("directives/<int:pk>/edit/", views.directive_edit, name="directive_edit"),
    path("directives/<int:pk>/tasks/", views.directive_tasks_edit, name="directive_tasks"),
    path(
        "directives/<int:pk>/carry-over/",
        views.directive_carry_over,
        name="directive_carry_over",
    ),
    path("assignments/<int:pk>/progress/", views.progress_add, name="progress_add"),
    path("progress/<int:pk>/edit/", views.progress_edit, name="progress_edit"),
]
urlpatterns += [
    path(
        f"seminars/<int:pk>/{part}/",
        views.seminar_rows_edit,
        {"part": part},
        name=f"seminar_{part}",
    )
    for part in views.PARTS
]
urlpatterns += [
    path(
        f"seminars/<int:pk>/number/{document}/",
        views.seminar_number,
        {"document": document},
        name=f"seminar_number_{document}",
    )
    for document in SEMINAR_DOCUMENTS
]
