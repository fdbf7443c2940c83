"""Writes of the journal that touch several tables at once."""

from django.db import transaction


def save_entry(form):
    """Save a valid ``JournalEntryForm``: the entry, its areas and what it led to, together."""
    with transaction.atomic():
        return form.save()
