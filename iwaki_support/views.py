"""Site-wide pages."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from activities.models import FigureCategory, KeyFigure


@login_required
def home(request):
    figures = KeyFigure.objects.filter(category=FigureCategory.PROFILE)
    return render(request, "home.html", {"figures": figures})


def csrf_failure(request, reason=""):
    """A rejected form in Japanese, with the site's frame; the reason stays out of the page."""
    return render(request, "403_csrf.html", status=403)
