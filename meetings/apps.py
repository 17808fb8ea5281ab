from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MeetingsConfig(AppConfig):
    name = "meetings"
    verbose_name = _("Seminars and directive tasks")

    def ready(self):
        from wards.reorganisations import units_reorganised

        from .reorganisations import carry_open_tasks

        units_reorganised.connect(carry_open_tasks, dispatch_uid="meetings.carry_open_tasks")
