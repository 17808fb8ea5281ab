"""Roles are groups of permissions; `sync_role_groups()` keeps the groups as defined here.

What a role may see is decided elsewhere (`scope.py`): by the managing unit or the wards
linked to the user.
"""

from django.apps import apps
from django.contrib.auth.models import Group, Permission
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.imports import importable_models


class Role(models.TextChoices):
    # The values are the group names, as the admin shows them.
    ADMINISTRATOR = "Quản trị viên", _("Administrator")
    DISTRICT_STAFF = "Cán bộ Ban Dân vận", _("District staff")
    WARD_OFFICER = "Cán bộ phường", _("Ward officer")
    VIEWER = "Người xem", _("Viewer")


UNITS = ["wards.district", "wards.ward"]
GROUPS = ["wards.residentialgroup"]
TEAM_WORK = [
    "teams.team",
    "teams.member",
    "teams.activity",
    "teams.citizenfeedback",
    "teams.exemplarymodel",
    "teams.training",
    "teams.prestigiousperson",
    "people.person",
    "people.position",
]
SEMINARS = [
    "meetings.seminar",
    "meetings.directive",
    "meetings.seminarsession",
    "meetings.attendee",
    "meetings.contribution",
    "meetings.directivepoint",
    "meetings.directivetask",
    "meetings.taskassignment",
]
PROGRESS = ["meetings.progressreport"]
# The reporting cycle: the unit sets the periods and gathers the wards' reports into its own,
# numbered from its register; a ward writes and sends its report; the unit returns or accepts.
PERIODS = ["workreports.reportingperiod", "workreports.consolidatedreport"]
WARD_REPORTS = ["workreports.wardreport"]
REGISTER = ["registry.issueddocument"]
ACCOUNTS = ["wards.user"]
EVENTS = ["wards.securityevent"]

# The models with Excel/CSV import and export in the admin; what the ward's own people keep
# in Excel, they may import themselves.
WARD_IMPORTS = [
    "people.person",
    "people.position",
    "teams.member",
    "teams.activity",
    "teams.citizenfeedback",
    "teams.prestigiousperson",
    "teams.training",
    "meetings.progressreport",
]
IMPORTABLE = importable_models()

# The lists district staff download as Excel files.
EXPORTABLE = [
    "wards.residentialgroup",
    "people.person",
    "people.position",
    "teams.team",
    "teams.member",
    "teams.activity",
    "teams.citizenfeedback",
    "teams.exemplarymodel",
    "teams.prestigiousperson",
    "teams.training",
    "meetings.progressreport",
]
# What a ward officer downloads: the ward's own records.
WARD_EXPORTS = [
    "people.person",
    "people.position",
    "teams.member",
    "teams.activity",
    "teams.citizenfeedback",
    "teams.prestigiousperson",
    "teams.training",
]

READ = ["view"]
WRITE = ["view", "add", "change", "delete"]

ROLE_PERMISSIONS = {
    Role.ADMINISTRATOR: [
        # Managing units themselves are created by a superuser.
        (["wards.district"], ["view", "change"]),
        (["wards.ward", *GROUPS, *TEAM_WORK, *SEMINARS, *PROGRESS, *ACCOUNTS], WRITE),
        (EVENTS, READ),
        (IMPORTABLE, ["import", "export"]),
        (["wards.district"], ["export"]),
        (PERIODS, ["view", "add", "change"]),
        (WARD_REPORTS, ["view", "change", "review"]),
        (REGISTER, READ),
    ],
    Role.DISTRICT_STAFF: [
        (UNITS, READ),
        (GROUPS + TEAM_WORK + SEMINARS + PROGRESS, WRITE),
        ([*EXPORTABLE, "wards.district"], ["export"]),
        (["teams.team", "teams.exemplarymodel", *WARD_IMPORTS], ["import"]),
        (PERIODS, ["view", "add", "change"]),
        (WARD_REPORTS, ["view", "review"]),
        (REGISTER, READ),
    ],
    Role.WARD_OFFICER: [
        (UNITS + SEMINARS, READ),
        (GROUPS + TEAM_WORK + PROGRESS, WRITE),
        (WARD_EXPORTS, ["export"]),
        (WARD_IMPORTS, ["import"]),
        (WARD_REPORTS, ["view", "change"]),
    ],
    Role.VIEWER: [
        (UNITS + GROUPS + TEAM_WORK + SEMINARS + PROGRESS, READ),
        (PERIODS + WARD_REPORTS + REGISTER, READ),
    ],
}


def role_permissions(role):
    """The permissions of `role`, as a queryset; a model or an action that does not exist
    is refused (a mistyped grant would otherwise grant nothing, silently)."""
    condition = Q(pk__in=[])
    for labels, actions in ROLE_PERMISSIONS[role]:
        for label in labels:
            model = apps.get_model(label)  # LookupError for an unknown model
            opts = model._meta
            codenames = [f"{action}_{opts.model_name}" for action in actions]
            known = {f"{action}_{opts.model_name}" for action in opts.default_permissions}
            unknown = set(codenames) - known - {codename for codename, _name in opts.permissions}
            if unknown:
                raise ValueError(f"{role.name}: {label} has no permission {sorted(unknown)}")
            condition |= Q(content_type__app_label=opts.app_label, codename__in=codenames)
    return Permission.objects.filter(condition)


def sync_role_groups(**kwargs):
    """Create the role groups and give each exactly its permissions (after every migrate)."""
    for role in Role:
        group, _ = Group.objects.get_or_create(name=role.value)
        group.permissions.set(role_permissions(role))


def user_role(user):
    """The user's role, or None (a superuser has none: they may do everything)."""
    names = set(user.groups.values_list("name", flat=True))
    return next((role for role in Role if role.value in names), None)
