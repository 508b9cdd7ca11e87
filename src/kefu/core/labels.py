"""What people read instead of codes: a field's verbose name, a choice's label."""

from __future__ import annotations

from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.utils.translation import gettext as _


def model_field(model: type[models.Model], name: str) -> models.Field[object, object] | None:
    """The concrete field ``name`` (or its ``*_id`` column) of ``model``, if any."""
    try:
        field = model._meta.get_field(name)
    except FieldDoesNotExist:
        return None
    return field if isinstance(field, models.Field) else None


def field_label(model: type[models.Model], name: str) -> str:
    """The field's verbose name in the active language, else ``name`` as it is."""
    field = model_field(model, name)
    return str(field.verbose_name) if field is not None else name


def choice_label(model: type[models.Model], name: str, value: object) -> str:
    """``value`` of field ``name`` as its choice label, else the value as text."""
    field = model_field(model, name)
    if field is not None and field.choices:
        for choice, label in field.flatchoices:
            if str(choice) == str(value):
                return str(label)
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return str(_yes_no(value))
    if isinstance(value, list):
        return ", ".join(str(item) for item in value) or "—"
    return str(value)


def _yes_no(value: bool) -> str:
    return _("yes") if value else _("no")
