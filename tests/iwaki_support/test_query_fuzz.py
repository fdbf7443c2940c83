"""Fuzzed query parameters: no value in any query parameter of any view answers 500.

Every URL of the URLconf (built with the permission matrix's URL builders) is requested with
each of its query parameters set, one at a time, to each value of a deterministic corpus of
what breaks naive parsing: digits ``str.isdigit`` accepts and ``int`` refuses (「²」), digits
of other scripts, numbers beyond any column, empty, blank, NUL, very long text, era years out
of range; and with each parameter repeated (a valid value and a hostile one). The parameter
names come from the view itself: its filterset, its form, the table and export parameters of
a list; the few a view reads by hand are listed in ``READ_BY_HAND``.
"""

import pytest

from core.exports import TableExportMixin
from core.filters import ChoiceOrSearchField
from core.forms import SEARCH_SUFFIX, SearchableModelChoiceField
from needs_survey.forms import CompareForm, MatrixFilterForm
from reports.forms import CountsDateForm
from tests.test_permission_matrix import MATRIX, Objects, url_patterns

# Database-independent (it parses parameters) and long: run once, in the SQLite pass.
pytestmark = [pytest.mark.django_db, pytest.mark.slow]

CORPUS = [
    "²",  # str.isdigit says yes, int says no
    "١٢",  # Arabic-Indic twelve: int reads it
    "①",
    "",
    " ",
    "-1",
    "1.5",
    "9" * 30,  # beyond a 64-bit integer
    "令和99999年度",
    "\x00",
    "'\"<>%",
    "あ" * 300,
]

# Parameters a view reads without a form or filterset.
READ_BY_HAND = {
    "councils:meeting-create": {"council"},
    "journal:entry-create": {"kind", "next"},
    "report": {"_export"},
    "survey": {"_export"},
    "needs_survey:survey-create": {"council", "fiscal_year"},
    "needs_survey:survey-matrix": {"_export", "encoding"},
}
# Views whose parameters come from a form rather than a filterset.
FORMS = {
    "report": CountsDateForm,
    "needs_survey:survey-matrix": MatrixFilterForm,
    "needs_survey:survey-can-do": MatrixFilterForm,
    "needs_survey:survey-compare": CompareForm,
}
TABLE_PARAMETERS = {"page", "sort", "per_page"}
EXPORT_PARAMETERS = {"_export", "encoding"}
# POST-only, or a download whose method is refused for GET before anything is read.
SKIPPED = {"logout", "restore-record", "coordinators:calendar-reset"}


def _field_names(name, field):
    names = {name}
    if isinstance(field, SearchableModelChoiceField):
        names.add(name + SEARCH_SUFFIX)
    suffixes = getattr(field.widget, "suffixes", None)
    if suffixes:
        names |= {f"{name}_{suffix}" for suffix in suffixes}
    return names


def parameter_names(url_name, view):
    """The query parameters ``view`` reads, found from the view."""
    names = set(READ_BY_HAND.get(url_name, ()))
    view_class = getattr(view, "view_class", None)
    filterset_class = getattr(view_class, "filterset_class", None)
    if filterset_class is not None:
        for name, filter_ in filterset_class.base_filters.items():
            field_class = filter_.field_class
            widget = filter_.extra.get("widget") or field_class.widget
            names.add(name)
            if issubclass(field_class, ChoiceOrSearchField | SearchableModelChoiceField):
                names.add(name + SEARCH_SUFFIX)
            suffixes = getattr(widget, "suffixes", None)
            if suffixes:
                names |= {f"{name}_{suffix}" for suffix in suffixes}
    if url_name in FORMS:
        for name, field in FORMS[url_name].base_fields.items():
            names |= _field_names(name, field)
    if view_class is not None and hasattr(view_class, "get_table"):
        names |= TABLE_PARAMETERS
    if view_class is not None and issubclass(view_class, TableExportMixin):
        names |= EXPORT_PARAMETERS
    return names


def views_with_parameters():
    patterns = url_patterns()
    return sorted(
        (name, tuple(sorted(parameter_names(name, patterns[name]))))
        for name in MATRIX
        if name not in SKIPPED and parameter_names(name, patterns[name])
    )


def test_the_views_with_parameters_are_found():
    found = {name: set(names) for name, names in views_with_parameters()}
    assert {"council"} <= found["councils:meeting-create"]
    assert {"fiscal_year", "area", "area_q", "page", "sort"} <= found["councils:meeting-list"]
    assert {"since", "until", "user", "_export"} <= found["accessrecord-list"]
    assert {"fiscal_year", "district"} <= found["needs_survey:survey-matrix"]
    assert len(found) >= 15


@pytest.fixture
def objects(coordinator_taira):
    from coordinators.models import CalendarToken

    return Objects(CalendarToken.for_user(coordinator_taira).token)


@pytest.mark.parametrize(
    ("url_name", "names"), views_with_parameters(), ids=[n for n, _ in views_with_parameters()]
)
def test_no_query_parameter_value_answers_500(client, administrator, objects, url_name, names):
    """Raises (the test client re-raises a view's exception) or fails on any 5xx."""
    client.force_login(administrator)
    url = MATRIX[url_name].url(objects)
    separator = "&" if "?" in url else "?"
    for name in names:
        for value in CORPUS:
            response = client.get(url, {name: value})
            assert response.status_code < 500, (url_name, name, value)
        repeated = f"{url}{separator}{name}=1&{name}=%C2%B2&{name}="
        assert client.get(repeated).status_code < 500, (url_name, name, "repeated")
