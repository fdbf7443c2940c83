"""Site-wide error views that Django's settings point at."""

from django.shortcuts import render


def csrf_failure(request, reason=""):
    """A rejected form in Japanese, with the site's frame; the reason stays out of the page."""
    return render(request, "403_csrf.html", status=403)
