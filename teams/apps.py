from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TeamsConfig(AppConfig):
    name = "teams"
    verbose_name = _("Mobilization teams")

    def ready(self):
        from django.db.models.signals import post_save

        from wards.models import ResidentialGroup
        from wards.reorganisations import units_ending

        from .models import Activity, Team
        from .reorganisations import records_after_the_end

        units_ending.connect(records_after_the_end, dispatch_uid="teams.records_after_the_end")
        for unit in (Team, ResidentialGroup):
            post_save.connect(
                Activity.follow_moved_unit,
                sender=unit,
                dispatch_uid=f"teams.moved-{unit._meta.label}",
            )
