"""Changing an object's fields from data: the one helper behind every "edit" service.

A service checks who may edit what and locks the row; ``model_update`` then sets the allowed
fields whose value changed, validates the object, and saves only those fields (the audit trail
records the change with its old and new values).
"""

from collections.abc import Iterable, Mapping
from typing import Any

from django.db import models

from portal.audit import audited_as


def _many_to_many(instance: models.Model, name: str) -> bool:
    field = instance._meta.get_field(name)
    return bool(field.many_to_many) and not field.auto_created


def _same_members(instance: models.Model, name: str, value: Iterable[Any]) -> bool:
    current = set(getattr(instance, name).values_list("pk", flat=True))
    return current == {getattr(item, "pk", item) for item in value}


def model_update(
    instance: models.Model,
    *,
    data: Mapping[str, Any],
    fields: Iterable[str],
    actor: Any = None,
    clean: bool = True,
) -> list[str]:
    """Set the ``fields`` that ``data`` holds and that changed; save them; return their names.

    Keys of ``data`` outside ``fields`` are ignored: the caller says what it owns. Many-to-many
    fields are set after the row is saved. With ``clean`` the object is validated first
    (``full_clean`` on the changed fields, and the model's constraints), raising Django's
    ValidationError before anything is written. Timestamps that follow every save
    (``auto_now``) are saved with the changes. The audit entry names ``actor`` (if given).
    """
    allowed = [name for name in fields if name in data]
    changed: list[str] = []
    members: dict[str, Any] = {}
    for name in allowed:
        value = data[name]
        if _many_to_many(instance, name):
            if not _same_members(instance, name, value):
                members[name] = value
                changed.append(name)
        elif getattr(instance, name) != value:
            setattr(instance, name, value)
            changed.append(name)
    columns = [name for name in changed if name not in members]
    if clean and columns:
        untouched = [
            field.name for field in instance._meta.concrete_fields if field.name not in columns
        ]
        instance.full_clean(exclude=untouched, validate_unique=False)
    stamps = []
    if columns:
        stamps = [
            field.name
            for field in instance._meta.concrete_fields
            if getattr(field, "auto_now", False) and field.name not in columns
        ]
    with audited_as(instance, actor):
        if columns:
            instance.save(update_fields=[*columns, *stamps])
        for name, value in members.items():
            getattr(instance, name).set(value)
    return changed
