from django.urls import path

from . import views

app_name = "people"

urlpatterns = [
    path("wards/<str:code>/people/", views.person_list, name="person_list"),
    path("wards/<str:code>/people/add/", views.person_add, name="person_add"),
    path("wards/<str:code>/people/duplicates/", views.duplicates, name="duplicates"),
    path("people/<int:pk>/", views.person_detail, name="person_detail"),
    path("people/<int:pk>/edit/", views.person_edit, name="person_edit"),
    path("people/<int:pk>/merge/<int:other>/", views.merge, name="merge"),
    path("people/<int:pk>/posts/add/", views.position_add, name="position_add"),
]
