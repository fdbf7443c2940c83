"""Site-wide response policies that no single view should have to remember."""

from django.utils.cache import add_never_cache_headers


class NoStoreMiddleware:
    """Nothing a signed-in user sees, and no downloaded file, is kept by a browser or proxy cache.

    Every page behind the login shows programme records, some of them personal data; a shared
    office PC's back button or disk cache must not bring them back after logout.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        signed_in = user is not None and user.is_authenticated
        attachment = response.get("Content-Disposition", "").lower().startswith("attachment")
        if signed_in or attachment:
            add_never_cache_headers(response)
        return response
