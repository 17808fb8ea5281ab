from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class RemindersConfig(AppConfig):
    name = "reminders"
    verbose_name = _("Deadlines and reminders")

    def ready(self):
        from .tasks import schedule_after_migrate

        # The daily run of the worker, enqueued once the tables exist.
        post_migrate.connect(schedule_after_migrate, sender=self)
