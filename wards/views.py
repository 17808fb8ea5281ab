from django.shortcuts import render
from django.views.decorators.csrf import requires_csrf_token

from .models import SecurityEvent
from .security import log_security_event


@requires_csrf_token
def permission_denied(request, exception=None):
    """The 403 page; every refusal goes to the security log."""
    log_security_event(
        SecurityEvent.Kind.PERMISSION_DENIED,
        request=request,
        detail=f"{request.method} {str(exception or '')[:200]}".strip(),
    )
    return render(request, "403.html", status=403)
