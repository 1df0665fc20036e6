"""Open data with its history: every change to a call that OCDS covers is a stored release;
records compile them (compiled and versioned release); a bulk file per year. Everything is
fetched through the doors people use and validated against the OCDS 1.1.5 schema.
"""

import gzip
import json
from datetime import timedelta

import pytest
import time_machine
from django.core.files.storage import storages
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from rest_framework.test import APIClient

from calls.models import Call
from calls.services.clarifications import (
    clarification_answer,
    clarification_ask,
    clarification_publish,
)
from calls.services.lifecycle import call_amend, call_cancel, call_publish
from portal.models import OutboxMessage
from proposals.models import ImmutableRecord
from proposals.services.opening import phase_open
from reporting.models import OcdsBulkFile, OcdsRelease
from reporting.ocds.validation import validate_package, validate_record_package
from reporting.services.opendata import ocds_release_record
from reporting.tasks import build_ocds_bulk_files, record_ocds_release
from tests.calls.factories import draft_call, officer_of
from tests.proposals.factories import applicant, submitted_proposals
from tests.reporting.test_opendata import demo_like

pytestmark = pytest.mark.django_db

HISTORY = "/open-data/history/releases.json"
RECORDS = "/open-data/history/records.json"
API_HISTORY = "/api/v1/opendata/history/releases/"
API_RECORDS = "/api/v1/opendata/history/records/"


def record_url(ocid: str) -> str:
    return f"/open-data/history/records/{ocid}.json"


def bulk_url(year: int) -> str:
    return f"/open-data/bulk/{year}.jsonl.gz"


def served(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


def package_from(response) -> dict:
    assert response.status_code == 200, served(response)[:300]
    assert response["Content-Type"] == "application/json"
    return json.loads(served(response))


def ocid_of_phase(call: Call, order: int = 1) -> str:
    (ocid,) = {
        ocid
        for ocid in OcdsRelease.objects.filter(call=call).values_list("ocid", flat=True)
        if ocid.endswith(f"-phase-{order}")
    }
    return ocid


def tags_of(ocid: str) -> list[list[str]]:
    return list(
        OcdsRelease.objects.filter(ocid=ocid).order_by("date", "pk").values_list("tags", flat=True)
    )


@pytest.fixture
def published(django_capture_on_commit_callbacks):
    officer = officer_of()
    with django_capture_on_commit_callbacks(execute=True):
        call = call_publish(call=draft_call(officer=officer), actor=officer)
    call.officer = officer  # the test's handle on who acts for the authority
    return call


def amend(call: Call, commit, **changes) -> None:
    with commit(execute=True):
        call_amend(call=call, actor=call.officer, reason=changes.pop("reason"), changes=changes)
    officer = call.officer
    call.refresh_from_db()
    call.officer = officer


@pytest.fixture
def amended_twice(published, django_capture_on_commit_callbacks):
    """A call published, then amended twice, each step committed (its outbox task run)."""
    call = published
    first = call.deadline + timedelta(days=7)
    amend(call, django_capture_on_commit_callbacks, reason="Meer tijd", deadline=first)
    amend(
        call,
        django_capture_on_commit_callbacks,
        reason="Nog meer tijd en een scherpere vraag",
        deadline=first + timedelta(days=7),
        challenge="Een scherpere vraag.",
    )
    return call


# --- Records ----------------------------------------------------------------------------------


def test_a_call_amended_twice_has_three_releases_in_its_record(client, amended_twice):
    call = amended_twice
    ocid = ocid_of_phase(call)
    package = package_from(client.get(record_url(ocid)))
    assert validate_record_package(package) == []
    (record,) = package["records"]
    assert record["ocid"] == ocid
    assert [item["tag"] for item in record["releases"]] == [
        ["tender"],
        ["tenderAmendment"],
        ["tenderAmendment"],
    ]
    assert [item["url"].rsplit("#", 1)[1] for item in record["releases"]] == [
        f"{ocid}-tender",
        f"{ocid}-amendment-1",
        f"{ocid}-amendment-2",
    ]
    # The compiled release: the latest values, with both amendments listed.
    compiled = record["compiledRelease"]
    assert compiled["tag"] == ["compiled"]
    assert compiled["date"] == record["releases"][-1]["date"]
    assert compiled["tender"]["description"] == "Een scherpere vraag."
    assert compiled["tender"]["tenderPeriod"]["endDate"].startswith(
        timezone.localtime(call.deadline).date().isoformat()
    )
    assert [a["rationale"] for a in compiled["tender"]["amendments"]] == [
        "Meer tijd",
        "Nog meer tijd en een scherpere vraag",
    ]
    # The versioned release: each deadline with the release that set it; the description
    # changed once; the amendments' ids are kept as they are.
    versioned = record["versionedRelease"]
    deadlines = versioned["tender"]["tenderPeriod"]["endDate"]
    assert [v["releaseID"] for v in deadlines] == [
        f"{ocid}-tender",
        f"{ocid}-amendment-1",
        f"{ocid}-amendment-2",
    ]
    assert deadlines[-1]["value"] == compiled["tender"]["tenderPeriod"]["endDate"]
    assert len(versioned["tender"]["description"]) == 2
    assert [a["id"] for a in versioned["tender"]["amendments"]] == ["1", "2"]
    assert versioned["tender"]["amendments"][0]["rationale"][0]["value"] == "Meer tijd"


def test_the_release_history_of_a_call_is_newest_first_and_validates(client, amended_twice):
    package = package_from(client.get(HISTORY))
    assert validate_package(package) == []
    phase_1 = [r for r in package["releases"] if r["ocid"].endswith("-phase-1")]
    assert [r["tag"] for r in phase_1] == [["tenderAmendment"], ["tenderAmendment"], ["tender"]]
    # Every phase of the call is its own process with its own three releases.
    assert len(package["releases"]) == 3 * amended_twice.phases.count()
    one = package_from(client.get(f"/open-data/history/calls/{amended_twice.pk}/releases.json"))
    assert one["releases"] == package["releases"]


def test_the_api_serves_the_same_records_and_releases(client, amended_twice):
    api = APIClient()
    ocid = ocid_of_phase(amended_twice)
    web = package_from(client.get(record_url(ocid)))
    same = package_from(api.get(f"{API_RECORDS}{ocid}/"))
    assert same["records"] == web["records"]
    assert validate_record_package(same) == []
    assert (
        package_from(api.get(API_HISTORY))["releases"]
        == package_from(client.get(HISTORY))["releases"]
    )
    assert validate_record_package(package_from(api.get(API_RECORDS))) == []


def test_records_and_releases_filter_by_ocid_and_date(client, amended_twice):
    ocid = ocid_of_phase(amended_twice)
    only = package_from(client.get(HISTORY, {"ocid": ocid}))
    assert {r["ocid"] for r in only["releases"]} == {ocid}
    assert len(only["releases"]) == 3
    records = package_from(client.get(RECORDS, {"ocid": ocid}))
    assert [r["ocid"] for r in records["records"]] == [ocid]
    tomorrow = (timezone.localdate() + timedelta(days=1)).isoformat()
    assert len(package_from(client.get(HISTORY, {"until": tomorrow}))["releases"]) == 3 * 2
    assert client.get(HISTORY, {"since": tomorrow}).status_code == 404
    today = timezone.localdate().isoformat()
    assert len(package_from(client.get(HISTORY, {"ocid": ocid, "since": today}))["releases"]) == 3
    assert client.get(HISTORY, {"ocid": ocid, "until": today}).status_code == 404
    moment = OcdsRelease.objects.filter(ocid=ocid).latest("date").date.isoformat()
    assert len(package_from(client.get(HISTORY, {"since": moment}))["releases"]) >= 1


# --- Every change a release ----------------------------------------------------------------------


def test_every_change_to_a_call_is_a_release(client, django_capture_on_commit_callbacks):
    """Publication, awards (once final), contracts, a milestone with its payment."""
    with django_capture_on_commit_callbacks(execute=True):
        data = demo_like()
    try:
        call = data["call"]
        ocid = ocid_of_phase(call, 1)
        tags = tags_of(ocid)
        assert tags[0] == ["tender"]
        assert tags.count(["award"]) == 2
        assert tags.count(["contract"]) == 2
        assert ["implementation"] in tags
        assert tags_of(ocid_of_phase(call, 2)) == [["tender"]]
        award = OcdsRelease.objects.get(release_id=f"{ocid}-award-{data['won'].pk}")
        assert award.data["awards"]
        milestone = OcdsRelease.objects.get(release_id=f"{ocid}-milestone-{data['milestone'].pk}")
        (contract,) = [
            c for c in milestone.data["contracts"] if c["id"] == f"contract-{data['contract'].pk}"
        ]
        assert any(m["status"] == "met" for m in contract["milestones"])
        record = package_from(client.get(record_url(ocid)))
        assert validate_record_package(record) == []
        assert validate_package(package_from(client.get(HISTORY))) == []
    finally:
        data["traveller"].stop()


def test_published_answers_and_the_opening_are_releases(
    published, django_capture_on_commit_callbacks
):
    call = published
    company_person = applicant()
    question = clarification_ask(call=call, actor=company_person, text="Mag het ook in hout?")
    clarification_answer(question=question, actor=call.officer, answer="Ja.")
    with django_capture_on_commit_callbacks(execute=True):
        clarification_publish(call=call, actor=call.officer)
    ocid = ocid_of_phase(call)
    enquiries = OcdsRelease.objects.get(release_id=f"{ocid}-enquiries-1")
    assert enquiries.tags == ["tenderUpdate"]
    assert enquiries.data["tender"]["hasEnquiries"] is True
    assert "numberOfTenderers" not in enquiries.data["tender"]

    submitted_proposals(call, 2)
    phase = call.phases.get(order=1)
    with (
        time_machine.travel(call.deadline + timedelta(minutes=1)),
        django_capture_on_commit_callbacks(execute=True),
    ):
        phase_open(phase=phase)
    tenderers = OcdsRelease.objects.get(release_id=f"{ocid}-tenderers")
    assert tenderers.tags == ["tenderUpdate"]
    assert tenderers.data["tender"]["numberOfTenderers"] == 2


def test_a_cancelled_call_gets_a_cancellation_release(
    published, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        call_cancel(call=published, actor=published.officer, reason="Budget ingetrokken")
    release = OcdsRelease.objects.get(release_id=f"{ocid_of_phase(published)}-cancelled")
    assert release.tags == ["tenderCancellation"]
    assert release.data["tender"]["status"] == "cancelled"


def test_a_draft_gets_no_release(django_capture_on_commit_callbacks):
    officer = officer_of()
    with django_capture_on_commit_callbacks(execute=True):
        draft_call(officer=officer)
    assert not OcdsRelease.objects.exists()


def test_the_release_is_promised_in_the_changes_transaction(published):
    """The outbox row is written with the amendment: a broker that is down loses nothing."""
    call_amend(
        call=published,
        actor=published.officer,
        reason="Meer tijd",
        changes={"deadline": published.deadline + timedelta(days=3)},
    )
    message = OutboxMessage.objects.filter(task="reporting.record_ocds_release").latest("pk")
    assert message.args[:3] == [published.pk, "amendment-1", ["tenderAmendment"]]
    assert not OcdsRelease.objects.filter(release_id__endswith="-amendment-1").exists()
    # The task, when the broker takes it (or the periodic dispatch sends it), stores it.
    record_ocds_release.apply(args=message.args).get()
    assert OcdsRelease.objects.filter(release_id__endswith="-amendment-1").count() == 2


# --- Immutable, idempotent, concurrent --------------------------------------------------------


def test_a_stored_release_never_changes(published):
    release = OcdsRelease.objects.filter(call=published).first()
    release.tags = ["award"]
    with pytest.raises(ImmutableRecord):
        release.save()
    with pytest.raises(ImmutableRecord):
        release.delete()
    with pytest.raises(ImmutableRecord):
        OcdsRelease.objects.filter(pk=release.pk).update(tags=["award"])
    assert OcdsRelease.objects.get(pk=release.pk).tags == ["tender"]


def test_the_same_event_twice_is_one_release(published):
    before = OcdsRelease.objects.count()
    again = ocds_release_record(call=published, event="tender", tags=["tender"])
    assert OcdsRelease.objects.count() == before
    assert {r.release_id for r in again} == set(
        OcdsRelease.objects.filter(call=published).values_list("release_id", flat=True)
    )


# --- Bulk files -------------------------------------------------------------------------------


def test_the_bulk_file_of_a_year_holds_its_releases(
    client, amended_twice, django_capture_on_commit_callbacks
):
    year = timezone.localdate().year
    with django_capture_on_commit_callbacks(execute=True):
        assert build_ocds_bulk_files.delay().get() == [year]
    assert build_ocds_bulk_files.delay().get() == []  # nothing changed: nothing rebuilt
    bulk = OcdsBulkFile.objects.get(year=year)

    response = client.get(bulk_url(year))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/gzip"
    body = served(response)
    assert int(response["Content-Length"]) == len(body) == bulk.size
    assert response["Last-Modified"]
    lines = gzip.decompress(body).decode().splitlines()
    assert len(lines) == bulk.releases == OcdsRelease.objects.count() == 6
    releases = [json.loads(line) for line in lines]
    assert [r["date"] for r in releases] == sorted(r["date"] for r in releases)
    package = package_from(client.get(HISTORY))
    assert validate_package({**package, "releases": releases}) == []

    # A conditional request for the same file: 304.
    assert client.get(bulk_url(year), HTTP_IF_NONE_MATCH=response["ETag"]).status_code == 304

    # The open data page lists it with its size and date.
    page = client.get("/open-data/").content.decode()
    assert f'href="{bulk_url(year)}"' in page
    assert f'data-testid="opendata-bulk-{year}"' in page

    # A change: the next run rebuilds that year; the old file goes, the ETag changes.
    old = bulk.path
    amend(
        amended_twice,
        django_capture_on_commit_callbacks,
        reason="Laatste wijziging",
        challenge="Definitief.",
    )
    with django_capture_on_commit_callbacks(execute=True):
        assert build_ocds_bulk_files.delay().get() == [year]
    bulk.refresh_from_db()
    assert bulk.releases == 8
    assert bulk.path != old
    assert not storages["private"].exists(old)
    assert client.get(bulk_url(year), HTTP_IF_NONE_MATCH=response["ETag"]).status_code == 200


# --- Backfill ---------------------------------------------------------------------------------


def test_calls_published_before_the_history_get_theirs_from_their_dates(client):
    """Made through the services, but with no outbox task run: as before this feature."""
    data = demo_like()
    try:
        assert not OcdsRelease.objects.exists()
        call_command("ocds_backfill", stdout=open("/dev/null", "w"))  # noqa: SIM115
        ocid = ocid_of_phase(data["call"], 1)
        releases = list(OcdsRelease.objects.filter(ocid=ocid).order_by("date", "pk"))
        assert releases[0].tags == ["tender"]
        assert "awards" not in releases[0].data  # as it stood at publication
        assert "numberOfTenderers" not in releases[0].data["tender"]
        tags = [release.tags for release in releases]
        assert ["tenderUpdate"] in tags  # the deadline passed: the number of tenders
        assert tags.count(["award"]) == 2
        assert tags.count(["contract"]) == 2
        assert ["implementation"] in tags
        record = package_from(client.get(record_url(ocid)))
        assert validate_record_package(record) == []
        compiled = record["records"][0]["compiledRelease"]
        assert len(compiled["awards"]) == 2
        assert compiled["tender"]["numberOfTenderers"] == 3
        count = OcdsRelease.objects.count()
        call_command("ocds_backfill", stdout=open("/dev/null", "w"))  # noqa: SIM115
        assert OcdsRelease.objects.count() == count  # calls with a history are left alone
    finally:
        data["traveller"].stop()


# --- Bad input --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        record_url("not-an-ocid"),
        record_url("ocds-innovatieloket-call-999999-phase-1"),
        "/open-data/history/records/ocds-x%2Fy.json",
        f"{RECORDS}?ocid=nonsense",
        f"{RECORDS}?ocid=ocds-innovatieloket-call-999999-phase-1",
        f"{HISTORY}?ocid=<script>",
        f"{HISTORY}?ocid=ocds-innovatieloket-call-999999-phase-1",
        f"{HISTORY}?since=yesterday",
        f"{HISTORY}?until=2026-13-45",
        f"{HISTORY}?page=2",
        f"{HISTORY}?page=many",
        f"{HISTORY}?page=",
        f"{API_HISTORY}?page=",
        f"{API_HISTORY}?page=%202",
        f"{RECORDS}?page=0",
        "/open-data/history/calls/999999/releases.json",
        bulk_url(1999),
        "/open-data/bulk/abcd.jsonl.gz",
        f"{API_RECORDS}not-an-ocid/",
        f"{API_HISTORY}?since=nope",
        "/api/v1/opendata/bulk/1999/",
    ],
)
def test_bad_input_is_a_404(client, published, url):
    assert client.get(url).status_code == 404


def test_an_empty_portal_still_answers(client):
    assert package_from(client.get(HISTORY))["releases"] == []
    assert package_from(client.get(RECORDS))["records"] == []


# --- Configuration, queries, schema ------------------------------------------------------------


def test_the_publisher_and_prefix_come_from_the_settings(
    client, settings, django_capture_on_commit_callbacks
):
    settings.OCDS_OCID_PREFIX = "ocds-abc123"
    settings.OCDS_PUBLISHER_NAME = "Rijkswaterstaat Open Data"
    settings.OCDS_PUBLISHER_SCHEME = "NL-OIN"
    settings.OCDS_PUBLISHER_UID = "00000001003214345000"
    officer = officer_of()
    with django_capture_on_commit_callbacks(execute=True):
        call = call_publish(call=draft_call(officer=officer), actor=officer)
    ocid = ocid_of_phase(call)
    assert ocid == f"ocds-abc123-call-{call.pk}-phase-1"
    package = package_from(client.get(record_url(ocid)))
    assert package["publisher"]["name"] == "Rijkswaterstaat Open Data"
    assert package["publisher"]["scheme"] == "NL-OIN"
    assert package["publisher"]["uid"] == "00000001003214345000"
    assert validate_record_package(package) == []


def _calls(count: int, commit) -> None:
    officer = officer_of()
    for _ in range(count):
        with commit(execute=True):
            call_publish(call=draft_call(officer=officer), actor=officer)


@pytest.mark.parametrize("url", [HISTORY, RECORDS])
def test_a_page_costs_the_same_queries_for_more_calls(
    client, django_capture_on_commit_callbacks, url
):
    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            served(client.get(url))
        return len(captured)

    _calls(2, django_capture_on_commit_callbacks)
    two = queries()
    _calls(1, django_capture_on_commit_callbacks)
    assert queries() == two


def test_the_schema_documents_the_history_endpoints(tmp_path):
    import yaml

    target = tmp_path / "schema.yml"
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(target))
    paths = yaml.safe_load(target.read_text())["paths"]
    for path in (
        API_HISTORY,
        API_RECORDS,
        "/api/v1/opendata/history/records/{ocid}/",
        "/api/v1/opendata/bulk/{year}/",
    ):
        assert paths[path]["get"]["tags"] == ["open data"], path
    parameters = {p["name"] for p in paths[API_HISTORY]["get"]["parameters"]}
    assert {"ocid", "since", "until", "page"} <= parameters


# --- The current state is the newest release of the history ------------------------------------


def test_every_release_id_served_is_one_of_the_records(client, amended_twice):
    """/open-data/releases.json and a call's package serve each ocid's newest stored release:
    the same ids as the history and the records, never one made up per request."""
    call = amended_twice
    api = APIClient()
    current = [
        package_from(client.get("/open-data/releases.json")),
        package_from(client.get(f"/open-data/calls/{call.pk}/releases.json")),
        package_from(api.get("/api/v1/opendata/releases/")),
        package_from(api.get(f"/api/v1/opendata/calls/{call.pk}/releases/")),
    ]
    for package in current:
        assert validate_package(package) == []
    records = package_from(client.get(RECORDS))
    in_records = {
        ocid_and_id["url"].rsplit("#", 1)[1]
        for record in records["records"]
        for ocid_and_id in record["releases"]
    }
    history = {r["id"] for r in package_from(client.get(HISTORY))["releases"]}
    for package in current:
        ids = [r["id"] for r in package["releases"]]
        # One per phase, the newest: the second amendment; phase 1 first.
        assert ids == [
            f"{ocid_of_phase(call, order)}-amendment-2"
            for order in range(1, call.phases.count() + 1)
        ]
        assert set(ids) <= in_records
        assert set(ids) <= history
        for served_release in package["releases"]:
            stored = OcdsRelease.objects.get(release_id=served_release["id"])
            assert served_release == stored.data
    # The newest release is the record's latest; the compiled release has its date.
    for record in records["records"]:
        latest = [r for r in current[0]["releases"] if r["ocid"] == record["ocid"]]
        assert record["compiledRelease"]["date"] == latest[0]["date"]


def test_a_published_call_without_stored_releases_has_no_package_yet(client):
    """Until its publication's release is stored (the outbox task), a call has nothing to show:
    a 404 for its package, and nothing in the list."""
    officer = officer_of()
    call = call_publish(call=draft_call(officer=officer), actor=officer)  # task not run
    assert client.get(f"/open-data/calls/{call.pk}/releases.json").status_code == 404
    assert package_from(client.get("/open-data/releases.json"))["releases"] == []


# --- Stored records -----------------------------------------------------------------------------


def test_the_record_is_compiled_when_a_release_is_stored(amended_twice):
    from reporting.models import OcdsRecord

    ocid = ocid_of_phase(amended_twice)
    record = OcdsRecord.objects.get(ocid=ocid)
    assert [item["id"] for item in record.releases] == [
        f"{ocid}-tender",
        f"{ocid}-amendment-1",
        f"{ocid}-amendment-2",
    ]
    assert record.latest.release_id == f"{ocid}-amendment-2"
    assert record.position == 1
    assert record.compiled["tender"]["description"] == "Een scherpere vraag."
    assert len(record.versioned["tender"]["tenderPeriod"]["endDate"]) == 3


def test_the_backfill_compiles_the_records_of_releases_stored_before_records(client, amended_twice):
    from reporting.models import OcdsRecord

    ocid = ocid_of_phase(amended_twice)
    before = package_from(client.get(record_url(ocid)))
    OcdsRecord.objects.all().delete()  # as before records were stored
    assert client.get(record_url(ocid)).status_code == 404
    assert package_from(client.get(RECORDS))["records"] == []
    call_command("ocds_backfill", "--no-bulk", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert OcdsRecord.objects.count() == amended_twice.phases.count()
    after = package_from(client.get(record_url(ocid)))
    assert after["records"] == before["records"]
    assert validate_record_package(after) == []
    # --records compiles every record again: the same records.
    call_command("ocds_backfill", "--no-bulk", "--records", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert package_from(client.get(record_url(ocid)))["records"] == before["records"]
    # The periodic task fills them too.
    OcdsRecord.objects.all().delete()
    build_ocds_bulk_files.delay().get()
    assert OcdsRecord.objects.count() == amended_twice.phases.count()


# --- An innovation partnership's purchase -------------------------------------------------------


def test_a_partnerships_purchase_is_a_release_with_a_contract_of_its_own(
    client, django_capture_on_commit_callbacks
):
    """The purchase at the end of an innovation partnership (without a new tender) is stored as
    a release: a contract under the partner's award with what was bought, its amount and date."""
    from decimal import Decimal

    from proposals.models import PhasePlan
    from proposals.services.partnership import (
        TargetResult,
        partnership_decide,
        partnership_purchase,
        partnership_report,
    )
    from tests.proposals.factories import partnership_partners, pdf_upload

    with django_capture_on_commit_callbacks(execute=True):
        call, proposals = partnership_partners()
    partner = proposals[0]
    for order in (1, 2):
        current = PhasePlan.objects.get(contract__proposal=partner, phase__order=order)
        results = {
            target.pk: TargetResult(f"Gehaald: {target.measure}", pdf_upload("bewijs.pdf"))
            for target in current.targets.all()
        }
        partnership_report(plan=current, actor=partner.person, results=results)
        with django_capture_on_commit_callbacks(execute=True):
            partnership_decide(plan=current, actor=call.officer, go=True, reason="Gehaald.")
    purchase = PhasePlan.objects.get(contract__proposal=partner, phase__order=3)
    with django_capture_on_commit_callbacks(execute=True):
        partnership_purchase(
            plan=purchase,
            actor=call.officer,
            amount=Decimal("249999.99"),
            purchased_on=timezone.localdate(),
            description="Drie veerponten",
        )
    ocid = ocid_of_phase(call, 1)
    release = OcdsRelease.objects.get(release_id=f"{ocid}-purchase-{purchase.pk}")
    assert release.tags == ["contract"]
    (bought,) = [c for c in release.data["contracts"] if c["id"] == f"purchase-{purchase.pk}"]
    assert bought["awardID"] == f"award-{partner.pk}"
    assert bought["value"] == {"amount": 249999.99, "currency": "EUR"}
    assert bought["description"] == "Drie veerponten"
    assert bought["dateSigned"].startswith(timezone.localdate().isoformat())
    # The partnership's contract itself completes with the purchase: its own release.
    assert OcdsRelease.objects.filter(
        release_id=f"{ocid}-ended-{partner.contract.pk}", tags=["contractTermination"]
    ).exists()
    # The record and the current package show it, and validate.
    record = package_from(client.get(record_url(ocid)))
    assert validate_record_package(record) == []
    compiled = record["records"][0]["compiledRelease"]
    assert f"purchase-{purchase.pk}" in {c["id"] for c in compiled["contracts"]}
    current = package_from(client.get(f"/open-data/calls/{call.pk}/releases.json"))
    assert validate_package(current) == []
    # A purchase is recorded once made; a backfilled history dates the contract from that day.
    from reporting.services.opendata import as_of

    earlier = timezone.now() - timedelta(days=2)
    assert f"purchase-{purchase.pk}" not in {
        c["id"] for c in as_of(release.data, earlier).get("contracts", [])
    }
