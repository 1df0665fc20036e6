"""Calls for tests, built through the services so they obey the same rules as real ones."""

from datetime import timedelta
from decimal import Decimal
from importlib import import_module

from django.utils import timezone

from calls.models import Call, Mission, Prize
from calls.services.lifecycle import call_create, call_publish
from portal.models import Organisation, Role
from tests.factories import AuthorityFactory, person_with_role


def officer_of(authority: Organisation | None = None):
    return person_with_role(Role.PROCUREMENT_OFFICER, organisation=authority or AuthorityFactory())


def draft_call(
    *,
    officer=None,
    instrument: str = Call.Instrument.SBIR,
    complete: bool = True,
    **fields,
) -> Call:
    """A draft call; `complete` fills in the phase budgets so that it can be published."""
    officer = officer or officer_of()
    authority = officer.memberships.get(role=Role.PROCUREMENT_OFFICER).organisation
    now = timezone.now()
    values = {
        "title": "Circulaire viaducten",
        "challenge": "Viaducten die na hun eerste leven opnieuw gebruikt kunnen worden.",
        "contact_name": "Sanne de Vries",
        "contact_email": "sanne@rws.example",
        "total_budget": Decimal("3000000.00"),
        "deadline": now + timedelta(days=60),
        "questions_deadline": now + timedelta(days=40),
        **fields,
    }
    if instrument != Call.Instrument.INNOVATION_PARTNERSHIP:
        # Most tests decide and want the contract at once; the standstill has its own tests
        # (tests/proposals/test_standstill.py), which ask for a period. A partnership keeps
        # its legal 20 days.
        values.setdefault("standstill_days", 0)
        values.setdefault("standstill_reason", "Test zonder opschortingstermijn.")
    if instrument == Call.Instrument.INNOVATION_PARTNERSHIP:
        values.setdefault("participation_deadline", now + timedelta(days=31))
        values.setdefault("max_partners", 3)
    call = call_create(actor=officer, authority=authority, instrument=instrument, **values)
    if complete:
        phases = list(call.phases.all())
        share = (call.total_budget / len(phases)).quantize(Decimal("0.01"))
        for phase in phases:
            phase.budget = share
            phase.max_per_award = (share / 4).quantize(Decimal("0.01"))
            phase.planned_awards = 4
            phase.save()
            if instrument in (Call.Instrument.PRIZE_COMPETITION, Call.Instrument.HACKATHON):
                Prize.objects.create(phase=phase, rank=1, amount=share / 2)
    call.officer = officer  # handy in tests
    return call


def published_call(**kwargs) -> Call:
    call = draft_call(**kwargs)
    officer = call.officer
    call = call_publish(call=call, actor=officer)
    call.officer = officer
    return call


def ensure_missions() -> None:
    """The KIA missions a migration seeds; transactional tests flush them, so seed again."""
    seed = import_module("calls.migrations.0002_missions").MISSIONS
    for order, (code, name_nl, name_en) in enumerate(seed, 1):
        Mission.objects.update_or_create(
            code=code, defaults={"name_nl": name_nl, "name_en": name_en, "order": order}
        )


def mission(code: str = "energy") -> Mission:
    ensure_missions()
    return Mission.objects.get(code=code)


def declaration_for(call: Call, *, yes: tuple[str, ...] = ()) -> dict:
    """A complete self-declaration: "no" on every exclusion ground except the codes in
    ``yes`` (explained), and figures on every selection criterion."""
    from calls.services.selection import GroundAnswer

    return {
        "exclusions": {
            ground.pk: GroundAnswer(
                applies=ground.code in yes,
                explanation="Boete in 2023, afgehandeld." if ground.code in yes else "",
                self_cleaning="Nieuw compliancebeleid." if ground.code in yes else "",
            )
            for ground in call.exclusion_grounds.all()
        },
        "criteria": {
            criterion.pk: "Omzet € 400.000; projecten A en B."
            for criterion in call.selection_criteria.all()
        },
    }


def assessment_for(participation, *, meets: bool = True, exclude: bool | None = None) -> dict:
    """The officer's assessment of every criterion, and a decision on every "yes"."""
    from calls.services.selection import CriterionAssessment, GroundDecision

    return {
        "criteria": {
            answer.criterion_id: CriterionAssessment(
                meets=meets, reason="Voldoet." if meets else "Te weinig referenties."
            )
            for answer in participation.criterion_answers.all()
        },
        "exclusions": {
            answer.ground_id: GroundDecision(
                exclude=bool(exclude), reason="Ernstig." if exclude else "Hersteld."
            )
            for answer in participation.exclusion_answers.all()
            if answer.applies
        },
    }
