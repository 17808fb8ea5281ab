"""Vietnamese is the language of everything a user sees; English only when chosen."""

import ast
import datetime
import html
import json
import re
from pathlib import Path

import django
import pytest
from django.apps import apps
from django.conf import settings
from django.utils import translation
from simple_history.models import HistoricalChanges

from core.work_fields import WorkField


def test_admin_login_anonymous_english_browser_gets_vietnamese(client):
    response = client.get("/admin/login/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")

    assert response.status_code == 200
    assert '<html lang="vi"' in response.content.decode()
    assert "Tên đăng nhập" in response.content.decode()
    assert response["Content-Language"] == "vi"


def test_admin_login_anonymous_who_chose_english_gets_english(client):
    client.post("/i18n/setlang/", {"language": "en", "next": "/admin/login/"})

    response = client.get("/admin/login/")

    assert client.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    assert '<html lang="en"' in response.content.decode()
    assert "Username" in response.content.decode()


@pytest.mark.django_db
def test_every_page_offers_the_other_language_in_its_footer_and_it_sticks(client):
    page = client.get("/accounts/login/?next=/")
    footer = page.content.decode().split('<footer class="site-footer">')[1]

    chosen = client.post("/i18n/setlang/", {"language": "en", "next": "/accounts/login/?next=/"})
    english = client.get(chosen.url).content.decode()

    assert re.findall(r'value="(\w+)" lang="\w+"[^>]*>([^<]+)</button>', footer) == [
        ("vi", "Tiếng Việt"),
        ("en", "English"),
    ]
    assert (
        'value="vi" lang="vi" aria-describedby="language-label" aria-current="true" disabled'
        in footer
    )
    assert chosen.url == "/accounts/login/?next=/"
    assert '<html lang="en"' in english and "Language:" in english


def test_admin_login_unknown_language_cookie_falls_back_to_vietnamese(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "xx"

    response = client.get("/admin/login/")

    assert '<html lang="vi"' in response.content.decode()


PROJECT_APPS = (
    "core",
    "wards",
    "people",
    "teams",
    "meetings",
    "registry",
    "workreports",
    "reminders",
    "reports",
    "awards",
)
ROOT = Path(__file__).resolve().parents[1]
# Derived rows no page, form or admin shows: the dashboards' tallies, the documents' number
# sequences.
INTERNAL_MODELS = {
    "reports.WardMonth",
    "reports.DistrictMonth",
    "reports.WardMembers",
    "reports.DistrictMembers",
    "registry.DocumentSequence",
}
# Words that are the same in both languages.
SAME_IN_BOTH = {"SHA-256"}


def test_translations_are_marked_only_with_names_makemessages_reads():
    """`from django.utils.translation import gettext_lazy as _lazy` hides every string
    marked `_lazy(…)` from makemessages: it stays English. Only `_` may rename."""
    renamed = []
    for path in ROOT.glob("*/**/*.py"):
        if ".venv" in path.parts:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module == "django.utils.translation":
                renamed += [
                    f"{path.relative_to(ROOT)}: {name.name} as {name.asname}"
                    for name in node.names
                    if name.asname not in (None, "_")
                ]

    assert renamed == []


def project_strings():
    """Every model name, field name, choice label and constraint message of the project."""
    for app in PROJECT_APPS:
        for model in apps.get_app_config(app).get_models():
            if model._meta.label == "wards.User" or issubclass(model, HistoricalChanges):
                continue  # names and fields that Django or django-simple-history give
            if model._meta.label in INTERNAL_MODELS:
                continue
            yield model._meta.label, model._meta.verbose_name
            yield model._meta.label, model._meta.verbose_name_plural
            for field in model._meta.get_fields(include_hidden=False):
                if field.auto_created:
                    continue
                yield f"{model._meta.label}.{field.name}", field.verbose_name
                for _value, label in field.flatchoices or []:
                    yield f"{model._meta.label}.{field.name}", label
            for constraint in model._meta.constraints:
                yield constraint.name, constraint.violation_error_message
    for label in WorkField.labels:
        yield "WorkField", label


@pytest.mark.parametrize(("where", "text"), list(project_strings()))
def test_every_project_string_has_a_vietnamese_translation(where, text):
    with translation.override("en"):
        english = str(text)
    with translation.override("vi"):
        vietnamese = str(text)

    assert vietnamese != english or english in SAME_IN_BOTH, (
        f"{where}: “{english}” has no Vietnamese translation"
    )


# Django's own Vietnamese catalogues lack many msgids of Django 5.2; the project supplies
# them (locale/vi/third_party.po, merged into django.po, and locale/vi/LC_MESSAGES/djangojs.po).

DJANGO_DIR = Path(django.__file__).parent

# Admin msgids whose Vietnamese is rightly the English text (keep this short).
SAME_IN_VIETNAMESE = {
    # Only placeholders: "<model name> <object>" in the deletion page's error message.
    "%(class_name)s %(instance)s",
    # LogEntry.__str__ for an unknown action flag, which the admin never writes; Django's
    # Vietnamese catalogue leaves it in English.
    "LogEntry Object",
}


def po_entries(path):
    """(msgctxt, msgid, msgid_plural) of every entry of a .po file, but the header."""
    entry, field = {}, None
    for line in [*path.read_text(encoding="utf-8").splitlines(), ""]:
        if line.startswith('"') and field:
            entry[field] += ast.literal_eval(line)
        elif line.startswith(("msgctxt ", "msgid ", "msgid_plural ")):
            field, _, value = line.partition(" ")
            entry[field] = ast.literal_eval(value)
        elif line.startswith("msgstr"):
            field = None
        elif not line.strip():
            if entry.get("msgid"):
                yield entry.get("msgctxt"), entry["msgid"], entry.get("msgid_plural")
            entry, field = {}, None


ADMIN_MSGIDS = list(
    po_entries(DJANGO_DIR / "contrib" / "admin" / "locale" / "en" / "LC_MESSAGES" / "django.po")
)


def test_the_admin_catalogue_is_read():
    assert len(ADMIN_MSGIDS) > 150
    assert (None, "Show counts", None) in ADMIN_MSGIDS
    assert (None, "entry", "entries") in ADMIN_MSGIDS


@pytest.mark.parametrize(("context", "msgid", "plural"), ADMIN_MSGIDS)
def test_every_admin_string_has_a_vietnamese_translation(context, msgid, plural):
    with translation.override("vi"):
        if plural and context:
            vietnamese = translation.npgettext(context, msgid, plural, 1)
        elif plural:
            vietnamese = translation.ngettext(msgid, plural, 1)
        elif context:
            vietnamese = translation.pgettext(context, msgid)
        else:
            vietnamese = translation.gettext(msgid)

    if msgid in SAME_IN_VIETNAMESE:
        assert vietnamese == msgid
    else:
        assert vietnamese != msgid, f"“{msgid}” has no Vietnamese translation"


def admin_javascript_catalogue(client):
    response = client.get("/admin/jsi18n/")
    assert response.status_code == 200
    match = re.search(r"const newcatalog = (\{.*?\});\n", response.content.decode(), re.DOTALL)
    assert match, "no catalogue in /admin/jsi18n/"
    return json.loads(match.group(1))


def test_admin_javascript_catalogue_is_in_vietnamese_superuser(admin_client):
    catalogue = admin_javascript_catalogue(admin_client)

    assert catalogue["Sunday"] == "Chủ nhật"
    assert catalogue["Saturday"] == "Thứ bảy"
    assert catalogue["abbrev. day Sunday\x04Sun"] == "CN"
    assert catalogue["Choose all %s"] == "Chọn tất cả %s"
    assert catalogue["January"] == "Tháng Một"  # Django's own Vietnamese, still there
    assert "Sunday" not in catalogue.values()


def test_admin_changelist_shows_django_strings_in_vietnamese_superuser(admin_client):
    response = admin_client.get("/admin/wards/ward/")

    assert response.status_code == 200
    content = response.content.decode()
    assert "Chuyển đến nội dung chính" in content  # Skip to main content
    assert "Đường dẫn điều hướng" in content  # Breadcrumbs
    assert "Show counts" not in content and "Hiện số lượng" not in content  # no facets
    # The filters' headings, in the project's words (“Theo phường”), not Django's “Bởi”.
    headings = re.findall(r"<summary>\s*(.*?)\s*</summary>", content)
    assert headings and all(h.startswith("Theo ") for h in headings), headings
    assert "Skip to main content" not in content
    # The action menu is not named with the word of the Activities model.
    assert '<label>Thao tác: <select name="action"' in " ".join(content.split())


@pytest.mark.django_db
def test_admin_index_is_named_in_plain_vietnamese_superuser(admin_client):
    content = admin_client.get("/admin/").content.decode()

    assert "<title>Quản trị hệ thống | Dân vận</title>" in content
    assert "Site quản trị" not in content


@pytest.mark.django_db
def test_admin_history_shows_changes_in_the_forms_words_superuser(admin_client):
    from django.utils.html import strip_tags

    from tests.factories import CitizenFeedbackFactory

    feedback = CitizenFeedbackFactory(status="new", resolved_on=None)
    feedback.status, feedback.resolved_on = "resolved", datetime.date(2025, 9, 5)
    feedback.save()

    page = admin_client.get(f"/admin/teams/citizenfeedback/{feedback.pk}/history/")

    text = " ".join(html.unescape(strip_tags(page.content.decode())).replace("\xa0", " ").split())
    assert "Trạng thái: Mới → Đã giải quyết" in text
    assert "Ngày giải quyết: – → 05/09/2025" in text
    assert "None" not in text
