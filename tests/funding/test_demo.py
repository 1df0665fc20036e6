"""The funding demo data: the EZK budgets of the cabinet period and of 2021, fully committed,
and a plausible funnel (proposals, awards, contracts) behind every co-financed trajectory."""

from datetime import timedelta
from decimal import Decimal

from django.core.management import call_command
from django.db.models import Count, Q, Sum
from django.utils import timezone

from calls.models import Call, ParticipationRequest
from funding.demo.trajectories import CABINET_FUND, ONE_OFF_FUND
from funding.models import (
    Account,
    AuthorityTarget,
    CoFinancingApplication,
    Entry,
    Fund,
    FundingRound,
    Transaction,
)
from funding.selectors.budget import fund_balances
from funding.selectors.targets import progress_of, targets_with_progress
from funding.selectors.trajectories import supported_trajectories
from portal.money import round_cents
from proposals.models import Advice, Contract, Deliverable, PhasePlan, Proposal


def _state():
    return (
        Fund.objects.count(),
        FundingRound.objects.count(),
        CoFinancingApplication.objects.count(),
        Transaction.objects.count(),
        Entry.objects.count(),
        list(Account.objects.order_by("pk").values_list("pk", "balance")),
        Proposal.objects.count(),
        Contract.objects.count(),
        Deliverable.objects.count(),
        ParticipationRequest.objects.count(),
    )


def test_demo_data_commits_both_ezk_budgets_and_is_idempotent(demo_world):

    balances = {b.fund.code: b for b in fund_balances(Fund.objects.all())}
    cabinet, one_off = balances[CABINET_FUND], balances[ONE_OFF_FUND]
    assert cabinet.appropriated == Decimal("10000000.00")
    assert one_off.appropriated == Decimal("1500000.00")
    # Committed in total: what is still committed, what has been paid from it and what the
    # completed trajectories gave back.
    released = {
        code: Entry.objects.filter(
            transaction__kind=Transaction.Kind.RELEASE,
            transaction__fund__code=code,
            account__kind=Account.Kind.AVAILABLE,
        ).aggregate(total=Sum("amount"))["total"]
        or Decimal("0.00")
        for code in (CABINET_FUND, ONE_OFF_FUND)
    }
    assert released[CABINET_FUND] > 0
    assert cabinet.committed + cabinet.paid + released[CABINET_FUND] == Decimal("10000000.00")
    assert one_off.committed + one_off.paid + released[ONE_OFF_FUND] == Decimal("1500000.00")
    assert cabinet.available == released[CABINET_FUND]
    assert one_off.available == released[ONE_OFF_FUND]
    assert cabinet.paid > 0
    assert one_off.paid > 0
    commitments = Transaction.objects.filter(kind=Transaction.Kind.COMMITMENT)
    assert commitments.filter(fund__code=CABINET_FUND).count() == 10
    assert commitments.filter(fund__code=ONE_OFF_FUND).count() == 3
    assert Entry.objects.filter(
        transaction__in=commitments, amount__gt=0, transaction__fund__code=CABINET_FUND
    ).aggregate(total=Sum("amount"))["total"] == Decimal("10000000.00")

    applications = CoFinancingApplication.objects.all()
    assert applications.filter(status=CoFinancingApplication.Status.APPROVED).count() == 13
    for application in applications:
        assert application.requested <= application.trajectory_cost / 2
        assert application.call.missions.exists()
    round_2021 = FundingRound.objects.get(fund__code=ONE_OFF_FUND)
    for application in applications.filter(round=round_2021):
        assert round_2021.opens_at <= application.submitted_at < round_2021.closes_at
        assert application.requested <= Decimal("500000.00")
    assert not (
        Transaction.objects.annotate(total=Sum("entries__amount"), n=Count("entries"))
        .filter(Q(total__isnull=True) | ~Q(total=0) | Q(n__lt=2))
        .exists()
    )
    # The budget was appropriated and committed in the cabinet period; it pays as milestones
    # are accepted, also later.
    assert all(
        t.created_at.year <= 2021
        for t in Transaction.objects.filter(
            fund__code=CABINET_FUND,
            kind__in=[Transaction.Kind.APPROPRIATION, Transaction.Kind.COMMITMENT],
        )
    )

    # Every EZK fund's budget is booked within the fund's own period, so a report over a
    # period of that year counts it (this year's too, not only from the day of loading).
    for fund in Fund.objects.filter(kind=Fund.Kind.EZK):
        booked = Transaction.objects.filter(fund=fund, kind=Transaction.Kind.APPROPRIATION)
        assert booked.exists(), fund.code
        for appropriation in booked:
            day = timezone.localdate(appropriation.created_at)
            assert fund.period_start <= day <= fund.period_end, fund.code
            assert day <= fund.period_start + timedelta(days=60), fund.code

    before = _state()
    call_command("demo_data", "--force")
    assert _state() == before


def test_the_demo_funnels_contracts_are_committed_and_their_accepted_milestones_paid(
    demo_world,
):

    assert Contract.objects.filter(proposal__call__title="SBIR Circulaire Viaducten").count() == 13
    contracts = Contract.objects.all()
    assert contracts.count() > 13  # every co-financed trajectory's, not only the viaducts'
    for contract in contracts.prefetch_related("deliverables"):
        milestones = list(contract.deliverables.all())
        assert sum(d.amount for d in milestones) == contract.amount
        assert Transaction.objects.filter(
            kind=Transaction.Kind.COMMITMENT, contract=contract, created_by__isnull=False
        ).exists()
        paid = Entry.objects.filter(
            transaction__kind=Transaction.Kind.PAYMENT,
            transaction__contract=contract,
            account__kind=Account.Kind.PAID,
            account__fund__kind=Fund.Kind.AUTHORITY,
        ).aggregate(total=Sum("amount"))["total"] or Decimal("0.00")
        accepted = sum(d.amount for d in milestones if d.status == Deliverable.Status.ACCEPTED)
        assert paid == accepted
    report = Deliverable.objects.filter(
        contract__proposal__call__title="SBIR Circulaire Viaducten",
        kind=Deliverable.Kind.FEASIBILITY_REPORT,
    ).first()
    payments = Transaction.objects.filter(
        kind=Transaction.Kind.PAYMENT, contract=report.contract, description__contains=report.name
    )
    # The authority's payment and EZK's share of it, both on the day of the review.
    assert {p.fund.kind for p in payments} == {Fund.Kind.AUTHORITY, Fund.Kind.EZK}
    assert {p.created_at for p in payments} == {report.reviewed_at}
    funds = fund_balances(Fund.objects.filter(kind=Fund.Kind.AUTHORITY))
    phases_with_contracts = {c.proposal.phase_id for c in contracts.select_related("proposal")}
    # An innovation partnership's later phases are committed by the officer's go, under the
    # contract of the first phase.
    phases_with_contracts |= set(
        PhasePlan.objects.exclude(
            status__in=[PhasePlan.Status.PLANNED, PhasePlan.Status.CANCELLED]
        ).values_list("phase_id", flat=True)
    )
    assert {figures.fund.phase_id for figures in funds} == phases_with_contracts
    for figures in funds:
        assert figures.appropriated == figures.fund.phase.budget
        assert figures.available + figures.committed + figures.paid == figures.appropriated
        if figures.fund.phase.call.title == "SBIR Circulaire Viaducten":
            assert figures.fund.period_end.year <= 2023


def test_ezk_paid_its_share_of_each_accepted_milestone_and_ended_trajectories_gave_back_the_rest(
    demo_world,
):
    """The rule /calls/<id>/money/ states: EZK pays its share (requested ÷ trajectory cost) of
    each milestone the authority pays, rounded per payment, never beyond its commitment."""
    applications = CoFinancingApplication.objects.filter(
        status=CoFinancingApplication.Status.APPROVED
    ).select_related("call")
    assert applications.count() == 13
    checked = 0
    for application in applications:
        call = application.call
        authority_payments = Entry.objects.filter(
            transaction__kind=Transaction.Kind.PAYMENT,
            transaction__call=call,
            account__kind=Account.Kind.PAID,
            account__fund__kind=Fund.Kind.AUTHORITY,
        ).values_list("amount", flat=True)
        share = sum(
            (
                round_cents(amount * application.requested / application.trajectory_cost)
                for amount in authority_payments
            ),
            Decimal("0.00"),
        )
        ezk_paid = Entry.objects.filter(
            transaction__call=call,
            account__kind=Account.Kind.PAID,
            account__fund__kind=Fund.Kind.EZK,
        ).aggregate(total=Sum("amount"))["total"] or Decimal("0.00")
        assert ezk_paid == min(share, application.requested), call.title
        checked += ezk_paid > 0
        held = Account.objects.get(kind=Account.Kind.COMMITTED, application=application).balance
        if call.status in (Call.Status.COMPLETED, Call.Status.CANCELLED):
            assert held == Decimal("0.00"), call.title
        else:
            assert held == application.requested - ezk_paid, call.title
    assert checked >= 5
    viaducts = CoFinancingApplication.objects.get(call__title="SBIR Circulaire Viaducten")
    assert viaducts.call.status == Call.Status.COMPLETED


def test_every_co_financed_trajectory_has_a_funnel_that_narrows(demo_world):

    trajectories = supported_trajectories()
    assert len(trajectories) == 13
    for trajectory in trajectories:
        call = trajectory.call
        assert trajectory.responses >= 4, call.title
        assert trajectory.responses > trajectory.feasibility > 0, call.title
        assert trajectory.feasibility > trajectory.prototype, call.title
        # The second phase has happened for the completed calls and for those of 2019–2020.
        later = call.status == Call.Status.COMPLETED or call.publication_date.year <= 2020
        assert (trajectory.prototype > 0) == later, call.title
        for phase in call.phases.all():
            proposals = Proposal.objects.filter(phase=phase)
            awarded = proposals.filter(status=Proposal.Status.AWARDED)
            assert awarded.count() <= phase.planned_awards
            assert set(proposals.values_list("status", flat=True)) <= {
                Proposal.Status.AWARDED,
                Proposal.Status.REJECTED,
            }
            assert all(p.decision_motivation and p.decided_at for p in proposals)
            amounts = list(Contract.objects.filter(proposal__phase=phase).values_list("amount"))
            assert len(amounts) == awarded.count()
            assert sum((a for (a,) in amounts), Decimal("0.00")) <= phase.budget
            assert all(a <= phase.max_per_award for (a,) in amounts)
            if proposals.exists() and call.title != "SBIR Circulaire Viaducten":
                advice = Advice.objects.get(committee__phase=phase)
                assert set(advice.selected.all()) == set(awarded)
        first = Proposal.objects.filter(call=call, phase__order=1)
        assert all(
            call.publication_date < p.submitted_at < call.deadline
            and p.submission_number.startswith(f"{call.reference}-1-")
            for p in first
        ), call.title
        assert all(p.company.kvk_number for p in first)
        winners = set(first.filter(status=Proposal.Status.AWARDED).values_list("company"))
        later_ones = Proposal.objects.filter(call=call, phase__order=2).values_list("company")
        assert set(later_ones) <= winners, call.title
        contracts = Contract.objects.filter(proposal__call=call)
        if call.status == Call.Status.COMPLETED:
            assert set(contracts.values_list("status", flat=True)) == {Contract.Status.COMPLETED}
            assert not Deliverable.objects.filter(contract__in=contracts).exclude(
                status=Deliverable.Status.ACCEPTED
            )
    partnerships = [t.call for t in trajectories if t.call.instrument == "innovation_partnership"]
    for call in partnerships:
        invited = ParticipationRequest.objects.filter(call=call, invited_at__isnull=False)
        tenderers = Proposal.objects.filter(call=call, phase__order=1).values_list("company")
        assert set(tenderers) <= set(invited.values_list("company"))
        assert all(r.invited_at < call.deadline for r in invited)


def test_the_demo_has_targets_of_each_measure_and_its_ended_trajectories_hold_nothing(
    demo_world,
):

    targets = AuthorityTarget.objects.all()
    assert {target.measure for target in targets} == set(AuthorityTarget.Measure.values)
    assert targets.count() >= 7
    progress = [progress_of(target) for target in targets_with_progress(targets)]
    # Some targets are met, others not: the table has something to tell.
    assert any(row["percent"] and row["percent"] >= 100 for row in progress)
    assert any(row["percent"] is not None and row["percent"] < 100 for row in progress)

    ended = Call.objects.filter(status__in=[Call.Status.COMPLETED, Call.Status.CANCELLED])
    assert ended.exists()
    assert not Contract.objects.filter(
        proposal__call__in=ended, status=Contract.Status.ACTIVE
    ).exists()
    assert not Account.objects.filter(
        kind=Account.Kind.COMMITTED, application__call__in=ended, balance__gt=0
    ).exists()
