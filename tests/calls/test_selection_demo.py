"""The demo innovation partnership shows a full selection: requests with their
self-declaration, assessed per criterion, one excluded, one not selected, three invited."""

from django.urls import reverse

from calls.models import Call, ParticipationRequest
from calls.selectors.selection import selection_outcome
from portal.models import Role

from .test_participation import client_of

IP = Call.Instrument.INNOVATION_PARTNERSHIP
Status = ParticipationRequest.Status


def _demo_partnership() -> Call:
    return Call.objects.get(
        instrument=IP, status=Call.Status.PUBLISHED, authority__name="Provincie Zuid-Holland"
    )


def test_the_demo_partnership_shows_a_full_selection(demo_world):
    call = _demo_partnership()
    requests = call.participation_requests.all()
    assert requests.count() >= 4
    assert call.invitations_sent_at is not None
    invited = requests.filter(invited_at__isnull=False)
    assert invited.count() >= 3
    assert set(invited.values_list("status", flat=True)) == {Status.SELECTED}
    excluded = requests.get(status=Status.EXCLUDED)
    assert excluded.exclusion_answers.filter(applies=True, decision="exclude").exists()
    not_selected = requests.get(status=Status.REJECTED)
    assert not_selected.criterion_answers.filter(meets=False).exists()
    # Every request declared on every ground and criterion; the officer assessed them all.
    for participation in requests:
        assert participation.exclusion_answers.count() == call.exclusion_grounds.count()
        assert not participation.criterion_answers.filter(meets__isnull=True).exists()
        assert not participation.exclusion_answers.filter(applies=True, decision="").exists()
    # An accepted "yes" (self-cleaning) among the invited.
    assert invited.filter(exclusion_answers__applies=True, exclusion_answers__decision="accept")
    page = client_of(call.authority.memberships.get(role=Role.PROCUREMENT_OFFICER).user).get(
        reverse("calls:officer_participation", args=[call.pk])
    )
    assert page.status_code == 200
    outcome = selection_outcome(not_selected)
    assert outcome is not None
    assert not outcome.invited
