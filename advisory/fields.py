"""Form fields that pick rows by id, with the id checked before any query; and a whole
number typed with its thousands separated.

A browser only ever posts ids the page offered, but a crafted post can hold anything; an id
outside what the database's integer column holds must be "not one of the choices", never an
error from the database driver (SQLite raises OverflowError for ``pk__in`` with a huge id).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from django import forms
from django.core.exceptions import ValidationError

MAX_ID = 2**63 - 1


def is_id(value: object) -> bool:
    """True for a whole number (or its decimal digits) that a big-integer key can hold."""
    if isinstance(value, bool):
        return False
    if isinstance(value, int):
        return 1 <= value <= MAX_ID
    if not isinstance(value, str):
        return False
    text = value.strip()
    return text.isascii() and text.isdigit() and len(text) <= 19 and 1 <= int(text) <= MAX_ID


class IdChoiceField(forms.ModelChoiceField):
    def to_python(self, value: Any) -> Any:
        if value in self.empty_values:
            return None
        if not isinstance(value, self.queryset.model) and not is_id(value):
            raise ValidationError(self.error_messages["invalid_choice"], code="invalid_choice")
        return super().to_python(value)


class IdMultipleChoiceField(forms.ModelMultipleChoiceField):
    def _check_values(self, value: Iterable[Any]) -> Any:
        for item in value:
            if not is_id(item):
                raise ValidationError(
                    self.error_messages["invalid_choice"],
                    code="invalid_choice",
                    params={"value": str(item)[:40]},
                )
        return super()._check_values(value)


# Thousands in groups of three, separated by commas or spaces: "1,250", "12 500".
_GROUPED = re.compile(r"\d{1,3}(?:[,\u00a0\u202f ]\d{3})+")


class WholeNumberField(forms.IntegerField):
    """A whole number shown and accepted with its thousands separated ("1,250"), in a text
    box with a numeric keyboard rather than a spinner."""

    widget = forms.TextInput

    def widget_attrs(self, widget: forms.Widget) -> dict[str, Any]:
        attrs = super().widget_attrs(widget)
        attrs.pop("min", None)
        attrs.pop("max", None)
        attrs.pop("step", None)
        return {**attrs, "inputmode": "numeric", "autocomplete": "off"}

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, int) and not isinstance(value, bool):
            return f"{value:,}"
        return value

    def to_python(self, value: Any) -> int | None:
        if isinstance(value, str) and _GROUPED.fullmatch(value.strip()):
            value = re.sub(r"\D", "", value)
        return super().to_python(value)
