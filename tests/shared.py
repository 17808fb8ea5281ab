"""What several test modules share: records made once for a module, and admin addresses."""

import contextlib

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
