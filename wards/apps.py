from django.apps import AppConfig
from django.db.models.signals import m2m_changed, post_migrate, post_save
from django.utils.translation import gettext_lazy as _


class WardsConfig(AppConfig):
    name = "wards"
    verbose_name = _("Administrative units")

    def ready(self):
        from . import roles, scope, security
        from .models import User

        # After every app's migrations, since the roles use permissions of all of them.
        post_migrate.connect(roles.sync_role_groups, dispatch_uid="wards.sync_role_groups")
        security.connect_signals()
        post_save.connect(scope.user_saved, sender=User, dispatch_uid="wards.user_saved")
        m2m_changed.connect(
            scope.user_wards_changed, sender=User.wards.through, dispatch_uid="wards.user_wards"
        )
