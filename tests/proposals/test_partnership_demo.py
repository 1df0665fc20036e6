"""The demo innovation partnership: two negotiation rounds (the second for the final
tenders), an award to three partners, and after phase 1 a go for two and a no-go for one,
with the money in the ledger."""

from decimal import Decimal

from django.test import Client
from django.urls import reverse

from funding.demo.partnership import TITLE
from funding.models import Account, Transaction
from proposals.models import NegotiationRound, PhasePlan, Proposal, TenderVersion
from tests.conftest import login_verified


def test_the_demo_partnership_negotiates_awards_and_decides_go_and_no_go(demo_world):
    proposals = Proposal.objects.filter(call__title=TITLE)
    rounds = list(NegotiationRound.objects.filter(phase__call__title=TITLE).order_by("number"))
    assert [r.is_final for r in rounds] == [False, True]
    tenderers = proposals.count()
    assert all(r.recipients.count() == tenderers for r in rounds)
    assert TenderVersion.objects.filter(round__in=rounds).count() == 2 * tenderers
    awarded = list(proposals.filter(status=Proposal.Status.AWARDED).order_by("pk"))
    assert len(awarded) == 3
    # The final tender's price is the awarded amount.
    for proposal in awarded:
        final = TenderVersion.objects.get(round=rounds[1], proposal=proposal)
        assert final.price == proposal.contract.amount
    first = PhasePlan.objects.filter(contract__proposal__in=awarded, phase__order=1)
    assert sorted(p.status for p in first) == ["go", "go", "no_go"]
    # Go: the second phase's maximum cost is committed for each partner that continues.
    for plan in PhasePlan.objects.filter(contract__proposal__in=awarded, phase__order=2):
        committed = Account.objects.filter(
            kind=Account.Kind.COMMITTED, contract=plan.contract, fund__phase=plan.phase
        ).first()
        if plan.is_running:
            assert committed.balance == plan.max_cost
        else:
            assert plan.status == PhasePlan.Status.CANCELLED
            assert committed is None
    # No-go: nothing is left committed for the partner that stopped.
    stopped = first.get(status=PhasePlan.Status.NO_GO).contract
    assert stopped.is_terminated
    left = Account.objects.filter(kind=Account.Kind.COMMITTED, contract=stopped)
    assert sum((a.balance for a in left), Decimal("0.00")) == Decimal("0.00")
    assert Transaction.objects.filter(kind=Transaction.Kind.RELEASE, contract=stopped).exists()


def test_the_demo_partnership_pages_show_the_rounds_and_the_decisions(demo_world):
    proposal = (
        Proposal.objects.filter(call__title=TITLE, status=Proposal.Status.AWARDED)
        .select_related("call__created_by", "contract", "phase")
        .first()
    )
    officer = login_verified(Client(), proposal.call.created_by)
    page = officer.get(
        reverse("proposals:officer_negotiation", kwargs={"phase_pk": proposal.phase_id})
    )
    assert page.status_code == 200
    assert 'data-testid="round-2"' in page.content.decode()
    overview = officer.get(
        reverse("proposals:officer_partnership", kwargs={"contract_pk": proposal.contract.pk})
    )
    assert overview.status_code == 200
    assert "Vaarbereik van het proefschip" in overview.content.decode()
