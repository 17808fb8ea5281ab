"""The ward a page is about, and the check that a page may write what it shows."""

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404

from .models import Ward


def ward_for(request, code):
    """The ward of the page, if the user may see it; 404 otherwise."""
    return get_object_or_404(Ward.objects.visible_to(request.user), code=code)


def manages(request, record):
    """Whether the user may change `record`, which they see: not a predecessor's record,
    which a successor ward reads, nor one of a ward that a reorganisation ended."""
    return type(record)._default_manager.managed_by(request.user).filter(pk=record.pk).exists()


def require_managed(request, record):
    """403 when the user sees `record` but may not change it (see `manages`)."""
    if not manages(request, record):
        raise PermissionDenied(f"{record._meta.label} {record.pk} is not the user's to change")
