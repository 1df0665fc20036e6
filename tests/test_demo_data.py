from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from calls.models import Call
from portal.models import Membership, Organisation, Role, User


def load():
    call_command("demo_data", "--force", stdout=open("/dev/null", "w"))  # noqa: SIM115


def test_demo_data_loads_the_source_letters_world_and_can_run_again(demo_world):
    counts = (Organisation.objects.count(), User.objects.count(), Call.objects.count())
    load()
    assert (Organisation.objects.count(), User.objects.count(), Call.objects.count()) == counts

    names = set(Organisation.objects.values_list("name", flat=True))
    for name in ["Rijkswaterstaat", "Provincie Zuid-Holland", "ZonMw"]:
        assert name in names
    for role in Role.values:
        assert Membership.objects.filter(role=role).exists(), role
    assert User.objects.filter(is_staff=True).exists()


def test_demo_has_the_four_named_trajectories_and_calls_open_now(demo_world):
    titles = set(Call.objects.values_list("title", flat=True))
    assert "SBIR Circulaire Viaducten" in titles
    assert any("vaarwegen" in t for t in titles)
    assert any("binnensporten" in t for t in titles)
    assert any("beschermingsmiddelen" in t for t in titles)
    open_now = Call.objects.filter(status=Call.Status.PUBLISHED, deadline__gt=timezone.now())
    assert open_now.count() >= 1
    assert open_now.filter(instrument=Call.Instrument.INNOVATION_PARTNERSHIP).exists()
    viaducts = Call.objects.get(title="SBIR Circulaire Viaducten")
    assert [p.planned_awards for p in viaducts.phases.all()] == [10, 3]


@pytest.mark.django_db
def test_a_test_without_the_demo_finds_an_empty_database():
    # The demo of the tests before is rolled back before this one starts.
    assert not Call.objects.exists()
    assert not Organisation.objects.exists()


def test_the_demo_partnership_shows_the_whole_procedure(demo_world):
    """Selection (one candidate excluded, one not selected, each with its letter and the
    standstill), two negotiation rounds, final tenders, an award, a phase-1 go for two
    partners and a no-go for one."""
    from calls.models import ParticipationRequest
    from funding.demo.partnership import TITLE
    from proposals.models import DecisionLetter, NegotiationRound, PhasePlan, Proposal

    call = Call.objects.get(title=TITLE)
    requests = call.participation_requests.all()
    statuses = sorted(requests.values_list("status", flat=True))
    assert statuses.count(ParticipationRequest.Status.SELECTED) >= 3
    assert ParticipationRequest.Status.EXCLUDED in statuses
    assert ParticipationRequest.Status.REJECTED in statuses
    for request in requests:
        # Every candidate declared on every ground and criterion, and the officer gave a reason.
        assert request.exclusion_answers.count() == call.exclusion_grounds.count() > 0
        assert request.criterion_answers.filter(meets__isnull=False).exclude(reason="").count() == (
            call.selection_criteria.count()
        )
    excluded = requests.get(status=ParticipationRequest.Status.EXCLUDED)
    assert excluded.exclusion_answers.filter(applies=True, decision="exclude").exists()
    rejected = requests.get(status=ParticipationRequest.Status.REJECTED)
    assert rejected.criterion_answers.filter(meets=False).exists()
    letters = {
        letter.participation_request_id: letter
        for letter in DecisionLetter.objects.filter(participation_request__call=call)
    }
    assert set(letters) == set(requests.values_list("pk", flat=True))
    assert all(letter.pdf and letter.is_sent for letter in letters.values())
    assert letters[excluded.pk].kind == DecisionLetter.Kind.EXCLUDED
    assert letters[rejected.pk].kind == DecisionLetter.Kind.NOT_SELECTED
    assert letters[rejected.pk].standstill_ends_on == call.selection_standstill_ends_on
    assert call.selection_standstill_ends_on < timezone.localdate(call.deadline)
    # The letters bear the day of the selection, and the standstill runs from it.
    selected_on = timezone.localdate(call.invitations_sent_at)
    assert {letter.dated_on for letter in letters.values()} == {selected_on}
    assert call.selection_standstill_ends_on == selected_on + timedelta(days=call.standstill_days)

    rounds = list(NegotiationRound.objects.filter(phase__call=call).order_by("number"))
    assert [r.is_final for r in rounds] == [False, True]
    assert all(r.versions.count() == r.recipients.count() > 0 for r in rounds)
    awarded = Proposal.objects.filter(call=call, status=Proposal.Status.AWARDED)
    assert awarded.count() == 3
    first = PhasePlan.objects.filter(contract__proposal__in=awarded, phase__order=1)
    assert sorted(first.values_list("status", flat=True)) == ["go", "go", "no_go"]


def test_demo_prize_competition_has_its_three_prizes_awarded_with_letters(demo_world):
    from proposals.models import Decision, DecisionLetter

    call = Call.objects.get(title="Prijsvraag Langer thuis met dementie")
    phase = call.phases.get()
    prizes = list(phase.prizes.order_by("rank").values_list("rank", "amount", "count"))
    assert [(rank, str(amount), count) for rank, amount, count in prizes] == [
        (1, "50000.00", 1),
        (2, "30000.00", 1),
        (3, "20000.00", 1),
    ]
    awards = Decision.objects.filter(phase=phase, kind=Decision.Kind.AWARD).order_by("prize__rank")
    # The jury's ranking decides: prize 1 to the best entry, and so on; each gets its amount.
    ranking = {row["proposal"]: row["rank"] for row in phase.committee.advice.ranking}
    assert [(d.prize.rank, ranking[d.proposal_id], d.amount) for d in awards] == [
        (prize.rank, prize.rank, prize.amount) for prize in phase.prizes.order_by("rank")
    ]
    assert all(d.is_final and d.under_awb for d in Decision.objects.filter(phase=phase))
    assert not call.proposals.exclude(requested_amount=None).exists()
    letters = DecisionLetter.objects.filter(decision__phase=phase)
    assert letters.count() == 4
    assert all(letter.pdf and letter.sent_at for letter in letters)
    hackathon = Call.objects.get(title="Hackathon Zorgdata voor mantelzorgers")
    assert hackathon.max_registrations == 12
    assert hackathon.is_open
