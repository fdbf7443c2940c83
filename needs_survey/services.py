"""Writes of the needs survey that span several models, each in one transaction: a survey
with its 13 category rows, and a confirmed import of tallies."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F

from councils.models import Council, Tier
from needs_survey.imports import ImportRefused, plan_from_payload
from needs_survey.models import HelpCategory, Survey, SurveyResult


class EditConflict(Exception):
    """Someone else saved the survey after this edit began."""


def claim_version(survey, base_version):
    """Move ``survey`` from ``base_version`` to the next version, or raise ``EditConflict``
    when it is no longer at that version: ``UPDATE … SET version = version + 1 WHERE id = …
    AND version = n``. On PostgreSQL the row stays locked until the transaction ends, so of
    two concurrent saves exactly one wins (docs/decisions/0003-optimistic-locking.md)."""
    claimed = Survey.objects.filter(pk=survey.pk, version=base_version).update(
        version=F("version") + 1
    )
    if not claimed:
        raise EditConflict
    survey.version = base_version + 1


@transaction.atomic
def save_survey(*, form, formset):
    """Save the header and the 13 rows together, or neither, refusing a stale edit."""
    survey = form.instance
    if survey.pk:
        base = form.cleaned_data.get("base_version")
        if base is None:
            raise EditConflict
        claim_version(survey, base)
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
        if survey.pk:
            # The version moves in the database, so an edit open on the survey gets the
            # conflict page instead of overwriting what the import wrote.
            survey.save(update_fields=[*planned.header])
            Survey.objects.filter(pk=survey.pk).update(version=F("version") + 1)
        else:
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
