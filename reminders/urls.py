from django.urls import path

from . import views

app_name = "reminders"

urlpatterns = [
    path("accounts/reminders/", views.reminder_settings, name="settings"),
]
