"""Benchmark: every page and API list the URLconf has, at 5 and at 5,000 rows; prints figures.

Walks the URLconf (no hand-kept list of pages), fills each route's arguments from the seeded
records, and requests it as the role whose pages it is. Seeds the demo data, adds 5 rows of
every kind that lists show (authorities, companies, public calls, proposals in one phase,
participation requests, clarification questions, co-financed trajectories with their ledger
transactions, reports, exports, audit entries), runs ANALYZE and measures; then grows every kind
to 5,000 rows, runs ANALYZE again and measures again. For each GET that answers 200 it prints
median ms, SQL queries and KB at both volumes, and flags a page whose queries grow, or that
takes 200 ms or more at volume; a closing summary counts the lists measured and names those
over 200 ms, those whose queries grow and those that grow in size. ``--only TEXT`` measures
only the paths that contain TEXT (e.g. ``--only /ministry/``), for a quicker run.

Runs in a database of its own (``<DATABASE_URL's name>_bench_lists_<pid>``), dropped at the end:

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/innovatieloket_x \\
        .venv/bin/python tests/perf/bench_lists.py [--rows 5000] [--repeat 3] \\
        [--only /officer/] [--only /assessment/]
"""

import argparse
import os
import re
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests" / "perf"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings.test")

from benchdb import own_database, use_own_database  # noqa: E402

use_own_database("lists")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.test.utils import CaptureQueriesContext, setup_test_environment  # noqa: E402
from django.urls import URLPattern, URLResolver, get_resolver  # noqa: E402
from django.utils import timezone  # noqa: E402
from volume import World, load_demo  # noqa: E402

SKIP = re.compile(
    r"^(admin/|api/schema|api/docs|i18n/|eherkenning/|account/|health/|favicon|static/|media/)"
)
LIMIT_MS = 200


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
        "ocid": world.example_ocid,
        "year": timezone.localdate().year,
    }
    if re.match(r"^(officer/calls|calls|api/v1/opendata/calls|open-data/(history/)?calls)/", route):
        call = world.partnership if "/participation" in route else world.call
        values["pk"] = call.pk
        values["slug"] = call.slug if hasattr(call, "slug") else "x"
    if route.startswith("officer/proposals/<int:pk>/") and world.proposal is not None:
        values["pk"] = world.proposal.pk  # a proposal of the phase that grows
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


def summary(measured, tried, rows, slow, growing, bigger, lost) -> None:
    """The verdict, last: how many lists were measured and which break the rules, by name."""
    print()
    print(f"SUMMARY: {measured} lists measured (of {tried} GET routes tried) at 5 and {rows} rows")
    for title, names in (
        (f"over {LIMIT_MS} ms at {rows} rows", slow),
        ("with more queries at volume than at 5 rows", growing),
        ("more than twice as large at volume", bigger),
        ("no longer 200 at volume", lost),
    ):
        print(f"  {len(names)} {title}{':' if names else ''}")
        for name in names:
            print(f"    {name}")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=5000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument(
        "--only",
        action="append",
        default=[],
        help="measure only paths containing this text (repeat for several)",
    )
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
            if path is None or (args.only and not any(text in path for text in args.only)):
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
        slow, growing, bigger, lost = [], [], [], []
        for path in paths:
            if small[path] is None:
                continue
            large = measure(people[who(path)], path, args.repeat)
            if large is None:
                print(f"{path:58} {who(path):15} no longer 200 at volume")
                lost.append(path)
                continue
            (ms5, q5, b5), (msn, qn, bn) = small[path], large
            flags = []
            if qn > q5:
                flags.append("QUERIES GROW")
                growing.append(f"{path} ({q5} -> {qn} queries)")
            if msn >= LIMIT_MS:
                flags.append(f">={LIMIT_MS}ms")
                slow.append(f"{path} ({msn:.0f} ms)")
            if bn > 2 * b5 + 20_000:
                flags.append("SIZE GROWS")
                bigger.append(f"{path} ({b5 / 1024:.0f} -> {bn / 1024:.0f} KB)")
            print(f"{path:58} {who(path):15} {ms5:7.1f} {q5:4d} {b5 / 1024:7.1f} "
                  f"{msn:8.1f} {qn:4d} {bn / 1024:8.1f}  {' '.join(flags)}")  # fmt: skip
        measured = sum(1 for value in small.values() if value is not None)
        summary(measured, len(paths), args.rows, slow, growing, bigger, lost)


if __name__ == "__main__":
    main()
