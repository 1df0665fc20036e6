"""Benchmark: build and validate eForms notices for a call with 10 phases and 50 final awards;
prints figures only.

The notices are built from the builder's input (what reporting.selectors.notices reads from the
database in five queries) so the figures are those of the XML and its checks: the contract
notice (subtype 16) and the contract award notice (subtype 29, 50 winners, 50 contracts), each
validated against the SDK's XSD and the subtype's mandatory business terms, and then against the
SDK's Schematron business rules (Saxon-HE): the figures give the XSD and the Schematron apart,
and how many rule findings the notice has (values the portal does not hold yet).

    .venv/bin/python tests/perf/bench_notices.py [--phases 10] [--awards 50] [--rounds 5]
"""

import argparse
import os
import sys
import time
import uuid
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings.test")

import django  # noqa: E402

django.setup()

from django.utils import timezone  # noqa: E402

from reporting.eforms import schematron  # noqa: E402
from reporting.eforms.builder import (  # noqa: E402
    Award,
    Criterion,
    Lot,
    NoticeSource,
    Party,
    build_notice,
)
from reporting.eforms.validation import Timings, schema, validate  # noqa: E402


def source(kind: str, phases: int, awards: int) -> NoticeSource:
    now = timezone.now()
    winners = [
        Party(ref=f"ORG-{i + 3:04d}", name=f"Winnaar {i} B.V.", identifier=f"{70000100 + i}",
              city="Utrecht", postal_code="3511 AB", nuts="NL350", size="small")
        for i in range(awards)
    ]  # fmt: skip
    lots = []
    for number in range(1, phases + 1):
        lots.append(
            Lot(
                number=number,
                name=f"Fase {number}",
                description=f"Fase {number} van het traject",
                budget=Decimal("500000.00"),
                duration_months=6,
                deadline=now - timedelta(days=30) if number == 1 else None,
                participation_deadline=None,
                criteria=[Criterion(f"Criterium {c}", "Toelichting", 25) for c in range(4)],
                tenders=30,
                closed=True,
                statistics={
                    "t-micro": 10,
                    "t-small": 12,
                    "t-med": 6,
                    "t-large": 2,
                    "t-oth-eea": 1,
                    "t-no-eea": 0,
                    "t-esubm": 30,
                },
            )
        )
    if kind == "result":
        for i, winner in enumerate(winners, start=1):
            lots[(i - 1) % phases].awards.append(
                Award(
                    tender_ref=f"TEN-{i:04d}",
                    party_ref=winner.ref,
                    contract_ref=f"CON-{i:04d}",
                    reference=f"IL-2026-{i:05d}",
                    amount=Decimal("45000.00"),
                    contract_date=now,
                    decided_at=now,
                    subcontracting="no",
                )
            )
    return NoticeSource(
        kind=kind, notice_id=str(uuid.uuid4()), folder_id=str(uuid.uuid4()), issued=now,
        procedure="open", title="Benchmark", description="Een oproep met veel fasen.",
        cpv="73100000", nuts="NL350", call_url="https://example.org/calls/1-benchmark/",
        documents_url="https://example.org/calls/1-benchmark/#documents",
        buyer=Party(ref="ORG-0001", name="Rijkswaterstaat", identifier="00000001900000000001",
                    city="Utrecht", postal_code="3526 LA", nuts="NL350", telephone="088-7972950"),
        buyer_legal_type="cga", buyer_activity="econ", central_government=True,
        review_body=Party(ref="ORG-0002", name="Rechtbank Midden-Nederland",
                          identifier="00000001900000000101", city="Utrecht",
                          postal_code="3511 EP", nuts="NL350"),
        lots=lots, winners=winners if kind == "result" else [], tender_validity=3,
    )  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--phases", type=int, default=10)
    parser.add_argument("--awards", type=int, default=50)
    parser.add_argument("--rounds", type=int, default=5)
    options = parser.parse_args()
    started = time.perf_counter()
    schema("ContractNotice")
    schema("ContractAwardNotice")
    print(f"compiling both XSDs (once per process): {time.perf_counter() - started:.3f} s")
    if not schematron.available():
        print("saxonche is not installed: no Schematron figures")
    for subtype in ("16", "29"):
        started = time.perf_counter()
        if schematron.available():
            schematron.svrl(b"<x/>", subtype)  # compiles the phase (once per process)
        print(
            f"compiling the Schematron phase eforms-{subtype} to XSLT and with Saxon "
            f"(once per process): {time.perf_counter() - started:.3f} s"
        )
    for kind in ("competition", "result"):
        timings_build, timings_total, timings_xsd, timings_rules = [], [], [], []
        for _ in range(options.rounds):
            data = source(kind, options.phases, options.awards)
            started = time.perf_counter()
            xml, gaps = build_notice(data)
            built = time.perf_counter()
            timings = Timings()
            problems = validate(xml, data.subtype, gaps, timings=timings)
            timings_build.append(built - started)
            timings_total.append(time.perf_counter() - built)
            timings_xsd.append(timings.schema)
            timings_rules.append(timings.rules)
            blocking = [problem for problem in problems if problem.source != "rules"]
            assert blocking == [], blocking[:3]
        findings = len(problems) - len(blocking)
        print(
            f"{kind:12} subtype {data.subtype}: {options.phases} phases, "
            f"{options.awards if kind == 'result' else 0} awards, {len(xml) / 1024:.0f} KiB; "
            f"build {min(timings_build) * 1000:.1f} ms, "
            f"XSD {min(timings_xsd) * 1000:.1f} ms, "
            f"Schematron {min(timings_rules) * 1000:.1f} ms ({findings} rule findings), "
            f"all checks {min(timings_total) * 1000:.1f} ms "
            f"(best of {options.rounds})"
        )


if __name__ == "__main__":
    main()
