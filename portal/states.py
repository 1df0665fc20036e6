"""The one way a status changes: each status field's table of allowed moves, and ``transition``.

Every model with a status field registers its table next to the model
(``states.register(Call, CALL_TRANSITIONS)``), the way it registers with the audit trail. A
service then moves an object with ``transition(obj, to, actor=…)``: the move is checked against
the table (an illegal one raises ``TransitionNotAllowed`` naming both states), only the status
and the fields the caller names are saved (``update_fields``), and the save leaves its entry in
the audit trail (django-auditlog) with the acting person. A move the table allows only under a
condition has a guard (``register(…, guards={(from, to): condition})``): ``condition(obj)``
must hold, or the move is refused as if the table lacked it. Nothing else writes a status:
``tests/portal/test_states.py`` fails on ``.update(status=…)`` or ``obj.status = …`` anywhere
else, and on a status field without a table.

``portal`` imports none of the apps: the tables come to it, not the other way round.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Mapping
from typing import Any

from django.core.exceptions import ImproperlyConfigured
from django.db import models

from .audit import audited_as
from .exceptions import IllegalTransition

Table = Mapping[str, Collection[str]]
# A condition on one move of a table: the object (in its current state) may make it.
Guard = Callable[[Any], bool]
Guards = Mapping[tuple[str, str], Guard]

_TABLES: dict[tuple[str, str], Table] = {}
_GUARDS: dict[tuple[str, str], Guards] = {}


class TransitionNotAllowed(IllegalTransition):
    """The table of a status field has no move from the current state to the one asked for."""


def _field(model: type[models.Model], name: str) -> models.Field:
    field = model._meta.get_field(name)
    if not isinstance(field, models.Field):  # a reverse relation has no states
        raise ImproperlyConfigured(f"{model._meta.label}.{name} is not a field with choices.")
    return field


def register(
    model: type[models.Model],
    table: Table,
    *,
    field: str = "status",
    guards: Guards | None = None,
) -> Table:
    """Record ``table`` as the allowed moves of ``model.field``; every state needs a row.

    ``guards``: per move of the table (from, to), the condition the object must meet."""
    choices = {str(value) for value, _label in _field(model, field).flatchoices}
    states = {str(state) for state in table}
    targets = {str(to) for moves in table.values() for to in moves}
    if choices and (states != choices or not targets <= choices):
        raise ImproperlyConfigured(
            f"The transitions of {model._meta.label}.{field} must name each of its states "
            f"once and move only to them (missing {sorted(choices - states)}, "
            f"unknown {sorted((states | targets) - choices)})."
        )
    unknown = [move for move in guards or {} if move[1] not in table.get(move[0], ())]
    if unknown:
        raise ImproperlyConfigured(
            f"The guards of {model._meta.label}.{field} name moves its table lacks: {unknown}."
        )
    _TABLES[(model._meta.label, field)] = table
    _GUARDS[(model._meta.label, field)] = {
        (str(source), str(to)): guard for (source, to), guard in (guards or {}).items()
    }
    return table


def table_for(model: type[models.Model], field: str = "status") -> Table | None:
    """The registered table of ``model.field``, or None."""
    concrete = model._meta.concrete_model or model
    return _TABLES.get((concrete._meta.label, field))


def registered() -> Iterable[tuple[str, str]]:
    """(model label, field name) of every registered table."""
    return tuple(_TABLES)


def _table(obj: models.Model, field: str) -> Table:
    table = table_for(type(obj), field)
    if table is None:
        raise ImproperlyConfigured(f"{type(obj)._meta.label}.{field} has no transition table.")
    return table


def _guard(obj: models.Model, field: str, to: str) -> Guard | None:
    concrete = type(obj)._meta.concrete_model or type(obj)
    guards = _GUARDS.get((concrete._meta.label, field), {})
    return guards.get((str(getattr(obj, field)), str(to)))


def _allowed(obj: models.Model, to: str, field: str) -> bool:
    guard = _guard(obj, field, to)
    return guard is None or guard(obj)


def next_states(obj: models.Model, *, field: str = "status") -> frozenset[str]:
    """Where ``obj`` may go from its current state (its table's moves whose guards hold)."""
    return frozenset(
        str(to)
        for to in _table(obj, field).get(getattr(obj, field), ())
        if _allowed(obj, to, field)
    )


def can_move(obj: models.Model, to: str, *, field: str = "status") -> bool:
    return str(to) in _table(obj, field).get(getattr(obj, field), ()) and _allowed(obj, to, field)


def _label(obj: models.Model, field: str, value: str) -> str:
    return str(dict(_field(type(obj), field).flatchoices).get(value, value))


def check(obj: models.Model, to: str, *, field: str = "status") -> None:
    """Raise ``TransitionNotAllowed`` unless ``obj`` may move to ``to``; changes nothing.

    For a service that must refuse an illegal move before it checks anything else.
    """
    if not can_move(obj, to, field=field):
        raise TransitionNotAllowed(
            model=str(obj._meta.verbose_name),
            from_state=_label(obj, field, getattr(obj, field)),
            to_state=_label(obj, field, to),
        )


def transition(
    obj: models.Model,
    to: str,
    *,
    actor: Any,
    field: str = "status",
    extra_fields: Iterable[str] = (),
) -> models.Model:
    """Move ``obj`` to ``to`` if its table allows it, save, and leave the audit entry.

    ``extra_fields`` are the fields the caller set on ``obj`` for this move (a timestamp, a
    reason) and owns: they are saved with the status, and nothing else is. ``actor`` is the
    person who moved it (None for the system: a scheduled task). The caller holds the row's
    lock when two people could move it at once.
    """
    check(obj, to, field=field)
    setattr(obj, field, to)
    with audited_as(obj, actor):
        obj.save(update_fields=[field, *(name for name in extra_fields if name != field)])
    return obj
