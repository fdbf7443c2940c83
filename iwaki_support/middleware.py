"""Site-wide request and response policies that no single view should have to remember."""

import time

from django.utils.cache import add_never_cache_headers, get_max_age


class NoStoreMiddleware:
    """Nothing a signed-in user sees, and no downloaded file, is kept by a browser or proxy cache.

    Every page behind the login shows programme records, some of them personal data; a shared
    office PC's back button or disk cache must not bring them back after logout.

    A response a view marked ``Cache-Control: public`` (``core.http.public_page``: the public
    directory, the same for everyone) is left alone, and the user is not looked up for it, so
    that the session is not read and no ``Vary: Cookie`` is added.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if _is_public(response):
            return response
        user = getattr(request, "user", None)
        signed_in = user is not None and user.is_authenticated
        attachment = response.get("Content-Disposition", "").lower().startswith("attachment")
        if signed_in or attachment:
            add_never_cache_headers(response)
        return response


def _is_public(response) -> bool:
    directives = {
        d.strip().split("=")[0].lower() for d in response.get("Cache-Control", "").split(",")
    }
    return "public" in directives and get_max_age(response) is not None


class SessionIdleRefreshMiddleware:
    """Restarts a session's idle timeout (SESSION_COOKIE_AGE, 8 hours) at most once a minute.

    ``SESSION_SAVE_EVERY_REQUEST`` would do it on every request, at the price of an UPDATE of
    the session row (and its transaction) on every page view. A minute's precision on an
    8-hour timeout is enough; the row is then written once a minute per active user.
    Place it right after SessionMiddleware.
    """

    KEY = "_idle_refreshed_at"
    EVERY_SECONDS = 60

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        session = getattr(request, "session", None)
        if session is not None and not session.is_empty():
            now = int(time.time())
            if now - session.get(self.KEY, 0) >= self.EVERY_SECONDS:
                session[self.KEY] = now  # modified: SessionMiddleware saves it, expiry renewed
        return self.get_response(request)
