"""The roles grant exactly the table of `tests/grants.py`, and changing any one grant in
`wards/roles.py` fails this module: every permission of the project's models, for every role,
is given or taken away in turn, and the role's grants must then differ from the table."""

import copy

import pytest
from django.apps import apps
from django.contrib.auth.models import Group

from tests.grants import GRANTS, ROLES, granted
from wards import roles
from wards.roles import Role, role_permissions, sync_role_groups

pytestmark = pytest.mark.django_db


def grants_of(role):
    """{(model label, action)} the role's group holds in the database."""
    group = Group.objects.get(name=role.value)
    return {
        (f"{p.content_type.app_label}.{p.content_type.model}", p.codename.split("_", 1)[0])
        for p in group.permissions.select_related("content_type")
    }


@pytest.mark.parametrize("role", ROLES, ids=[role.name for role in ROLES])
def test_role_group_holds_exactly_the_grant_table(role):
    assert grants_of(role) == granted(role)


def test_grant_table_names_every_model_of_the_project():
    project = {
        model._meta.label_lower
        for app_label in (
            "core",
            "wards",
            "teams",
            "meetings",
            "registry",
            "workreports",
            "reminders",
            "awards",
            "people",
        )
        for model in apps.get_app_config(app_label).get_models()
        if not model.__name__.startswith("Historical")
    }

    assert set(GRANTS) == project


def every_permission():
    """(model label, action) of every permission the table's models have."""
    for label in GRANTS:
        opts = apps.get_model(label)._meta
        actions = list(opts.default_permissions)
        actions += [codename.split("_", 1)[0] for codename, _name in opts.permissions]
        for action in actions:
            yield label, action


def flipped(role, label, action):
    """`roles.ROLE_PERMISSIONS` with `action` on `label` given to `role`, or taken away."""
    rules = copy.deepcopy(roles.ROLE_PERMISSIONS)
    if (label, action) not in granted(role):
        rules[role].append(([label], [action]))
        return rules
    kept = []
    for labels, actions in rules[role]:
        if label in labels and action in actions:
            others = [other for other in labels if other != label]
            kept += [(others, actions)] if others else []
            kept.append(([label], [other for other in actions if other != action]))
        else:
            kept.append((labels, actions))
    rules[role] = kept
    return rules


FLIPS = [(role, label, action) for role in ROLES for label, action in every_permission()]


@pytest.mark.parametrize(
    ("role", "label", "action"),
    FLIPS,
    ids=[f"{role.name}-{label}-{action}" for role, label, action in FLIPS],
)
def test_changing_one_grant_in_roles_fails_the_table(monkeypatch, role, label, action):
    monkeypatch.setattr(roles, "ROLE_PERMISSIONS", flipped(role, label, action))

    sync_role_groups()

    assert grants_of(role) != granted(role)
    assert (label, action) in grants_of(role) ^ granted(role)


def test_role_permissions_mistyped_model_is_refused(monkeypatch):
    rules = copy.deepcopy(roles.ROLE_PERMISSIONS)
    rules[Role.VIEWER].append((["teams.teem"], ["view"]))
    monkeypatch.setattr(roles, "ROLE_PERMISSIONS", rules)

    with pytest.raises(LookupError):
        role_permissions(Role.VIEWER)


def test_role_permissions_mistyped_action_is_refused(monkeypatch):
    rules = copy.deepcopy(roles.ROLE_PERMISSIONS)
    rules[Role.VIEWER].append((["teams.team"], ["exprot"]))
    monkeypatch.setattr(roles, "ROLE_PERMISSIONS", rules)

    with pytest.raises(
        ValueError, match=r"VIEWER: teams.team has no permission \['exprot_team'\]"
    ):
        role_permissions(Role.VIEWER)
