"""One way to change a status: every status field has a table, and only portal.states writes it."""

import ast
from datetime import timedelta
from pathlib import Path

import pytest
from auditlog.models import LogEntry
from django.apps import apps
from django.utils import translation

from calls.models import Call
from calls.services.lifecycle import call_cancel, calls_close_expired
from portal import states
from portal.exceptions import IllegalTransition
from tests.calls.factories import draft_call, published_call

ROOT = Path(__file__).resolve().parents[2]
APPS = ("portal", "calls", "proposals", "funding", "reporting")


def _status_fields():
    for model in apps.get_models():
        for field in model._meta.concrete_fields:
            named = field.name == "status"
            stateful = field.choices and field.name.endswith(("status", "state"))
            if named or stateful:
                yield model, field


def test_every_status_field_of_every_installed_model_has_a_transition_table():
    fields = list(_status_fields())
    missing = [
        f"{model._meta.label}.{field.name}"
        for model, field in fields
        if states.table_for(model, field.name) is None
    ]
    assert fields, "no status fields found: the walk itself is broken"
    assert missing == []


def test_each_table_names_every_state_of_its_field():
    for model, field in _status_fields():
        table = states.table_for(model, field.name)
        choices = {str(value) for value, _label in field.flatchoices}
        assert {str(state) for state in table} == choices, model._meta.label


def _offences(path: Path, base: Path = ROOT) -> list[str]:
    """``.update(status=…)``, ``x.status = …`` and ``setattr(x, "status", …)`` in one file."""
    names = {field.name for _model, field in _status_fields()}
    tree = ast.parse(path.read_text(), filename=str(path))
    found = []
    for node in ast.walk(tree):
        where = f"{path.relative_to(base)}:{getattr(node, 'lineno', 0)}"
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr in ("update", "bulk_update")
            and (
                any(keyword.arg in names for keyword in node.keywords)
                or any(
                    isinstance(arg, ast.List | ast.Tuple)
                    and any(isinstance(e, ast.Constant) and e.value in names for e in arg.elts)
                    for arg in node.args
                )
            )
        ):
            found.append(f"{where} .{node.func.attr}() of a status")
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Name)
            and (
                node.func.id == "setattr"
                and len(node.args) > 1
                and isinstance(node.args[1], ast.Constant)
                and node.args[1].value in names
            )
        ):
            found.append(f"{where} setattr of a status")
        targets = []
        if isinstance(node, ast.Assign):
            targets = node.targets
        elif isinstance(node, ast.AugAssign | ast.AnnAssign):
            targets = [node.target]
        while targets:
            target = targets.pop()
            if isinstance(target, ast.Tuple | ast.List | ast.Starred):
                targets.extend(getattr(target, "elts", None) or [target.value])
            elif isinstance(target, ast.Attribute) and target.attr in names:
                found.append(f"{where} assigns .{target.attr}")
    return found


def _sources():
    for app in APPS:
        for path in sorted((ROOT / app).rglob("*.py")):
            parts = path.relative_to(ROOT).parts
            # Demo data writes a made-up history (backdated rows), as test factories do.
            if "migrations" in parts or "demo" in parts or path == ROOT / "portal/states.py":
                continue
            yield path


def test_no_code_writes_a_status_except_through_the_state_helper():
    offences = [offence for path in _sources() for offence in _offences(path)]
    assert offences == []


def test_the_source_check_finds_each_way_of_writing_a_status(tmp_path):
    sample = tmp_path / "sample.py"
    sample.write_text(
        "Call.objects.filter(pk=1).update(status='closed')\n"
        "call.status = 'closed'\n"
        "setattr(call, 'status', 'closed')\n"
        "Call.objects.bulk_update(calls, ['status'])\n"
        "call.state = 'display only'\n"
        "counts[call.status] += 1\n"
    )
    assert len(_offences(sample, base=tmp_path)) == 4


# --- The helper itself ---------------------------------------------------------------------


@pytest.mark.django_db
def test_an_illegal_move_raises_naming_both_states_and_changes_nothing():
    call = draft_call()

    with pytest.raises(states.TransitionNotAllowed) as refused, translation.override("en"):
        states.transition(call, Call.Status.AWARDED, actor=call.officer)

    assert isinstance(refused.value, IllegalTransition)
    message = str(refused.value.message)
    assert "draft" in message
    assert "awarded" in message
    call.refresh_from_db()
    assert call.status == Call.Status.DRAFT


@pytest.mark.django_db
def test_a_move_saves_the_status_and_the_callers_fields_only_and_is_audited():
    call = published_call()
    officer = call.officer
    call.title = "Not saved: the caller does not own it in this move"
    call.cancellation_reason = "Budget withdrawn"

    states.transition(
        call, Call.Status.CANCELLED, actor=officer, extra_fields=["cancellation_reason"]
    )

    call.refresh_from_db()
    assert call.status == Call.Status.CANCELLED
    assert call.cancellation_reason == "Budget withdrawn"
    assert call.title == "Circulaire viaducten"
    entry = (
        LogEntry.objects.get_for_object(call)
        .filter(action=LogEntry.Action.UPDATE)
        .latest("timestamp")
    )
    assert entry.actor == officer
    assert entry.changes_dict["status"] == ["published", "cancelled"]


@pytest.mark.django_db
def test_a_service_move_is_audited_with_the_actor_and_a_refused_one_says_why():
    call = published_call()
    call_cancel(call=call, actor=call.officer, reason="Geen budget meer")

    entry = LogEntry.objects.get_for_object(call).latest("timestamp")
    assert entry.actor == call.officer
    assert entry.changes_dict["status"] == ["published", "cancelled"]
    with pytest.raises(states.TransitionNotAllowed):
        call_cancel(call=call, actor=call.officer, reason="Nog eens")


@pytest.mark.django_db
def test_closing_expired_calls_goes_through_the_table_and_the_audit_trail():
    call = published_call()

    assert calls_close_expired(now=call.deadline + timedelta(seconds=1)) == 1

    call.refresh_from_db()
    assert call.status == Call.Status.CLOSED
    entry = LogEntry.objects.get_for_object(call).latest("timestamp")
    assert entry.changes_dict["status"] == ["published", "closed"]
    assert entry.actor is None  # the system closed it, not a person


@pytest.mark.django_db
def test_a_guard_names_a_move_of_its_table():
    from django.core.exceptions import ImproperlyConfigured

    from calls.models import CALL_TRANSITIONS

    with pytest.raises(ImproperlyConfigured):
        states.register(
            Call,
            CALL_TRANSITIONS,
            guards={(Call.Status.DRAFT, Call.Status.AWARDED): lambda call: True},
        )
    assert states.can_move(draft_call(), Call.Status.PUBLISHED)  # the table is unchanged
