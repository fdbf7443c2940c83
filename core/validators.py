"""Control characters: refused in every text people give the site, typed or imported.

A control character (NUL and the rest below U+0020, and DEL U+007F) is never part of what a
person means to write. It arrives from a damaged file, a copy from another program or on
purpose; stored, it breaks exports, CSV files and PostgreSQL (which refuses NUL in text, so
SQLite would keep what PostgreSQL turns into a server error). Allowed are the tab, the line
feed, and the carriage return only as part of a CR LF line break (what a browser sends for
a line break in a text area).

* ``find_control_character`` finds the first one in a text;
* ``ControlCharacterValidator`` refuses it in a form field with a Japanese message;
* ``install_form_validator`` (called by ``core.apps``) makes every ``forms.CharField`` of the
  site and of the admin (subclasses and model form fields included) run it;
* ``core.spreadsheets`` refuses it in any cell of an imported file, naming row and column.

See docs/decisions/0023-control-characters-refused-everywhere.md.
"""

from __future__ import annotations

import re

from django import forms
from django.core.exceptions import ValidationError
from django.utils.deconstruct import deconstructible

__all__ = [
    "ControlCharacterValidator",
    "control_character_label",
    "find_control_character",
    "install_form_validator",
]

# Below U+0020 except tab (09), LF (0A) and CR (0D); DEL; and a CR not followed by LF.
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]|\r(?!\n)")

_NAMES = {
    0x00: "NUL",
    0x07: "BEL",
    0x08: "BS",
    0x0B: "VT",
    0x0C: "FF",
    0x0D: "CR",
    0x1A: "SUB",
    0x1B: "ESC",
    0x7F: "DEL",
}


def find_control_character(text: str) -> tuple[int, str] | None:
    """``(index, character)`` of the first control character of ``text``, or ``None``."""
    match = CONTROL_CHARACTERS.search(text)
    if match is None:
        return None
    return match.start(), match.group()


def control_character_label(character: str) -> str:
    """How a message names it: ``U+0000（NUL）``, ``U+0001``."""
    code = ord(character)
    name = _NAMES.get(code)
    return f"U+{code:04X}（{name}）" if name else f"U+{code:04X}"


def control_character_message(text: str) -> str | None:
    """The Japanese reason ``text`` is refused, or ``None`` when it is fine."""
    found = find_control_character(text)
    if found is None:
        return None
    index, character = found
    return (
        f"制御文字 {control_character_label(character)}が含まれています"
        f"（{index + 1}文字目）。取り除いてから入力し直してください。"
    )


@deconstructible
class ControlCharacterValidator:
    """Refuses a text holding a control character (see the module's docstring)."""

    code = "control_character"

    def __call__(self, value):
        if not isinstance(value, str):
            return
        message = control_character_message(value)
        if message is not None:
            raise ValidationError(message, code=self.code)

    def __eq__(self, other):
        return isinstance(other, ControlCharacterValidator)

    def __hash__(self):
        return hash(self.code)


_installed = False


def install_form_validator() -> None:
    """Make every ``forms.CharField`` refuse a control character before its own cleaning.

    Hooked into ``CharField.clean`` (a class attribute looked up on each clean), so it also
    covers fields built before the apps were ready, model form fields, the admin's forms and
    those of libraries. The text is checked as typed, so the message counts characters as
    the person sees them (a URL field, say, would otherwise count the scheme it adds).
    Idempotent.
    """
    global _installed
    if _installed:
        return
    original = forms.CharField.clean
    validator = ControlCharacterValidator()

    def clean(self, value):
        validator(value)
        return original(self, value)

    clean.__wrapped__ = original
    forms.CharField.clean = clean
    _installed = True
