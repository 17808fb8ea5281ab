from django.urls import path

from . import views

app_name = "registry"

urlpatterns = [path("register/", views.register, name="register")]
