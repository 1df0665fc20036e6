"""Benchmark: list pages and API lists with realistic volume; prints figures, asserts nothing.

Seeds N calls and M submitted proposals into a throw-away test database (the same set-up the
test suite uses: PostgreSQL with DATABASE_URL, else SQLite), then times each list through the
Django test client and counts its SQL queries.

    .venv/bin/python tests/perf/bench_lists.py [--calls 5000] [--proposals 3000]
"""

import argparse
import os
import statistics
import sys
import time
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings.test")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.test.utils import CaptureQueriesContext, setup_test_environment  # noqa: E402
from django.utils import timezone  # noqa: E402


def seed(call_count: int, proposal_count: int):
    from calls.models import Call, Mission, Phase
    from portal.models import Membership, Organisation, Role, User
    from proposals.models import Proposal

    officer = User.objects.create_user("bench-officer@example.org", "x", full_name="Bench")
    authority = Organisation.objects.create(
        name="Bench authority", kind="authority", authority_tier="municipality"
    )
    Membership.objects.create(user=officer, organisation=authority, role=Role.PROCUREMENT_OFFICER)
    now = timezone.now()
    calls = Call.objects.bulk_create(
        Call(
            authority=authority,
            instrument=Call.Instrument.SBIR,
            title=f"Bench call {i} circulaire bruggen",
            challenge="Een uitdaging over duurzame infrastructuur en energie.",
            contact_name="Bench",
            contact_email="bench@example.org",
            total_budget=Decimal("1000000.00"),
            deadline=now + timedelta(days=30 + i % 200),
            questions_deadline=now + timedelta(days=10),
            publication_date=now - timedelta(days=i % 100),
            status=Call.Status.PUBLISHED if i % 3 else Call.Status.CLOSED,
            created_by=officer,
        )
        for i in range(call_count)
    )
    missions = list(Mission.objects.all())
    Call.missions.through.objects.bulk_create(
        Call.missions.through(call=call, mission=missions[i % len(missions)])
        for i, call in enumerate(calls)
    )
    target = calls[0]
    phase = Phase.objects.create(
        call=target, order=1, kind="feasibility", name="Fase 1", budget=Decimal("500000"),
        max_per_award=Decimal("50000"), planned_awards=10, duration_months=4,
    )  # fmt: skip
    companies = Organisation.objects.bulk_create(
        Organisation(name=f"Bench {i} B.V.", kind="company", kvk_number=f"{80000000 + i}")
        for i in range(proposal_count)
    )
    Proposal.objects.bulk_create(
        Proposal(
            call=target,
            phase=phase,
            company=company,
            created_by=officer,
            title=f"Plan {i}",
            status=Proposal.Status.SUBMITTED,
            submission_number=f"BENCH-{i:05d}",
            submitted_at=now,
            requested_amount=Decimal("40000"),
        )
        for i, company in enumerate(companies)
    )
    return officer, target


def measure(client, url: str, repeat: int = 5) -> tuple[float, int, int]:
    timings = []
    for _ in range(repeat):
        with CaptureQueriesContext(connection) as queries:
            started = time.perf_counter()
            response = client.get(url)
            timings.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, (url, response.status_code)
    return statistics.median(timings), len(queries), len(response.content)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--calls", type=int, default=5000)
    parser.add_argument("--proposals", type=int, default=3000)
    args = parser.parse_args()

    from django.test import Client
    from django.test.utils import get_runner  # noqa: F401
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    setup_test_environment()
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        started = time.perf_counter()
        officer, call = seed(args.calls, args.proposals)
        print(f"seeded {args.calls} calls and {args.proposals} proposals "
              f"in {time.perf_counter() - started:.1f} s on {connection.vendor}")  # fmt: skip
        anonymous = Client()
        officer_client = Client()
        officer_client.force_login(officer)
        device = TOTPDevice.objects.create(user=officer, name="bench", confirmed=True)
        session = officer_client.session
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.save()
        rows = [
            ("public call list", anonymous, "/calls/"),
            ("public call list, search 'bruggen'", anonymous, "/calls/?q=bruggen"),
            ("public call list, page 100", anonymous, "/calls/?page=100"),
            ("API call list", anonymous, "/api/v1/calls/"),
            ("call detail", anonymous, call.get_absolute_url()),
            ("officer: my calls", officer_client, "/officer/calls/"),
            (
                "officer: proposals of a call",
                officer_client,
                f"/officer/proposals/calls/{call.pk}/",
            ),
            ("API proposals (officer)", officer_client, "/api/v1/proposals/"),
        ]
        print(f"{'page':42} {'median ms':>10} {'queries':>8} {'bytes':>9}")
        for label, client, url in rows:
            median, queries, size = measure(client, url)
            print(f"{label:42} {median:10.1f} {queries:8d} {size:9d}")
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    main()
