from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TeamsConfig(AppConfig):
    name = "teams"
    verbose_name = _("Mobilization teams")

    def ready(self):
        from wards.reorganisations import units_ending

        from .reorganisations import records_after_the_end

        units_ending.connect(records_after_the_end, dispatch_uid="teams.records_after_the_end")
