"""Demo funding: the EZK launching-customer budgets of Kamerbrief 33 009 nr. 98.

- The budget of the cabinet period 2018–2021 (€ 10 million), fully committed to ten
  trajectories: the four historical calls of calls/demo/calls.py and six more of 2019–2020.
- The one-off EZK budget of 2021 (€ 1.5 million), handed out in the round of 17–31 May 2021
  (first come, first served, at most 50% and € 500,000 per trajectory) to three trajectories
  tied to the missions.
- Targets agreed with seven authorities for 2019–2021 (motie Bruins), in each of the three
  measures.

Every ledger transaction goes through the services (so each balances and every balance
follows); only their dates are moved into the past afterwards. Applications of past rounds
are written with the ORM, since the service rightly refuses a window that has closed.

The nine calls created here get their funnel (funnels.py: proposals, the committee's
advice, awards and contracts); every contract of the demo is then booked in its phase's
fund. Idempotent: once the cabinet fund exists, only a missing funnel and unbooked
contracts are added.
"""

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import Exists, OuterRef, Q, Sum
from django.utils import timezone, translation
from django.utils.translation import gettext

from calls.models import Call, Criterion, Mission, Phase
from calls.services.lifecycle import MIN_PARTICIPATION_PERIOD
from calls.structures import (
    PARTNERSHIP_CRITERIA,
    SBIR_FEASIBILITY_CRITERIA,
    SBIR_PROTOTYPE_CRITERIA,
)
from portal.demo.identity import court
from portal.models import Membership, Organisation, Role, User
from portal.money import round_cents
from portal.services.identity import membership_grant
from proposals.demo.funnel import history_load
from proposals.models import Contract, Deliverable

from ..models import (
    Account,
    AuthorityTarget,
    CoFinancingApplication,
    Fund,
    FundingRound,
    Transaction,
)
from ..selectors.budget import fund_balances
from ..services.cofinancing import call_release, cofinancing_approve
from ..services.contracts import (
    contract_commit,
    contract_release,
    milestone_pay,
    phase_fund,
)
from ..services.ledger import call_use_rebuild, fund_open
from ..services.targets import target_add
from .funnels import FUNNELS
from .partnership import load as partnership_load

AMSTERDAM = ZoneInfo("Europe/Amsterdam")
EZK = "Ministerie van Economische Zaken en Klimaat"
ACTOR = "medewerker@ezk.example"
CABINET_FUND = "ezk-launching-customer-2018-2021"
ONE_OFF_FUND = "ezk-eenmalig-2021"

Tier = Organisation.AuthorityTier
AUTHORITIES = {
    "Ministerie van Defensie": Tier.CENTRAL_GOVERNMENT,
    "Gemeente Rotterdam": Tier.MUNICIPALITY,
    "Gemeente Amsterdam": Tier.MUNICIPALITY,
    "Provincie Gelderland": Tier.PROVINCE,
    "Waterschap Aa en Maas": Tier.WATER_BOARD,
}
# What their notices say about them: public address, NUTS region, main activity and the
# district court of their seat. The OINs are made up (fictitious, like the companies' KvK
# numbers).
Activity = Organisation.MainActivity
AUTHORITY_DETAILS = {
    "Ministerie van Defensie": (
        "Kalvermarkt 32", "2511 CB", "Den Haag", "NL361", Activity.DEFENCE,
        "Rechtbank Den Haag", "070-3188188",
    ),
    "Gemeente Rotterdam": (
        "Coolsingel 40", "3011 AD", "Rotterdam", "NL366", Activity.GENERAL_PUBLIC_SERVICES,
        "Rechtbank Rotterdam", "14 010",
    ),
    "Gemeente Amsterdam": (
        "Amstel 1", "1011 PN", "Amsterdam", "NL32B", Activity.GENERAL_PUBLIC_SERVICES,
        "Rechtbank Amsterdam", "14 020",
    ),
    "Provincie Gelderland": (
        "Markt 11", "6811 CG", "Arnhem", "NL226", Activity.GENERAL_PUBLIC_SERVICES,
        "Rechtbank Gelderland", "026-3599111",
    ),
    "Waterschap Aa en Maas": (
        "Pettelaarpark 70", "5216 PP", "'s-Hertogenbosch", "NL415", Activity.ENVIRONMENT,
        "Rechtbank Oost-Brabant", "073-6158000",
    ),
}  # fmt: skip


def _details(name: str) -> dict:
    street, postal_code, city, nuts, activity, court_name, telephone = AUTHORITY_DETAILS[name]
    number = list(AUTHORITY_DETAILS).index(name) + 11
    return {
        "street_address": street,
        "postal_code": postal_code,
        "city": city,
        "nuts_code": nuts,
        "main_activity": activity,
        "telephone": telephone,
        "oin": f"000000019000000000{number:02d}",
        **court(court_name, f"000000019000000001{number:02d}"),
    }


def _at(year: int, month: int, day: int, hour: int = 12) -> datetime:
    return datetime(year, month, day, hour, 0, tzinfo=AMSTERDAM)


@dataclass
class Trajectory:
    authority: str
    title: str
    cost: str
    requested: str
    submitted: datetime
    # For calls created here: instrument, missions, published, deadline, status.
    new_call: tuple[str, list[str], datetime, datetime, str] | None = None


SBIR = Call.Instrument.SBIR
IP = Call.Instrument.INNOVATION_PARTNERSHIP
DONE = Call.Status.COMPLETED
AWARDED = Call.Status.AWARDED

CABINET = [
    Trajectory(
        "Ministerie van Defensie",
        "SBIR Energie-autonome legerplaats",
        "3000000.00",
        "1500000.00",
        _at(2019, 2, 4),
        (SBIR, ["energy", "security"], _at(2019, 3, 1), _at(2019, 5, 1, 17), DONE),
    ),
    Trajectory(
        "Gemeente Rotterdam",
        "Innovatiepartnerschap circulaire kademuren",
        "2400000.00",
        "1200000.00",
        _at(2019, 4, 15),
        (IP, ["key-technologies"], _at(2019, 5, 13), _at(2019, 7, 1, 17), DONE),
    ),
    Trajectory(
        "Provincie Gelderland",
        "SBIR Biodiverse bermen",
        "1600000.00",
        "800000.00",
        _at(2019, 9, 2),
        (SBIR, ["agriculture-water-food"], _at(2019, 10, 1), _at(2019, 12, 2, 17), AWARDED),
    ),
    Trajectory(
        "Waterschap Aa en Maas",
        "SBIR Medicijnresten uit afvalwater",
        "2000000.00",
        "1000000.00",
        _at(2020, 1, 20),
        (
            SBIR,
            ["health-care", "agriculture-water-food"],
            _at(2020, 2, 3),
            _at(2020, 4, 1, 17),
            AWARDED,
        ),
    ),
    Trajectory(
        "Gemeente Amsterdam",
        "Innovatiepartnerschap emissievrije bouwlogistiek",
        "3400000.00",
        "1700000.00",
        _at(2020, 3, 9),
        (IP, ["energy"], _at(2020, 4, 6), _at(2020, 6, 15, 17), AWARDED),
    ),
    Trajectory(
        "Rijkswaterstaat",
        "SBIR Energieneutrale tunnels",
        "1500000.00",
        "750000.00",
        _at(2020, 5, 11),
        (SBIR, ["energy", "key-technologies"], _at(2020, 6, 1), _at(2020, 8, 3, 17), AWARDED),
    ),
    # The four historical calls of calls/demo/calls.py.
    Trajectory(
        "Rijkswaterstaat",
        "SBIR Circulaire Viaducten",
        "2400000.00",
        "1200000.00",
        _at(2020, 5, 25),
    ),
    Trajectory(
        "Provincie Zuid-Holland",
        "SBIR CO2-neutrale provinciale vaarwegen",
        "1200000.00",
        "600000.00",
        _at(2020, 9, 14),
    ),
    Trajectory(
        "ZonMw",
        "SBIR Veilig binnensporten en heropenen van sportevenementen",
        "1000000.00",
        "500000.00",
        _at(2020, 10, 19),
    ),
    Trajectory(
        "Ministerie van Volksgezondheid, Welzijn en Sport",
        "SBIR Duurzame persoonlijke beschermingsmiddelen in de zorg",
        "1500000.00",
        "750000.00",
        _at(2020, 12, 7),
    ),
]

ROUND_2021 = [
    Trajectory(
        "Provincie Zuid-Holland",
        "SBIR Waterstof voor de binnenvaart",
        "1200000.00",
        "500000.00",
        _at(2021, 5, 17, 10),
        (SBIR, ["energy"], _at(2021, 6, 7), _at(2021, 8, 2, 17), AWARDED),
    ),
    Trajectory(
        "Provincie Gelderland",
        "SBIR Kringlooplandbouw zonder stikstofoverschot",
        "1000000.00",
        "500000.00",
        _at(2021, 5, 18, 10),
        (SBIR, ["agriculture-water-food"], _at(2021, 6, 14), _at(2021, 8, 30, 17), AWARDED),
    ),
    Trajectory(
        "ZonMw",
        "SBIR Langer thuis met slimme zorgtechnologie",
        "1100000.00",
        "500000.00",
        _at(2021, 5, 20, 14),
        (SBIR, ["health-care"], _at(2021, 6, 21), _at(2021, 9, 6, 17), AWARDED),
    ),
]


def _authority(name: str) -> Organisation:
    if name in AUTHORITIES:
        organisation, _created = Organisation.objects.update_or_create(
            name=name,
            defaults={
                "kind": Organisation.Kind.AUTHORITY,
                "authority_tier": AUTHORITIES[name],
                **_details(name),
            },
        )
        return organisation
    return Organisation.objects.get(name=name)


def _officer(authority: Organisation) -> User:
    membership = (
        Membership.objects.filter(organisation=authority, role=Role.PROCUREMENT_OFFICER)
        .select_related("user")
        .first()
    )
    if membership:
        return membership.user
    user, _created = User.objects.get_or_create(
        email=f"inkoper-{authority.pk}@demo.example",
        defaults={"full_name": f"Inkoper {authority.name}"},
    )
    membership_grant(organisation=authority, user=user, role=Role.PROCUREMENT_OFFICER)
    return user


def _call(trajectory: Trajectory, authority: Organisation, officer: User) -> Call:
    existing = Call.objects.filter(title=trajectory.title, authority=authority).first()
    if existing or trajectory.new_call is None:
        return existing or Call.objects.get(title=trajectory.title, authority=authority)
    instrument, missions, published, deadline, status = trajectory.new_call
    cost = Decimal(trajectory.cost)
    call = Call.objects.create(
        authority=authority,
        instrument=instrument,
        title=trajectory.title,
        challenge=(
            f"{authority.name} zocht met deze uitvraag innovaties die nog niet op de markt "
            "zijn. De opdracht is met cofinanciering van het ministerie van Economische Zaken "
            "en Klimaat als launching customer uitgevoerd."
        ),
        contact_name=officer.full_name,
        contact_email=officer.email,
        total_budget=cost,
        cpv_code="73100000",  # research and experimental development services
        place_of_performance_nuts=authority.nuts_code,
        tender_validity=3,
        tender_validity_unit=Call.ValidityUnit.MONTH,
        publication_date=published,
        deadline=deadline,
        questions_deadline=deadline - timedelta(days=14),
        status=status,
        closed_at=deadline,
        created_by=officer,
    )
    if instrument == IP:
        # Requests to participate for at least the law's 30 days after publication (the rule
        # call_publish applies), tenders by invitation after them.
        participation_deadline = (published + MIN_PARTICIPATION_PERIOD + timedelta(days=1)).replace(
            hour=17, minute=0
        )
        assert participation_deadline < deadline, trajectory.title
        Call.objects.filter(pk=call.pk).update(
            participation_deadline=participation_deadline,
            max_partners=2,
            reserves_right_to_stop=True,
        )
    # Not in the source letter: a fictitious example, marked as such wherever it is shown.
    Call.objects.filter(pk=call.pk).update(created_at=published, fictitious=True)
    call.missions.set(Mission.objects.filter(code__in=missions))
    if instrument == SBIR:
        phases = [
            (Phase.Kind.FEASIBILITY, "Haalbaarheidsonderzoek", Decimal("0.20"), 5, 4),
            (Phase.Kind.PROTOTYPE, "Prototype", Decimal("0.80"), 2, 12),
        ]
        criteria = [SBIR_FEASIBILITY_CRITERIA, SBIR_PROTOTYPE_CRITERIA]
    else:
        phases = [
            (Phase.Kind.RD, "Onderzoek en ontwikkeling", Decimal("0.40"), 2, 12),
            (Phase.Kind.PURCHASE, "Aankoop", Decimal("0.60"), 1, 24),
        ]
        criteria = [PARTNERSHIP_CRITERIA, PARTNERSHIP_CRITERIA]
    later_deadline = None
    for order, (kind, name, share, awards, months) in enumerate(phases, 1):
        budget = round_cents(cost * share)
        if instrument == SBIR and order > 1:
            # Proposals for the prototype are due two weeks after the feasibility studies.
            later_deadline = deadline + timedelta(days=round(phases[0][4] * 30.5) + 14)
        phase = Phase.objects.create(
            deadline=later_deadline,
            call=call,
            order=order,
            kind=kind,
            name=name,
            budget=budget,
            max_per_award=round_cents(budget / awards),
            planned_awards=awards,
            duration_months=months,
        )
        _criteria(phase, criteria[order - 1])
    return call


def _criteria(phase: Phase, criteria) -> None:
    """The instrument's standard criteria (calls/structures.py), in Dutch and in English."""
    rows = []
    for order, (name, description, weight) in enumerate(criteria, 1):
        texts = {}
        for suffix, language in (("", settings.LANGUAGE_CODE), ("_en", "en")):
            with translation.override(language):
                texts[f"name{suffix}"] = str(name)
                texts[f"description{suffix}"] = str(description)
        rows.append(Criterion(phase=phase, order=order, weight=weight, **texts))
    Criterion.objects.bulk_create(rows)


def _support(trajectory: Trajectory, funding_round: FundingRound, actor: User) -> Decimal:
    """Apply (history, so directly), approve through the service, then date it; returns what
    EZK committed. EZK pays its share as the call's milestones are accepted (_book_contracts)."""
    authority = _authority(trajectory.authority)
    officer = _officer(authority)
    call = _call(trajectory, authority, officer)
    application = CoFinancingApplication.objects.create(
        round=funding_round,
        call=call,
        authority=authority,
        trajectory_cost=Decimal(trajectory.cost),
        requested=Decimal(trajectory.requested),
        motivation=(
            f"{call.title} past bij de missies van het missiegedreven innovatiebeleid en "
            f"maakt {authority.name} launching customer van een innovatie die nog niet te "
            "koop is."
        ),
        submitted_by=officer,
    )
    decided = trajectory.submitted + timedelta(days=10)
    # The authority applied with its proposed competition, before publishing it, and the
    # approval came while the call was still a draft (history written afterwards: the call is
    # put back in the state it had then, for the approval only). The commitment follows the
    # call once published.
    status_today = call.status
    Call.objects.filter(pk=call.pk).update(status=Call.Status.DRAFT)
    commitment = cofinancing_approve(
        application=application, actor=actor, motivation="Past binnen de regeling."
    )
    Call.objects.filter(pk=call.pk).update(status=status_today)
    CoFinancingApplication.objects.filter(pk=application.pk).update(
        submitted_at=trajectory.submitted, decided_at=decided
    )
    Transaction.objects.filter(pk=commitment.pk).update(created_at=decided)
    return application.requested


def _open(code, name, amount, start, end, appropriated_at, owner, actor) -> Fund:
    fund = fund_open(
        code=code,
        name=name,
        kind=Fund.Kind.EZK,
        owner=owner,
        period_start=start,
        period_end=end,
        amount=amount,
        actor=actor,
    )
    Transaction.objects.filter(fund=fund).update(created_at=appropriated_at)
    return fund


def _check(funds: list[Fund]) -> None:
    """Every transaction balances and the maintained balances add up; else stop the load."""
    unbalanced = (
        Transaction.objects.filter(fund__in=funds)
        .annotate(total=Sum("entries__amount"))
        .filter(Q(total__isnull=True) | ~Q(total=0))
    )
    if unbalanced.exists():
        raise RuntimeError("A demo transaction does not balance.")
    for balance in fund_balances(funds):
        if balance.available + balance.committed + balance.paid != balance.appropriated:
            raise RuntimeError(f"The demo ledger of {balance.fund.code} does not add up.")


def _funnels() -> list[str]:
    """The proposals, awards and contracts of the calls created here, where still missing."""
    said = []
    for trajectory in CABINET + ROUND_2021:
        if trajectory.new_call is None:
            continue
        call = (
            Call.objects.filter(title=trajectory.title, authority__name=trajectory.authority)
            .select_related("authority", "created_by")
            .first()
        )
        if call is not None and not call.proposals.exists():
            said.append(history_load(call, FUNNELS[trajectory.title]))
    return said


def _book_contracts() -> str:
    """The ledger of the authorities' contracts that the proposals demos wrote directly.

    Each contract's award commits its amount from its phase's fund (opened with the phase's
    budget), each accepted milestone pays, and each ended contract releases what it did not
    pay: all through the services, then dated back to the award and the reviews. Idempotent:
    a contract whose commitment exists is skipped.

    A milestone is paid by milestone_pay, as on acceptance: with EZK's share of it when EZK
    co-finances the call. A completed or cancelled call then gives back what EZK did not pay
    (call_release, as on call_complete), dated at the end of its last contract.
    """
    booked = Account.objects.filter(contract=OuterRef("pk"), kind=Account.Kind.COMMITTED)
    contracts = (
        Contract.objects.filter(~Exists(booked))
        .select_related("proposal__call", "proposal__phase", "proposal__company")
        .order_by("proposal__phase__order", "proposal__submission_number")
    )
    count = 0
    for contract in contracts:
        proposal = contract.proposal
        officer = proposal.decided_by or proposal.call.created_by
        phase_fund(phase=proposal.phase, actor=officer)
        commitment = contract_commit(contract=contract, actor=officer)
        decided = proposal.decided_at or commitment.created_at
        Transaction.objects.filter(pk=commitment.pk).update(created_at=decided)
        Transaction.objects.filter(
            fund__phase=proposal.phase, kind=Transaction.Kind.APPROPRIATION, created_at__gt=decided
        ).update(created_at=decided)
        accepted = contract.deliverables.filter(status=Deliverable.Status.ACCEPTED)
        for deliverable in accepted.order_by("due_date", "pk"):
            payments = milestone_pay(deliverable=deliverable, actor=officer)
            if deliverable.reviewed_at:
                Transaction.objects.filter(pk__in=[p.pk for p in payments]).update(
                    created_at=deliverable.reviewed_at
                )
        if contract.status != Contract.Status.ACTIVE:
            release = contract_release(contract=contract, actor=officer, reason="Opdracht afgerond")
            if release is not None:
                Transaction.objects.filter(pk=release.pk).update(
                    created_at=timezone.make_aware(
                        datetime.combine(contract.end_date, datetime.min.time())
                    )
                )
        count += 1
    _release_ended_calls()
    # A phase's fund runs until its last contract ends.
    for fund in Fund.objects.filter(phase__isnull=False, kind=Fund.Kind.AUTHORITY):
        last = (
            Contract.objects.filter(proposal__phase_id=fund.phase_id)
            .order_by("-end_date")
            .values_list("end_date", flat=True)
            .first()
        )
        if last and last >= fund.period_start:
            Fund.objects.filter(pk=fund.pk).update(period_end=last)
    return f"{count} contracts booked"


def _release_ended_calls() -> None:
    """What EZK still holds for a completed or cancelled call goes back to its fund, as
    call_complete and call_cancel have it done; dated at the end of the call's last contract."""
    ended = Call.objects.filter(
        status__in=[Call.Status.COMPLETED, Call.Status.CANCELLED],
        cofinancing__status=CoFinancingApplication.Status.APPROVED,
    ).distinct()
    for call in ended.select_related("created_by"):
        reason = call.cancellation_reason or gettext("The trajectory was completed.")
        releases = call_release(call=call, actor=call.created_by, reason=reason)
        last = (
            Contract.objects.filter(proposal__call=call)
            .order_by("-end_date")
            .values_list("end_date", flat=True)
            .first()
        )
        if releases and last:
            when = timezone.make_aware(datetime.combine(last, datetime.min.time()))
            Transaction.objects.filter(pk__in=[r.pk for r in releases]).update(created_at=when)


Measure = AuthorityTarget.Measure
# Targets agreed with central-government authorities (motie Bruins, November 2020) for 2021–2023:
# (authority, year, measure, target, procurement budget). Provinces and municipalities have no
# numeric targets: innovation procurement through SMEs was agreed with IPO and VNG (the targets
# page and the report say so). Progress is computed.
TARGETS = [
    ("Ministerie van Defensie", 2021, Measure.SHARE, "2.50", "120000000.00"),
    ("Ministerie van Defensie", 2022, Measure.SHARE, "2.75", "125000000.00"),
    ("Ministerie van Defensie", 2023, Measure.SHARE, "3.00", "130000000.00"),
    ("Rijkswaterstaat", 2021, Measure.AMOUNT, "2500000.00", None),
    ("Rijkswaterstaat", 2022, Measure.TRAJECTORIES, "2", None),
    ("Rijkswaterstaat", 2023, Measure.TRAJECTORIES, "2", None),
    ("Ministerie van Volksgezondheid, Welzijn en Sport", 2021, Measure.TRAJECTORIES, "1", None),
    ("Ministerie van Volksgezondheid, Welzijn en Sport", 2022, Measure.TRAJECTORIES, "1", None),
    ("Ministerie van Volksgezondheid, Welzijn en Sport", 2023, Measure.TRAJECTORIES, "1", None),
]


def _targets(actor: User) -> int:
    """Through the service, as ministry staff record them; a target that exists is kept."""
    added = 0
    for name, year, measure, target, budget in TARGETS:
        authority = Organisation.objects.filter(name=name).first()
        if (
            authority is None
            or AuthorityTarget.objects.filter(
                authority=authority, year=year, measure=measure
            ).exists()
        ):
            continue
        target_add(
            actor=actor,
            data={
                "authority": authority,
                "year": year,
                "measure": measure,
                "target": Decimal(target),
                "procurement_budget": Decimal(budget) if budget else None,
            },
        )
        added += 1
    return added


# An open round of this year with applications waiting, so that every step can be tried:
# (authority, title, mission, cost, requested). Fictitious examples.
PENDING = [
    ("Provincie Gelderland", "SBIR Slimme sluizen", "energy", "900000.00", "450000.00"),
    ("Gemeente Rotterdam", "SBIR Hittebestendige pleinen", "agriculture-water-food",
     "800000.00", "400000.00"),
]  # fmt: skip


def _open_round(actor: User) -> str:
    """This year's round, open now for two weeks, with two authorities' draft calls applying
    through the services (the real rules: window, caps, mission, draft call)."""
    from calls.services.lifecycle import call_create

    from ..services.cofinancing import cofinancing_apply
    from ..services.funds import fund_create
    from ..services.rounds import round_create, round_open

    now = timezone.now()
    if FundingRound.objects.filter(
        status=FundingRound.Status.OPEN, opens_at__lte=now, closes_at__gt=now
    ).exists():
        return "an open round exists"
    year = timezone.localdate().year
    code = f"ezk-{year}-{now:%m%d}"
    fund = fund_create(
        actor=actor,
        code=code,
        name=f"EZK launching customer {year}",
        owner=Organisation.objects.get(name=EZK),
        period_start=date(year, 1, 1),
        period_end=date(year, 12, 31),
        amount="2000000.00",
        description="Demo: een open ronde om elke stap te proberen",
    )
    # The year's budget was appropriated when its year began (as the funds above), so the
    # reports of this year's periods count it, not only those made after the demo was loaded.
    Transaction.objects.filter(fund=fund).update(created_at=_at(year, 1, 2, 9))
    funding_round = round_open(
        funding_round=round_create(
            actor=actor,
            fund=fund,
            name=f"Ronde {year} ({now:%d-%m})",
            opens_at=now - timedelta(days=3),
            closes_at=now + timedelta(days=11),
            max_share=Decimal("0.500"),
            max_amount=Decimal("500000.00"),
            instruments=[SBIR, IP],
            publish_by=(now + timedelta(days=120)).date(),
        ),
        actor=actor,
    )
    for name, title, mission, cost, requested in PENDING:
        authority = _authority(name)
        officer = _officer(authority)
        call = Call.objects.filter(
            title=title, authority=authority, status=Call.Status.DRAFT
        ).first() or call_create(
            actor=officer,
            authority=authority,
            instrument=SBIR,
            title=title,
            challenge=f"{authority.name} wil als launching customer een innovatie laten "
            "ontwikkelen die nog niet te koop is (fictief demovoorbeeld).",
            contact_name=officer.full_name,
            contact_email=officer.email,
            total_budget=Decimal(cost),
            deadline=now + timedelta(days=150),
            questions_deadline=now + timedelta(days=130),
            missions=list(Mission.objects.filter(code=mission)),
        )
        Call.objects.filter(pk=call.pk).update(fictitious=True)
        cofinancing_apply(
            funding_round=funding_round,
            call=call,
            actor=officer,
            trajectory_cost=cost,
            requested=requested,
            motivation=f"{title} draagt bij aan de missie; het ministerie kan het eerst beslissen.",
            plan="Publicatie binnen drie maanden; haalbaarheid en prototype in twee fasen.",
        )
    return f"open round {funding_round.name} with {len(PENDING)} pending applications"


def load() -> str:
    actor = User.objects.get(email=ACTOR)
    if Fund.objects.filter(code=CABINET_FUND).exists():
        funnels = _funnels()
        contracts = _book_contracts()
        partnership = partnership_load(_book_contracts)
        call_use_rebuild()
        return (
            f"funds loaded already; {len(funnels)} funnels added; {contracts}; "
            f"{_targets(actor)} targets added; {_open_round(actor)}; {partnership}"
        )
    owner = Organisation.objects.get(name=EZK)
    cabinet = _open(
        CABINET_FUND,
        "EZK launching customer kabinetsperiode 2018–2021",
        "10000000.00",
        date(2018, 1, 1),
        date(2021, 12, 31),
        _at(2018, 1, 2, 9),
        owner,
        actor,
    )
    cabinet_round = FundingRound.objects.create(
        fund=cabinet,
        name="Cofinanciering launching customer 2018–2021",
        opens_at=_at(2018, 6, 1, 9),
        closes_at=_at(2020, 12, 31, 17),
        max_share=Decimal("0.500"),
        max_amount=Decimal("2500000.00"),
        status=FundingRound.Status.CLOSED,
    )
    one_off = _open(
        ONE_OFF_FUND,
        "EZK eenmalig 2021",
        "1500000.00",
        date(2021, 1, 1),
        date(2021, 12, 31),
        _at(2021, 3, 1, 9),
        owner,
        actor,
    )
    round_2021 = FundingRound.objects.create(
        fund=one_off,
        name="Ronde 2021 (17–31 mei)",
        # Staatscourant 2021, 17642: 17 May 10:00 until 31 May 16:00, first come first served,
        # at most 50% of the cost and € 500,000 per trajectory.
        opens_at=_at(2021, 5, 17, 10),
        closes_at=_at(2021, 5, 31, 16),
        max_share=Decimal("0.500"),
        max_amount=Decimal("500000.00"),
        allocation=FundingRound.Allocation.FIRST_COME,
        publish_by=date(2021, 12, 31),
        status=FundingRound.Status.CLOSED,
    )
    committed = sum((_support(t, cabinet_round, actor) for t in CABINET), Decimal("0.00"))
    committed += sum((_support(t, round_2021, actor) for t in ROUND_2021), Decimal("0.00"))
    _check([cabinet, one_off])
    count = len(CABINET) + len(ROUND_2021)
    funnels = _funnels()
    contracts = _book_contracts()
    _check(list(Fund.objects.all()))
    # The postings were dated back after they were made: their years per call follow.
    call_use_rebuild()
    targets = _targets(actor)
    opened = _open_round(actor)
    partnership = partnership_load(_book_contracts)
    call_use_rebuild()
    return (
        f"2 funds, {count} co-financed trajectories, € {committed} committed; "
        f"{'; '.join(funnels)}; "
        f"{contracts}; {targets} authority targets; {opened}; {partnership}"
    )
