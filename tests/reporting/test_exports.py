"""CSV and XLSX exports: what each person may export, the files' content, and large exports
made in the background."""

import csv
import io
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext, override_settings
from django.urls import reverse
from openpyxl import load_workbook

from funding.models import Entry
from portal.models import Role
from proposals.models import Proposal
from reporting.models import Export
from reporting.services.exports import export_request
from tests.calls.factories import draft_call, officer_of, published_call
from tests.factories import CompanyFactory, person_with_role
from tests.proposals.factories import complete_draft, submitted_proposals

from .scenario import ministry_staff, scenario

pytestmark = pytest.mark.django_db

EXPORTS = reverse("reporting:exports")


def rows_of(response) -> list[list[str]]:
    content = response.content.decode("utf-8")
    assert content.startswith("\ufeff")  # Excel reads UTF-8 with a byte order mark
    return list(csv.reader(io.StringIO(content[1:])))


def export(client, kind, file_format="csv"):
    return client.post(EXPORTS, {"kind": kind, "file_format": file_format})


def test_an_officer_exports_the_proposals_of_their_own_calls_only_never_drafts(verified_client):
    call = published_call()
    mine = submitted_proposals(call, 2)
    complete_draft(call=call)  # a draft: never exported
    submitted_proposals(published_call(), 1)  # another authority's call
    client = verified_client(call.officer)

    response = export(client, "proposals")

    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "attachment" in response["Content-Disposition"]
    assert response["Cache-Control"] == "private, no-store"
    header, *rows = rows_of(response)
    assert header[0] == "Indieningsnummer"
    assert sorted(row[0] for row in rows) == sorted(p.submission_number for p in mine)
    assert {row[1] for row in rows} == {call.reference}


def test_text_that_a_spreadsheet_would_run_as_a_formula_is_defused(verified_client):
    call = published_call()
    (proposal,) = submitted_proposals(call, 1)
    Proposal.objects.filter(pk=proposal.pk).update(title='=HYPERLINK("http://evil.example","x")')
    client = verified_client(call.officer)

    _header, row = rows_of(export(client, "proposals"))
    assert row[4] == '\'=HYPERLINK("http://evil.example","x")'

    workbook = load_workbook(io.BytesIO(export(client, "proposals", "xlsx").content))
    sheet = workbook.active
    assert sheet.cell(row=2, column=5).value.startswith("'=")
    assert sheet.cell(row=2, column=5).data_type == "s"


def test_xlsx_has_numbers_dates_and_a_bold_frozen_header(verified_client):
    call = published_call(total_budget=Decimal("750000.00"))
    client = verified_client(call.officer)

    response = export(client, "calls", "xlsx")

    assert response["Content-Type"].startswith(
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet.freeze_panes == "A2"
    assert sheet.cell(row=1, column=1).font.bold
    assert sheet.cell(row=2, column=1).value == call.reference
    budget = sheet.cell(row=2, column=7)
    assert budget.value == 750000
    assert "€" in budget.number_format
    assert sheet.cell(row=2, column=9).is_date


def test_ministry_staff_export_the_whole_ledger_and_it_balances(verified_client):
    story = scenario(trajectories=2)
    client = verified_client(story.staff)

    _header, *rows = rows_of(export(client, "transactions"))

    assert len(rows) == Entry.objects.count()
    assert sum(Decimal(row[8]) for row in rows) == 0
    assert {row[2] for row in rows} == {story.fund.name}


def test_an_officer_exports_only_their_own_authoritys_money(verified_client):
    story = scenario(trajectories=2)
    own_call = story.calls[0]
    client = verified_client(own_call.officer)

    _header, *rows = rows_of(export(client, "transactions"))

    assert rows
    assert {row[5] for row in rows} == {own_call.reference}


def test_calls_export_ministry_sees_no_drafts_officer_sees_own_drafts(verified_client, client):
    draft = draft_call()
    published = published_call()
    _header, *rows = rows_of(export(verified_client(ministry_staff()), "calls"))
    assert [row[0] for row in rows] == [published.reference]
    client.logout()
    _header, *rows = rows_of(export(verified_client(draft.officer), "calls"))
    assert [row[0] for row in rows] == [draft.reference]


def test_who_may_export_what(client, verified_client):
    response = client.get(EXPORTS)
    assert response.status_code == 302
    assert reverse("login") in response.url
    client.force_login(person_with_role(Role.APPLICANT, organisation=CompanyFactory()))
    assert client.get(EXPORTS).status_code == 403
    assert export(client, "calls").status_code == 403
    client.logout()
    # Proposals belong to the owning authority: ministry staff cannot choose them.
    staff_client = verified_client(ministry_staff())
    page = staff_client.get(EXPORTS).content.decode()
    assert 'value="proposals"' not in page
    response = export(staff_client, "proposals")
    assert response.status_code == 200
    assert "geldige keuze" in response.content.decode()
    assert export(staff_client, "calls", "pdf").status_code == 200  # refused in the form
    assert not Export.objects.exists()


def test_the_inline_export_takes_the_same_queries_for_5_and_50_calls(verified_client):
    officer = officer_of()
    client = verified_client(officer)

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert export(client, "calls").status_code == 200
        return len(captured)

    for _ in range(5):
        draft_call(officer=officer)
    few = queries()
    for _ in range(45):
        draft_call(officer=officer)
    assert queries() == few


# --- Large exports in the background --------------------------------------------------------


@override_settings(EXPORT_INLINE_MAX_ROWS=1)
def test_a_large_export_is_made_in_the_background_and_only_its_owner_downloads_it(
    verified_client, client, django_capture_on_commit_callbacks
):
    call = published_call()
    submitted_proposals(call, 3)
    owner = verified_client(call.officer)

    with django_capture_on_commit_callbacks(execute=True):
        response = export(owner, "proposals", "xlsx")

    job = Export.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("reporting:export", kwargs={"pk": job.pk})
    assert job.status == Export.Status.DONE
    assert job.row_count == 3
    assert job.organisation == call.authority
    page = owner.get(response.url).content.decode()
    download_url = reverse("reporting:export_download", kwargs={"pk": job.pk})
    assert download_url in page
    download = owner.get(download_url)
    content = b"".join(download.streaming_content)
    assert load_workbook(io.BytesIO(content)).active.max_row == 4
    client.logout()
    colleague = officer_of(call.authority)
    other = verified_client(colleague)
    assert other.get(reverse("reporting:export", kwargs={"pk": job.pk})).status_code == 404
    assert other.get(download_url).status_code == 404


def test_asking_for_the_same_export_while_it_is_made_returns_that_one():
    call = published_call()
    first, created = export_request(actor=call.officer, kind="calls", file_format="csv")
    again, created_again = export_request(actor=call.officer, kind="calls", file_format="csv")
    assert created
    assert not created_again
    assert again == first
    other_format, created_other = export_request(
        actor=call.officer, kind="calls", file_format="xlsx"
    )
    assert created_other
    assert other_format != first
