from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    """The machinery below the apps; its one model is the import job."""

    name = "core"
    verbose_name = _("Imports")

    def ready(self):
        from . import lookups  # noqa: F401 (registers itself)
