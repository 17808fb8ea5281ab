from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from reports.views import home

admin.site.site_header = admin.site.site_title = "Dân vận"

handler400 = "core.views.bad_request"
handler403 = "wards.views.permission_denied"

urlpatterns = [
    path("", home, name="home"),
    path("", include("reports.urls")),
    path("", include("teams.urls")),
    path("", include("meetings.urls")),
    path("", include("workreports.urls")),
    path("", include("registry.urls")),
    path("", include("awards.urls")),
    path("", include("people.urls")),
    path("", include("reminders.urls")),
    path("accounts/login/", auth_views.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path(
        "accounts/password/",
        auth_views.PasswordChangeView.as_view(),
        name="password_change",
    ),
    path(
        "accounts/password/done/",
        auth_views.PasswordChangeDoneView.as_view(),
        name="password_change_done",
    ),
    path("admin/", admin.site.urls),
    # set_language: the way to choose English (a cookie), since Accept-Language is ignored.
    path("i18n/", include("django.conf.urls.i18n")),
]
