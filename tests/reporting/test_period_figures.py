"""Every number of a report over a past period (2021), against figures computed by hand from a
small fixture in which things also happen before and after the period.

The fixture (amounts in euros):
- EZK fund "EZK 2021", 1,500,000 appropriated on 4 January 2021.
- Trajectory A (SBIR, missions energy and health): 400,000 approved on 1 March 2021, call
  published 10 March, closed 2 April 2021, under assessment from 2022. 5 proposals
  submitted in March
  2021 and one more in January 2022; 3 feasibility contracts of 50,000 starting 1 July 2021;
  1 prototype contract starting 1 February 2022. Paid 100,000 on 15 November 2021 and 50,000
  on 10 January 2022. A follow-up purchase of 250,000 on 1 December 2021 and one in 2022.
- Trajectory B (innovation partnership, mission energy): 300,000 approved on 1 June 2021,
  call published 15 June 2021 (still open at the end of 2021), closed in 2022. 2 proposals
  submitted in August 2021 (one by a company that also applied to A); 1 R&D contract of
  200,000 starting 1 September 2021.
- Trajectory C (SBIR): approved in 2022: not in the 2021 report.

Companies: A's five applicants are SME+start-up, SME, SME, large, large; B's are one of A's
SMEs (again) and a large company. Contracts in 2021 went to A's SME+start-up, A's SME, A's
large one, and B's large one.
"""

from datetime import date, datetime, timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from calls.models import Call
from calls.services.lifecycle import call_close, call_publish, call_start_assessment
from funding.models import Account, FollowUpPurchase, FundingRound
from funding.services.cofinancing import cofinancing_apply, cofinancing_approve, commitment_pay
from portal.models import Organisation, Role
from proposals.models import Contract, Proposal
from reporting.models import ParliamentReport
from reporting.rendering.report import report_context
from tests.calls.factories import draft_call, mission
from tests.factories import CompanyFactory, MinistryFactory, person_with_role
from tests.funding.factories import ezk_fund
from tests.proposals.factories import submitted_proposals

pytestmark = pytest.mark.django_db


def at(time_machine, year, month, day):
    time_machine.move_to(timezone.make_aware(datetime(year, month, day, 12, 0)))


def _company(proposal, *, sme, startup=False, name):
    company = proposal.company
    Organisation.objects.filter(pk=company.pk).update(is_sme=sme, is_startup=startup, name=name)
    return company


def _contract(proposal, amount, start, phase=None):
    if phase is not None:
        proposal = Proposal.objects.create(
            call=proposal.call,
            phase=phase,
            company=proposal.company,
            created_by=proposal.created_by,
            title=proposal.title,
            status=Proposal.Status.AWARDED,
            submitted_at=timezone.make_aware(datetime.combine(start, datetime.min.time())),
        )
    else:
        Proposal.objects.filter(pk=proposal.pk).update(status=Proposal.Status.AWARDED)
    return Contract.objects.create(
        proposal=proposal,
        amount=Decimal(amount),
        start_date=start,
        end_date=start + timedelta(days=180),
    )


@pytest.fixture
def world(time_machine):
    at(time_machine, 2021, 1, 4)
    staff = person_with_role(Role.MINISTRY_STAFF, organisation=MinistryFactory(name="EZK"))
    fund = ezk_fund(staff, code="ezk-2021", name="EZK 2021", amount="1500000.00")
    round_2021 = FundingRound.objects.create(
        fund=fund,
        name="Ronde 2021",
        status=FundingRound.Status.OPEN,
        opens_at=timezone.now(),
        closes_at=timezone.now() + timedelta(days=365),
        mission_required=False,
    )
    at(time_machine, 2021, 2, 1)
    a = draft_call(title="A")
    a.missions.set([mission("energy"), mission("health-care")])
    c = draft_call(title="C")

    round_2022 = FundingRound.objects.create(
        fund=fund,
        name="Ronde 2022",
        status=FundingRound.Status.OPEN,
        opens_at=timezone.now(),
        closes_at=timezone.now() + timedelta(days=600),
        mission_required=False,
    )

    def apply(call, amount, funding_round=round_2021):
        return cofinancing_apply(
            funding_round=funding_round,
            call=call,
            actor=call.officer,
            trajectory_cost=Decimal(amount) * 2,
            requested=amount,
            motivation="Missie.",
        )

    app_a, app_c = apply(a, "400000.00"), apply(c, "100000.00", round_2022)
    at(time_machine, 2021, 3, 1)
    cofinancing_approve(application=app_a, actor=staff)
    at(time_machine, 2021, 3, 10)
    a_officer = a.officer
    a = call_publish(call=a, actor=a_officer)
    at(time_machine, 2021, 3, 20)
    pa = submitted_proposals(a, 5)
    time_machine.move_to(a.deadline + timedelta(minutes=5))
    call_close(call=a, actor=a_officer)
    at(time_machine, 2021, 5, 20)
    b = draft_call(title="B", instrument=Call.Instrument.INNOVATION_PARTNERSHIP)
    b.missions.set([mission("energy")])
    app_b = apply(b, "300000.00")
    at(time_machine, 2021, 6, 1)
    cofinancing_approve(application=app_b, actor=staff)
    at(time_machine, 2021, 6, 15)
    b_officer = b.officer
    Call.objects.filter(pk=b.pk).update(
        participation_deadline=timezone.now() + timedelta(days=31),
        deadline=timezone.make_aware(datetime(2022, 1, 31, 12)),
    )
    b.phases.update(deadline=None)
    b = call_publish(call=b, actor=b_officer)
    at(time_machine, 2021, 8, 10)
    pb = [
        Proposal.objects.create(
            call=b,
            phase=b.phases.get(order=1),
            company=CompanyFactory(),
            created_by=b_officer,
            title=f"B{n}",
            status=Proposal.Status.SUBMITTED,
            submitted_at=timezone.now(),
        )
        for n in range(2)
    ]
    # Company sizes.
    sme_start = _company(pa[0], sme=True, startup=True, name="Startup BV")
    sme_1 = _company(pa[1], sme=True, name="MKB Een BV")
    _company(pa[2], sme=True, name="MKB Twee BV")
    large_a = _company(pa[3], sme=False, name="Groot A NV")
    _company(pa[4], sme=False, name="Groot B NV")
    Proposal.objects.filter(pk=pb[0].pk).update(company=sme_1)  # also applied to A
    _company(pb[1], sme=False, name="Groot C NV")
    feasibility = a.phases.get(order=1)
    prototype = a.phases.get(order=2)
    for proposal in (pa[0], pa[1], pa[3]):
        _contract(proposal, "50000.00", date(2021, 7, 1))
    _contract(pb[1], "200000.00", date(2021, 9, 1))
    at(time_machine, 2021, 11, 15)
    account_a = Account.objects.get(application=app_a)
    commitment_pay(
        account=account_a, amount="100000.00", actor=staff, description="Mijlpaal", call=a
    )
    FollowUpPurchase.objects.create(
        call=a, supplier=sme_start, amount=Decimal("250000.00"), purchased_on=date(2021, 12, 1),
        description="Tien viaducten", recorded_by=a_officer,
    )  # fmt: skip
    # --- after the period ---
    at(time_machine, 2022, 1, 5)
    Proposal.objects.create(
        call=a, phase=feasibility, company=CompanyFactory(), created_by=a_officer, title="Laat",
        status=Proposal.Status.SUBMITTED, submitted_at=timezone.now(),
    )  # fmt: skip
    at(time_machine, 2022, 1, 10)
    commitment_pay(
        account=account_a, amount="50000.00", actor=staff, description="Mijlpaal 2", call=a
    )
    cofinancing_approve(application=app_c, actor=staff)
    _contract(pa[0], "150000.00", date(2022, 2, 1), phase=prototype)
    FollowUpPurchase.objects.create(
        call=a, supplier=large_a, amount=Decimal("99.00"), purchased_on=date(2022, 3, 1),
        description="Later", recorded_by=a_officer,
    )  # fmt: skip
    call_start_assessment(call=a, actor=a_officer)
    time_machine.move_to(timezone.make_aware(datetime(2022, 2, 1, 12)))
    call_close(call=b, actor=b_officer)
    at(time_machine, 2022, 6, 1)
    report = ParliamentReport.objects.create(
        period_start=date(2021, 1, 1), period_end=date(2021, 12, 31), language="en",
        signatory_name="Mona Keijzer", signatory_title="De Staatssecretaris van EZK",
        reference="DGBI / 21012345",
    )  # fmt: skip
    return report


def test_every_number_of_the_2021_report(world):
    from django.utils import translation

    with translation.override("en"):
        context = report_context(world, lambda *args: None)
    ezk = [item["position"] for item in context["positions"]]
    assert len(ezk) == 1
    position = ezk[0]
    assert position.appropriated == Decimal("1500000.00")
    assert position.committed == Decimal("600000.00")  # 700,000 committed - 100,000 paid
    assert position.paid == Decimal("100000.00")
    assert position.available == Decimal("800000.00")

    totals = context["totals"]
    assert totals["trajectories"] == 2  # A and B; C was approved in 2022
    assert totals["cofinanced"] == Decimal("700000.00")
    assert totals["responses"] == 7  # A: 5 in March 2021 (not the 2022 one); B: 2

    money = context["in_period"]
    assert money.committed == Decimal("700000.00")
    assert money.paid == Decimal("100000.00")
    assert money.released == Decimal("0.00")

    counts = {
        count.kind: (count.in_period, count.amount_in_period, count.by_end)
        for count in context["phase_counts"]
    }
    assert counts == {
        "feasibility": (3, Decimal("150000.00"), 3),
        "prototype": (0, Decimal("0.00"), 0),  # starts in February 2022
        "rd": (1, Decimal("200000.00"), 1),
        "purchase": (0, Decimal("0.00"), 0),
        "single_round": (0, Decimal("0.00"), 0),
    }

    by_title = {t.call.title: t for t in context["trajectories"]}
    assert set(by_title) == {"A", "B"}
    assert by_title["A"].at_end.responses == 5
    assert by_title["A"].at_end.contracts == {"feasibility": 3}
    assert by_title["A"].at_end.status == "closed"  # under assessment only from 2022
    assert by_title["B"].at_end.responses == 2
    assert by_title["B"].at_end.contracts == {"rd": 1}
    assert by_title["B"].at_end.status == "open for proposals"  # closed only in 2022

    applicants, winners = context["applicants"], context["winners"]
    # Applied in 2021: Startup, MKB Een (A and B, once), MKB Twee, Groot A, Groot B, Groot C.
    assert (applicants.total, applicants.sme, applicants.startup) == (6, 3, 1)
    assert (applicants.sme_percent, applicants.startup_percent) == (50, 17)
    # Contracts starting in 2021: Startup, MKB Een, Groot A, Groot C.
    assert (winners.total, winners.sme, winners.startup) == (4, 2, 1)

    missions = context["missions"]
    rows = {label: (amount, shared) for label, amount, shared in missions.rows}
    # A: 400,000 put to use (300,000 committed + 100,000 paid) in energy and health; B: 300,000.
    energy = next(label for label in rows if "nergy" in label)
    health = next(label for label in rows if "ealth" in label)
    assert rows[energy] == (Decimal("700000.00"), True)
    assert rows[health] == (Decimal("400000.00"), True)
    assert missions.total == Decimal("700000.00")
    assert missions.overlap == Decimal("400000.00")

    purchases = context["purchases"]
    assert [(p.supplier.name, p.amount) for p in purchases] == [
        ("Startup BV", Decimal("250000.00"))
    ]
    assert context["purchases_total"] == Decimal("250000.00")

    # The chart starts with the period: no month before January 2021, none after December.
    from reporting.selectors.report import use_over_time

    points = use_over_time([position.fund], date(2021, 12, 31), since=date(2021, 1, 1))
    assert points[0].month >= date(2021, 1, 1)
    assert points[-1].month <= date(2021, 12, 1)
    assert points[-1].committed == Decimal("700000.00")
    assert points[-1].paid == Decimal("100000.00")


def test_the_pdf_shows_the_period_figures_signatory_and_reference(world):
    from reporting.rendering.report import html_to_pdf, report_html
    from tests.reporting.test_reports import pdf_text

    rendered = html_to_pdf(report_html(world))
    _reader, text = pdf_text(rendered.pdf)
    assert "DGBI / 21012345" in text
    assert "Mona Keijzer" in text
    assert "De Staatssecretaris van EZK" in text
    assert (
        "SBIR feasibility studies: 3; SBIR prototypes: 0; innovation partnership R&D phases: 1;"
        in text
    )
    assert "€ 700,000.00 was newly committed and € 100,000.00 was paid" in text
    assert "Total, each trajectory once" in text
    assert "Startup BV" in text
