"""What every page tells its scripts about the signed-in user, without naming them.

``draft_owner`` keys the unsaved drafts static/js/form-draft.js keeps in the browser: an
opaque per-user value (an HMAC of the user's id under SECRET_KEY), never the username. A page
of another user deletes the drafts of every other owner, logout deletes them all, and a draft
not saved again within ``draft_max_age`` (the session's idle timeout) is dropped
(docs/decisions/0020-drafts-belong-to-their-user.md).
"""

from django.conf import settings
from django.utils.crypto import salted_hmac


def draft_owner(user) -> str:
    return salted_hmac("accounts.drafts.owner", str(user.pk)).hexdigest()[:32]


def drafts(request):
    """Lazy, so a page that never asks (the public directory) never touches the session."""

    def owner() -> str:
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return ""
        return draft_owner(user)

    # A callable in a template context is called when the template reads it.
    return {"draft_owner": owner, "draft_max_age": settings.SESSION_COOKIE_AGE}
