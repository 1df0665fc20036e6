"""The eForms Schematron rules are compiled as a Celery worker process starts, when the setting
asks for it (on in production), so that the first officer's check does not wait 5-10 s."""

import pytest
from celery.signals import worker_process_init

from reporting.eforms import schematron


def _start_worker_process() -> list:
    """Send Celery's worker_process_init as a new pool process does; the warm-up's thread."""
    answers = dict(worker_process_init.send(sender=None))
    thread = answers[schematron.warm_up_on_worker_start]
    if thread is not None:
        thread.join(timeout=10)
    return [thread]


@pytest.fixture
def calls(monkeypatch) -> list:
    made: list = []
    monkeypatch.setattr(schematron, "warm_up", lambda: made.append("warm_up"))
    return made


def test_a_worker_process_compiles_the_rules_as_it_starts_when_asked(settings, calls):
    settings.EFORMS_SCHEMATRON_WARM_UP = True
    (thread,) = _start_worker_process()
    assert thread is not None
    assert not thread.is_alive()
    assert thread.daemon  # never keeps a stopping worker alive
    assert calls == ["warm_up"]


def test_without_the_setting_nothing_is_compiled_at_start(settings, calls):
    settings.EFORMS_SCHEMATRON_WARM_UP = False
    assert _start_worker_process() == [None]
    assert calls == []


def test_a_failing_warm_up_is_logged_and_leaves_the_worker_running(settings, monkeypatch, caplog):
    def broken():
        raise RuntimeError("no Saxon today")

    monkeypatch.setattr(schematron, "warm_up", broken)
    settings.EFORMS_SCHEMATRON_WARM_UP = True
    _start_worker_process()
    assert "could not be compiled in advance" in caplog.text


def test_the_warm_up_compiles_every_subtype_the_portal_makes():
    if not schematron.available():
        pytest.skip("saxonche is not installed")
    schematron.warm_up()
    for subtype in schematron.SUBTYPES:
        # Compiled already: the same executable, at once.
        assert schematron._executable(f"eforms-{subtype}") is not None
    assert schematron._executable.cache_info().currsize >= len(schematron.SUBTYPES)
