"""Benchmark: every page and API list the URLconf has, at 5 and at 5,000 rows; prints figures.

Walks the URLconf (no hand-kept list of pages), fills each route's arguments from the seeded
records, and requests it as the role whose pages it is. Seeds the demo data, adds 5 rows of
every kind that lists show (authorities, companies, public calls, proposals in one phase,
participation requests, clarification questions, co-financed trajectories with their ledger
transactions, reports, exports, audit entries), runs ANALYZE and measures; then grows every kind
to 5,000 rows, runs ANALYZE again and measures again. For each GET that answers 200 it prints
median ms, SQL queries, KB and the rows the page shows at both volumes, and flags a page whose
queries grow, that takes 200 ms or more at volume, or whose size grows beyond its rows (a full
page of 50 rows where 5 showed is not flagged; more than ``ROWS_MAX`` rows is: a whole list).
Every route not measured is listed with the reason: the status code it answered and as whom
(405 for a POST-only action, 302 with where it sends), "no arguments" naming those no seeded
record gives, or why it is left out. A closing summary counts the lists measured and names those
over 200 ms, those whose queries grow and those that grow in size. ``--only TEXT`` measures
only the paths that contain TEXT (e.g. ``--only /ministry/``), for a quicker run.

Runs in a database of its own (``<DATABASE_URL's name>_bench_lists_<pid>``), dropped at the end:

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/innovatieloket_x \\
        .venv/bin/python tests/perf/bench_lists.py [--rows 5000] [--repeat 3] \\
        [--only /officer/] [--only /assessment/]
"""

import argparse
import json
import os
import re
import statistics
import sys
import time
from collections import Counter
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

# Not the portal's pages: the admin, the schema and its viewers, language switching, logging in.
SKIP = re.compile(
    r"^(admin/|api/schema|api/docs|i18n/|eherkenning/|account/|health/|favicon|static/|media/)"
)
# Left out on purpose, with the reason printed: the bulk files serve everything by design.
BULK = "the bulk file serves everything, by design (see bench_opendata_bulk.py)"
EXCLUDED = {"api/v1/opendata/bulk/<int:year>/": BULK, "open-data/bulk/<int:year>.jsonl.gz": BULK}
LIMIT_MS = 200
# A page showing more rows than this renders a whole list, not a page of it.
ROWS_MAX = 150


# --- The URLconf ---------------------------------------------------------------------------------


def routes(resolver=None, prefix=""):
    for pattern in (resolver or get_resolver()).url_patterns:
        if isinstance(pattern, URLResolver):
            yield from routes(pattern, prefix + str(pattern.pattern))
        elif isinstance(pattern, URLPattern):
            yield prefix + str(pattern.pattern), pattern


class Arguments:
    """The seeded records whose pages are measured, read once: the call and phase that grow,
    the innovation partnership (requests to participate, selection, negotiation), the first
    decision and negotiation round, the fund."""

    def __init__(self, world: World):
        from proposals.models import Decision, NegotiationRound

        self.world = world
        partnership = world.partnership
        self.partnership_phase = partnership.phases.order_by("order").first()
        self.decision = Decision.objects.order_by("pk").first()
        self.round = (
            NegotiationRound.objects.filter(phase__call=partnership).order_by("pk").first()
            or NegotiationRound.objects.order_by("pk").first()
        )

    def values(self, route: str) -> dict:
        world = self.world
        values = {
            "call_pk": world.call.pk,
            "phase_pk": world.phase.pk,
            "seat_pk": world.seat.pk if world.seat else None,
            "fund_code": world.fund.code,
            "code": world.fund.code,
            "round_pk": self.round.pk if self.round else None,
            "ocid": world.example_ocid,
            "year": timezone.localdate().year,
        }
        if re.match(r"^(officer/calls|calls|api/v1/\^?calls|api/v1/opendata/calls"
                    r"|open-data/(history/)?calls)/", route):  # fmt: skip
            partnership = re.search(
                r"/(participation|participate|selection|exclusion-grounds|selection-criteria"
                r"|send-invitations|min-invitations)",
                route,
            )
            call = world.partnership if partnership else world.call
            values["pk"] = call.pk
            values["slug"] = call.slug
        if route.startswith(("officer/proposals/<int:pk>/", "api/v1/^proposals/")):
            values["pk"] = world.proposal.pk if world.proposal else None  # of the phase that grows
        if "/negotiation/" in route and self.partnership_phase:
            values["phase_pk"] = self.partnership_phase.pk
        if route.startswith("api/v1/^decisions/") and self.decision:
            values["pk"] = self.decision.pk
        if route.startswith("api/v1/^negotiation-rounds/") and self.round:
            values["pk"] = self.round.pk
        return values


def fill(route: str, arguments: Arguments) -> tuple[str | None, list[str]]:
    """The route with its arguments taken from the seeded records; or None and the names of
    the arguments no seeded record gives."""
    values = arguments.values(route)
    path = route.replace("^", "").replace("$", "").replace("\\", "")
    path = re.sub(r"\(\?P<(\w+)>[^)]*\)", r"<\1>", path)  # a router's regex groups
    missing = []

    def argument(match):
        value = values.get(match.group(2))
        if value is None:
            missing.append(match.group(2))
            return "\0"
        return str(value)

    path = re.sub(r"<(?:(\w+):)?(\w+)>", argument, path)
    if missing or "(" in path or "[" in path:
        return None, missing or ["pattern"]
    return "/" + path, []


def who(path: str, arguments: Arguments) -> str:
    partnership = f"/calls/{arguments.world.partnership.pk}/"
    if path.startswith(("/ministry/", "/api/v1/funds", "/api/v1/trajectories",
                        "/api/v1/cofinancing")):  # fmt: skip
        return "ministry"
    if path.startswith("/staff/"):
        return "admin"
    if path.startswith("/assessment/"):
        return "chair"
    if path.startswith("/proposals/phases/") or path == "/dashboard/":
        return "officer"  # the opening record of the phase; the officer's dashboard
    if re.match(r"^/calls/\d+/(questions/ask|participate)/", path):
        return "company"
    if path.startswith(("/proposals/", "/calls/participation/", "/company/")):
        return "company"
    if (
        (path.startswith(("/officer/", "/api/v1/")) and partnership in path)
        or "/negotiation" in path
        or path.startswith(("/api/v1/participation", "/api/v1/negotiation"))
    ):
        return "partner officer"
    if path.startswith(("/officer/", "/exports/", "/api/v1/")) or re.match(
        r"^/calls/\d+/(questions/manage|questions/publish|money|follow-up)/", path
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


def refusal(response) -> str:
    """Why a route is not measured, from its answer: the status code, and where it redirects."""
    where = response.get("Location", "")
    return f"{response.status_code}" + (f" -> {where}" if where else "")


def shown_rows(content: bytes) -> int:
    """How many rows a page shows: a JSON list's entries (or its ``results``), else the table
    rows and articles (a question with its answer form) of the HTML, or its list items when it
    has neither (navigation included, the same at both volumes)."""
    if content[:1] in (b"{", b"["):
        try:
            data = json.loads(content)
        except ValueError:
            return 0
        if isinstance(data, dict):
            data = data.get("results", data.get("releases", data.get("records", [])))
        return len(data) if isinstance(data, list) else 0
    return content.count(b"<tr") + content.count(b"<article") or content.count(b"<li")


def measure(client, url: str, repeat: int) -> tuple[float, int, int, int] | str:
    """Median ms, queries, bytes and rows shown of the page; or why not (its status code)."""
    timings = []
    for _ in range(repeat):
        with CaptureQueriesContext(connection) as queries:
            started = time.perf_counter()
            response = client.get(url, HTTP_ACCEPT="text/html,application/json")
            content = b"".join(response) if response.streaming else response.content
            timings.append((time.perf_counter() - started) * 1000)
        if response.status_code != 200:
            return refusal(response)
        if timings[-1] > 5000:  # a page that slow says enough after one request
            break
    return statistics.median(timings), len(queries), len(content), shown_rows(content)


def summary(measured, tried, rows, slow, growing, bigger, lost, unmeasured) -> None:
    """The verdict, last: how many lists were measured and which break the rules, by name;
    then every route not measured, with the reason."""
    print()
    print(f"NOT MEASURED: {len(unmeasured)} routes")
    for route, reason in unmeasured:
        print(f"  {route:70} {reason}")
    print()
    print(f"SUMMARY: {measured} lists measured (of {tried} routes tried) at 5 and {rows} rows")
    print(f"  {len(unmeasured)} not measured (listed above with the reason)")
    for title, names in (
        (f"over {LIMIT_MS} ms at {rows} rows", slow),
        ("with more queries at volume than at 5 rows", growing),
        (f"larger at volume beyond their rows, or showing over {ROWS_MAX} rows", bigger),
        ("no longer 200 at volume", lost),
    ):
        print(f"  {len(names)} {title}{':' if names else ''}")
        for name in names:
            print(f"    {name}")


def size_flag(small, large) -> str:
    """Whether a page grows in a way its page of rows does not explain: more than twice as
    large (and 20 KB more) while it shows no more rows than at 5, or more rows than at 5 and
    over ``ROWS_MAX`` (a whole list, not a page of it). A page that shows a full page (50
    rows instead of 5) is larger, honestly, and not flagged."""
    (_ms5, _q5, b5, r5), (_msn, _qn, bn, rn) = small, large
    if rn > ROWS_MAX and rn > r5:
        return "ROWS"
    if bn > 2 * b5 + 20_000 and rn <= r5:
        return "SIZE GROWS"
    return ""


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
        arguments = Arguments(world)
        print(f"database {name}: demo + 5 rows in {time.perf_counter() - started:.1f} s")
        people = clients(world)
        paths, unmeasured, skipped, tried = [], [], Counter(), 0
        for route, _pattern in routes():
            if rule := SKIP.match(route):
                skipped[rule.group(1)] += 1
                continue
            path, missing = fill(route, arguments)
            if args.only and not any(text in (path or route) for text in args.only):
                continue
            tried += 1
            if route in EXCLUDED:
                unmeasured.append((route, f"excluded: {EXCLUDED[route]}"))
            elif path is None:
                unmeasured.append((route, f"no arguments ({', '.join(missing)})"))
            else:
                paths.append(path)
        small = {}
        for path in paths:
            small[path] = measure(people[who(path, arguments)], path, args.repeat)
            if isinstance(small[path], str):
                unmeasured.append((path, f"{small[path]} as {who(path, arguments)}"))
        started = time.perf_counter()
        world.grow(args.rows)
        print(f"grown to {args.rows} rows of each kind in {time.perf_counter() - started:.1f} s")
        header = f"{'path':58} {'role':15} {'ms@5':>7} {'q@5':>4} {'KB@5':>7} {'r@5':>4} "
        header += f"{'ms@N':>8} {'q@N':>4} {'KB@N':>8} {'r@N':>4}  flag"
        print(header)
        slow, growing, bigger, lost = [], [], [], []
        for path in paths:
            if isinstance(small[path], str):
                continue
            role = who(path, arguments)
            large = measure(people[role], path, args.repeat)
            if isinstance(large, str):
                print(f"{path:58} {role:15} no longer 200 at volume: {large}")
                lost.append(f"{path} ({large})")
                continue
            (ms5, q5, b5, r5), (msn, qn, bn, rn) = small[path], large
            flags = []
            if qn > q5:
                flags.append("QUERIES GROW")
                growing.append(f"{path} ({q5} -> {qn} queries)")
            if msn >= LIMIT_MS:
                flags.append(f">={LIMIT_MS}ms")
                slow.append(f"{path} ({msn:.0f} ms)")
            if flag := size_flag(small[path], large):
                flags.append(flag)
                bigger.append(f"{path} ({b5 / 1024:.0f} -> {bn / 1024:.0f} KB, "
                              f"{r5} -> {rn} rows)")  # fmt: skip
            print(f"{path:58} {role:15} {ms5:7.1f} {q5:4d} {b5 / 1024:7.1f} {r5:4d} "
                  f"{msn:8.1f} {qn:4d} {bn / 1024:8.1f} {rn:4d}  {' '.join(flags)}")  # fmt: skip
        measured = sum(1 for value in small.values() if not isinstance(value, str))
        summary(measured, tried, args.rows, slow, growing, bigger, lost, unmeasured)
        print("  not tried, not the portal's pages: " + ", ".join(
            f"{rule} ({count} routes)" for rule, count in sorted(skipped.items())))  # fmt: skip


if __name__ == "__main__":
    main()
