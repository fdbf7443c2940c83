"""Model helpers every app uses."""

from django.core.validators import MaxLengthValidator
from django.db import models
from django.db.models.functions import Length
from django.db.models.lookups import LessThanOrEqual


class NaturalKeyManager(models.Manager):
    """A manager whose natural key is a single unique field, named by ``natural_key_field``.

    Fixtures name records by such keys (an area by its name, a coordinator by placement),
    never by primary key, so loading them twice changes nothing.
    """

    natural_key_field = "name"

    def get_by_natural_key(self, key):
        return self.get(**{self.natural_key_field: key})


def limited_text(verbose_name, max_length, **options) -> models.TextField:
    """A free-text field with a length limit that fits its use: the form's ``maxlength`` and
    message, and ``full_clean`` (the admin and its imports) refuse a longer text; pair it
    with ``text_length_check`` so that the database refuses it too."""
    return models.TextField(
        verbose_name,
        max_length=max_length,
        validators=[MaxLengthValidator(max_length)],
        **options,
    )


class TextLengthCheck(models.CheckConstraint):
    """A length check the database enforces and ``full_clean`` leaves to the field's own
    ``MaxLengthValidator``: Django would otherwise ask the database once per row and
    constraint (a meeting form with many opinions asks hundreds of times)."""

    def validate(self, model, instance, exclude=None, using=None):
        return


def text_length_check(db_table, field_name, max_length) -> models.CheckConstraint:
    """The database's side of ``limited_text``: ``<table>_<field>_length``."""
    return TextLengthCheck(
        condition=LessThanOrEqual(Length(field_name), max_length),
        name=f"{db_table}_{field_name}_length",
    )


def text_length_checks(model_name, limits) -> list[models.CheckConstraint]:
    """``text_length_check`` for each (field name, limit) of the model's table
    ``model_name`` (``app_label_modelname``)."""
    return [text_length_check(model_name, name, limit) for name, limit in limits.items()]
