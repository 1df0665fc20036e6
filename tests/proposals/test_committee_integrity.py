"""Committee integrity (issue 13, findings 2 and 5): a conflicted or uncleared chair sees
nothing of a proposal on the ranking, the advice and its PDF; a deputy chair designated by
the officer presides over the chair's conflicts; the advice is signed only when every
assignment is assessed or withdrawn with a reason; the officer removes members and withdraws
or reassigns assignments, with the reason in the audit trail."""

from io import BytesIO

import pytest
from auditlog.models import LogEntry
from django.urls import reverse
from pypdf import PdfReader

from portal.exceptions import DomainError, NotAllowed
from proposals.hooks import tasks_for
from proposals.models import Advice, Assignment, CommitteeMember, ConsensusScore
from proposals.services.assessment import (
    advice_sign,
    code_of_conduct_accept,
    committee_deputy_designate,
    committee_invite_expert,
    committee_member_remove,
    consensus_record,
)
from tests.calls.factories import officer_of

from .test_assessment_pages import assign, build_committee, cleared, scored

pytestmark = pytest.mark.django_db


def url(name, **kwargs) -> str:
    return reverse(f"proposals:{name}", kwargs=kwargs)


def pdf_text(response) -> str:
    content = b"".join(response.streaming_content)
    return "".join(page.extract_text() for page in PdfReader(BytesIO(content)).pages)


@pytest.fixture
def setting():
    """Three proposals; the chair is conflicted on the first (x); all cleared otherwise, each
    proposal scored by two members."""
    setting = build_committee(3, members=3)
    x, y, z = setting["proposals"]
    chair, first, second, third = setting["chair"], *setting["members"]
    cleared(chair, [x, y, z], conflicts=[x])
    for seat in (first, second, third):
        cleared(seat, [x, y, z])
    for proposal in (x, y, z):
        scored(setting, assign(setting, first, proposal), (8, 8, 8))
        scored(setting, assign(setting, second, proposal), (7, 7, 7))
    setting.update(x=x, y=y, z=z)
    return setting


def _hidden(html: str, proposal) -> bool:
    return (
        proposal.submission_number not in html
        and proposal.company.name not in html
        and f"row-{proposal.pk}" not in html
    )


# --- Finding 2: the conflicted or uncleared chair ------------------------------------------------


def test_a_conflicted_chair_sees_nothing_of_the_proposal_on_the_ranking_and_the_advice(
    setting, verified_client
):
    chair, x, y = setting["chair"], setting["x"], setting["y"]
    client = verified_client(chair.user)
    for name in ("ranking", "advice"):
        page = client.get(url(name, seat_pk=chair.pk))
        assert page.status_code == 200
        assert _hidden(page.text, x), name
        assert f'data-testid="row-{y.pk}"' in page.text
        assert 'data-testid="not-shown"' in page.text
    # Ranked among what the chair sees: no gap betrays x's place.
    ranking = client.get(url("ranking", seat_pk=chair.pk)).text
    assert 'data-testid="rank-' in ranking
    assert sorted(
        int(part.split("<")[0].split(">")[1])
        for part in ranking.split('data-testid="rank-')[1:]
        if part.split("<")[0].split(">")[1].isdigit()
    ) == [1, 2]
    assert client.get(url("consensus", seat_pk=chair.pk, proposal_pk=x.pk)).status_code == 404


def test_a_conflicted_chair_cannot_select_the_proposal(setting, verified_client):
    chair, x, y = setting["chair"], setting["x"], setting["y"]
    client = verified_client(chair.user)
    refused = client.post(url("advice", seat_pk=chair.pk), {"selected": [x.pk], "confirmed": "1"})
    assert refused.status_code == 200
    assert 'data-testid="error-summary"' in refused.text
    assert not Advice.objects.exists()
    with pytest.raises(DomainError):
        advice_sign(committee=setting["committee"], actor=chair.user, selected=[x, y])
    assert not Advice.objects.exists()


def test_a_chair_who_has_not_accepted_the_code_sees_no_proposal(verified_client):
    setting = build_committee(2, members=1)
    chair = setting["chair"]
    client = verified_client(chair.user)
    for name in ("ranking", "advice"):
        page = client.get(url(name, seat_pk=chair.pk), follow=True)
        assert page.redirect_chain[-1][0] == url("code_of_conduct", seat_pk=chair.pk)
        for proposal in setting["proposals"]:
            assert _hidden(page.text, proposal), name
    # Accepted the code but not yet declared: still nothing of any proposal.
    code_of_conduct_accept(member=chair, actor=chair.user)
    for name in ("ranking", "advice"):
        page = client.get(url(name, seat_pk=chair.pk))
        assert page.status_code == 200
        for proposal in setting["proposals"]:
            assert _hidden(page.text, proposal), name


# --- Finding 5: an advice with gaps --------------------------------------------------------------


def _sign(client, chair, selected=()):
    return client.post(
        url("advice", seat_pk=chair.pk), {"selected": [p.pk for p in selected], "confirmed": "1"}
    )


@pytest.fixture
def plain():
    """No conflicts: the chair and three members cleared; y assigned to two members, of
    whom one has not scored."""
    setting = build_committee(2, members=3)
    chair, first, second, third = setting["chair"], *setting["members"]
    y, z = setting["proposals"]
    for seat in (chair, first, second, third):
        cleared(seat, [y, z])
    scored(setting, assign(setting, first, y), (8, 8, 8))
    setting["missing"] = assign(setting, second, y)
    setting.update(y=y, z=z)
    return setting


def test_signing_is_refused_while_an_assessment_is_missing_until_it_is_withdrawn(
    plain, verified_client
):
    chair, second, third, y = plain["chair"], *plain["members"][1:], plain["y"]
    client = verified_client(chair.user)
    page = client.get(url("advice", seat_pk=chair.pk))
    assert 'data-testid="gaps"' in page.text
    refused = _sign(client, chair, [y])
    assert refused.status_code == 200
    assert not Advice.objects.exists()
    assert second.user.full_name in refused.text
    assert y.submission_number in refused.text

    # The officer withdraws the assignment and gives it to the third member, with a reason.
    officer = verified_client(plain["officer"])
    address = url(
        "officer_assignment_withdraw", phase_pk=plain["phase"].pk, assignment_pk=plain["missing"].pk
    )
    assert officer.get(address).status_code == 200
    response = officer.post(address, {"reason": "Ziek", "reassign_to": third.pk})
    assert response.status_code == 302
    old = Assignment.objects.get(pk=plain["missing"].pk)
    assert old.withdrawn_at is not None
    assert "Ziek" in old.withdrawn_reason
    new = Assignment.objects.get(member=third, proposal=y)
    entry = LogEntry.objects.get_for_object(old).filter(action=LogEntry.Action.UPDATE).get()
    assert entry.actor == plain["officer"]
    assert LogEntry.objects.get_for_object(new).get().actor == plain["officer"]

    # The new assignment is missing now; once scored the advice can be signed.
    client = verified_client(chair.user)
    assert _sign(client, chair, [y]).status_code == 200
    assert third.user.full_name in client.get(url("advice", seat_pk=chair.pk)).text
    scored(plain, new, (6, 6, 6))
    assert _sign(client, chair, [y]).status_code == 302
    advice = Advice.objects.get()
    assert list(advice.selected.all()) == [y]

    # The PDF says who assessed what, and why the assignment was withdrawn.
    officer = verified_client(plain["officer"])
    text = pdf_text(officer.get(url("advice_pdf", seat_pk=chair.pk)))
    assert plain["members"][0].user.full_name in text
    assert third.user.full_name in text
    assert "Ziek" in text


def test_signing_is_refused_while_an_invited_expert_has_not_accepted_the_code(
    plain, verified_client
):
    chair = plain["chair"]
    scored(plain, plain["missing"], (7, 7, 7))
    expert = committee_invite_expert(
        committee=plain["committee"],
        actor=plain["officer"],
        email="expert@example.nl",
        full_name="Eva Expert",
        expertise="Bruggen",
    )
    client = verified_client(chair.user)
    refused = _sign(client, chair, [plain["y"]])
    assert refused.status_code == 200
    assert "Eva Expert" in refused.text
    assert not Advice.objects.exists()

    # The officer removes the expert, with a reason; then the advice can be signed.
    officer = verified_client(plain["officer"])
    address = url("officer_member_remove", phase_pk=plain["phase"].pk, member_pk=expert.pk)
    assert officer.post(address, {"reason": ""}).status_code == 200  # a reason is required
    assert CommitteeMember.objects.get(pk=expert.pk).removed_at is None
    assert officer.post(address, {"reason": "Reageert niet"}).status_code == 302
    expert.refresh_from_db()
    assert expert.removed_reason == "Reageert niet"
    entry = LogEntry.objects.get_for_object(expert).filter(action=LogEntry.Action.UPDATE).get()
    assert entry.actor == plain["officer"]

    client = verified_client(chair.user)
    assert _sign(client, chair, [plain["y"]]).status_code == 302
    officer = verified_client(plain["officer"])
    text = pdf_text(officer.get(url("advice_pdf", seat_pk=chair.pk)))
    assert "Reageert niet" in text  # listed as removed, not as a member


def test_removing_a_member_withdraws_their_open_assignments_and_closes_their_pages(
    plain, verified_client
):
    second = plain["members"][1]
    open_one = plain["missing"]
    done = scored(plain, assign(plain, second, plain["z"]), (5, 5, 5))
    withdrawn = committee_member_remove(member=second, actor=plain["officer"], reason="Vertrek")
    assert withdrawn == 1
    open_one.refresh_from_db()
    assert open_one.withdrawn_at is not None
    assert "Vertrek" in open_one.withdrawn_reason
    done.assignment.refresh_from_db()
    assert done.assignment.withdrawn_at is None  # submitted scores stay
    client = verified_client(second.user)
    for address in (
        url("declarations", seat_pk=second.pk),
        url("assess", seat_pk=second.pk, proposal_pk=plain["z"].pk),
    ):
        assert client.get(address).status_code == 404
    assert client.get(reverse("api-assessment-list")).json()["count"] == 0
    with pytest.raises(DomainError):
        committee_member_remove(member=plain["chair"], actor=plain["officer"], reason="Weg")


# --- The deputy chair ----------------------------------------------------------------------------


def test_the_deputy_chair_presides_over_the_chairs_conflicts(setting, verified_client):
    chair, deputy, x, y = setting["chair"], setting["members"][2], setting["x"], setting["y"]
    phase = setting["phase"]
    phase.planned_awards = 2
    phase.save()
    client = verified_client(chair.user)
    refused = _sign(client, chair, [y])
    assert refused.status_code == 200
    assert "deputy chair" in refused.text.lower() or "plaatsvervangend" in refused.text.lower()
    assert not Advice.objects.exists()

    # The officer designates the deputy through the phase's page; the audit trail has it.
    officer = verified_client(setting["officer"])
    response = officer.post(url("officer_deputy", phase_pk=phase.pk), {"member": deputy.pk})
    assert response.status_code == 302
    setting["committee"].refresh_from_db()
    assert setting["committee"].deputy_chair == deputy
    entry = LogEntry.objects.get_for_object(setting["committee"]).filter(
        action=LogEntry.Action.UPDATE
    )
    assert entry.get().actor == setting["officer"]

    # My tasks sends the deputy there; the deputy sees x (and only the chair's conflicts) and
    # records its consensus.
    deputy_tasks = [t for t in tasks_for(deputy.user) if t["kind"] == "deputy"]
    assert [t["url"] for t in deputy_tasks] == [url("deputy", seat_pk=deputy.pk)]
    client = verified_client(deputy.user)
    home = client.get(url("committee_home")).text
    assert url("deputy", seat_pk=deputy.pk) in home
    page = client.get(url("deputy", seat_pk=deputy.pk))
    assert page.status_code == 200
    assert f'data-testid="row-{x.pk}"' in page.text
    assert f'data-testid="row-{y.pk}"' not in page.text
    address = url("consensus", seat_pk=deputy.pk, proposal_pk=x.pk)
    impact = setting["criteria"][0]
    prefix = f"c{impact.pk}"
    recorded = client.post(
        address,
        {"criterion": impact.pk, f"{prefix}-score": "9", f"{prefix}-motivation": "Besproken"},
    )
    assert recorded.status_code == 302
    assert ConsensusScore.objects.get(proposal=x, criterion=impact).recorded_by == deputy.user
    # Not the deputy's to preside over: y is the chair's.
    assert client.get(url("consensus", seat_pk=deputy.pk, proposal_pk=y.pk)).status_code == 404
    # The chair can record nothing on x, not even through the service.
    with pytest.raises(NotAllowed):
        consensus_record(
            proposal=x, actor=chair.user, criterion_id=impact.pk, score=1, motivation="Nee"
        )

    # The deputy selects x; the chair sees only that one place of two is taken.
    assert client.post(url("deputy", seat_pk=deputy.pk), {"selected": [x.pk]}).status_code == 302
    client = verified_client(chair.user)
    assert _sign(client, chair, [y, setting["z"]]).status_code == 200  # three > two planned
    assert _sign(client, chair, [y]).status_code == 302
    advice = Advice.objects.get()
    assert set(advice.selected.all()) == {x, y}
    assert advice.deputy_chair == deputy.user
    row = next(r for r in advice.ranking if r["proposal"] == x.pk)
    assert row["presided_by"] == deputy.user.full_name

    # The signed advice page and the chair's PDF still show nothing of x.
    signed = client.get(url("advice", seat_pk=chair.pk)).text
    assert _hidden(signed, x)
    chairs_copy = pdf_text(client.get(url("advice_pdf", seat_pk=chair.pk)))
    assert x.submission_number not in chairs_copy
    assert y.submission_number in chairs_copy
    # The authority's copy records the deputy chair's part.
    officer = verified_client(setting["officer"])
    official = " ".join(pdf_text(officer.get(url("advice_pdf", seat_pk=chair.pk))).split())
    assert x.submission_number in official
    assert deputy.user.full_name in official


def test_designating_a_deputy_is_for_the_authoritys_officers_only(setting, verified_client):
    committee, deputy, phase = setting["committee"], setting["members"][2], setting["phase"]
    outsider = officer_of()
    for person in (outsider, setting["chair"].user, setting["members"][0].user):
        client = verified_client(person)
        response = client.post(url("officer_deputy", phase_pk=phase.pk), {"member": deputy.pk})
        assert response.status_code == 404
        with pytest.raises(NotAllowed):
            committee_deputy_designate(committee=committee, actor=person, member=deputy)
    committee.refresh_from_db()
    assert committee.deputy_chair is None
    # Not a deputy: no deputy page for this seat.
    client = verified_client(deputy.user)
    assert client.get(url("deputy", seat_pk=deputy.pk)).status_code == 404
    # The chair cannot be deputy; a member conflicted on the chair's conflict neither.
    with pytest.raises(DomainError):
        committee_deputy_designate(
            committee=committee, actor=setting["officer"], member=setting["chair"]
        )


def test_removing_and_reassigning_is_for_the_authoritys_officers_only(plain, verified_client):
    phase, member = plain["phase"], plain["members"][1]
    addresses = {
        url("officer_member_remove", phase_pk=phase.pk, member_pk=member.pk): {"reason": "Weg"},
        url("officer_assignment_withdraw", phase_pk=phase.pk, assignment_pk=plain["missing"].pk): {
            "reason": "Weg"
        },
    }
    colleague_of_other = officer_of()
    for person in (colleague_of_other, plain["chair"].user, member.user):
        client = verified_client(person)
        for address, data in addresses.items():
            assert client.get(address).status_code == 404
            assert client.post(address, data).status_code == 404
    with pytest.raises(NotAllowed):
        committee_member_remove(member=member, actor=colleague_of_other, reason="Weg")
    assert CommitteeMember.objects.get(pk=member.pk).removed_at is None
    assert Assignment.objects.get(pk=plain["missing"].pk).withdrawn_at is None


def test_a_bad_reassignment_is_refused_on_the_form(plain, verified_client):
    phase = plain["phase"]
    other = build_committee(1, members=1)["members"][0]
    first = plain["members"][0]  # already assesses y
    officer = verified_client(plain["officer"])
    address = url(
        "officer_assignment_withdraw", phase_pk=phase.pk, assignment_pk=plain["missing"].pk
    )
    for data in (
        {"reason": "Weg", "reassign_to": other.pk},  # of another committee
        {"reason": "Weg", "reassign_to": "²"},
        {"reason": "Weg", "reassign_to": first.pk},
        {"reason": "", "reassign_to": ""},
    ):
        response = officer.post(address, data)
        assert response.status_code == 200, data
        assert 'data-testid="error-summary"' in response.text
    assert Assignment.objects.get(pk=plain["missing"].pk).withdrawn_at is None
    assert Assignment.objects.filter(proposal=plain["y"]).count() == 2


def test_a_withdrawn_assignment_can_no_longer_be_scored(plain, verified_client):
    from proposals.services.assessment import assessment_save, assignment_withdraw

    from .test_api import _scores, client_for

    missing = plain["missing"]
    member = missing.member
    assignment_withdraw(assignment=missing, actor=plain["officer"], reason="Dubbel toegewezen")
    missing.refresh_from_db()
    api = client_for(member.user)
    assert missing.pk not in {
        a["id"] for a in api.get(reverse("api-assessment-list")).json()["results"]
    }
    refused = api.put(
        reverse("api-assessment-detail", args=[missing.pk]),
        {"scores": _scores(missing, 7), "submit": True},
        format="json",
    )
    assert refused.status_code == 404
    client = verified_client(member.user)
    address = url("assess", seat_pk=member.pk, proposal_pk=plain["y"].pk)
    assert client.get(address).status_code == 404
    with pytest.raises(DomainError) as error:
        assessment_save(
            assignment=missing,
            actor=member.user,
            scores={c.pk: (7, "Goed") for c in plain["criteria"]},
            submit=True,
        )
    assert error.value.code == "withdrawn"


def test_the_scores_of_a_withdrawn_assignment_no_longer_count(plain, verified_client):
    from proposals.selectors.ranking import ranking_for
    from proposals.services.assessment import assignment_withdraw

    y = plain["y"]
    scored(plain, plain["missing"], (2, 2, 2))  # beside the first member's 8, 8, 8

    def row():
        return next(r for r in ranking_for(plain["phase"]) if r.proposal.pk == y.pk)

    assert (row().assessments, str(row().weighted)) == (2, "5.00")
    assignment_withdraw(assignment=plain["missing"], actor=plain["officer"], reason="Partijdig")
    assert (row().assessments, str(row().weighted)) == (1, "8.00")
    chair = plain["chair"]
    page = verified_client(chair.user).get(url("consensus", seat_pk=chair.pk, proposal_pk=y.pk))
    assert plain["members"][1].user.full_name not in page.text
    assert plain["members"][0].user.full_name in page.text
