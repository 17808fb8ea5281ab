"""The ward a page is about, and the check that a page may write what it shows."""

from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef
from django.shortcuts import get_object_or_404

from .models import Ward


def seen_or_404(request, queryset, **lookups):
    """The record of a page among those of `queryset` the user may see (404 otherwise), and
    whether they may change it (`manages`), read in the same query."""
    user = request.user
    managed = queryset.model._default_manager.managed_by(user).filter(pk=OuterRef("pk"))
    seen = queryset.visible_to(user).annotate(user_manages=Exists(managed))
    return get_object_or_404(seen, **lookups)


def ward_for(request, code):
    """The ward of the page, if the user may see it; 404 otherwise."""
    return seen_or_404(request, Ward.objects.all(), code=code)


def manages(request, record):
    """Whether the user may change `record`, which they see: not a predecessor's record,
    which a successor ward reads, nor one of a ward that a reorganisation ended."""
    known = getattr(record, "user_manages", None)  # read with the record (`ward_for`)
    if known is not None:
        return known
    return type(record)._default_manager.managed_by(request.user).filter(pk=record.pk).exists()


def require_managed(request, record):
    """403 when the user sees `record` but may not change it (see `manages`)."""
    if not manages(request, record):
        raise PermissionDenied(f"{record._meta.label} {record.pk} is not the user's to change")
