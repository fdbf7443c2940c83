"""Form fields shared by every app: dates and fiscal years written in 和暦, spreadsheet
uploads, and choices that stay a plain select while they are few and become a search when
they are many."""

from dataclasses import dataclass
from datetime import date, datetime

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models import QuerySet

from core import wareki
from core.spreadsheets import DEFAULT_MAX_BYTES

DATE_PLACEHOLDER = "例: 令和8年11月29日 / 20261129"
FISCAL_YEAR_PLACEHOLDER = "例: 令和6年度 / 2024"


class WarekiDateInput(forms.TextInput):
    """A text box that shows a stored date as staff write it: 平成29年7月28日, or with
    ``weekday=True`` (dates people plan around: meetings, deadlines) 令和8年11月29日(日).

    What the user typed is shown back unchanged when the form is redisplayed.
    """

    def __init__(self, attrs=None, *, weekday=False):
        self.weekday = weekday
        super().__init__({"placeholder": DATE_PLACEHOLDER, **(attrs or {})})

    def format_value(self, value):
        if isinstance(value, date):
            try:
                value = (
                    wareki.format_date_with_weekday(value)
                    if self.weekday
                    else wareki.format_date(value)
                )
            except wareki.WarekiError:
                value = (value.date() if isinstance(value, datetime) else value).isoformat()
        return super().format_value(value)


class WarekiDateField(forms.DateField):
    """A date typed in any form ``core.wareki.parse_date`` reads."""

    widget = WarekiDateInput

    def to_python(self, value):
        if isinstance(value, str):
            value = value.strip()  # also the full-width space
        if value in self.empty_values:
            return None
        if isinstance(value, datetime):
            return value.date()
        if isinstance(value, date):
            return value
        try:
            return wareki.parse_date(str(value))
        except wareki.WarekiError as error:
            raise ValidationError(str(error), code="invalid") from error


class FiscalYearInput(forms.TextInput):
    """A text box that shows a stored fiscal year as 平成29年度."""

    def __init__(self, attrs=None):
        super().__init__({"placeholder": FISCAL_YEAR_PLACEHOLDER, **(attrs or {})})

    def format_value(self, value):
        if isinstance(value, int) and not isinstance(value, bool):
            try:
                value = wareki.format_fiscal_year(value)
            except wareki.WarekiError:
                value = str(value)
        return super().format_value(value)


class FiscalYearField(forms.IntegerField):
    """A fiscal year typed as 平成29年度, H29, 令和元年度, 2017 or 2017年度; cleans to 2017."""

    widget = FiscalYearInput

    def to_python(self, value):
        if isinstance(value, str):
            value = value.strip()  # also the full-width space
        if value in self.empty_values:
            return None
        if isinstance(value, int) and not isinstance(value, bool):
            return value
        try:
            return wareki.parse_fiscal_year(str(value))
        except wareki.WarekiError as error:
            raise ValidationError(str(error), code="invalid") from error


class SpreadsheetUploadForm(forms.Form):
    """The upload part of every spreadsheet import: the file, its CSV encoding, its sheet.

    Subclasses add what the rows belong to when the file does not say (a group, an area)."""

    file = forms.FileField(
        label="ファイル",
        help_text="Excelのブック（.xlsx）かCSV（.csv）。見出しの上にタイトル行があっても構いません。",
    )
    encoding = forms.ChoiceField(
        label="CSVの文字コード",
        choices=[("", "自動判別"), ("utf-8", "UTF-8"), ("cp932", "Shift_JIS")],
        required=False,
    )
    sheet = forms.CharField(
        label="シート名",
        required=False,
        max_length=100,
        help_text="空欄なら最初のシート（xlsxのみ）。",
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        limit = getattr(settings, "SPREADSHEET_MAX_BYTES", DEFAULT_MAX_BYTES)
        # Checked before reading: a file over the limit never reaches memory in full.
        if upload.size > limit:
            raise forms.ValidationError(
                f"ファイルが大きすぎます（{upload.size / 1024 / 1024:.1f}MB）。"
                f"{limit / 1024 / 1024:.1f}MBまでのファイルにしてください。"
            )
        return upload


# The most options a select lists. A longer list is not a choice anyone can make by reading
# it: beyond it a SearchableModelChoiceField shows a search box (settings override).
SELECT_OPTIONS_LIMIT = 100
SEARCH_SUFFIX = "_q"  # ?area=<pk> chooses, ?area_q=<part of a name> searches
SEARCH_MAX_LENGTH = 100


def select_options_limit():
    return getattr(settings, "SELECT_OPTIONS_LIMIT", SELECT_OPTIONS_LIMIT)


@dataclass(frozen=True)
class ChoiceInput:
    """What a searchable choice read from the submitted data."""

    pick: str = ""  # the chosen option's value (a primary key), as a plain select sends it
    text: str = ""  # part of a name, typed into the search box
    within: str = ""  # the value of the choice these options depend on (areas: the district)

    def __str__(self):
        # Django compares a field's data with its initial value as text (has_changed).
        return self.pick


@dataclass(frozen=True, eq=False)
class NameSearch:
    """A name typed and no option chosen: every object whose name contains the text."""

    text: str
    matches: QuerySet

    def __str__(self):
        return self.text


@dataclass(frozen=True)
class Listing:
    """What a searchable choice shows: ``options`` in a select (None: no select), a search box
    or not, and a note when the search found nothing or too much to list."""

    large: bool
    options: list | None
    search: bool = False
    note: str = ""


class SearchableSelect(forms.Select):
    """The widget of SearchableModelChoiceField: Django's own select while the objects fit
    one, else a select of the few that matter (the chosen one, the matches, the objects within
    the chosen parent) and a search box named ``<name>_q``. Works without JavaScript: the form
    is submitted and the page lists what the search found."""

    search_template_name = "core/widgets/searchable_select.html"
    within_name = None  # the form field whose value narrows the options (set by the field)

    def value_from_datadict(self, data, files, name):
        def text(key):
            value = data.get(key)
            if not isinstance(value, str):
                return ""
            # PostgreSQL refuses NUL in a query's text: drop it rather than fail the page.
            return value.replace("\x00", "").strip()[:SEARCH_MAX_LENGTH]

        within = ""
        if self.within_name:
            prefix, dash, _ = name.rpartition("-")
            within = text(f"{prefix}{dash}{self.within_name}")
        pick = data.get(name)
        return ChoiceInput(
            pick="" if pick is None else str(pick), text=text(name + SEARCH_SUFFIX), within=within
        )

    def value_omitted_from_data(self, data, files, name):
        return name not in data and name + SEARCH_SUFFIX not in data

    def render(self, name, value, attrs=None, renderer=None):
        field = self.choices.field
        entry = field.entry(value)
        listing = field.listing(entry)
        if not listing.large:
            return super().render(name, entry.pick, attrs, renderer)
        attrs = self.build_attrs(self.attrs, attrs)
        select = None
        if listing.options is not None:
            choices = [("", field.empty_label)] if field.empty_label is not None else []
            choices += [self.choices.choice(obj) for obj in listing.options]
            select = forms.Select(choices=choices).get_context(name, entry.pick, attrs)["widget"]
        search = None
        if listing.search:
            search_attrs = {"placeholder": "名前の一部", "maxlength": SEARCH_MAX_LENGTH}
            if "id" in attrs:
                search_attrs["id"] = attrs["id"] + SEARCH_SUFFIX if select else attrs["id"]
            if select:
                search_attrs["aria-label"] = f"{field.label or ''}を名前で検索"
            search = forms.SearchInput(search_attrs).get_context(
                name + SEARCH_SUFFIX, entry.text or None, None
            )["widget"]
        context = {"select": select, "search": search, "note": listing.note}
        return self._render(self.search_template_name, context, renderer)


class ListedChoiceIterator(forms.models.ModelChoiceIterator):
    """The empty choice and the objects the select lists: all of them, read once per form,
    while they fit; none beyond (the widget then lists only what matters)."""

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        for obj in self.field.listing(ChoiceInput()).options or ():
            yield self.choice(obj)

    def __len__(self):
        return sum(1 for _ in self)

    def __bool__(self):
        return self.field.empty_label is not None or bool(self.field.listing(ChoiceInput()).options)


class SearchableModelChoiceField(forms.ModelChoiceField):
    """A choice of one object that is a plain select while the objects are few and a search
    when they are many (more than ``limit``, settings.SELECT_OPTIONS_LIMIT, 100 by default).

    Few: Django's ModelChoiceField and select, unchanged. Many: a search box (``<name>_q``,
    ``search_field`` contains the text) and a select listing only the chosen object and the
    matches of the search, when they fit. ``within=(field, lookup)`` names another choice of
    the same form that narrows the options once chosen, such as the district of areas:
    ``within=("district", "district")`` lists the chosen district's areas. The value a select
    sends (the primary key) is read in both modes, so links such as ``?area=<pk>`` keep
    working; an unknown key is a form error, as with any select.

    A typed name cleans to the one object it matches; matching none or several is a form error
    that lists the matches to choose from. (``core.filters.ChoiceOrSearchField`` instead keeps
    every match, for filters.) Each list is read once per form, at most ``limit`` + 1 rows.
    """

    widget = SearchableSelect
    iterator = ListedChoiceIterator
    # Whether the widget notes a search that found nothing or too much: a filter's search is
    # never an error; this field says it as a form error instead.
    notes_search_results = False
    default_error_messages = {
        "no_match": "「%(text)s」を含む%(what)sは見つかりません。",
        "many_matches": "「%(text)s」を含む%(what)sが%(count)s件あります。一覧から選んでください。",
        "too_many_matches": (
            "「%(text)s」を含む%(what)sが多すぎます。名前をもっと詳しく入力してください。"
        ),
    }

    def __init__(self, queryset, *, search_field="name", within=None, limit=None, **kwargs):
        self.search_field = search_field
        self.within = within
        self.limit = limit
        self._read = {}
        super().__init__(queryset, **kwargs)
        self.widget.within_name = within[0] if within else None

    def __deepcopy__(self, memo):
        result = super().__deepcopy__(memo)
        result._read = {}  # each form reads its own lists
        return result

    def _set_queryset(self, queryset):
        self._read = {}
        super()._set_queryset(queryset)

    queryset = property(forms.ModelChoiceField._get_queryset, _set_queryset)

    def options_limit(self):
        return self.limit or select_options_limit()

    def entry(self, value):
        """A submitted or initial value (an object, a key, nothing) as a ChoiceInput."""
        if isinstance(value, ChoiceInput):
            return value
        if value in self.empty_values:
            return ChoiceInput()
        return ChoiceInput(pick=str(self.prepare_value(value)))

    def _first(self, key, queryset):
        """One more object than a select lists, enough to tell whether they fit; read once."""
        if key not in self._read:
            self._read[key] = list(queryset[: self.options_limit() + 1])
        return self._read[key]

    def is_large(self):
        return len(self._first("all", self.queryset)) > self.options_limit()

    def narrowed(self, entry):
        """(the objects within the chosen parent whose name contains the text, whether the
        parent narrowed them); None for the objects when nothing narrows them."""
        queryset, within, text = self.queryset, False, False
        if self.within and entry.within:
            try:
                queryset = queryset.filter(**{self.within[1]: entry.within})
                within = True
            except (ValueError, TypeError, ValidationError):
                pass  # not a key: the parent's own field says so
        if entry.text:
            queryset = queryset.filter(**{f"{self.search_field}__icontains": entry.text})
            text = True
        return (queryset if within or text else None), within

    def _matches(self, entry):
        queryset, _within = self.narrowed(entry)
        return self._first(("matches", entry.within, entry.text), queryset)

    def _pick(self, pick):
        key = ("pick", pick)
        if key not in self._read:
            self._read[key] = super().to_python(pick)
        return self._read[key]

    def listing(self, entry):
        everything = self._first("all", self.queryset)
        limit = self.options_limit()
        if len(everything) <= limit:
            return Listing(large=False, options=everything)
        try:
            picked = self._pick(entry.pick) if entry.pick else None
        except ValidationError:
            picked = None
        narrowed, within = self.narrowed(entry)
        note = ""
        if narrowed is not None:
            found = self._matches(entry)
            if found and len(found) <= limit:
                options = found if picked is None or picked in found else [picked, *found]
                return Listing(large=True, options=options, search=bool(entry.text) or not within)
            if found:
                note = "該当が多いため一覧にしていません。名前をもっと詳しく入力してください。"
            else:
                note = "該当するものがありません。"
        return Listing(
            large=True,
            options=[picked] if picked else None,
            search=True,
            note=note if self.notes_search_results else "",
        )

    def to_python(self, value):
        entry = self.entry(value)
        if entry.pick:
            return self._pick(entry.pick)
        if entry.text and self.is_large():
            return self.search(entry)
        return None

    def search(self, entry):
        """The one object a typed name matches."""
        found = self._matches(entry)
        if len(found) == 1:
            return found[0]
        params = {"text": entry.text, "what": self.label or "候補", "count": len(found)}
        if not found:
            code = "no_match"
        elif len(found) > self.options_limit():
            code = "too_many_matches"
        else:
            code = "many_matches"
        raise ValidationError(self.error_messages[code], code=code, params=params)
