"""The ward a page is about."""

from django.shortcuts import get_object_or_404

from .models import Ward


def ward_for(request, code):
    """The ward of the page, if the user may see it; 404 otherwise."""
    return get_object_or_404(Ward.objects.visible_to(request.user), code=code)
