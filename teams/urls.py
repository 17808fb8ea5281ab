from django.urls import path

from . import trainings, views

app_name = "teams"

urlpatterns = [
    path("teams/<int:pk>/", views.team_detail, name="team_detail"),
    path("feedback/<int:pk>/", views.feedback_detail, name="feedback_detail"),
    path("people/<int:pk>/prestigious/add/", views.prestige_add, name="prestige_add"),
    path("trainings/", trainings.training_list, name="training_list"),
    path("trainings/add/", trainings.training_add, name="training_add"),
    path("trainings/<int:pk>/", trainings.training_detail, name="training_detail"),
    path("trainings/<int:pk>/edit/", trainings.training_edit, name="training_edit"),
    path("groups/<int:pk>/reorganise-team/", views.team_reorganise, name="team_reorganise"),
]
for kind, plural in [("member", "members"), ("activity", "activities"), ("feedback", "feedback")]:
    urlpatterns += [
        path(
            f"wards/<str:code>/{plural}/", views.record_list, {"kind": kind}, name=f"{kind}_list"
        ),
        path(
            f"wards/<str:code>/{plural}/add/", views.record_add, {"kind": kind}, name=f"{kind}_add"
        ),
        path(f"{plural}/<int:pk>/edit/", views.record_edit, {"kind": kind}, name=f"{kind}_edit"),
        path(
            f"{plural}/<int:pk>/delete/",
            views.record_delete,
            {"kind": kind},
            name=f"{kind}_delete",
        ),
    ]
