"""The public directory (地域の支え合い情報): no sign-in, for residents, families and care
managers, on a phone or on paper.

Every view here is ``core.http.public_page``: the same answer for everyone, cacheable for a
few minutes, and it reads neither the session nor the user nor a CSRF token, so no cookie is
set (docs/decisions/0017-public-pages-cached-briefly.md). Only published entries appear, and
only what an entry holds: no supporter, no opinion (docs/security.md, "The public directory").
Each page costs a fixed number of queries whatever the number of entries.
"""

import unicodedata

from django import forms
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_safe

from core.exports import content_disposition, export_filename
from core.forms import select_options_limit
from core.http import public_page
from councils.models import Area
from directory import opendata
from directory.models import Entry, EntryKind, area_offices
from needs_survey.models import HelpCategory

PER_PAGE = 20
QUERY_MAX_LENGTH = 100


def _area_choices(request):
    """The areas to offer as buttons: all of them while they fit (Iwaki's 13); beyond
    SELECT_OPTIONS_LIMIT, those whose name contains ``?area_q=`` (nobody scans 1,300 buttons;
    docs/decisions/0009-searches-instead-of-long-selects.md). Returns (areas, searchable, text)."""
    limit = select_options_limit()
    areas = list(Area.objects.order_by("position")[: limit + 1])
    if len(areas) <= limit:
        return areas, False, ""
    text = _words(request.GET.get("area_q", ""))[:QUERY_MAX_LENGTH]
    if not text:
        return [], True, ""
    found = Area.objects.filter(name__icontains=text).order_by("position")[:limit]
    return list(found), True, text


def _words(text):
    return " ".join(unicodedata.normalize("NFKC", str(text)).replace("\x00", "").split())


def _with_contacts(entries, *also_areas):
    """Each entry with ``how_to_ask`` (its Contact), and the offices of ``also_areas``: two
    queries for any number of them. Returns (entries, {area id: Contact})."""
    entries = list(entries)
    offices = area_offices({entry.area_id for entry in entries} | {a.pk for a in also_areas})
    for entry in entries:
        entry.how_to_ask = entry.contact(offices)
    return entries, offices


@public_page
@require_safe
def home(request):
    """Start: 「手伝ってほしいこと」 (the 13 categories) or the area."""
    areas, searchable, text = _area_choices(request)
    context = {
        "categories": HelpCategory.objects.order_by("number"),
        "areas": areas,
        "area_search": searchable,
        "area_q": text,
        "kinds": EntryKind.choices,
    }
    return render(request, "directory/public_home.html", context)


@public_page
@require_safe
def category(request, number):
    """A kind of help: choose your area, each with how many entries offer it there."""
    category = get_object_or_404(HelpCategory, number=number)
    areas, searchable, text = _area_choices(request)
    counts = (
        dict(
            Entry.objects.listed()
            .offering(category)
            .filter(service_areas__in=areas)
            .order_by()
            .values("service_areas")
            .annotate(n=Count("pk"))
            .values_list("service_areas", "n")
        )
        if areas
        else {}
    )
    context = {
        "category": category,
        "areas": areas,
        "area_search": searchable,
        "area_q": text,
        "counts": counts,
    }
    return render(request, "directory/public_category.html", context)


@public_page
@require_safe
def area(request, pk):
    """An area: choose the help you need; every entry serving the area, active ones first."""
    area = get_object_or_404(Area.objects.select_related("district"), pk=pk)
    listed = Entry.objects.listed().serving(area)
    counts = dict(
        listed.order_by()
        .values("help_categories")
        .annotate(n=Count("pk"))
        .values_list("help_categories", "n")
    )
    categories = [
        (category, counts.get(category.pk, 0))
        for category in HelpCategory.objects.order_by("number")
    ]
    page = Paginator(listed.active_first().for_lists(), PER_PAGE).get_page(request.GET.get("page"))
    entries, offices = _with_contacts(page.object_list, area)
    context = {
        "area": area,
        "categories": categories,
        "page": page,
        "entries": entries,
        "office": offices[area.pk],
    }
    return render(request, "directory/public_area.html", context)


class SearchForm(forms.Form):
    """What a search may ask, read from the query string; anything else is ignored."""

    area = forms.ModelChoiceField(queryset=Area.objects.all(), required=False)
    category = forms.IntegerField(required=False, min_value=1, max_value=999)
    kind = forms.ChoiceField(choices=[("", ""), *EntryKind.choices], required=False)
    q = forms.CharField(required=False, max_length=QUERY_MAX_LENGTH)

    def clean_q(self):
        return _words(self.cleaned_data["q"])


def _search(form, area, category):
    entries = Entry.objects.listed()
    if area is not None:
        entries = entries.serving(area)
    if category is not None:
        entries = entries.offering(category)
    if form.cleaned_data.get("kind"):
        entries = entries.filter(kind=form.cleaned_data["kind"])
    for word in form.cleaned_data.get("q", "").split()[:5]:
        entries = entries.filter(
            Q(name__icontains=word)
            | Q(name_kana__icontains=word)
            | Q(provider__icontains=word)
            | Q(services__icontains=word)
            | Q(description__icontains=word)
        )
    return entries.active_first().for_lists()


@public_page
@require_safe
def search(request):
    """Entries serving an area and offering a kind of help (and/or a kind, a word), active
    ones first, each with its schedule and how to ask. None: say so, and invite supporters."""
    form = SearchForm(request.GET)
    if not form.is_valid():
        return render(
            request,
            "directory/public_search.html",
            {"invalid": True, "categories": HelpCategory.objects.order_by("number")},
            status=400,
        )
    area = form.cleaned_data.get("area")
    number = form.cleaned_data.get("category")
    category = HelpCategory.objects.filter(number=number).first() if number else None
    if number and category is None:
        raise Http404("no such help category")
    kind, words = form.cleaned_data.get("kind"), form.cleaned_data.get("q")
    if not (kind or words):
        if category is not None and area is None:
            return redirect("directory:public-category", number=category.number)
        if area is not None and category is None:
            return redirect("directory:public-area", pk=area.pk)
        if area is None and category is None:
            return redirect("directory:public-home")
    page = Paginator(_search(form, area, category), PER_PAGE).get_page(request.GET.get("page"))
    entries, offices = _with_contacts(page.object_list, *([area] if area else []))
    context = {
        "area": area,
        "category": category,
        "kind": kind,
        "kind_label": EntryKind(kind).label if kind else "",
        "words": words,
        "page": page,
        "entries": entries,
        "office": offices[area.pk] if area is not None else None,
    }
    return render(request, "directory/public_search.html", context)


@public_page
@require_safe
def entry(request, pk):
    """One entry: everything a resident needs to go or to ask, and when it was last confirmed."""
    entry = get_object_or_404(Entry.objects.published().for_display(), pk=pk)
    entry.how_to_ask = entry.contact()
    return render(request, "directory/entry_public.html", {"entry": entry})


@public_page
@require_safe
def booklet(request, pk):
    """An area's booklet for print (A4): its entries by help category, the date printed and
    each entry's 最終確認日; the categories nobody offers say whom to ask."""
    area = get_object_or_404(Area.objects.select_related("district"), pk=pk)
    entries, offices = _with_contacts(
        Entry.objects.listed().serving(area).active_first().for_lists(), area
    )
    for number, entry in enumerate(entries, start=1):
        entry.booklet_number = number
    sections = []
    for category in HelpCategory.objects.order_by("number"):
        offering = [e for e in entries if category in e.help_categories.all()]
        sections.append((category, offering))
    context = {
        "area": area,
        "sections": sections,
        "entries": entries,
        "entry_count": len(entries),
        "printed_on": timezone.localdate(),
        "office": offices[area.pk],
    }
    return render(request, "directory/area_booklet.html", context)


@public_page
@require_safe
def about(request):
    """How to use the pages, what 最終確認日 means, the open data, and how to become a supporter."""
    context = {
        "csv_url": reverse("directory:public-csv"),
        "hsds_url": reverse("directory:public-hsds"),
        "csv_headers": opendata.CSV_HEADERS,
    }
    return render(request, "directory/public_about.html", context)


def _feed_area(request):
    """The ``?area=<id>`` of a feed, or None; an unknown one is a 404, not the whole city."""
    value = request.GET.get("area")
    if not value:
        return None
    try:
        return Area.objects.get(pk=int(value))
    except (ValueError, Area.DoesNotExist):
        raise Http404("no such area") from None


@public_page
@require_safe
def csv_feed(request):
    """The directory as CSV (UTF-8 with BOM), one row per published entry."""
    area = _feed_area(request)
    body = opendata.to_csv_bytes(opendata.feed_entries(area))
    response = HttpResponse(body, content_type="text/csv; charset=utf-8")
    name = "地域の支え合い情報" + (f"_{area.name}" if area else "")
    # The ASCII fallback in words too (the area by its number), not the date alone.
    ascii_name = "local-support-directory" + (f"_area{area.pk}" if area else "")
    response["Content-Disposition"] = content_disposition(
        export_filename(name, "csv"), export_filename(ascii_name, "csv")
    )
    return response


@public_page
@require_safe
def hsds_feed(request):
    """The directory as Open Referral HSDS 3 JSON (the ``/services`` list format)."""
    area = _feed_area(request)
    document = opendata.hsds_document(opendata.feed_entries(area))
    return JsonResponse(document, json_dumps_params={"ensure_ascii": False, "indent": 1})
