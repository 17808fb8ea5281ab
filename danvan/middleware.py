import time

from django.conf import settings
from django.core.exceptions import BadRequest
from django.utils import translation
from django.utils.cache import add_never_cache_headers


class LanguageMiddleware:
    """Vietnamese unless the user chose another language (the language cookie).

    Unlike Django's LocaleMiddleware it ignores the browser's Accept-Language: many offices
    run browsers set to English, and their staff must still get the Vietnamese interface.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        language = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        if language not in dict(settings.LANGUAGES):
            language = settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        return response


# The longest value a query string or a form's text field may carry where it is not a file:
# longer values are nobody's typing, and a search or a filter on them costs the database
# seconds (a search of 100,000 characters took 10 s on PostgreSQL).
MAX_PARAMETER_LENGTH = 1_000
MAX_QUERY_STRING = 4_096
# A form's text may be long (a seminar's introductory report), but not endless.
MAX_POSTED_TEXT = 200_000


class BoundedRequestMiddleware:
    """Refuse with a 400 what no browser of a user sends: a NUL character anywhere in the
    address, the query string or a posted field (PostgreSQL refuses NUL in text, and the
    query would fail deep in a page), or query values longer than anyone types."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        refusal = self.refusal(request)
        if refusal:
            raise BadRequest(refusal)
        return self.get_response(request)

    def refusal(self, request):
        """Why the request is refused (for the log), or None."""
        if "\x00" in request.path:
            return "NUL in the path"
        if len(request.META.get("QUERY_STRING", "")) > MAX_QUERY_STRING:
            return "query string too long"
        if not _bounded(request.GET, MAX_PARAMETER_LENGTH):
            return "query value with NUL or too long"
        if request.method == "POST" and not _bounded(request.POST, MAX_POSTED_TEXT):
            return "posted value with NUL or too long"
        return None


def _bounded(query, limit):
    return all(
        "\x00" not in value and len(value) <= limit
        for _name, values in query.lists()
        for value in values
    )


class PrivatePagesMiddleware:
    """Nothing a signed-in user is shown is kept by a browser's or a proxy's cache: pages,
    spreadsheets and PDFs carry `Cache-Control: no-store` (a shared office computer would
    otherwise keep them for the next person)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            add_never_cache_headers(response)
        return response


# The session's end is moved on each request, but written at most this often (or a tenth of
# the idle time, if shorter): a session ends between SESSION_IDLE_MINUTES less a minute and
# SESSION_IDLE_MINUTES after its last request.
SESSION_WRITTEN_EVERY = 60  # seconds
WRITTEN_AT = "_written_at"


class IdleSessionMiddleware:
    """A signed-in user's session ends after SESSION_IDLE_MINUTES without a request: each
    request moves its end, writing the session when it was last written a minute or more
    ago. (Written on every request, it cost every page three queries and a commit.)"""

    def __init__(self, get_response):
        self.get_response = get_response
        self.every = min(SESSION_WRITTEN_EVERY, settings.SESSION_COOKIE_AGE // 10)

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            now = int(time.time())
            if now - request.session.get(WRITTEN_AT, 0) >= self.every:
                # Saved, with its new end, by Django's SessionMiddleware.
                request.session[WRITTEN_AT] = now
        return response
