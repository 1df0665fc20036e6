"""Benchmark: every page and API list the URLconf has, at 5 and at 5,000 rows; prints figures.

Walks the URLconf (no hand-kept list of pages), fills each route's arguments from the seeded
records, and requests it as the role whose pages it is. Seeds the demo data, adds 5 rows of
every kind that lists show (authorities, companies, public calls, proposals in one phase,
participation requests, clarification questions, co-financed trajectories with their ledger
transactions, reports, exports, audit entries), runs ANALYZE and measures; then grows every kind
to 5,000 rows, runs ANALYZE again and measures again. For each GET that answers 200 it prints
median ms, SQL queries and KB at both volumes, and flags a page whose queries grow, or that
takes 200 ms or more at volume.

Runs in a database of its own (``<DATABASE_URL's name>_bench_lists_<pid>``), dropped at the end:

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/innovatieloket_x \\
        .venv/bin/python tests/perf/bench_lists.py [--rows 5000] [--repeat 3] [--only officer]
"""

import argparse
import os
import re
import statistics
import sys
import time
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests" / "perf"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings.test")

from benchdb import analyze, own_database, use_own_database  # noqa: E402

use_own_database("lists")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402
from django.test.utils import CaptureQueriesContext, setup_test_environment  # noqa: E402
from django.urls import URLPattern, URLResolver, get_resolver  # noqa: E402
from django.utils import timezone, translation  # noqa: E402

SKIP = re.compile(
    r"^(admin/|api/schema|api/docs|i18n/|eherkenning/|account/|health/|favicon|static/|media/)"
)
LIMIT_MS = 200


# --- Seeding -------------------------------------------------------------------------------------


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

    def grow(self, rows: int) -> None:
        count = rows - self.seeded
        if count <= 0:
            return
        offset, self.seeded = self.seeded, rows
        self._organisations_and_proposals(count, offset)
        self._public_calls(count, offset)
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
        Proposal.objects.bulk_create(
            Proposal(call=self.call, phase=self.phase, company=company,
                     created_by=self.company_user, title=f"Plan {offset + n}",
                     status=Proposal.Status.UNDER_ASSESSMENT,
                     submission_number=f"BENCH-{offset + n:06d}", submitted_at=now,
                     requested_amount=Decimal("40000.00"))
            for n, company in enumerate(companies)
        )  # fmt: skip
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

    def _public_calls(self, count: int, offset: int) -> None:
        from calls.models import Call

        now = timezone.now()
        calls = Call.objects.bulk_create(
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
            for n, call in enumerate(calls)
        )

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


# --- The URLconf ---------------------------------------------------------------------------------


def routes(resolver=None, prefix=""):
    for pattern in (resolver or get_resolver()).url_patterns:
        if isinstance(pattern, URLResolver):
            yield from routes(pattern, prefix + str(pattern.pattern))
        elif isinstance(pattern, URLPattern):
            yield prefix + str(pattern.pattern), pattern


def fill(route: str, world: World) -> str | None:
    """The route with its arguments taken from the seeded records, or None if it needs others."""
    values = {
        "call_pk": world.call.pk,
        "phase_pk": world.phase.pk,
        "seat_pk": world.seat.pk if world.seat else None,
        "fund_code": world.fund.code,
    }
    if re.match(r"^(officer/calls|calls|api/v1/opendata/calls)/", route):
        call = world.partnership if "/participation" in route else world.call
        values["pk"] = call.pk
        values["slug"] = call.slug if hasattr(call, "slug") else "x"
    path = route.replace("^", "").replace("$", "").replace("\\", "")
    path = re.sub(r"\(\?P<pk>d\+\)", "<int:pk>", path)

    def argument(match):
        value = values.get(match.group(2))
        return "\0" if value is None else str(value)

    path = re.sub(r"<(?:(\w+):)?(\w+)>", argument, path)
    if "\0" in path or "(" in path or "[" in path:
        return None
    return "/" + path


def who(path: str) -> str:
    if path.startswith(("/ministry/", "/api/v1/funds", "/api/v1/trajectories",
                        "/api/v1/cofinancing")):  # fmt: skip
        return "ministry"
    if path.startswith("/staff/"):
        return "admin"
    if path.startswith("/assessment/"):
        return "chair"
    if path.startswith(("/proposals/", "/calls/participation/", "/company/")):
        return "company"
    if ("/participation/" in path and path.startswith("/officer/")) or path.startswith(
        "/api/v1/participation"
    ):
        return "partner officer"
    if path.startswith(("/officer/", "/exports/", "/api/v1/")) or re.match(
        r"^/calls/\d+/(questions/manage|money)/", path
    ):
        return "officer"
    return "anonymous"


def clients(world: World) -> dict:
    from django.test import Client
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    result = {"anonymous": Client()}
    for role, user in (("officer", world.officer), ("partner officer", world.partner_officer),
                       ("company", world.company_user),
                       ("chair", world.chair), ("ministry", world.ministry),
                       ("admin", world.admin)):  # fmt: skip
        client = Client()
        client.force_login(user)
        device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
        if device is None:
            device = TOTPDevice.objects.create(user=user, name="bench", confirmed=True)
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.save()
        result[role] = client
    return result


def measure(client, url: str, repeat: int) -> tuple[float, int, int] | None:
    timings = []
    for _ in range(repeat):
        with CaptureQueriesContext(connection) as queries:
            started = time.perf_counter()
            response = client.get(url, HTTP_ACCEPT="text/html,application/json")
            content = b"".join(response) if response.streaming else response.content
            timings.append((time.perf_counter() - started) * 1000)
        if response.status_code != 200:
            return None
        if timings[-1] > 5000:  # a page that slow says enough after one request
            break
    return statistics.median(timings), len(queries), len(content)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=5000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--only", default="", help="measure only paths containing this text")
    args = parser.parse_args()

    import logging

    logging.disable(logging.WARNING)
    setup_test_environment()
    with own_database() as name:
        started = time.perf_counter()
        load_demo()
        world = World()
        world.grow(5)
        print(f"database {name}: demo + 5 rows in {time.perf_counter() - started:.1f} s")
        people = clients(world)
        paths = []
        for route, _pattern in routes():
            if SKIP.match(route):
                continue
            path = fill(route, world)
            if path is None or (args.only and args.only not in path):
                continue
            paths.append(path)
        small = {}
        for path in paths:
            small[path] = measure(people[who(path)], path, args.repeat)
        started = time.perf_counter()
        world.grow(args.rows)
        print(f"grown to {args.rows} rows of each kind in {time.perf_counter() - started:.1f} s")
        header = f"{'path':58} {'role':15} {'ms@5':>7} {'q@5':>4} {'KB@5':>7} "
        header += f"{'ms@N':>8} {'q@N':>4} {'KB@N':>8}  flag"
        print(header)
        flagged = 0
        for path in paths:
            if small[path] is None:
                continue
            large = measure(people[who(path)], path, args.repeat)
            if large is None:
                print(f"{path:58} {who(path):15} no longer 200 at volume")
                continue
            (ms5, q5, b5), (msn, qn, bn) = small[path], large
            flags = []
            if qn > q5:
                flags.append("QUERIES GROW")
            if msn >= LIMIT_MS:
                flags.append(f">={LIMIT_MS}ms")
            if bn > 2 * b5 + 20_000:
                flags.append("SIZE GROWS")
            flagged += bool(flags)
            print(f"{path:58} {who(path):15} {ms5:7.1f} {q5:4d} {b5 / 1024:7.1f} "
                  f"{msn:8.1f} {qn:4d} {bn / 1024:8.1f}  {' '.join(flags)}")  # fmt: skip
        measured = sum(1 for value in small.values() if value is not None)
        print(f"{measured} pages answered 200 ({len(paths)} GET routes tried); {flagged} flagged")


if __name__ == "__main__":
    main()
