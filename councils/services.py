"""Writes of the councils app that span several models, each in one transaction."""

import hashlib

from django.db import transaction
from django.db.models import F

from councils.models import Meeting, MeetingStatus, Opinion, SchedulePhase, Tier
from councils.year_plan import draft_from

# Form fields that carry the edit's bookkeeping, not the meeting's content.
BOOKKEEPING_FIELDS = {"base_version", "began_at"}


class EditConflict(Exception):
    """Someone else saved the record after this edit began; ``current`` is its state now."""

    def __init__(self, current=None):
        super().__init__()
        self.current = current


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
    # Only what changed is written, so the history shows only what someone changed. The held
    # rule (Meeting.apply_held_rule) changes the status without the form's data changing.
    if not meeting.pk or set(form.changed_data) - BOOKKEEPING_FIELDS or meeting.held_by_date:
        meeting = form.save()
    _save_rows(opinions, meeting, _save_opinion)
    _save_rows(follow_ups, meeting, _save_follow_up)
    return meeting


def _save_rows(formset, meeting, save_one):
    """Save a formset's rows in their order, as Django's formset.save() decides which count:
    a row whose id is not one of this meeting's (a tampered post) is ignored, an unchanged
    blank row is skipped, a row marked for deletion is deleted, and an existing row that
    neither changed nor moved is left alone (no write, no 「変更」 in its history)."""
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
        if existing and not row.has_changed() and row.instance.position == position:
            continue
        save_one(row, meeting, position)


def _save_opinion(row, meeting, position):
    opinion = row.save(commit=False)
    opinion.meeting = meeting
    opinion.fiscal_year = meeting.fiscal_year
    opinion.position = position
    if opinion.pk:
        # The meeting's version is claimed: no small update of this row can run meanwhile.
        opinion.version += 1
    opinion.save()
    opinion.help_categories.set(row.cleaned_data.get("help_categories") or [])


def _save_follow_up(row, meeting, position):
    follow_up = row.save(commit=False)
    follow_up.meeting = meeting
    follow_up.position = position
    if follow_up.pk:
        follow_up.version += 1
    follow_up.save()


@transaction.atomic
def mark_main_opinions(*, fiscal_year, chosen):
    """Make ``chosen`` the year's 主な意見 and no other opinion of that year: the list the
    year's report (市町村の取組) shows. Each changed opinion is saved, so its history says who
    marked or unmarked it. Returns the number of opinions changed."""
    chosen_ids = {opinion.pk for opinion in chosen}
    opinions = Opinion.objects.in_fiscal_year(fiscal_year)
    to_change = [o for o in opinions if o.is_main != (o.pk in chosen_ids)]
    # An open meeting form must not write the old mark back unseen: raise the meetings'
    # versions, first, as save_meeting locks the meeting before its opinions (decision 0016).
    Meeting.objects.filter(pk__in={o.meeting_id for o in to_change if o.meeting_id}).update(
        version=F("version") + 1
    )
    changed = 0
    for opinion in (
        opinions.filter(pk__in=[o.pk for o in to_change]).order_by("pk").select_for_update()
    ):
        wanted = opinion.pk in chosen_ids
        if opinion.is_main != wanted:
            opinion.is_main = wanted
            opinion.version += 1
            opinion.save(update_fields=["is_main", "version"])
            changed += 1
    return changed


# --- small updates -----------------------------------------------------------------------


@transaction.atomic
def update_opinion_response(*, opinion, version, status, response) -> bool:
    """Set one opinion's status and response, if they differ. Returns whether anything changed.

    Refuses (``EditConflict``) when the opinion is no longer at ``version``, the one the page
    showed. A change raises the meeting's version too, so that a meeting form opened before
    it cannot overwrite it unseen (docs/decisions/0019-versions-for-small-updates.md).
    """
    return _small_update(opinion, version, {"status": status, "response": response})


@transaction.atomic
def set_follow_up_done(*, follow_up, version, done) -> bool:
    """Mark one follow-up done or not done; as ``update_opinion_response``."""
    return _small_update(follow_up, version, {"done": done})


def _small_update(record, version, values) -> bool:
    model = type(record)
    current = model.objects.get(pk=record.pk)
    if all(getattr(current, name) == value for name, value in values.items()):
        return False  # already so, whoever made it so: nothing to write, nothing to refuse
    if current.version != version:
        raise EditConflict(current)
    # The meeting first, as save_meeting locks it first: two writers never wait on each other
    # in opposite orders.
    if current.meeting_id:
        Meeting.objects.filter(pk=current.meeting_id).update(version=F("version") + 1)
    claimed = model.objects.filter(pk=current.pk, version=version).update(version=F("version") + 1)
    if not claimed:
        raise EditConflict(model.objects.get(pk=current.pk))
    for name, value in values.items():
        setattr(current, name, value)
    current.version = version + 1
    # save() once more, so that the history records who changed what (the UPDATE above only
    # claimed the version).
    current.save(update_fields=[*values, "version"])
    return True


# --- the year's plan ---------------------------------------------------------------------


class PlanChanged(Exception):
    """The plan changed after the page showed it: nothing was written."""


@transaction.atomic
def create_year_plan(*, fiscal_year, source_year, digest):
    """Write the plan ``councils.year_plan.draft_from`` makes, if it is still the one the
    preview showed (``digest``): the phases and the planned meetings. Returns the draft."""
    # Lock the source year's phases: two staff confirming at once create one plan.
    list(SchedulePhase.objects.select_for_update().filter(fiscal_year=source_year).order_by("pk"))
    draft = draft_from(fiscal_year=fiscal_year, source_year=source_year)
    if draft.digest() != digest:
        raise PlanChanged
    SchedulePhase.objects.bulk_create(draft.phases)
    for planned in draft.to_create:
        # save(), not bulk_create: each planned meeting gets its 「作成」 history entry.
        Meeting.objects.create(
            council=planned.council,
            fiscal_year=fiscal_year,
            sequence=planned.sequence,
            status=MeetingStatus.PLANNED,
            planned_month=planned.month,
        )
    return draft


def plan_state(fiscal_year):
    """The plan of a year as its edit page shows it, as a hash: the phases and the tier-2
    councils' meetings of the year. Saving checks it did not change meanwhile."""
    phases = SchedulePhase.objects.filter(fiscal_year=fiscal_year).values_list(
        "pk", "position", "sequence", "starts_in", "title", "topics", "note"
    )
    meetings = Meeting.objects.filter(
        fiscal_year=fiscal_year, council__tier=Tier.SECOND
    ).values_list("pk", "version")
    content = repr((sorted(phases), sorted(meetings))).encode()
    return hashlib.sha256(content).hexdigest()


@transaction.atomic
def save_year_plan(*, fiscal_year, phases, months, state):
    """Save a year's plan as edited: the phases formset, then each council's planned months.

    ``months`` maps (council, sequence) to the month typed (None: no month), for the cells
    whose value changed: a planned meeting's month changes (its version rises, so an open
    meeting form notices), a cell without a meeting creates a planned one. Refuses
    (``PlanChanged``) when the plan is no longer the ``state`` the page showed.
    """
    # Locked in a fixed order, and without the default ordering's outer join to the area
    # (PostgreSQL cannot lock the nullable side of an outer join).
    list(SchedulePhase.objects.select_for_update().filter(fiscal_year=fiscal_year).order_by("pk"))
    list(
        Meeting.objects.select_for_update(of=("self",))
        .filter(fiscal_year=fiscal_year, council__tier=Tier.SECOND)
        .order_by("pk")
    )
    if plan_state(fiscal_year) != state:
        raise PlanChanged
    position = 0
    for row in phases.forms:
        if phases._should_delete_form(row):
            if row.instance.pk:
                row.instance.delete()
            continue
        if not row.instance.pk and not row.has_changed():
            continue
        position += 1
        phase = row.save(commit=False)
        phase.fiscal_year = fiscal_year
        phase.position = 1000 + position  # out of the way of the rows not yet renumbered
        phase.save()
    # Then the final positions, now that no two rows of the year share one.
    for number, phase in enumerate(
        SchedulePhase.objects.filter(fiscal_year=fiscal_year).order_by("position"), start=1
    ):
        if phase.position != number:
            SchedulePhase.objects.filter(pk=phase.pk).update(position=number)
    existing = {
        (m.council_id, m.sequence): m
        for m in Meeting.objects.filter(fiscal_year=fiscal_year, council__tier=Tier.SECOND)
    }
    for (council, sequence), month in months.items():
        meeting = existing.get((council.pk, sequence))
        if meeting is None:
            if month is not None:
                Meeting.objects.create(
                    council=council,
                    fiscal_year=fiscal_year,
                    sequence=sequence,
                    status=MeetingStatus.PLANNED,
                    planned_month=month,
                )
        elif meeting.status == MeetingStatus.PLANNED and meeting.planned_month != month:
            meeting.planned_month = month
            meeting.version += 1
            meeting.save(update_fields=["planned_month", "version"])
