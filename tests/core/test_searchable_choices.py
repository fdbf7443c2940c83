"""SearchableModelChoiceField and ChoiceOrSearchFilter: Django's own select while the objects
fit one (Iwaki's 7 districts, 13 areas), a search and short selects beyond the limit."""

import re

import django_filters
import pytest
from django import forms
from django.http import QueryDict

from core.filters import ChoiceOrSearchFilter
from core.forms import SELECT_OPTIONS_LIMIT, NameSearch, SearchableModelChoiceField
from councils.models import Area, Council, District, Tier

pytestmark = pytest.mark.django_db


class AreaForm(forms.Form):
    district = SearchableModelChoiceField(
        queryset=District.objects.all(), required=False, empty_label="すべての地区"
    )
    area = SearchableModelChoiceField(
        queryset=Area.objects.all(),
        required=False,
        empty_label="すべての圏域",
        within=("district", "district"),
        label="圏域",
    )


class PlainAreaForm(forms.Form):
    district = forms.ModelChoiceField(
        queryset=District.objects.all(), required=False, empty_label="すべての地区"
    )
    area = forms.ModelChoiceField(
        queryset=Area.objects.all(), required=False, empty_label="すべての圏域", label="圏域"
    )


class CouncilFilter(django_filters.FilterSet):
    district = ChoiceOrSearchFilter(
        field_name="area__district", queryset=District.objects.all(), empty_label="すべての地区"
    )
    area = ChoiceOrSearchFilter(
        queryset=Area.objects.all(),
        empty_label="すべての圏域",
        within=("district", "district"),
        label="圏域",
    )

    class Meta:
        model = Council
        fields = ["district", "area"]


def data(query):
    return QueryDict(query)


def options(html):
    return re.findall(r"<option[^>]*>([^<]*)</option>", str(html))


def selects(html):
    return re.findall(r"<select[^>]*>.*?</select>", str(html), re.S)


@pytest.fixture
def many_areas(data_2017):
    """A district with 3 areas and 120 more areas in 40 more districts: 133 areas in all."""
    districts = District.objects.bulk_create(
        District(name=f"試験地区{i:03d}", position=1000 + i) for i in range(40)
    )
    Area.objects.bulk_create(
        Area(name=f"試験圏域{i:03d}", district=districts[i // 3], position=1000 + i)
        for i in range(120)
    )
    return districts


@pytest.fixture
def many_districts(data_2017):
    """110 districts beside Iwaki's 7."""
    District.objects.bulk_create(
        District(name=f"試験地区{i:03d}", position=1000 + i) for i in range(110)
    )


@pytest.mark.parametrize("query", ["", "district=3", "area=4&district=3", "area=99999", "area=x"])
def test_iwaki_sized_choices_are_djangos_own_select(data_2017, query):
    ours, plain = AreaForm(data(query)), PlainAreaForm(data(query))
    assert ours.is_valid() == plain.is_valid()
    for name in ("district", "area"):
        assert str(ours[name]) == str(plain[name])
    assert len(options(ours["area"])) == 1 + 13
    assert len(options(ours["district"])) == 1 + 7


def test_iwaki_sized_choice_reads_its_options_once_and_ignores_a_search(
    data_2017, django_assert_num_queries
):
    form = AreaForm(data("area_q=小名浜"))
    with django_assert_num_queries(1):
        assert form.is_valid()
        html = str(form["area"])
    assert form.cleaned_data["area"] is None
    assert 'name="area_q"' not in html
    assert len(options(html)) == 14


def test_a_pick_cleans_to_the_object_at_any_size(many_areas):
    area = Area.objects.get(name="試験圏域007")
    form = AreaForm(data(f"area={area.pk}"))
    assert form.is_valid()
    assert form.cleaned_data["area"] == area
    assert not AreaForm(data("area=99999")).is_valid()
    assert not AreaForm(data("area=abc")).is_valid()


def test_many_choices_show_a_search_box_and_no_select(many_areas, django_assert_num_queries):
    form = AreaForm()
    with django_assert_num_queries(1):
        html = str(form["area"])
    assert "<select" not in html
    assert '<input type="search" name="area_q"' in html
    assert 'id="id_area"' in html  # the label still points at the field


def test_a_chosen_object_is_the_only_option_listed(many_areas):
    area = Area.objects.get(name="試験圏域007")
    html = str(AreaForm(data(f"area={area.pk}"))["area"])
    assert options(html) == ["すべての圏域", "試験圏域007"]
    assert f'<option value="{area.pk}" selected>' in html
    assert 'name="area_q"' in html


def test_a_search_lists_its_matches_and_keeps_the_chosen_one(many_areas):
    chosen = Area.objects.get(name="試験圏域007")
    form = AreaForm(data(f"area={chosen.pk}&area_q=試験圏域01"))
    assert form.is_valid()
    assert form.cleaned_data["area"] == chosen  # the choice wins over the search
    html = str(form["area"])
    assert options(html) == [
        "すべての圏域",
        "試験圏域007",
        *(f"試験圏域{i:03d}" for i in range(10, 20)),
    ]
    assert 'value="試験圏域01"' in html


def test_a_name_matching_one_object_cleans_to_it(many_areas):
    form = AreaForm(data("area_q=%20試験圏域042%E3%80%80"))  # spaces around, full-width too
    assert form.is_valid()
    assert form.cleaned_data["area"] == Area.objects.get(name="試験圏域042")


@pytest.mark.parametrize(
    ("text", "message", "listed"),
    [
        ("試験圏域04", "「試験圏域04」を含む圏域が10件あります。一覧から選んでください。", 10),
        ("存在しない", "「存在しない」を含む圏域は見つかりません。", None),
        ("試験", "「試験」を含む圏域が多すぎます。名前をもっと詳しく入力してください。", None),
    ],
)
def test_a_name_matching_none_or_several_is_an_error_listing_what_it_found(
    many_areas, text, message, listed
):
    form = AreaForm(data(f"area_q={text}"))
    assert not form.is_valid()
    assert form.errors["area"] == [message]
    html = str(form["area"])
    if listed is None:
        assert "<select" not in html
    else:
        assert len(options(html)) == 1 + listed


def test_a_chosen_district_lists_only_its_areas(many_areas, django_assert_num_queries):
    district = many_areas[5]
    form = AreaForm(data(f"district={district.pk}"))
    with django_assert_num_queries(3):  # all areas (up to the limit), the district's, the pick
        assert form.is_valid()
        html = str(form["area"])
    assert options(html) == ["すべての圏域", "試験圏域015", "試験圏域016", "試験圏域017"]
    assert 'name="area_q"' not in html  # three areas need no search


@pytest.mark.parametrize("district", ["abc", "99999", "-1", "1e3"])
def test_a_bad_or_unknown_district_is_a_district_error_not_a_crash(many_areas, district):
    form = AreaForm(data(f"district={district}"))
    assert not form.is_valid()
    assert list(form.errors) == ["district"]
    assert "<select" not in str(form["area"]) or options(form["area"]) == ["すべての圏域"]


def test_no_rendered_select_lists_more_than_the_limit(many_areas):
    assert Area.objects.count() > SELECT_OPTIONS_LIMIT
    for query in ("", "area_q=試", "area_q=試験圏域0", "district=1", "area=1&district=1"):
        for select in selects(AreaForm(data(query)).as_p()):
            assert len(options(select)) <= SELECT_OPTIONS_LIMIT + 1, query


def test_the_limit_is_a_setting(data_2017, settings):
    settings.SELECT_OPTIONS_LIMIT = 10
    html = str(AreaForm()["area"])
    assert "<select" not in html and 'name="area_q"' in html
    assert len(options(AreaForm()["district"])) == 1 + 7


def councils(query):
    return CouncilFilter(data(query), queryset=Council.objects.filter(name__startswith="試験"))


def test_the_filter_narrows_to_a_chosen_object_or_to_every_match(many_areas):
    Council.objects.bulk_create(
        Council(name=f"試験{area.name}", tier=Tier.SECOND, area=area)
        for area in Area.objects.filter(name__startswith="試験")
    )
    chosen = Area.objects.get(name="試験圏域007")
    assert [c.name for c in councils(f"area={chosen.pk}").qs] == ["試験試験圏域007"]
    by_name = councils("area_q=試験圏域04")
    assert by_name.is_valid()
    assert isinstance(by_name.form.cleaned_data["area"], NameSearch)
    assert [c.name for c in by_name.qs] == [f"試験試験圏域{i:03d}" for i in range(40, 50)]
    assert list(councils("area_q=存在しない").qs) == []
    assert "該当するものがありません。" in str(councils("area_q=存在しない").form["area"])
    assert "該当が多いため" in str(councils("area_q=試験").form["area"])


def test_the_filter_searches_districts_by_name_when_they_are_many(many_districts):
    District.objects.filter(name="試験地区012").update(name="試験地区012 中央")
    found = councils("district_q=中央")
    assert found.is_valid()
    assert [d.name for d in found.form.cleaned_data["district"].matches] == ["試験地区012 中央"]
    assert options(found.form["district"]) == ["すべての地区", "試験地区012 中央"]


def test_a_search_with_a_nul_character_searches_without_it(many_areas):
    form = AreaForm(data("area_q=試験圏域04%002"))
    assert form.is_valid()
    assert form.cleaned_data["area"] == Area.objects.get(name="試験圏域042")
