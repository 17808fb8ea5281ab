"""What several test modules share: records made once for a module, admin addresses, and the
text of a PDF."""

import contextlib
import io

import pypdf
from django.db import transaction
from django.test import override_settings
from django.urls import reverse


@contextlib.contextmanager
def module_records(django_db_blocker, make):
    """What `make()` returns, made once for a module in a transaction rolled back at its end
    (each test runs in a savepoint of it, so no test sees another's writes). Made with the
    fast password hasher: the function-scoped fixture that sets it does not apply yet."""
    fast_hasher = override_settings(
        PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]
    )
    with django_db_blocker.unblock(), transaction.atomic():
        with fast_hasher:
            records = make()
        yield records
        transaction.set_rollback(True)


def admin_url(label, view, *args):
    """The address of an admin view of the model `label` ("teams.member")."""
    return reverse(f"admin:{label.replace('.', '_')}_{view}", args=args)


def pdf_pages(response):
    """The text of each page of a PDF response, its line breaks and runs of spaces made
    single spaces."""
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    reader = pypdf.PdfReader(io.BytesIO(response.content))
    return [" ".join(page.extract_text().split()) for page in reader.pages]
