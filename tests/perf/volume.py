"""Volume for the benchmarks: the demo data, then N rows of every kind that lists show.

Imported after ``django.setup()``.
"""

from datetime import date, timedelta
from decimal import Decimal

from benchdb import analyze
from django.conf import settings
from django.utils import timezone, translation


def load_demo() -> None:
    from django.db import transaction

    from portal.management.commands.demo_data import demo_loaders

    for _label, load in demo_loaders():
        with transaction.atomic(), translation.override(settings.LANGUAGE_CODE):
            load()


class World:
    """The demo's people and the records whose lists grow."""

    def __init__(self):
        from django.db.models import Count

        from calls.models import Call, Mission, Phase
        from funding.models import Fund
        from portal.models import Organisation, User
        from proposals.models import CommitteeMember

        self.officer = User.objects.get(email="inkoper@rws.example")
        # The demo's innovation partnership belongs to Zuid-Holland: its officer sees requests.
        self.partner_officer = User.objects.get(email="inkoper@zuid-holland.example")
        self.company_user = User.objects.get(email="ondernemer@viaductcirculair.example")
        self.chair = User.objects.get(email="voorzitter@rws.example")
        self.ministry = User.objects.get(email="medewerker@ezk.example")
        self.admin = User.objects.get(email="beheerder@innovatieloket.example")
        self.authority = Organisation.objects.get(name="Rijkswaterstaat")
        self.missions = list(Mission.objects.all())
        self.seat = CommitteeMember.objects.filter(user=self.chair).order_by("-pk").first()
        # The phase the chair's committee assesses: its pages and the officer's grow together.
        self.phase = (
            self.seat.committee.phase
            if self.seat
            else (
                Phase.objects.filter(call__authority=self.authority)
                .annotate(n=Count("proposals"))
                .order_by("-n", "pk")
                .first()
            )
        )
        self.call = self.phase.call
        self.partnership = (
            Call.objects.filter(instrument=Call.Instrument.INNOVATION_PARTNERSHIP)
            .order_by("pk")
            .first()
        ) or self.call  # fmt: skip
        from funding.services.ledger import fund_open

        self.fund = fund_open(
            code="bench", name="Bench fund", kind=Fund.Kind.EZK,
            owner=Organisation.objects.get(name="Ministerie van Economische Zaken en Klimaat"),
            period_start=date(2021, 1, 1), period_end=date(2030, 12, 31),
            amount=Decimal("1000000000.00"), actor=self.ministry,
        )  # fmt: skip
        self.template_call = Call.objects.get(pk=self.call.pk)
        self.seeded = 0
        self.proposal = None
        self.release_template = self.example_ocid = None  # set by the first _open_data

    def grow(self, rows: int) -> None:
        count = rows - self.seeded
        if count <= 0:
            return
        offset, self.seeded = self.seeded, rows
        self._organisations_and_proposals(count, offset)
        self._public_calls(count, offset)
        self._open_data(offset)
        self._trajectories(count, offset)
        self._jobs(count)
        self._audit(count)
        analyze()

    def _organisations_and_proposals(self, count: int, offset: int) -> None:
        from calls.models import ClarificationQuestion, ParticipationRequest
        from portal.models import Organisation
        from proposals.models import Proposal

        now = timezone.now()
        Organisation.objects.bulk_create(
            Organisation(name=f"Bench gemeente {offset + n}", kind="authority",
                         authority_tier="municipality")
            for n in range(count)
        )  # fmt: skip
        companies = Organisation.objects.bulk_create(
            Organisation(name=f"Bench {offset + n} B.V.", kind="company",
                         kvk_number=f"{90000000 + offset + n}")
            for n in range(count)
        )  # fmt: skip
        self.companies = companies[:5] if offset == 0 else self.companies
        proposals = Proposal.objects.bulk_create(
            Proposal(call=self.call, phase=self.phase, company=company,
                     created_by=self.company_user, title=f"Plan {offset + n}",
                     status=Proposal.Status.UNDER_ASSESSMENT,
                     submission_number=f"BENCH-{offset + n:06d}", submitted_at=now,
                     requested_amount=Decimal("40000.00"))
            for n, company in enumerate(companies)
        )  # fmt: skip
        self.proposal = proposals[0] if offset == 0 else self.proposal
        self._committee_work(proposals, offset)
        ParticipationRequest.objects.bulk_create(
            ParticipationRequest(call=self.partnership, company=company,
                                 submitted_by=self.company_user, motivation="Meedoen graag.")
            for company in companies
        )  # fmt: skip
        ClarificationQuestion.objects.bulk_create(
            ClarificationQuestion(call=self.call, asked_by=self.company_user, organisation=company,
                                  text=f"Vraag {offset + n} over de eisen?")
            for n, company in enumerate(companies)
        )  # fmt: skip

    def _committee_work(self, proposals, offset: int) -> None:
        """The committee's work on the new proposals, so that the ranking has scores to rank:
        the chair declared no conflict on each; two members each (round robin) were assigned
        it; most assessments submitted, some drafts, some withdrawn; a consensus on a few."""
        from proposals.models import (
            Assessment,
            Assignment,
            ConflictDeclaration,
            ConsensusScore,
            CriterionScore,
        )

        if self.seat is None:
            return
        members = list(self.seat.committee.members.active().order_by("pk"))
        criteria = list(self.phase.criteria.all())
        ConflictDeclaration.objects.bulk_create(
            ConflictDeclaration(member=self.seat, proposal=proposal, has_conflict=False)
            for proposal in proposals
        )  # fmt: skip
        now = timezone.now()
        assignments = Assignment.objects.bulk_create(
            Assignment(member=members[(offset + n + k) % len(members)], proposal=proposal,
                       withdrawn_at=now if (offset + n) % 17 == 0 and k == 1 else None)
            for n, proposal in enumerate(proposals)
            for k in range(min(2, len(members)))
        )  # fmt: skip
        assessments = Assessment.objects.bulk_create(
            Assessment(assignment=assignment,
                       status="draft" if (offset + n) % 9 == 0 else "submitted",
                       submitted_at=now)
            for n, assignment in enumerate(assignments)
        )  # fmt: skip
        CriterionScore.objects.bulk_create(
            CriterionScore(assessment=assessment, criterion=criterion,
                           score=max(criterion.scale_min,
                                     min(criterion.scale_max, 4 + (offset + n * 7 + c) % 6)),
                           motivation="Bench.")
            for n, assessment in enumerate(assessments)
            for c, criterion in enumerate(criteria)
        )  # fmt: skip
        ConsensusScore.objects.bulk_create(
            ConsensusScore(proposal=proposal, criterion=criteria[0], score=7,
                           motivation="Bench.", recorded_by=self.chair)
            for n, proposal in enumerate(proposals)
            if criteria and (offset + n) % 11 == 0
        )  # fmt: skip

    def _public_calls(self, count: int, offset: int) -> None:
        from calls.models import Call

        now = timezone.now()
        self.public_calls = Call.objects.bulk_create(
            Call(authority=self.authority, instrument=Call.Instrument.SBIR,
                 title=f"Bench oproep {offset + n} circulaire bruggen",
                 challenge="Een uitdaging over duurzame infrastructuur en energie. " * 20,
                 challenge_en="A challenge about sustainable infrastructure. " * 20,
                 contact_name="Bench", contact_email="bench@example.org",
                 total_budget=Decimal("1000000.00"), deadline=now + timedelta(days=30 + n % 200),
                 questions_deadline=now + timedelta(days=10),
                 publication_date=now - timedelta(days=n % 100),
                 status=Call.Status.PUBLISHED, created_by=self.officer)
            for n in range(count)
        )  # fmt: skip
        Call.missions.through.objects.bulk_create(
            Call.missions.through(call=call, mission=self.missions[n % len(self.missions)])
            for n, call in enumerate(self.public_calls)
        )

    def _open_data(self, offset: int) -> None:
        """The release history of the new public calls: three stored releases each (publication,
        an amendment, an award with its contract), made from the demo's largest stored release,
        and each ocid's record compiled from them as the task does."""
        import copy

        from reporting.models import OcdsRelease
        from reporting.ocds.builder import moment, ocid_of
        from reporting.services.opendata import ocds_records_compile

        if offset == 0:
            # The largest by its JSON text (the demo holds a few hundred releases).
            demo = max(OcdsRelease.objects.all(), key=lambda row: len(str(row.data)), default=None)
            self.release_template = copy.deepcopy(demo.data) if demo else None
            self.example_ocid = demo.ocid if demo else None
        template = self.release_template
        if template is None:
            return
        rows = []
        for call in self.public_calls:
            ocid = ocid_of(call.pk, 1)
            published = call.publication_date
            steps = (
                ("tender", ["tender"], published, False),
                ("amendment-1", ["tenderAmendment"], published + timedelta(days=3), False),
                (f"award-{call.pk}", ["award"], published + timedelta(days=60), True),
            )
            for event, tags, when, awarded in steps:
                data = copy.deepcopy(template)
                data.pop("relatedProcesses", None)
                if not awarded:
                    data.pop("awards", None)
                    data.pop("contracts", None)
                data["ocid"], data["id"] = ocid, f"{ocid}-{event}"
                data["date"], data["tag"] = moment(when), tags
                data["tender"]["title"] = call.title
                if event == "amendment-1":
                    data["tender"]["description"] = call.challenge[:200]
                rows.append(OcdsRelease(call=call, ocid=ocid, release_id=data["id"],
                                        date=when, tags=tags, data=data))  # fmt: skip
        OcdsRelease.objects.bulk_create(rows, batch_size=500)
        ocds_records_compile(ocids={row.ocid for row in rows})

    def _trajectories(self, count: int, offset: int) -> None:
        from bench_report import seed as seed_trajectories

        seed_trajectories(count, fund=self.fund, staff=self.ministry, authority=self.authority,
                          companies=self.companies, missions=self.missions,
                          offset=10_000 + offset)  # fmt: skip

    def _jobs(self, count: int) -> None:
        from reporting.models import Export, ParliamentReport

        ParliamentReport.objects.bulk_create(
            ParliamentReport(requested_by=self.ministry, status="done",
                             period_start=date(2024, 1, 1), period_end=date(2024, 12, 31))
            for _ in range(count)
        )  # fmt: skip
        Export.objects.bulk_create(
            Export(requested_by=self.officer, status="done", kind=Export.Kind.values[0],
                   format=Export.Format.values[0], organisation=self.authority)
            for _ in range(count)
        )  # fmt: skip

    def _audit(self, count: int) -> None:
        from auditlog.models import LogEntry
        from django.contrib.contenttypes.models import ContentType

        from calls.models import Call

        kind = ContentType.objects.get_for_model(Call)
        LogEntry.objects.bulk_create(
            LogEntry(content_type=kind, object_pk=str(self.call.pk), object_id=self.call.pk,
                     object_repr=str(self.call), action=LogEntry.Action.UPDATE,
                     actor=self.officer, timestamp=timezone.now(),
                     changes={"title": ["oud", "nieuw"],
                              "authority": [str(self.authority.pk), str(self.authority.pk)],
                              "created_by": [str(self.officer.pk), str(self.officer.pk)]})
            for _ in range(count)
        )  # fmt: skip
