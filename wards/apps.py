from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class WardsConfig(AppConfig):
    name = "wards"
    verbose_name = _("Administrative units")

    def ready(self):
        from . import roles, security

        # After every app's migrations, since the roles use permissions of all of them.
        post_migrate.connect(roles.sync_role_groups, dispatch_uid="wards.sync_role_groups")
        security.connect_signals()
