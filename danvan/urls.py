from django.contrib import admin
from django.urls import include, path
from django.views.generic import RedirectView

admin.site.site_header = admin.site.site_title = "Dân vận"

urlpatterns = [
    path("", RedirectView.as_view(pattern_name="admin:index", permanent=False)),
    path("admin/", admin.site.urls),
    # set_language: the way to choose English (a cookie), since Accept-Language is ignored.
    path("i18n/", include("django.conf.urls.i18n")),
]
