"""The security log: who signed in, failed, was locked out or refused, imported, exported."""

from django.contrib.auth import signals as auth_signals
from django.contrib.auth.models import update_last_login

from core.signals import data_exported, import_finished

from .models import SecurityEvent, User

USERNAME_LENGTH = User._meta.get_field("username").max_length


def log_security_event(kind, *, request=None, user=None, username="", detail=""):
    """Append one event; the user and address come from the request when there is one."""
    if user is None and request is not None and getattr(request, "user", None) is not None:
        user = request.user if request.user.is_authenticated else None
    return SecurityEvent.objects.create(
        kind=kind,
        user=user,
        username=username or (user.get_username() if user else ""),
        ip_address=client_ip(request),
        path=request.get_full_path()[:500] if request is not None else "",
        detail=detail,
    )


def client_ip(request):
    if request is None:
        return None
    # django-axes has already read the address the way the settings say (proxy headers).
    return getattr(request, "axes_ip_address", None) or request.META.get("REMOTE_ADDR")


def on_login(sender, request, user, **kwargs):
    log_security_event(SecurityEvent.Kind.LOGIN, request=request, user=user)


def on_logout(sender, request, user, **kwargs):
    if user is not None:
        log_security_event(SecurityEvent.Kind.LOGOUT, request=request, user=user)


def attempted_username(request, credentials=None):
    """The user name a sign-in attempt gives, as django-axes counts and records it
    (AXES_USERNAME_CALLABLE): at most as long as a user name can be. Django's sign-in form
    does not check the length, and axes' column of 255 characters refused a longer one on
    PostgreSQL (a 500 for anyone)."""
    if credentials:
        username = credentials.get("username")
    else:
        username = getattr(request, "data", request.POST).get("username")
    return None if username is None else str(username)[:USERNAME_LENGTH]


def on_login_failed(sender, credentials, request=None, **kwargs):
    log_security_event(
        SecurityEvent.Kind.LOGIN_FAILED,
        request=request,
        username=attempted_username(request, credentials) or "",
    )


def on_lockout(sender, request, username, ip_address, **kwargs):
    log_security_event(
        SecurityEvent.Kind.LOCKOUT, request=request, username=str(username or "")[:USERNAME_LENGTH]
    )


def on_export(sender, request, detail, **kwargs):
    log_security_event(SecurityEvent.Kind.EXPORT, request=request, detail=detail)


def on_import(sender, user, detail, **kwargs):
    log_security_event(SecurityEvent.Kind.IMPORT, user=user, detail=detail)


def update_last_login_without_history(sender, user, **kwargs):
    """Django's own receiver, minus a history row for every sign-in (the log has them)."""
    user.skip_history_when_saving = True
    try:
        update_last_login(sender, user, **kwargs)
    finally:
        del user.skip_history_when_saving


def connect_signals():
    from axes.signals import user_locked_out

    auth_signals.user_logged_in.disconnect(update_last_login, dispatch_uid="update_last_login")
    auth_signals.user_logged_in.connect(
        update_last_login_without_history, dispatch_uid="security.update_last_login"
    )
    auth_signals.user_logged_in.connect(on_login, dispatch_uid="security.login")
    auth_signals.user_logged_out.connect(on_logout, dispatch_uid="security.logout")
    auth_signals.user_login_failed.connect(on_login_failed, dispatch_uid="security.failed")
    user_locked_out.connect(on_lockout, dispatch_uid="security.lockout")
    data_exported.connect(on_export, dispatch_uid="security.export")
    import_finished.connect(on_import, dispatch_uid="security.import")
