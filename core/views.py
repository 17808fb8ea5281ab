"""The error pages no app owns."""

from django.shortcuts import render
from django.views.decorators.csrf import requires_csrf_token


@requires_csrf_token
def bad_request(request, exception=None):
    """The 400 page: a request no browser of a user sends (see
    `danvan.middleware.BoundedRequestMiddleware`)."""
    return render(request, "400.html", status=400)
