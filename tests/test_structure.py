"""The packages import each other as a tree (STYLE.md 13–14), and the importers are kept in
one registry that every caller reads."""

import ast
from pathlib import Path

import pytest
from django.contrib import admin
from django.core.exceptions import ImproperlyConfigured
from django.core.management import get_commands

from core.admin_imports import JobImportExportAdmin
from core.imports import importers, register

ROOT = Path(__file__).resolve().parent.parent

# What each package may import of the project's packages.
MAY_IMPORT = {
    "core": set(),
    "wards": {"core"},
    "people": {"core", "wards"},
    "teams": {"core", "wards", "people"},
    "meetings": {"core", "wards", "people", "registry"},
    "registry": {"core", "wards"},
    "workreports": {"core", "wards", "teams", "meetings", "registry"},
    "reminders": {"core", "wards", "meetings", "workreports"},
    "reports": {"core", "wards", "teams", "meetings", "registry", "workreports", "reminders"},
    "awards": {"core", "wards", "people", "teams", "reports"},
    "demo": {
        "core",
        "wards",
        "teams",
        "meetings",
        "registry",
        "workreports",
        "reminders",
        "reports",
        "awards",
        "people",
    },
    "danvan": {"core", "wards", "reports"},
}


def project_imports(package):
    """{(module path, imported package)} of the project's packages `package` imports."""
    found = set()
    for path in (ROOT / package).rglob("*.py"):
        if "migrations" in path.parts:
            continue
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names = [node.module]
            elif isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            else:
                continue
            for name in names:
                top = name.split(".")[0]
                if top in MAY_IMPORT and top != package:
                    found.add((str(path.relative_to(ROOT)), top))
    return found


@pytest.mark.parametrize("package", list(MAY_IMPORT))
def test_package_imports_only_those_below_it(package):
    beyond = {
        (path, top) for path, top in project_imports(package) if top not in MAY_IMPORT[package]
    }

    assert beyond == set()


def test_wards_holds_units_users_scope_roles_and_the_security_log():
    modules = sorted(path.name for path in (ROOT / "wards").glob("*.py"))

    assert modules == [
        "__init__.py",
        "admin.py",  # the units' and accounts' admin
        "admin_base.py",  # the scope applied in the admin
        "admin_filters.py",  # the admin's filters by a unit the user sees
        "apps.py",
        "demo.py",  # the demo units and accounts
        "forms.py",  # the scope applied in forms
        "imports.py",  # the units' importers
        "models.py",
        "pages.py",  # the ward of a page, in scope
        "reorganisations.py",  # units that end and begin
        "resources.py",  # the units' file formats
        "roles.py",
        "scope.py",
        "security.py",
        "views.py",  # the 403 page, logged
    ]


def test_registry_names_each_importer_once_with_its_model():
    registered = {
        name: found.resource_class._meta.model._meta.label for name, found in importers().items()
    }

    assert registered == {
        "ward": "wards.Ward",
        "group": "wards.ResidentialGroup",
        "person": "people.Person",
        "position": "people.Position",
        "team": "teams.Team",
        "member": "teams.Member",
        "activity": "teams.Activity",
        "feedback": "teams.CitizenFeedback",
        "exemplary": "teams.ExemplaryModel",
        "prestigious": "teams.PrestigiousPerson",
        "training": "teams.Training",
        "progress": "meetings.ProgressReport",
    }


def test_every_importing_admin_and_the_command_read_the_registry():
    admins = {
        model._meta.label: model_admin.importer_class.name
        for model, model_admin in admin.site._registry.items()
        if isinstance(model_admin, JobImportExportAdmin)
    }
    command = get_commands()["import_data"]

    assert admins == {
        "wards.Ward": "ward",
        "wards.ResidentialGroup": "group",
        "people.Person": "person",
        "people.Position": "position",
        "teams.Team": "team",
        "teams.Member": "member",
        "teams.Activity": "activity",
        "teams.CitizenFeedback": "feedback",
        "teams.ExemplaryModel": "exemplary",
        "teams.PrestigiousPerson": "prestigious",
        "teams.Training": "training",
        "meetings.ProgressReport": "progress",
    }
    assert command == "core"


def test_a_second_importer_of_a_name_or_a_model_is_refused():
    member = importers()["member"]

    with pytest.raises(ImproperlyConfigured):
        register("member")(type("Other", (member,), {}))
    with pytest.raises(ImproperlyConfigured):
        register("member-again")(type("Other", (member,), {}))
    assert importers()["member"] is member and "member-again" not in importers()
