"""Personal data — a person's phone and identity number — shown and exported only to those
who manage the person's ward (not to viewers, nor to a ward that only reads a predecessor's
records), and every sight or export of it logged in the security log."""

from wards.models import SecurityEvent
from wards.security import log_security_event

CHANGE = "people.change_person"


def may_see_personal(request, *, manages):
    """Whether the request's user sees the personal data of a record they see: they manage
    its ward (`wards.pages.manages`) and may change its people."""
    return manages and request.user.has_perm(CHANGE)


def may_export_personal(user):
    """Whether `user`'s exports (of the wards they see) carry personal data: a role that
    changes people (not a viewer)."""
    return user.has_perm(CHANGE)


def log_personal_data(request, detail):
    """A sight or an export of personal data, in the security log: who, when, what."""
    log_security_event(SecurityEvent.Kind.PERSONAL_DATA, request=request, detail=detail)
