"""Makers for the directory's tests: entries beside the 2017 ones, published or not."""

import pytest

from councils.models import Area
from directory.models import Entry, EntryKind
from needs_survey.models import HelpCategory


@pytest.fixture
def make_entry(data_2017):
    def make(*, area="小名浜", categories=(5,), published=True, serves=(), **fields):
        home = Area.objects.get(name=area)
        values = {
            "name": "試験のごみ出し支援",
            "kind": EntryKind.HOUSEHOLD,
            "provider": "試験の会",
            "services": "ごみ出し",
            "area": home,
            "is_published": published,
            **fields,
        }
        entry = Entry.objects.create(**values)
        entry.service_areas.set([home, *Area.objects.filter(name__in=serves)])
        entry.help_categories.set(HelpCategory.objects.filter(number__in=categories))
        return entry

    return make


@pytest.fixture
def onahama_published(data_2017):
    """The two 2017 entries of 小名浜 (玉川町西区, 永崎), published as a coordinator would."""
    Entry.objects.filter(area__name="小名浜").update(is_published=True)
    return list(Entry.objects.filter(area__name="小名浜").order_by("sort_key"))
