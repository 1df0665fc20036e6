"""The open data page with its history: the bulk files' table passes axe, and its download
link serves the year's file."""

import pytest
from django.utils import timezone

from calls.services.lifecycle import call_publish
from reporting.services.opendata import ocds_bulk_refresh
from tests.calls.factories import draft_call, officer_of

from .conftest import axe_violations

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_open_data_page_lists_the_bulk_files_and_passes_axe(page):
    officer = officer_of()
    call_publish(call=draft_call(officer=officer), actor=officer)  # its releases, on commit
    year = timezone.localdate().year
    assert ocds_bulk_refresh() == [year]

    page.goto("/open-data/")
    row = page.get_by_test_id(f"opendata-bulk-{year}")
    assert row.get_by_role("link", name=str(year)).get_attribute("href") == (
        f"/open-data/bulk/{year}.jsonl.gz"
    )
    assert axe_violations(page) == []
    with page.expect_download() as download:
        row.get_by_role("link", name=str(year)).click()
    assert download.value.suggested_filename == f"innovatieloket-ocds-releases-{year}.jsonl.gz"
