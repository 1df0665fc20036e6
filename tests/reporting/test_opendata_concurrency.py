"""Two changes to a call at the same moment, from two database connections: each gives its
own release (unique release ids), and one event recorded twice at once is stored once.

The tests ask for ``transactional_db`` (not the marker), so that the database is emptied
before tests/conftest.py puts the missions back.
"""

import itertools

from django.utils import timezone

from calls.models import Call
from calls.services.lifecycle import call_amend, call_publish
from reporting.models import OcdsRelease
from reporting.services.opendata import ocds_release_record
from tests.calls.factories import draft_call, officer_of
from tests.concurrency import require_postgresql, run_at_once
from tests.reporting.test_opendata_history import ocid_of_phase


def test_two_amendments_at_once_each_give_a_release(transactional_db):
    require_postgresql()
    officer = officer_of()
    call = call_publish(call=draft_call(officer=officer), actor=officer)  # committed: no test tx
    texts = iter(["Eerste versie van de vraag.", "Tweede versie van de vraag."])

    def amend_now():
        return call_amend(
            call=Call.objects.get(pk=call.pk),
            actor=officer,
            reason="Verduidelijking",
            changes={"challenge": next(texts)},
        )

    results = run_at_once(amend_now)
    assert not [r for r in results if isinstance(r, Exception)], results
    ocid = ocid_of_phase(call)
    ids = list(OcdsRelease.objects.filter(ocid=ocid).values_list("release_id", flat=True))
    assert sorted(ids) == sorted([f"{ocid}-tender", f"{ocid}-amendment-1", f"{ocid}-amendment-2"])
    assert len(set(ids)) == len(ids)


def test_the_same_release_recorded_twice_at_once_is_stored_once(transactional_db):
    require_postgresql()
    officer = officer_of()
    call = draft_call(officer=officer)
    Call.objects.filter(pk=call.pk).update(
        status=Call.Status.PUBLISHED, publication_date=timezone.now()
    )
    results = run_at_once(
        lambda: ocds_release_record(
            call=Call.objects.get(pk=call.pk), event="tender", tags=["tender"]
        )
    )
    assert not [r for r in results if isinstance(r, Exception)], results
    assert OcdsRelease.objects.filter(call=call).count() == call.phases.count()


def test_two_releases_of_one_ocid_at_once_are_both_in_its_record(transactional_db):
    """Two tasks store a release of the same ocid at the same moment, each compiling the
    record: whichever writes last has read both releases; neither is lost."""
    from reporting.models import OcdsRecord

    require_postgresql()
    officer = officer_of()
    call = draft_call(officer=officer)
    Call.objects.filter(pk=call.pk).update(
        status=Call.Status.PUBLISHED, publication_date=timezone.now()
    )
    ocds_release_record(call=Call.objects.get(pk=call.pk), event="tender", tags=["tender"])
    numbers = itertools.count(1)  # thread-safe: each thread its own event

    def record_now():
        return ocds_release_record(
            call=Call.objects.get(pk=call.pk),
            event=f"enquiries-{next(numbers)}",
            tags=["tenderUpdate"],
        )

    for _ in range(3):  # the moments overlap differently each time: try a few
        results = run_at_once(record_now)
        assert not [r for r in results if isinstance(r, Exception)], results
        for record in OcdsRecord.objects.filter(call=call):
            stored = set(
                OcdsRelease.objects.filter(ocid=record.ocid).values_list("release_id", flat=True)
            )
            assert {item["id"] for item in record.releases} == stored
            latest = OcdsRelease.objects.filter(ocid=record.ocid).order_by("date", "pk").last()
            assert record.latest_id == latest.pk
    assert OcdsRelease.objects.filter(call=call).count() == 7 * call.phases.count()
