"""The survey models: constraints, the matrix, the comparison, the gaps and progress per area."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from activities.models import GroupService, SupportGroup
from councils.models import Area, Council, Meeting, Opinion, Tier
from needs_survey.models import (
    Classification,
    HelpCategory,
    ProgressStatus,
    Survey,
    SurveyResult,
    annotate_survey_progress,
)

pytestmark = pytest.mark.django_db

CAN = Classification.CAN
INGENUITY = Classification.NEEDS_INGENUITY
DIFFICULT = Classification.DIFFICULT


def tier2(area_name):
    return Council.objects.get(tier=Tier.SECOND, area__name=area_name)


def test_the_2017_fixtures_hold_no_survey_results(data_2017):
    assert HelpCategory.objects.count() == 13
    assert not Survey.objects.exists()
    assert not SurveyResult.objects.exists()


def test_one_survey_per_council_and_fiscal_year(make_survey):
    make_survey("平", 2017)
    with pytest.raises(IntegrityError), transaction.atomic():
        Survey.objects.create(council=tier2("平"), fiscal_year=2017)
    assert Survey.objects.create(council=tier2("平"), fiscal_year=2018)


def test_one_result_per_survey_and_category(make_survey):
    survey = make_survey("平", 2017, {1: (3, CAN)})
    with pytest.raises(IntegrityError), transaction.atomic():
        SurveyResult.objects.create(survey=survey, category=HelpCategory.objects.get(number=1))


def test_database_refuses_a_negative_count_and_an_unknown_classification(make_survey):
    survey = make_survey("平", 2017)
    category = HelpCategory.objects.get(number=2)
    with pytest.raises(IntegrityError), transaction.atomic():
        SurveyResult.objects.create(survey=survey, category=category, requests=-1)
    with pytest.raises(IntegrityError), transaction.atomic():
        SurveyResult.objects.create(survey=survey, category=category, classification="maybe")
    with pytest.raises(IntegrityError), transaction.atomic():
        Survey.objects.filter(pk=survey.pk).update(respondents=-5)


def test_database_refuses_a_period_that_ends_before_it_starts(data_2017):
    from datetime import date

    with pytest.raises(IntegrityError), transaction.atomic():
        Survey.objects.create(
            council=tier2("平"),
            fiscal_year=2017,
            conducted_from=date(2017, 9, 10),
            conducted_until=date(2017, 9, 1),
        )


def test_clean_refuses_a_tier1_council_in_japanese(data_2017):
    survey = Survey(council=Council.objects.get(tier=Tier.FIRST), fiscal_year=2017)
    with pytest.raises(ValidationError) as error:
        survey.full_clean()
    assert "第2層協議体" in str(error.value.message_dict["council"])


def test_matrix_has_every_area_and_category_with_counts_and_classes(make_survey):
    make_survey("平", 2017, {1: (12, CAN), 3: (4, DIFFICULT)})
    make_survey("小名浜", 2017, {1: (7, INGENUITY), 2: (None, CAN)})
    make_survey("平", 2016, {1: (99, DIFFICULT)})  # another year: not in the 2017 matrix

    matrix = Survey.objects.matrix(2017)

    assert [row.area.name for row in matrix.rows] == list(
        Area.objects.values_list("name", flat=True)
    )
    assert len(matrix.categories) == 13
    assert all(len(row.cells) == 13 for row in matrix.rows)
    cell = matrix.cell("平", 1)
    assert (cell.requests, cell.classification_label, cell.css_class) == (12, "できる", "class-can")
    assert matrix.cell("平", 3).css_class == "class-difficult"
    assert matrix.cell("小名浜", 2).requests is None
    assert matrix.cell("小名浜", 2).classification_label == "できる"
    assert matrix.cell("勿来", 1).result is None
    assert matrix.cell("勿来", 1).css_class == "class-none"
    assert [row.area.name for row in matrix.surveyed_rows] == ["平", "小名浜"]
    first = matrix.totals[0]
    assert (first.requests, first.can, first.ingenuity, first.difficult) == (19, 1, 1, 0)
    assert matrix.total_requests == 23


def test_matrix_leaves_out_group_surveys(make_survey, data_2017):
    survey = Survey.objects.create(
        council=Council.objects.get(tier=Tier.THIRD, name="城山"), fiscal_year=2017
    )
    SurveyResult.objects.create(
        survey=survey, category=HelpCategory.objects.get(number=1), requests=8
    )
    assert Survey.objects.matrix(2017).cell("平", 1).result is None


def test_matrix_restricted_to_a_district(make_survey):
    make_survey("勿来", 2017, {5: (2, CAN)})
    areas = Area.objects.filter(district__name="勿来")
    matrix = Survey.objects.matrix(2017, areas)
    assert [row.area.name for row in matrix.rows] == ["勿来", "田人"]
    assert matrix.cell("勿来", 5).requests == 2


def test_matrix_query_count_does_not_grow_with_areas(make_survey, django_assert_max_num_queries):
    for area in Area.objects.all():
        make_survey(area.name, 2017, {n: (n, CAN) for n in range(1, 14)})
    with django_assert_max_num_queries(4):
        matrix = Survey.objects.matrix(2017)
        assert sum(cell.requests for row in matrix.rows for cell in row.cells) == 13 * 91


def test_comparison_shows_change_per_cell(make_survey):
    make_survey("平", 2016, {1: (10, INGENUITY), 2: (5, CAN), 4: (3, CAN)})
    make_survey("平", 2017, {1: (12, CAN), 2: (5, CAN), 3: (4, DIFFICULT)})

    comparison = Survey.objects.matrix(2017).compare_to(Survey.objects.matrix(2016))

    first = comparison.cell("平", 1)
    assert (first.change, first.change_label, first.classification_changed) == (2, "+2", True)
    unchanged = comparison.cell("平", 2)
    assert (unchanged.change_label, unchanged.is_changed) == ("±0", False)
    new = comparison.cell("平", 3)
    assert new.change is None and new.is_changed
    dropped = comparison.cell("平", 4)
    assert dropped.before.requests == 3 and dropped.after.result is None
    assert comparison.cell("小名浜", 1).is_changed is False


def _plan_for(area_name, fiscal_year=2017):
    plan = Survey.objects.start_with_what_you_can(fiscal_year, Area.objects.filter(name=area_name))
    return plan[0]


def test_gap_is_asked_for_and_can_do_but_offered_by_no_group_of_the_area(make_survey):
    # In 平, 城山 and 鎌田 offer ①声かけ, ②買物, ⑤ごみ出し, ⑥掃除, ⑧電球交換, ⑬その他 (2017 data).
    make_survey(
        "平",
        2017,
        {
            2: (10, CAN),  # offered by 城山 and 鎌田: not a gap
            3: (5, CAN),  # 通院・外出: nobody in 平 offers it: a gap
            4: (0, CAN),  # できる but nobody asked: not a gap
            7: (6, INGENUITY),  # asked for, nobody offers, but not できる: not listed
            9: (None, CAN),  # できる, count not entered: listed, not a gap
        },
    )
    area = _plan_for("平")
    assert [item.category.number for item in area.items] == [2, 3, 4, 9]
    assert [item.category.number for item in area.gaps] == [3]
    shopping = area.items[0]
    assert [offer.group_name for offer in shopping.groups] == ["城山", "鎌田"]
    assert shopping.groups[0].services == ("買い物代行",)


def test_a_group_in_another_area_does_not_close_a_gap(make_survey):
    # 通院付き添い (③) is offered by 高坂 in 内郷, not in 平.
    make_survey("平", 2017, {3: (5, CAN)})
    make_survey("内郷", 2017, {3: (5, CAN)})
    assert [i.category.number for i in _plan_for("平").gaps] == [3]
    assert _plan_for("内郷").gaps == []


def test_a_new_service_closes_the_gap(make_survey):
    make_survey("平", 2017, {3: (5, CAN)})
    group = SupportGroup.objects.get(name="鎌田")
    service = GroupService.objects.create(group=group, position=99, name="通院の付き添い")
    service.help_categories.add(HelpCategory.objects.get(number=3))
    area = _plan_for("平")
    assert area.gaps == []
    assert area.items[0].groups[0].services == ("通院の付き添い",)


def test_opinions_tagged_with_a_category_follow_the_need(make_survey):
    make_survey("平", 2017, {5: (4, CAN)})
    make_survey("小名浜", 2017, {5: (4, CAN)})
    garbage = HelpCategory.objects.get(number=5)
    city_wide = Opinion.objects.get(fiscal_year=2017, position=2)  # ごみ出し支援…
    garbage.opinions.add(city_wide)
    meeting = Meeting.objects.get(council=tier2("小名浜"), fiscal_year=2017, sequence=2)
    local = Opinion.objects.create(meeting=meeting, fiscal_year=2017, text="ごみ出しの当番表")
    garbage.opinions.add(local)

    assert _plan_for("平").items[0].opinions == [city_wide]
    assert set(_plan_for("小名浜").items[0].opinions) == {city_wide, local}


def test_area_without_survey_has_no_items(data_2017):
    area = _plan_for("川前")
    assert area.survey is None and area.items == []


def test_start_with_what_you_can_query_count_is_flat(make_survey, django_assert_max_num_queries):
    for area in Area.objects.all():
        make_survey(area.name, 2017, {n: (n, CAN) for n in range(1, 14)})
    with django_assert_max_num_queries(6):
        plan = Survey.objects.start_with_what_you_can(2017)
        assert sum(len(area.gaps) for area in plan) > 0
        assert sum(len(item.groups) for area in plan for item in area.items) > 0


def test_progress_per_area_counts_classified_categories(make_survey, django_assert_max_num_queries):
    make_survey("平", 2017, {n: (1, CAN) for n in range(1, 14)})
    make_survey("小名浜", 2017, {1: (3, CAN), 2: (4, ""), 3: (None, DIFFICULT)})
    make_survey("勿来", 2017)
    with django_assert_max_num_queries(3):
        progress = Survey.objects.progress_by_area(2017)
    by_name = {p.area.name: p for p in progress.values()}
    assert by_name["平"].status == ProgressStatus.COMPLETE
    assert by_name["平"].label == "分類済み（13項目）"
    assert by_name["小名浜"].status == ProgressStatus.ENTERED
    assert by_name["小名浜"].label == "入力中（2/13項目分類）"
    assert by_name["勿来"].label == "入力中（0/13項目分類）"
    assert by_name["川前"].status == ProgressStatus.NOT_STARTED
    assert by_name["川前"].label == "未着手"
    assert len(progress) == 13


def test_annotated_progress_can_be_sorted_in_the_database(make_survey):
    make_survey("平", 2017, {1: (1, CAN), 2: (1, "")})
    make_survey("小名浜", 2017, {n: (1, DIFFICULT) for n in range(1, 6)})
    make_survey("小名浜", 2016, {n: (1, DIFFICULT) for n in range(1, 14)})
    areas = annotate_survey_progress(Area.objects.all(), 2017).order_by(
        "-survey_classified", "position"
    )
    top = [(a.name, a.survey_classified, a.survey_entered) for a in areas[:3]]
    assert top == [("小名浜", 5, 5), ("平", 1, 2), ("勿来", 0, 0)]
    assert areas.get(name="勿来").survey_id is None
