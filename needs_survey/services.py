"""Writes of the needs survey that span several models, each in one transaction: a survey
with its 13 category rows, and a confirmed import of tallies."""

from django.core.exceptions import ValidationError
from django.db import transaction

from councils.models import Council, Tier
from needs_survey.imports import ImportRefused, plan_from_payload
from needs_survey.models import HelpCategory, Survey, SurveyResult


@transaction.atomic
def save_survey(*, form, formset):
    """Save the header and the 13 rows together, or neither."""
    survey = form.save()
    formset.save(survey)
    return survey


@transaction.atomic
def apply_import(payload, *, user, expected_digest, allowed_areas):
    """Write the previewed plan, all or nothing. Returns the plan as applied."""
    plan = plan_from_payload(payload)
    allowed = {area.pk for area in allowed_areas}
    if any(p.area.pk not in allowed for p in plan.surveys):
        raise ImportRefused("担当する圏域外の調査が含まれているため取り込めません。")
    if plan.digest != expected_digest:
        raise ImportRefused(
            "確認の後に記録が変更されたため取り込みませんでした。もう一度ファイルを読み込んで確認してください。"
        )
    categories = {c.number: c for c in HelpCategory.objects.all()}
    councils = {
        c.area_id: c
        for c in Council.objects.filter(tier=Tier.SECOND, area__in=[p.area for p in plan.surveys])
    }
    for planned in plan.surveys:
        survey = planned.survey or Survey(
            council=councils[planned.area.pk], fiscal_year=planned.fiscal_year
        )
        for name, value in planned.header.items():
            setattr(survey, name, value)
        try:
            survey.full_clean()
        except ValidationError as error:
            raise ImportRefused(f"{planned.label}: {' '.join(error.messages)}") from error
        survey.save()
        stored = {r.category_id: r for r in survey.results.all()}
        for number, values in planned.results.items():
            category = categories[number]
            result = stored.get(category.pk) or SurveyResult(survey=survey, category=category)
            for name, value in values.items():
                setattr(result, name, value)
            if result.requests is None and not result.classification and not result.note:
                if result.pk:
                    result.delete()
                continue
            result.save()
    return plan
