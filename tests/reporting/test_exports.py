"""CSV and XLSX exports: what each person may export, the files' content, and large exports
made in the background."""

import csv
import io
import re
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext, override_settings
from django.urls import reverse
from django.utils.html import escape
from openpyxl import load_workbook

from funding.models import Entry
from portal.models import Role
from proposals.models import Proposal
from reporting.models import Export
from reporting.services.exports import export_request
from tests.calls.factories import draft_call, officer_of, published_call
from tests.factories import CompanyFactory, person_with_role
from tests.proposals.factories import complete_draft, deadline_passed, submitted_proposals

from .scenario import ministry_staff, scenario

pytestmark = pytest.mark.django_db

EXPORTS = reverse("reporting:exports")


def rows_of(response, delimiter: str = ";") -> list[list[str]]:
    """The rows of a CSV; Dutch (the default on Dutch pages) unless told otherwise."""
    content = response.content.decode("utf-8")
    assert content.startswith("\ufeff")  # Excel reads UTF-8 with a byte order mark
    return list(csv.reader(io.StringIO(content[1:]), delimiter=delimiter))


def export(client, kind, file_format="csv", **extra):
    return client.post(EXPORTS, {"kind": kind, "file_format": file_format, **extra})


def amount(text: str) -> Decimal:
    """A Dutch amount ("-1234,50") as a number."""
    return Decimal(text.replace(",", "."))


def test_an_officer_exports_the_proposals_of_their_own_calls_only_never_drafts(verified_client):
    call = published_call()
    mine = submitted_proposals(call, 2)
    complete_draft(call=call)  # a draft: never exported
    deadline_passed(submitted_proposals(published_call(), 1)[0].call)  # another authority's
    deadline_passed(call)
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
    deadline_passed(call)
    Proposal.objects.filter(pk=proposal.pk).update(title='=HYPERLINK("http://evil.example","x")')
    client = verified_client(call.officer)

    _header, row = rows_of(export(client, "proposals"))
    assert row[4] == '\'=HYPERLINK("http://evil.example","x")'

    workbook = load_workbook(io.BytesIO(export(client, "proposals", "xlsx").content))
    title = workbook.active.cell(row=2, column=5)
    # The text as typed, in a string cell that Excel keeps text when it is edited.
    assert title.value == '=HYPERLINK("http://evil.example","x")'
    assert title.data_type == "s"
    assert title.quotePrefix


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
    assert sum(amount(row[8]) for row in rows) == 0
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


# --- CSV that Dutch Excel opens ----------------------------------------------------------------


def in_english(client):
    client.cookies["django_language"] = "en"
    return client


def offered_dialect(client) -> str:
    page = client.get(EXPORTS).content.decode()
    (checked,) = re.findall(r'name="csv_dialect"[^>]* value="(\w+)" id="[^"]+" checked', page)
    return checked


def raw_lines(response) -> list[str]:
    return response.content.decode("utf-8").removeprefix("\ufeff").splitlines()


def test_the_dutch_page_makes_the_dutch_csv_semicolons_decimal_comma_all_quoted(verified_client):
    call = published_call(total_budget=Decimal("1234567.89"))
    client = verified_client(call.officer)

    assert offered_dialect(client) == "nl"
    response = export(client, "calls")

    header, row = raw_lines(response)
    assert header.startswith('"Kenmerk";"Titel";')
    assert row.startswith(f'"{call.reference}";"Circulaire viaducten";')
    assert '"1234567,89"' in row
    cells = next(csv.reader([row], delimiter=";"))
    assert all(line.count('"') % 2 == 0 for line in (header, row))
    assert len(cells) == len(next(csv.reader([header], delimiter=";")))
    # Dutch Excel reads this as a date and time.
    assert re.fullmatch(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d", cells[8])


def test_the_english_page_makes_the_international_csv(verified_client):
    call = published_call(total_budget=Decimal("1234567.89"))
    client = in_english(verified_client(call.officer))

    assert offered_dialect(client) == "international"
    header, row = raw_lines(export(client, "calls"))

    assert header.startswith('"Reference","Title",')
    assert '"1234567.89"' in row
    cells = next(csv.reader([row]))
    assert cells[6] == "1234567.89"


def test_the_dialect_can_be_chosen_on_either_page(verified_client):
    call = published_call(total_budget=Decimal("10.50"))
    client = verified_client(call.officer)

    international = export(client, "calls", csv_dialect="international")
    dutch = export(in_english(client), "calls", csv_dialect="nl")

    assert ',"10.50",' in raw_lines(international)[1]
    assert ';"10,50";' in raw_lines(dutch)[1]
    assert export(client, "calls", csv_dialect="semicolon").status_code == 200  # the form again
    assert Export.objects.count() == 0


def test_negative_amounts_stay_numbers_in_both_dialects(verified_client):
    story = scenario(trajectories=1)
    client = verified_client(story.staff)

    for dialect, delimiter, separator in (("nl", ";", ","), ("international", ",", ".")):
        _header, *rows = rows_of(export(client, "transactions", csv_dialect=dialect), delimiter)
        amounts = [row[8] for row in rows]
        negative = [text for text in amounts if text.startswith("-")]
        assert negative, "a ledger has negative entries"
        assert all(re.fullmatch(rf"-?\d+\{separator}\d\d", text) for text in amounts)


INJECTIONS = [
    "=1+1",
    "+1+1",
    "-1+1",
    "@SUM(A1)",
    "\t=1+1",
    "\r=1+1",
    " =1+1",
    "x;=1+1;y",
    "x,=1+1,y",
    "x\t=1+1\ty",
    "x; +cmd|' /C calc'!A0",
    "x\n=1+1",
]


def _cell_starts(text: str) -> list[str]:
    """Every place a reader could begin a cell in this text, after any split it might make."""
    starts = [text]
    for separator in (",", ";", "\t", "\r", "\n"):
        starts += text.split(separator)[1:]
    return starts


def _formula(cell: str) -> bool:
    return cell.lstrip(" ").startswith(("=", "+", "-", "@", "\t", "\r"))


@pytest.mark.parametrize("title", INJECTIONS)
@pytest.mark.parametrize(("dialect", "delimiter"), [("nl", ";"), ("international", ",")])
def test_no_piece_of_a_hostile_title_starts_a_formula_in_either_dialect(
    verified_client, title, dialect, delimiter
):
    call = published_call()
    (proposal,) = submitted_proposals(call, 1)
    deadline_passed(call)
    Proposal.objects.filter(pk=proposal.pk).update(title=title)
    client = verified_client(call.officer)

    response = export(client, "proposals", csv_dialect=dialect)
    _header, row = rows_of(response, delimiter)

    exported = row[4]
    # Nothing lost: only apostrophes where a cell could begin.
    assert re.sub(r"(^|[,;\t\r\n])'", r"\1", exported) == title
    # Opened with either dialect, or split naively on any separator, no cell is a formula.
    text = response.content.decode("utf-8")
    for reading in (",", ";", "\t"):
        for line in text.splitlines():
            for cell in line.split(reading):
                assert not _formula(cell.strip('"')), (reading, cell)
    assert not any(_formula(start) for start in _cell_starts(exported))


def test_the_title_of_the_issue_stays_one_text_cell(verified_client):
    call = published_call(title="x;=1+1;y")
    client = verified_client(call.officer)

    _header, dutch = rows_of(export(client, "calls", csv_dialect="nl"))
    _header, international = rows_of(export(client, "calls", csv_dialect="international"), ",")

    assert dutch[1] == international[1] == "x;'=1+1;y"
    sheet = load_workbook(io.BytesIO(export(client, "calls", "xlsx").content)).active
    assert sheet.cell(row=2, column=2).value == "x;=1+1;y"
    assert sheet.cell(row=2, column=2).data_type == "s"


def test_xlsx_keeps_negative_amounts_as_numbers_and_hostile_text_as_text(verified_client):
    story = scenario(trajectories=1)
    client = verified_client(story.staff)

    sheet = load_workbook(io.BytesIO(export(client, "transactions", "xlsx").content)).active
    amounts = [sheet.cell(row=row, column=9) for row in range(2, sheet.max_row + 1)]

    assert any(cell.value < 0 for cell in amounts)
    assert all(cell.data_type == "n" and "€" in cell.number_format for cell in amounts)
    assert sum(Decimal(str(cell.value)) for cell in amounts) == 0


@override_settings(EXPORT_INLINE_MAX_ROWS=0)
def test_a_background_csv_keeps_the_dialect_chosen(
    verified_client, django_capture_on_commit_callbacks
):
    call = published_call(total_budget=Decimal("99.90"))
    client = verified_client(call.officer)

    with django_capture_on_commit_callbacks(execute=True):
        export(client, "calls", csv_dialect="nl")
        export(client, "calls", csv_dialect="international")

    dutch, international = Export.objects.order_by("pk")
    assert (dutch.csv_dialect, international.csv_dialect) == ("nl", "international")
    assert dutch != international  # a different dialect is a different export
    for job, expected in ((dutch, ';"99,90";'), (international, ',"99.90",')):
        download = client.get(reverse("reporting:export_download", kwargs={"pk": job.pk}))
        content = b"".join(download.streaming_content).decode("utf-8")
        assert expected in content
    page = client.get(reverse("reporting:export", kwargs={"pk": dutch.pk})).content.decode()
    assert escape(str(Export.CsvDialect.DUTCH.label)) in page


# --- Large exports in the background --------------------------------------------------------


@override_settings(EXPORT_INLINE_MAX_ROWS=1)
def test_a_large_export_is_made_in_the_background_and_only_its_owner_downloads_it(
    verified_client, client, django_capture_on_commit_callbacks
):
    call = published_call()
    submitted_proposals(call, 3)
    deadline_passed(call)
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
