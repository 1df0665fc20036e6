"""Open data: published calls as OCDS 1.1 release packages, validated against the real schema.

The packages are fetched through the doors people use (the /open-data/ downloads and the API),
parsed from the bytes served, and validated against the OCDS 1.1.5 schema and codelists kept
in reporting/ocds/schema (offline).
"""

import copy
import json
from datetime import date, timedelta
from decimal import Decimal
from urllib.parse import urlsplit

import pytest
import time_machine
from django.db import connection
from django.test import TestCase
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from rest_framework.test import APIClient

from calls.models import Call
from calls.services.lifecycle import (
    call_cancel,
    call_close,
    call_document_add,
    call_publish,
    phase_deadline_set,
)
from funding.models import Account, Fund, FundingRound, Transaction
from funding.services.cofinancing import cofinancing_apply, cofinancing_approve, commitment_pay
from funding.services.ledger import fund_open, transaction_post
from portal.models import Role
from proposals.models import Advice, CommitteeMember, Proposal
from proposals.services.assessment import assessment_open, committee_create
from proposals.services.decisions import (
    deliverable_deliver,
    deliverable_review,
    proposal_award,
    proposal_reject,
)
from reporting.ocds.validation import codelist, validate_package
from reporting.services.opendata import ocds_release_record
from tests.calls.factories import draft_call, officer_of
from tests.factories import AuthorityFactory, CompanyFactory, MinistryFactory, person_with_role
from tests.funding.factories import ezk_fund
from tests.proposals.factories import applicant, complete_draft, pdf_upload, submitted_proposals

pytestmark = pytest.mark.django_db

PAGE = "/open-data/"
ALL = "/open-data/releases.json"
API_ALL = "/api/v1/opendata/releases/"


def one(call_id: int) -> str:
    return f"/open-data/calls/{call_id}/releases.json"


def api_one(call_id: int) -> str:
    return f"/api/v1/opendata/calls/{call_id}/releases/"


def _advice(phase, chair):
    """The chair's signed advice: every proposal under assessment ranked eligible."""
    committee = phase.committee
    ranked = list(
        Proposal.objects.filter(phase=phase, status=Proposal.Status.UNDER_ASSESSMENT).order_by("pk")
    )
    advice = Advice.objects.create(
        committee=committee,
        ranking=[
            {
                "proposal": p.pk,
                "submission_number": p.submission_number,
                "eligible": True,
                "rank": n,
            }
            for n, p in enumerate(ranked, start=1)
        ],
        signed_by=chair,
        signed_at=timezone.now(),
    )
    advice.selected.set(ranked)
    return advice


def _pay(contract, officer) -> None:
    """The first milestone paid: by the ledger on acceptance, or here if it does not (yet)."""
    if Transaction.objects.filter(kind=Transaction.Kind.PAYMENT, contract=contract).exists():
        return
    proposal = contract.proposal
    account = Account.objects.filter(
        kind=Account.Kind.COMMITTED, contract=contract, application__isnull=True
    ).first()
    if account is None:
        fund = fund_open(
            code=f"test-contract-{contract.pk}",
            name="Budget van de fase",
            kind=Fund.Kind.AUTHORITY,
            owner=proposal.call.authority,
            period_start=date(2020, 1, 1),
            period_end=date(2035, 12, 31),
            amount=contract.amount,
            actor=officer,
        )
        account = Account.objects.create(fund=fund, kind=Account.Kind.COMMITTED, contract=contract)
        transaction_post(
            fund=fund,
            kind=Transaction.Kind.COMMITMENT,
            actor=officer,
            description="Gunning",
            entries=[
                (Account.objects.get(fund=fund, kind="available"), -contract.amount),
                (account, contract.amount),
            ],
            contract=contract,
        )
    commitment_pay(
        account=account,
        amount=contract.deliverables.order_by("due_date", "pk").first().amount,
        actor=officer,
        description="Mijlpaal geaccepteerd",
        call=proposal.call,
        proposal=proposal,
        contract=contract,
    )


def publish(call: Call) -> Call:
    """Publish the call as its officer; its release is stored (the outbox task run on commit)."""
    with TestCase.captureOnCommitCallbacks(execute=True):
        return call_publish(call=call, actor=call.officer)


def cancel(call: Call, reason: str) -> None:
    with TestCase.captureOnCommitCallbacks(execute=True):
        call_cancel(call=call, actor=call.officer, reason=reason)


def demo_like() -> dict:
    """A published SBIR call in two phases, co-financed by EZK: three proposals, two awarded
    and one rejected, one left in draft; a milestone accepted and paid; phase 2 open."""
    authority = AuthorityFactory(name="Rijkswaterstaat", kvk_number="30270734")
    officer = officer_of(authority)
    call = draft_call(officer=officer, title="SBIR Circulaire Viaducten")
    call_document_add(call=call, actor=officer, title="Oproep", file=pdf_upload("oproep.pdf"))
    staff = person_with_role(
        Role.MINISTRY_STAFF, organisation=MinistryFactory(name="Ministerie van EZK")
    )
    fund = ezk_fund(staff, name="EZK 2021", period_end=date(2035, 12, 31))
    now = timezone.now()
    funding_round = FundingRound.objects.create(
        status=FundingRound.Status.OPEN,
        mission_required=False,
        fund=fund,
        name="Ronde",
        opens_at=now - timedelta(days=1),
        closes_at=now + timedelta(days=9),
    )
    application = cofinancing_apply(
        funding_round=funding_round,
        call=call,
        actor=officer,
        trajectory_cost="3000000.00",
        requested="500000.00",
        motivation="Past bij de missie.",
    )
    cofinancing_approve(application=application, actor=staff)
    call = call_publish(call=call, actor=officer)  # applied with the draft, as in the rounds
    won, second, lost = submitted_proposals(call, 3)
    Proposal.objects.filter(pk=lost.pk).update(title="Afgewezen idee")
    lost.company.name = "Verliezer Beton B.V."
    lost.company.save()
    in_draft = complete_draft(call=call, person=applicant(CompanyFactory(name="Concept Bouw B.V.")))
    phase_1, phase_2 = call.phases.order_by("order")
    chair = person_with_role(
        Role.COMMITTEE_CHAIR, organisation=authority, full_name="Voorzitter Geheim"
    )
    # After the deadline, as in real life; the caller stops the clock.
    traveller = time_machine.travel(call.deadline + timedelta(minutes=5))
    traveller.start()
    try:
        call_close(call=call, actor=officer)
        assessment_open(phase=phase_1, actor=officer)
        committee = committee_create(phase=phase_1, actor=officer, code_of_conduct="Vertrouwelijk.")
        CommitteeMember.objects.create(
            committee=committee, user=chair, role=CommitteeMember.Role.CHAIR
        )
        _advice(phase_1, chair)
        contract = proposal_award(proposal=won, actor=officer, motivation="Beste plan").contract
        proposal_award(proposal=second, actor=officer, motivation="Tweede plan")
        proposal_reject(proposal=lost, actor=officer, motivation="Te weinig impact")
        milestone = contract.deliverables.order_by("due_date", "pk").first()
        deliverable_deliver(deliverable=milestone, actor=won.person, upload=pdf_upload())
        deliverable_review(deliverable=milestone, actor=officer, accept=True)
        _pay(contract, officer)
        phase_deadline_set(
            phase=phase_2, actor=officer, deadline=call.deadline + timedelta(days=120)
        )
    except Exception:
        traveller.stop()
        raise
    call.refresh_from_db()
    return {
        "call": call,
        "officer": officer,
        "staff": staff,
        "won": won,
        "second": second,
        "lost": lost,
        "draft": in_draft,
        "chair": chair,
        "contract": contract,
        "milestone": milestone,
        "traveller": traveller,
    }


@pytest.fixture
def demo(django_capture_on_commit_callbacks):
    """The demo-like call with its history stored (each change's outbox task run)."""
    with django_capture_on_commit_callbacks(execute=True):
        data = demo_like()
    yield data
    data["traveller"].stop()


def served(response) -> bytes:
    """What was served: the packages are streamed, a page a release at a time."""
    return b"".join(response.streaming_content) if response.streaming else response.content


def package_from(response) -> dict:
    assert response.status_code == 200, served(response)[:300]
    assert response["Content-Type"] == "application/json"
    return json.loads(served(response))


def release(package: dict, ocid_end: str) -> dict:
    (found,) = [r for r in package["releases"] if r["ocid"].endswith(ocid_end)]
    return found


# --- The package validates and holds what the issue asks --------------------------------------


def test_the_demo_like_call_validates_against_ocds_1_1_with_zero_errors(client, demo, settings):
    call = demo["call"]
    # Served on another port than SITE_URL's: the links follow the request.
    origin = "http://127.0.0.1:8010"
    response = client.get(one(call.pk), headers={"host": "127.0.0.1:8010"})
    package = package_from(response)
    assert response["Content-Disposition"] == (
        f'attachment; filename="innovatieloket-ocds-{call.reference}.json"'
    )
    assert validate_package(package) == []
    assert package["version"] == "1.1"
    assert package["uri"] == origin + one(call.pk)

    first, second = package["releases"]
    prefix = f"ocds-innovatieloket-call-{call.pk}-phase-"
    assert (first["ocid"], second["ocid"]) == (f"{prefix}1", f"{prefix}2")
    assert "relatedProcesses" not in first
    assert second["relatedProcesses"] == [
        {
            "id": "phase-1",
            "relationship": ["framework"],
            "title": first["tender"]["title"],
            "scheme": "ocid",
            "identifier": f"{prefix}1",
            # Stored when the change was committed (by a task: no request), at SITE_URL.
            "uri": settings.SITE_URL.rstrip("/") + one(call.pk),
        }
    ]

    roles = {party["name"]: party["roles"] for party in first["parties"]}
    assert roles["Rijkswaterstaat"][:2] == ["buyer", "procuringEntity"]
    assert "payer" in roles["Rijkswaterstaat"]
    assert roles["Ministerie van EZK"] == ["funder"]
    (committee,) = [name for name, r in roles.items() if "reviewBody" in r]
    assert call.reference in committee
    suppliers = {name for name, r in roles.items() if "supplier" in r}
    assert suppliers == {demo["won"].company.name, demo["second"].company.name}
    assert "payee" in roles[demo["won"].company.name]
    buyer = next(p for p in first["parties"] if "buyer" in p["roles"])
    assert buyer["id"] == "NL-KVK-30270734"
    assert buyer["identifier"] == {
        "scheme": "NL-KVK",
        "id": "30270734",
        "legalName": "Rijkswaterstaat",
    }
    assert first["buyer"] == {"id": buyer["id"], "name": "Rijkswaterstaat"}

    tender = first["tender"]
    assert tender["status"] == "complete"
    assert tender["procurementMethod"] == "open"
    assert tender["submissionMethod"] == ["electronicSubmission"]
    assert tender["awardCriteria"] == "ratedCriteria"
    assert tender["numberOfTenderers"] == 3
    assert tender["value"] == {"amount": float(call.phases.get(order=1).budget), "currency": "EUR"}
    deadline = timezone.localtime(call.deadline).isoformat(timespec="seconds")
    assert tender["tenderPeriod"]["endDate"] == deadline
    assert deadline[-6:] in {"+01:00", "+02:00"}
    (document,) = [d for d in tender["documents"] if d["documentType"] == "biddingDocuments"]
    path = urlsplit(document["url"]).path
    assert path.startswith(f"/calls/{call.pk}/documents/")
    assert client.get(path).status_code == 200
    assert second["tender"]["status"] == "active"
    assert second["tender"]["procurementMethod"] == "selective"

    assert {a["id"] for a in first["awards"]} == {
        f"award-{demo['won'].pk}",
        f"award-{demo['second'].pk}",
    }
    award = next(a for a in first["awards"] if a["id"] == f"award-{demo['won'].pk}")
    contract = demo["contract"]
    assert award["value"] == {"amount": float(contract.amount), "currency": "EUR"}
    (entry,) = [c for c in first["contracts"] if c["awardID"] == award["id"]]
    assert entry["status"] == "active"
    deliverables = list(contract.deliverables.order_by("due_date", "pk"))
    met = next(m for m in entry["milestones"] if m["id"] == f"deliverable-{demo['milestone'].pk}")
    assert met["status"] == "met"
    assert "dateMet" in met
    assert len([m for m in entry["milestones"] if m["type"] != "payment"]) == len(deliverables)
    paid = next(m for m in entry["milestones"] if m["id"] == f"payment-{demo['milestone'].pk}")
    assert paid["status"] == "met"
    (transaction,) = entry["implementation"]["transactions"]
    assert transaction["value"] == {"amount": float(demo["milestone"].amount), "currency": "EUR"}
    assert transaction["payer"] == first["buyer"]
    assert transaction["payee"]["name"] == demo["won"].company.name
    # The newest change to the first phase: the milestone accepted and paid.
    assert first["id"] == f"{first['ocid']}-milestone-{demo['milestone'].pk}"
    assert first["tag"] == ["implementation"]
    assert second["tag"] == ["tender"]


def test_nothing_personal_and_nothing_unawarded_is_published(client, demo):
    call = demo["call"]
    body = served(client.get(ALL)).decode()
    assert demo["won"].company.name in body
    for secret in (
        demo["lost"].company.name,  # rejected
        "Afgewezen idee",
        "Concept Bouw B.V.",  # still a draft
        demo["chair"].full_name,
        demo["chair"].email,
        call.contact_name,
        call.contact_email,
        demo["officer"].email,
        demo["staff"].email,
        "Beste plan",  # decision motivations
        "Te weinig impact",
    ):
        assert secret not in body, secret


def test_the_full_package_holds_every_published_call_and_validates(client, demo):
    other = draft_call()
    publish(other)
    response = client.get(ALL)
    package = package_from(response)
    assert response["Content-Disposition"] == 'attachment; filename="innovatieloket-ocds.json"'
    assert validate_package(package) == []
    ocids = [r["ocid"] for r in package["releases"]]
    assert len(ocids) == len(set(ocids)) == 4
    assert {o.rsplit("-phase-", 1)[0].rsplit("-", 1)[1] for o in ocids} == {
        str(demo["call"].pk),
        str(other.pk),
    }


def test_the_api_serves_the_same_package(demo):
    client = APIClient()
    call = demo["call"]
    api = client.get(api_one(call.pk))
    assert api.status_code == 200
    assert api["Content-Type"] == "application/json"
    download = json.loads(served(APIClient().get(one(call.pk))))
    data = json.loads(served(api))
    assert validate_package(data) == []
    assert data["releases"] == download["releases"]
    assert data["uri"].endswith(api_one(call.pk))
    everything = client.get(API_ALL)
    assert everything.status_code == 200
    assert validate_package(json.loads(served(everything))) == []


def test_the_package_is_the_same_in_every_language(client, demo):
    call = demo["call"]
    dutch = served(client.get(one(call.pk)))
    english = served(client.get(one(call.pk), HTTP_ACCEPT_LANGUAGE="en"))
    client.cookies["django_language"] = "en"
    assert served(client.get(one(call.pk))) == dutch == english


# --- Drafts never, cancelled ones as cancelled -----------------------------------------------


def test_a_draft_call_never_appears(client, verified_client):
    draft = draft_call(title="Geheim concept")
    never_published = draft_call(title="Ingetrokken concept")
    call_cancel(call=never_published, actor=never_published.officer, reason="Toch niet.")
    shown = draft_call(title="Zichtbare oproep")
    publish(shown)

    body = served(client.get(ALL)).decode()
    assert "Zichtbare oproep" in body
    assert "Geheim concept" not in body
    assert "Ingetrokken concept" not in body
    page = served(client.get(PAGE)).decode()
    assert "Zichtbare oproep" in page
    assert "Geheim concept" not in page
    for hidden in (draft, never_published):
        assert client.get(one(hidden.pk)).status_code == 404
        assert APIClient().get(api_one(hidden.pk)).status_code == 404
    # Not even for the officer who owns the draft: open data is the public's view.
    owner = verified_client(draft.officer)
    everything = owner.get(ALL)
    assert everything.status_code == 200
    assert "Geheim concept" not in served(everything).decode()
    assert owner.get(one(draft.pk)).status_code == 404


def test_a_cancelled_published_call_is_shown_as_cancelled(client):
    call = draft_call()
    publish(call)
    cancel(call, "Geen budget meer.")
    package = package_from(client.get(one(call.pk)))
    assert validate_package(package) == []
    assert {r["tender"]["status"] for r in package["releases"]} == {"cancelled"}
    assert all("tenderCancellation" in r["tag"] for r in package["releases"])


def test_an_empty_portal_still_answers(client):
    package = package_from(client.get(ALL))
    assert package["releases"] == []
    # OCDS wants at least one release in a package: the schema is the judge of that too.
    assert any("releases" in error for error in validate_package(package))


# --- The validator can fail ---------------------------------------------------------------------


def _broken(path, change):
    def apply(package):
        target = package
        for key in path[:-1]:
            target = target[key]
        change(target, path[-1])

    return apply


def _set(value):
    return lambda target, key: target.__setitem__(key, value)


def _drop(target, key):
    del target[key]


BREAKAGES = {
    "no ocid": _broken(["releases", 0, "ocid"], _drop),
    "unknown tag": _broken(["releases", 0, "tag"], _set(["tender", "gossip"])),
    "unknown party role": _broken(["releases", 0, "parties", 0, "roles"], _set(["boss"])),
    "deadline without time zone": _broken(
        ["releases", 0, "tender", "tenderPeriod", "endDate"], _set("2026-03-01T17:00:00")
    ),
    "amount as text": _broken(["releases", 0, "awards", 0, "value", "amount"], _set("38000.00")),
    "deprecated award criteria": _broken(
        ["releases", 0, "tender", "awardCriteria"], _set("bestProposal")
    ),
    "unknown milestone type": _broken(
        ["releases", 0, "contracts", 0, "milestones", 0, "type"], _set("party")
    ),
    "unknown relationship": _broken(
        ["releases", 1, "relatedProcesses", 0, "relationship"], _set(["sibling"])
    ),
    "supplier not a party": _broken(
        ["releases", 0, "awards", 0, "suppliers", 0, "id"], _set("NL-KVK-00000000")
    ),
    "release id repeated": lambda package: package["releases"].append(
        copy.deepcopy(package["releases"][0])
    ),
    "no publisher": _broken(["publisher"], _drop),
}


@pytest.mark.parametrize("breakage", BREAKAGES.values(), ids=BREAKAGES.keys())
def test_a_broken_package_fails_validation(client, demo, breakage):
    package = json.loads(served(client.get(one(demo["call"].pk))))
    assert validate_package(package) == []
    breakage(package)
    assert validate_package(package) != []


def test_codelists_are_read_from_the_copied_files():
    assert {"buyer", "funder", "supplier", "reviewBody", "payer", "payee"} <= codelist(
        "partyRole.csv"
    )
    assert "bestProposal" not in codelist("awardCriteria.csv")  # deprecated in 1.1
    assert "framework" in codelist("relatedProcess.csv")


# --- Doors: who may read, bad input, query counts ---------------------------------------------


def _people(call):
    return {
        "anonymous": None,
        "company": applicant(),
        "officer of another authority": officer_of(),
        "officer of the owner": call.officer,
        "ministry staff": person_with_role(Role.MINISTRY_STAFF, organisation=MinistryFactory()),
    }


def test_everyone_reads_the_same_open_data(client, verified_client):
    call = draft_call(title="Open voor iedereen")
    publish(call)
    for who, person in _people(call).items():
        browser = verified_client(person) if person else client
        for url in (PAGE, ALL, one(call.pk)):
            response = browser.get(url)
            assert response.status_code == 200, (who, url)
            assert "Open voor iedereen" in served(response).decode(), (who, url)
        api = APIClient()
        if person:
            api.force_authenticate(person)
        assert api.get(api_one(call.pk)).status_code == 200, who
        client.logout()


def test_bad_input(client):
    call = draft_call()
    publish(call)
    assert client.get(one(999999)).status_code == 404
    assert client.get(f"/open-data/calls/{call.pk}x/releases.json").status_code == 404
    assert APIClient().get(api_one(999999)).status_code == 404
    assert APIClient().get("/api/v1/opendata/calls/abc/releases/").status_code == 404
    assert client.post(ALL).status_code == 405
    assert client.post(one(call.pk)).status_code == 405
    assert APIClient().post(API_ALL, {}).status_code == 405
    assert client.get(PAGE, {"page": "many"}).status_code == 200


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def _awarded_call() -> Call:
    """A published call with an award, its contract and milestones (enough to load them)."""
    call = draft_call()
    call = publish(call)
    proposal = submitted_proposals(call, 1)[0]
    Proposal.objects.filter(pk=proposal.pk).update(status=Proposal.Status.AWARDED)
    from proposals.models import Contract, Deliverable

    contract = Contract.objects.create(
        proposal=proposal,
        amount=Decimal("20000.00"),
        start_date=date(2026, 1, 1),
        end_date=date(2026, 6, 30),
    )
    Deliverable.objects.create(
        contract=contract,
        kind="feasibility_report",
        name="Rapport",
        due_date=date(2026, 6, 30),
        amount=Decimal("20000.00"),
    )
    return call


def test_the_full_package_and_the_page_cost_a_constant_number_of_queries(client, demo):
    urls = (ALL, API_ALL, PAGE, one(demo["call"].pk))
    few = {url: _queries(client, url) for url in urls}
    for _ in range(4):
        _awarded_call()
    many = {url: _queries(client, url) for url in urls}
    assert many == few
    assert few[ALL] <= 12


def test_the_schema_documents_the_open_data_endpoints(tmp_path):
    import yaml
    from django.core.management import call_command

    target = tmp_path / "schema.yml"
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(target))
    paths = yaml.safe_load(target.read_text())["paths"]
    assert paths[API_ALL]["get"]["tags"] == ["open data"]
    assert "get" in paths["/api/v1/opendata/calls/{id}/releases/"]


def test_the_footer_links_to_open_data(client):
    assert f'href="{PAGE}"' in served(client.get("/")).decode()


def test_a_reversed_payment_is_no_longer_a_transaction(client, demo):
    from funding.services.ledger import transaction_reverse

    payment = Transaction.objects.get(
        kind=Transaction.Kind.PAYMENT, contract=demo["contract"], application__isnull=True
    )
    transaction_reverse(original=payment, actor=demo["staff"], reason="Dubbel geboekt")
    # A reversal is no event of its own: the next release of the phase shows it.
    ocds_release_record(call=demo["call"], event="next-change", tags=["implementation"])
    package = package_from(client.get(one(demo["call"].pk)))
    assert validate_package(package) == []
    entry = next(
        c
        for c in release(package, "phase-1")["contracts"]
        if c["id"] == f"contract-{demo['contract'].pk}"
    )
    assert "implementation" not in entry
    paid = next(m for m in entry["milestones"] if m["id"] == f"payment-{demo['milestone'].pk}")
    assert paid["status"] == "scheduled"


# --- Pages, validators and throttling of the packages -------------------------------------------


@pytest.mark.parametrize("url", [ALL, API_ALL])
def test_every_call_is_served_a_page_at_a_time(client, settings, monkeypatch, url):
    from reporting.ocds import history

    monkeypatch.setattr(history, "RELEASES_PER_PAGE", 4)  # two phases a call: 10 releases
    calls = []
    for _ in range(5):
        call = draft_call()
        calls.append(publish(call))

    seen, pages, next_url = [], [], url
    while next_url:
        response = client.get(next_url)
        package = package_from(response)
        assert validate_package(package) == []
        pages.append(package)
        seen += [r["ocid"].rsplit("-phase-", 1)[0] for r in package["releases"]]
        next_url = package.get("links", {}).get("next")
        if next_url:
            assert f'<{next_url}>; rel="next"' in response["Link"]
    assert len(pages) == 3
    assert "prev" not in pages[0]["links"]
    assert pages[1]["links"]["prev"].endswith("page=1")
    assert "next" not in pages[2]["links"]
    assert pages[2]["uri"].endswith(f"{url}?page=3")
    assert len(seen) == 10
    assert len(set(seen)) == 5  # every call's phases, in order of the calls' ids
    assert [int(ocid.rsplit("-", 1)[1]) for ocid in dict.fromkeys(seen)] == [c.pk for c in calls]
    # A page past the end, or nonsense, is not found: a client of the data gets no other data
    # than it asked for.
    for page in (99, 0, "x", "null"):
        assert client.get(url, {"page": page}).status_code == 404


@pytest.mark.parametrize("url", [ALL, API_ALL])
def test_a_page_that_did_not_change_is_not_sent_again(client, url):
    call = draft_call()
    publish(call)
    first = client.get(url)
    assert first.status_code == 200
    etag, modified = first["ETag"], first["Last-Modified"]
    assert served(first)

    again = client.get(url, HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 304
    assert again.content == b""
    assert again["ETag"] == etag
    assert client.get(url, HTTP_IF_MODIFIED_SINCE=modified).status_code == 304

    with time_machine.travel(timezone.now() + timedelta(minutes=5), tick=False):
        cancel(call, "Geen budget meer.")
    changed = client.get(url, HTTP_IF_NONE_MATCH=etag)
    assert changed.status_code == 200
    assert changed["ETag"] != etag


def test_one_calls_package_answers_conditional_requests_too(client):
    call = draft_call()
    publish(call)
    for url in (one(call.pk), api_one(call.pk)):
        etag = client.get(url)["ETag"]
        assert client.get(url, HTTP_IF_NONE_MATCH=etag).status_code == 304


def test_the_downloads_are_throttled_like_the_anonymous_api(client):
    from rest_framework.settings import api_settings
    from rest_framework.throttling import AnonRateThrottle

    AnonRateThrottle.THROTTLE_RATES = {**api_settings.DEFAULT_THROTTLE_RATES, "anon": "2/minute"}
    try:
        codes = [client.get(ALL).status_code for _ in range(3)]
        api = APIClient().get(API_ALL).status_code
    finally:
        AnonRateThrottle.THROTTLE_RATES = api_settings.DEFAULT_THROTTLE_RATES
    assert codes == [200, 200, 429]
    assert api == 429  # the same door counts both


def test_a_passing_deadline_changes_the_page_once_the_opening_is_stored(client):
    """The package is the stored history: a deadline passing changes nothing by itself; the
    opening at the deadline is a release (the number of tenderers), and that changes the page."""
    from proposals.services.opening import phase_open

    call = publish(draft_call())
    submitted_proposals(call, 2)
    first = client.get(ALL)
    etag, modified = first["ETag"], first["Last-Modified"]
    with time_machine.travel(call.deadline + timedelta(hours=1), tick=False):
        assert client.get(ALL, HTTP_IF_NONE_MATCH=etag).status_code == 304
        with TestCase.captureOnCommitCallbacks(execute=True):
            phase_open(phase=call.phases.get(order=1))
        later = client.get(ALL)
        assert later.status_code == 200
        assert later["ETag"] != etag
        assert later["Last-Modified"] != modified
        first_phase = release(package_from(later), "phase-1")
        assert first_phase["id"].endswith("-tenderers")
        assert first_phase["tender"]["numberOfTenderers"] == 2
        assert client.get(ALL, HTTP_IF_MODIFIED_SINCE=later["Last-Modified"]).status_code == 304
