"""Benchmark: requests per second of the API lists against a hand-written ``.values()`` view.

Seeds the demo data plus 5,000 public calls and 3,000 proposals of one officer's call into a
database of its own, collects the static files, and serves the app with gunicorn under the
production settings (``tests/perf/bench_settings.py``: production's, with a URLconf that adds
the two ``.values()`` baselines of ``tests/perf/bench_urls.py``). Then it loads each URL with
the same number of concurrent clients in short slices, interleaved (every URL once per slice,
the order reversed from one slice to the next, several slices per round, so a busy moment of
the machine hits all of them), and prints requests per second and the ratio of each URL to its
baseline, per round and the median of the rounds.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/innovatieloket_x \\
        .venv/bin/python tests/perf/bench_throughput.py [--port 8140] [--rounds 3] \\
        [--seconds 5] [--slices 5]

Environment passed to gunicorn besides DATABASE_URL: a random SECRET_KEY, ALLOWED_HOSTS,
STATIC_ROOT in a temporary directory, generous API throttles (the benchmark is one client),
and whatever else the caller's environment sets (e.g. DATABASE_CONN_MAX_AGE, REDIS_URL).
"""

import argparse
import http.client
import os
import secrets
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PERF = ROOT / "tests" / "perf"
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(PERF))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings.test")

from benchdb import analyze, own_database, use_own_database  # noqa: E402

use_own_database("throughput")

import django  # noqa: E402

django.setup()

from volume import World, load_demo  # noqa: E402

TOKEN = """
from portal.identity.services.tokens import api_token_create
from portal.models import User

officer = User.objects.get(email="inkoper@rws.example")
_token, key = api_token_create(
    actor=officer, name="bench", scope="read", days=1, second_factor_verified=True
)
print(key)
"""


def seed(calls: int, proposals: int) -> None:
    """The volume: the demo, public calls, and proposals for a call of the officer's."""
    import logging

    logging.disable(logging.WARNING)
    load_demo()
    world = World()
    world._public_calls(calls, 0)
    world._organisations_and_proposals(proposals, 0)
    analyze()


def server_environment(static_root: Path) -> dict:
    environment = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "bench_settings",
        "PYTHONPATH": os.pathsep.join([str(PERF), str(ROOT)]),
        "SECRET_KEY": secrets.token_urlsafe(48),
        "DEBUG": "false",
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "STATIC_ROOT": str(static_root),
        "API_THROTTLE_ANON": "1000000/minute",
        "API_THROTTLE_USER": "1000000/minute",
        "LOG_LEVEL": "ERROR",
        "ENV_FILE": os.devnull,
    }
    return environment


def get(port: int, path: str, headers: dict) -> tuple[int, bytes]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    try:
        connection.request("GET", path, headers=headers)
        response = connection.getresponse()
        return response.status, response.read()
    finally:
        connection.close()


def load(port: int, path: str, headers: dict, clients: int, seconds: float) -> tuple[int, float]:
    """How many requests `clients` concurrent clients got answered from `path` in about
    `seconds`, and the seconds it took."""
    done = [0] * clients
    failures = []
    stop = time.perf_counter() + seconds

    def client(number: int) -> None:
        while time.perf_counter() < stop:
            status, _body = get(port, path, headers)
            if status != 200:
                failures.append(status)
                return
            done[number] += 1

    started = time.perf_counter()
    threads = [threading.Thread(target=client, args=(n,)) for n in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if failures:
        raise SystemExit(f"{path} answered {failures[0]}")
    return sum(done), time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, default=8140)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--seconds", type=float, default=5)
    parser.add_argument(
        "--slices", type=int, default=5,
        help="each round gives every URL its seconds in this many slices, interleaved",
    )  # fmt: skip
    parser.add_argument("--calls", type=int, default=5000)
    parser.add_argument("--proposals", type=int, default=3000)
    args = parser.parse_args()

    with own_database() as name, tempfile.TemporaryDirectory(prefix="bench-static-") as static:
        started = time.perf_counter()
        seed(args.calls, args.proposals)
        print(f"database {name}: demo + {args.calls} calls + {args.proposals} proposals "
              f"in {time.perf_counter() - started:.0f} s")  # fmt: skip
        environment = server_environment(Path(static))
        subprocess.run(
            [sys.executable, str(ROOT / "manage.py"), "collectstatic", "--noinput", "-v0"],
            env=environment, check=True, cwd=ROOT,
        )  # fmt: skip
        # The token's hash depends on SECRET_KEY: made under the server's settings.
        key = subprocess.run(
            [sys.executable, str(ROOT / "manage.py"), "shell", "-c", TOKEN],
            env=environment, check=True, cwd=ROOT, capture_output=True, text=True,
        ).stdout.strip().splitlines()[-1]  # fmt: skip
        gunicorn = shutil.which("gunicorn", path=str(Path(sys.executable).parent)) or "gunicorn"
        server = subprocess.Popen(
            [gunicorn, "portal.wsgi", "--bind", f"127.0.0.1:{args.port}",
             "--workers", str(args.workers), "--worker-class", "sync", "--log-level", "warning"],
            env=environment, cwd=ROOT,
        )  # fmt: skip
        try:
            run(args, key)
        finally:
            server.terminate()
            server.wait(timeout=30)


def run(args, key: str) -> None:
    https = {"X-Forwarded-Proto": "https"}  # as the proxy in front of production sends it
    officer = {**https, "Authorization": f"Token {key}"}
    for _attempt in range(60):
        try:
            if get(args.port, "/health/", {})[0] == 200:
                break
        except OSError:
            pass
        time.sleep(0.5)
    urls = [
        ("calls .values()", "/bench/values/calls/", https),
        ("calls API", "/api/v1/calls/", https),
        ("calls HTML", "/calls/", https),
        ("proposals .values()", "/bench/values/proposals/", officer),
        ("proposals API", "/api/v1/proposals/", officer),
    ]
    for label, path, headers in urls:  # warm up, and prove each answers what it should
        status, body = get(args.port, path, headers)
        if status != 200:
            raise SystemExit(f"{label} {path} answered {status}: {body[:300]!r}")
    ratios = {"calls API": [], "calls HTML": [], "proposals API": []}
    base_of = {
        "calls API": "calls .values()",
        "calls HTML": "calls .values()",
        "proposals API": "proposals .values()",
    }
    print(f"gunicorn: {args.workers} sync workers; {args.clients} clients; {args.seconds:.0f} s "
          f"per URL and round in {args.slices} interleaved slices; "
          f"settings: portal.settings.production")  # fmt: skip
    print(f"{'round':>5} " + " ".join(f"{label:>20}" for label, _p, _h in urls))
    for number in range(1, args.rounds + 1):
        # Short slices, every URL once per slice, the order reversed each slice: a busy moment
        # of a shared machine falls on all of them alike.
        answered = dict.fromkeys([label for label, _p, _h in urls], 0)
        elapsed = dict.fromkeys(answered, 0.0)
        for part in range(args.slices):
            order = urls if (number + part) % 2 else list(reversed(urls))
            for label, path, headers in order:
                count, seconds = load(
                    args.port, path, headers, args.clients, args.seconds / args.slices
                )
                answered[label] += count
                elapsed[label] += seconds
        rates = {label: answered[label] / elapsed[label] for label in answered}
        for label in ratios:
            ratios[label].append(rates[label] / rates[base_of[label]])
        print(f"{number:5d} " + " ".join(f"{rates[label]:16.1f} r/s" for label, _p, _h in urls))
    print("ratio to the .values() baseline, per round, and the median:")
    for label, values in ratios.items():
        rounds = " ".join(f"{value:5.2f}" for value in values)
        median = statistics.median(values)
        print(f"  {label + ' ÷ ' + base_of[label]:40} {rounds}   median {median:.2f}")


if __name__ == "__main__":
    main()
