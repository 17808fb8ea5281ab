from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorkReportsConfig(AppConfig):
    name = "workreports"
    verbose_name = _("Work reports")
