"""The demo funnel of SBIR Circulaire Viaducten: 32 proposals → 10 feasibility → 3 prototypes."""

import time
from io import BytesIO

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from pypdf import PdfReader

from calls.models import Call, ParticipationRequest
from portal.models import Organisation, User
from proposals.models import (
    Advice,
    Assessment,
    Assignment,
    Attachment,
    CommitteeMember,
    ConflictDeclaration,
    Contract,
    CriterionScore,
    Deliverable,
    Proposal,
)
from proposals.selectors.ranking import ranking_for
from tests.conftest import login_verified


def load() -> float:
    started = time.monotonic()
    call_command("demo_data", "--force", stdout=open("/dev/null", "w"))  # noqa: SIM115
    return time.monotonic() - started


def counts() -> tuple[int, ...]:
    return tuple(
        model.objects.count()
        for model in (
            Organisation,
            User,
            Proposal,
            Attachment,
            CommitteeMember,
            ConflictDeclaration,
            Assignment,
            Assessment,
            CriterionScore,
            Advice,
            Contract,
            Deliverable,
            ParticipationRequest,
        )
    )


@pytest.fixture
def viaducts(demo_world) -> Call:
    return Call.objects.get(title="SBIR Circulaire Viaducten")


def test_the_funnel_narrows_from_32_to_10_to_3(viaducts):
    """32 companies proposed a feasibility study, 10 were awarded; all 10 proposed a
    prototype and the committee's advice chose 3."""
    feasibility, prototype = viaducts.phases.order_by("order")

    first = Proposal.objects.filter(phase=feasibility)
    second = Proposal.objects.filter(phase=prototype)
    assert first.count() == 32
    assert first.values("company").distinct().count() == 32
    assert first.filter(status=Proposal.Status.AWARDED).count() == 10
    assert first.filter(status=Proposal.Status.REJECTED).count() == 22
    assert second.count() == 10
    assert second.filter(status=Proposal.Status.AWARDED).count() == 3
    assert second.filter(status=Proposal.Status.REJECTED).count() == 7
    winners = set(first.filter(status="awarded").values_list("company", flat=True))
    assert set(second.values_list("company", flat=True)) <= winners

    for proposal in [*first, *second]:
        assert proposal.submitted_at < (proposal.phase.deadline or viaducts.deadline)
        assert proposal.submission_number.startswith(viaducts.reference)
        assert proposal.decision_motivation
        assert proposal.attachments.count() == proposal.phase.required_documents.count()
    # The made-up companies of the history; the portal's demo company has its own number.
    companies = (
        Organisation.objects.filter(proposals__call=viaducts)
        .exclude(name="Viaduct Circulair B.V.")
        .distinct()
    )
    assert all(c.kvk_number.startswith("71") and len(c.kvk_number) == 8 for c in companies)


def test_every_award_has_a_contract_and_each_feasibility_report_was_accepted(viaducts):
    contracts = Contract.objects.filter(proposal__call=viaducts)
    assert contracts.count() == 13
    assert all(c.proposal.status == Proposal.Status.AWARDED for c in contracts)
    assert sum(c.amount for c in contracts.filter(proposal__phase__order=1)) <= 500000
    reports = Deliverable.objects.filter(
        contract__proposal__call=viaducts, kind=Deliverable.Kind.FEASIBILITY_REPORT
    )
    assert reports.count() == 10
    assert set(reports.values_list("status", flat=True)) == {Deliverable.Status.ACCEPTED}
    for contract in contracts.prefetch_related("deliverables"):
        milestones = list(contract.deliverables.all())
        assert len(milestones) == 2  # the payment schedule of the award
        assert sum(d.amount for d in milestones) == contract.amount
        assert all(d.status == Deliverable.Status.ACCEPTED for d in milestones)
    report = reports.first()
    with report.file.open("rb") as handle:
        assert len(PdfReader(handle).pages) == 1


def test_the_committee_of_five_assessed_every_proposal_three_times(viaducts):
    feasibility = viaducts.phases.get(order=1)
    members = CommitteeMember.objects.filter(committee__phase=feasibility)

    assert members.count() == 5
    assert members.filter(role=CommitteeMember.Role.CHAIR).get().user.email == (
        "voorzitter@rws.example"
    )
    assert members.filter(is_independent=True).count() == 2
    assert members.filter(user__email="beoordelaar@rws.example").exists()
    assert all(m.code_accepted_at for m in members)
    declarations = ConflictDeclaration.objects.filter(member__committee__phase=feasibility)
    assert declarations.count() == 5 * 32
    (conflict,) = declarations.filter(has_conflict=True)
    assert conflict.explanation
    assert not Assignment.objects.filter(member=conflict.member, proposal=conflict.proposal)
    for proposal in Proposal.objects.filter(phase=feasibility):
        assignments = Assignment.objects.filter(proposal=proposal)
        assert assignments.count() == 3
        assert all(a.assessment.status == Assessment.Status.SUBMITTED for a in assignments)
    assert CriterionScore.objects.filter(motivation="").count() == 0


def test_the_ranking_puts_the_ten_selected_proposals_on_places_1_to_10(viaducts):
    feasibility = viaducts.phases.get(order=1)
    advice = Advice.objects.get(committee__phase=feasibility)
    selected = set(advice.selected.values_list("pk", flat=True))

    rows = ranking_for(feasibility)

    top = [row for row in rows if row.rank is not None and row.rank <= 10]
    assert [row.rank for row in top] == list(range(1, 11))
    assert all(row.eligible and row.assessments == 3 for row in top)
    assert {row.proposal.pk for row in top} == selected
    awarded = Proposal.objects.filter(phase=feasibility, status=Proposal.Status.AWARDED)
    assert set(awarded.values_list("pk", flat=True)) == selected
    assert advice.signed_by.email == "voorzitter@rws.example"
    assert [entry["proposal"] for entry in advice.ranking] == [row.proposal.pk for row in rows]
    assert any(row.large_spread for row in rows)  # one proposal for the chair to discuss


def test_loading_again_adds_nothing_and_it_is_quick(viaducts):
    before = counts()

    seconds = load()

    assert counts() == before
    assert seconds < 10


DECIDED = [
    "SBIR Energie-autonome legerplaats",  # created by the funding demo, completed
    "Innovatiepartnerschap emissievrije bouwlogistiek",  # its purchase is running
    "SBIR Duurzame persoonlijke beschermingsmiddelen in de zorg",  # only its first phase
]


def test_the_officer_pages_of_decided_demo_calls_follow_their_committees_advice(demo_world):
    calls = list(Call.objects.filter(title__in=DECIDED))
    assert len(calls) == len(DECIDED)
    for call in calls:
        client = login_verified(Client(), call.created_by)
        _check_officer_pages(client, call)


def _check_officer_pages(client, call):
    assert client.get(reverse("proposals:officer_proposals", args=[call.pk])).status_code == 200
    for phase in call.phases.all():
        response = client.get(reverse("proposals:officer_phase", args=[phase.pk]))
        assert response.status_code == 200
        if not Proposal.objects.filter(phase=phase).exists():
            continue  # a second phase that has not happened yet
        awarded = set(Proposal.objects.filter(phase=phase, status=Proposal.Status.AWARDED))
        advice = response.context["advice"]
        chair = advice.committee.members.get(role=CommitteeMember.Role.CHAIR)
        assert advice.signed_by == chair.user
        assert {row.proposal for row in response.context["ranking"] if row.eligible} == set(
            Proposal.objects.filter(phase=phase)
        )
        assert set(advice.selected.all()) == awarded
        assert response.context["budget_left"] >= 0
        for proposal in awarded:
            page = client.get(reverse("proposals:officer_decide", args=[proposal.pk]))
            assert page.status_code == 200
            assert page.context["advice_selected"]
            assert page.context["contract"] is not None
    assert client.get(reverse("proposals:officer_contracts")).status_code == 200
    if call.instrument == Call.Instrument.INNOVATION_PARTNERSHIP:
        page = client.get(reverse("calls:officer_participation", args=[call.pk]))
        assert page.status_code == 200


def test_a_rejected_viaducts_company_has_its_letter_with_the_winners_advantages(viaducts):
    from io import BytesIO

    from proposals.models import DecisionLetter

    letter = (
        DecisionLetter.objects.filter(proposal__call=viaducts, kind="rejection")
        .select_related("proposal__company", "decision")
        .order_by("pk")
        .first()
    )
    assert letter is not None
    assert letter.pdf
    assert letter.sent_at is not None
    with letter.pdf.open("rb") as handle:
        text = " ".join(
            " ".join(
                page.extract_text() for page in PdfReader(BytesIO(handle.read())).pages
            ).split()
        )
    assert letter.number in text
    winners = Proposal.objects.filter(
        phase=letter.proposal.phase, status=Proposal.Status.AWARDED
    ).select_related("company")
    assert any(winner.company.name in text for winner in winners)
    losers = (
        Proposal.objects.filter(phase=letter.proposal.phase, status=Proposal.Status.REJECTED)
        .exclude(pk=letter.proposal_id)
        .select_related("company")
    )
    assert not any(loser.company.name in text for loser in losers)

    client = Client()
    person = letter.proposal.company.memberships.first().user
    client.force_login(person)
    page = client.get(reverse("proposals:detail", kwargs={"pk": letter.proposal_id}))
    assert letter.number in page.content.decode()


def test_the_demo_company_has_a_proposal_in_every_state_of_a_decision(demo_world):
    """Lotte of Viaduct Circulair sees, on her proposals page: a draft, a submitted entry, an
    intended award within its standstill, an award with its contract, and a rejection with
    its letter."""
    from proposals.models import Decision, DecisionLetter

    lotte = User.objects.get(email="ondernemer@viaductcirculair.example")
    mine = Proposal.objects.filter(company__memberships__user=lotte)
    assert mine.filter(status=Proposal.Status.DRAFT).exists()
    submitted = mine.get(status=Proposal.Status.SUBMITTED)
    assert submitted.declared_at is not None
    assert submitted.declaration_text
    intended = Decision.objects.get(proposal__in=mine, status=Decision.Status.INTENDED)
    assert intended.is_award
    assert intended.standstill_ends_on > intended.decided_at.date()
    awarded = mine.get(status=Proposal.Status.AWARDED)
    assert Contract.objects.filter(proposal=awarded).exists()
    rejected = mine.get(status=Proposal.Status.REJECTED)
    letter = DecisionLetter.objects.get(proposal=rejected)

    client = Client()
    login_verified(client, lotte)
    page = client.get(reverse("proposals:mine"))
    assert page.status_code == 200
    for proposal in (submitted, intended.proposal, awarded, rejected):
        assert proposal.title in page.content.decode()
    detail = client.get(reverse("proposals:detail", kwargs={"pk": rejected.pk}))
    assert letter.number in detail.content.decode()


def test_the_demo_letters_carry_the_dates_of_their_decisions(demo_world):
    """A letter of the history is dated, made and sent on its decision's day, and its
    standstill runs from it; the companies of the intended decisions have theirs too."""
    from django.utils import timezone

    from proposals.models import Decision, DecisionLetter

    letters = list(DecisionLetter.objects.filter(decision__isnull=False).select_related("decision"))
    assert letters
    today = timezone.localdate()
    for letter in letters:
        decided_on = timezone.localdate(letter.decision.decided_at)
        assert decided_on < today, letter.number
        assert letter.decided_at == letter.decision.decided_at
        assert timezone.localdate(letter.created_at) == decided_on, letter.number
        assert timezone.localdate(letter.sent_at) == decided_on, letter.number
        assert letter.year == decided_on.year
        if letter.decision.under_awb:
            # A prize decision is final at once: its letter gives the objection period (six
            # weeks under the Awb), no standstill.
            assert letter.standstill_ends_on is None, letter.number
        else:
            assert letter.standstill_ends_on == decided_on + timezone.timedelta(
                days=letter.decision.standstill_days
            )
    intended = Decision.objects.filter(status=Decision.Status.INTENDED)
    assert intended.exists()
    assert not intended.filter(letter__isnull=True).exists()


def test_the_demo_advice_pdf_names_who_assessed_each_proposal_and_each_role_once(viaducts):
    """The signed advice's snapshot keeps the assessors; the committee list says "chair" and
    "independent expert" once per member, not again in the expertise."""
    feasibility = viaducts.phases.get(order=1)
    chair = CommitteeMember.objects.get(
        committee__phase=feasibility, role=CommitteeMember.Role.CHAIR
    )
    advice = Advice.objects.get(committee__phase=feasibility)
    assert all(len(row["assessed_by"]) == 3 for row in advice.ranking if row["rank"])

    client = Client()
    login_verified(client, chair.user)
    response = client.get(reverse("proposals:advice_pdf", kwargs={"seat_pk": chair.pk}))
    assert response.status_code == 200
    reader = PdfReader(BytesIO(b"".join(response.streaming_content)))
    text = " ".join(page.extract_text() for page in reader.pages)
    who = text.split("Wie beoordeelde wat", 1)[1]
    first = next(row for row in advice.ranking if row["rank"] == 1)
    assert first["submission_number"] in who
    for name in first["assessed_by"]:
        assert name in who
    assert f"{chair.user.full_name} (voorzitter, Hoogleraar circulair bouwen)" in text
    assert "; voorzitter" not in text
    assert "(onafhankelijk)" not in text
