"""Vietnamese is the language of everything a user sees; English only when chosen."""

import pytest
from django.apps import apps
from django.conf import settings
from django.utils import translation

from wards.work_fields import WorkField


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


def test_admin_login_unknown_language_cookie_falls_back_to_vietnamese(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "xx"

    response = client.get("/admin/login/")

    assert '<html lang="vi"' in response.content.decode()


def project_strings():
    """Every model name, field name, choice label and constraint message of the project."""
    for app in ("wards", "teams", "meetings"):
        for model in apps.get_app_config(app).get_models():
            if model._meta.label == "wards.User":
                continue  # its names and fields are Django's own
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

    assert vietnamese != english, f"{where}: “{english}” has no Vietnamese translation"
