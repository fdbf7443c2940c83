"""Writes of the councils app that span several models, each in one transaction."""

from django.db import transaction
from django.db.models import F

from councils.models import Meeting, Opinion


class EditConflict(Exception):
    """Someone else saved the meeting after this edit began."""


@transaction.atomic
def save_meeting(form, opinions, follow_ups):
    """Save the meeting, its opinions and follow-ups together, refusing a stale edit.

    An existing meeting is saved only if its version is still the one the edit started from:
    ``UPDATE … SET version = version + 1 WHERE id = … AND version = n``. On PostgreSQL the row
    stays locked until this transaction ends, so of two concurrent saves exactly one wins.
    """
    meeting = form.instance
    if meeting.pk:
        base = form.cleaned_data.get("base_version")
        claimed = Meeting.objects.filter(pk=meeting.pk, version=base).update(
            version=F("version") + 1
        )
        if not claimed:
            raise EditConflict
        meeting.version = base + 1
    meeting = form.save()
    _save_rows(opinions, meeting, _save_opinion)
    _save_rows(follow_ups, meeting, _save_follow_up)
    return meeting


def _save_rows(formset, meeting, save_one):
    """Save a formset's rows in their order, as Django's formset.save() decides which count:
    a row whose id is not one of this meeting's (a tampered post) is ignored, an unchanged
    blank row is skipped, a row marked for deletion is deleted."""
    position = 0
    for index, row in enumerate(formset.forms):
        existing = index < formset.initial_form_count()
        if existing and row.instance.pk is None:
            continue
        if formset._should_delete_form(row):
            if existing:
                row.instance.delete()
            continue
        if not existing and not row.has_changed():
            continue
        position += 1
        save_one(row, meeting, position)


def _save_opinion(row, meeting, position):
    opinion = row.save(commit=False)
    opinion.meeting = meeting
    opinion.fiscal_year = meeting.fiscal_year
    opinion.position = position
    opinion.save()
    opinion.help_categories.set(row.cleaned_data.get("help_categories") or [])


def _save_follow_up(row, meeting, position):
    follow_up = row.save(commit=False)
    follow_up.meeting = meeting
    follow_up.position = position
    follow_up.save()


@transaction.atomic
def mark_main_opinions(*, fiscal_year, chosen):
    """Make ``chosen`` the year's 主な意見 and no other opinion of that year: the list the
    year's report (市町村の取組) shows. Each changed opinion is saved, so its history says who
    marked or unmarked it. Returns the number of opinions changed."""
    chosen_ids = {opinion.pk for opinion in chosen}
    changed = 0
    for opinion in Opinion.objects.in_fiscal_year(fiscal_year).select_for_update():
        wanted = opinion.pk in chosen_ids
        if opinion.is_main != wanted:
            opinion.is_main = wanted
            opinion.save(update_fields=["is_main"])
            changed += 1
    return changed
