"""Innovation partnership, stage 1: published selection criteria and exclusion grounds, the
candidate's self-declaration, the officer's assessment and the minimum of invitations.

One test per rule, through the services, the pages and the API.
"""

import json

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from calls.models import Call, ExclusionAnswer, ExclusionGround, ParticipationRequest
from calls.selectors.selection import selection_outcome
from calls.services.participation import (
    participation_invitations_send,
    participation_request_decide,
)
from calls.services.selection import (
    CriterionAssessment,
    GroundDecision,
    exclusion_ground_add,
    exclusion_ground_delete,
    selection_criterion_add,
    selection_minimum_set,
)
from calls.signals import selection_decided
from calls.structures import EXCLUSION_GROUNDS, SELECTION_CRITERIA
from portal.exceptions import NotAllowed
from portal.models import Role
from tests.factories import person_with_role

from .factories import assessment_for, declaration_for, draft_call, published_call
from .test_participation import (
    after_requests,
    api_assessment,
    api_declaration,
    api_of,
    ask,
    assess_data,
    client_of,
    company_member,
    form_data,
    pdf,
    refused,
)

pytestmark = pytest.mark.django_db

IP = Call.Instrument.INNOVATION_PARTNERSHIP
Status = ParticipationRequest.Status
REASON = "Slechts twee kandidaten voldoen aan de minimumeisen."


@pytest.fixture
def call():
    return published_call(instrument=IP)


def decide(call, participation, *, selected=True, meets=True, exclude=None, **kwargs):
    return participation_request_decide(
        request=participation,
        actor=call.officer,
        selected=selected,
        motivation="Afgewogen op de selectiecriteria.",
        **{**assessment_for(participation, meets=meets, exclude=exclude), **kwargs},
    )


def ask_yes(call, code="taxes", member=None):
    """A request that answers "yes" on one exclusion ground."""
    member = member or company_member()
    return ask(call, member, **declaration_for(call, yes=(code,)))


# --- The call's published selection ----------------------------------------------------------


def test_a_new_partnership_gets_the_standard_grounds_and_criteria_and_an_sbir_none():
    partnership = draft_call(instrument=IP)
    assert list(partnership.exclusion_grounds.values_list("code", flat=True)) == [
        code for code, _kind, _name in EXCLUSION_GROUNDS
    ]
    assert partnership.exclusion_grounds.filter(kind="mandatory").count() == 8
    assert partnership.selection_criteria.count() == len(SELECTION_CRITERIA)
    assert set(partnership.selection_criteria.values_list("category", flat=True)) == {
        "suitability",
        "financial",
        "technical",
    }
    assert partnership.min_invitations == 3
    sbir = draft_call()
    assert not sbir.exclusion_grounds.exists()
    assert not sbir.selection_criteria.exists()


def test_the_public_page_and_the_api_show_the_criteria_and_grounds(call):
    criterion = call.selection_criteria.first()
    html = Client().get(call.get_absolute_url()).content.decode()
    assert 'data-testid="selection-criteria"' in html
    assert criterion.minimum_level in html
    assert "Omkoping" in html  # the grounds read in Dutch by default
    english = Client()
    english.cookies["django_language"] = "en"
    assert "Corruption" in english.get(call.get_absolute_url()).content.decode()
    data = Client().get(reverse("api-call-detail", args=[call.pk])).json()
    assert [item["id"] for item in data["selection_criteria"]] == list(
        call.selection_criteria.values_list("pk", flat=True)
    )
    assert len(data["exclusion_grounds"]) == len(EXCLUSION_GROUNDS)
    assert data["min_invitations"] == 3


def test_the_officer_edits_the_selection_of_a_draft_through_the_page():
    draft = draft_call(instrument=IP)
    client = client_of(draft.officer)
    url = reverse("calls:officer_selection", args=[draft.pk])
    assert 'data-testid="criterion-form"' in client.get(url).content.decode()
    response = client.post(
        url,
        {
            "action": "criterion",
            "criterion-category": "technical",
            "criterion-description": "Ervaring met waterstof.",
            "criterion-minimum_level": "Eén project.",
        },
    )
    assert response.status_code == 302
    assert draft.selection_criteria.filter(description="Ervaring met waterstof.").exists()
    empty = client.post(url, {"action": "criterion", "criterion-category": "technical"})
    assert empty.status_code == 200
    assert set(empty.context["forms"]["criterion"].errors) == {"description", "minimum_level"}
    client.post(url, {"action": "ground", "ground-kind": "discretionary", "ground-name": "Boete"})
    custom = draft.exclusion_grounds.get(name="Boete")
    client.post(url, {"action": "delete_ground", "id": custom.pk})
    assert not draft.exclusion_grounds.filter(pk=custom.pk).exists()
    mandatory = draft.exclusion_grounds.get(code="fraud")
    client.post(url, {"action": "delete_ground", "id": mandatory.pk})
    assert draft.exclusion_grounds.filter(pk=mandatory.pk).exists()  # the law requires it
    too_few = client.post(url, {"action": "minimum", "minimum-min_invitations": "2"})
    assert "min_invitations" in too_few.context["forms"]["minimum"].errors
    client.post(url, {"action": "minimum", "minimum-min_invitations": "5"})
    draft.refresh_from_db()
    assert draft.min_invitations == 5


def test_the_selection_is_frozen_once_published_and_only_its_officers_edit_it(call):
    with refused("frozen"):
        selection_criterion_add(
            call=call, actor=call.officer, category="technical", description="X", minimum_level="Y"
        )
    with refused("frozen"):
        exclusion_ground_add(call=call, actor=call.officer, kind="discretionary", name="X")
    with refused("frozen"):
        selection_minimum_set(call=call, actor=call.officer, minimum=4)
    html = client_of(call.officer).get(reverse("calls:officer_selection", args=[call.pk]))
    assert 'data-testid="frozen"' in html.content.decode()
    assert 'data-testid="criterion-form"' not in html.content.decode()
    draft = draft_call(instrument=IP)
    stranger = person_with_role(Role.PROCUREMENT_OFFICER)
    assert (
        client_of(stranger).get(reverse("calls:officer_selection", args=[draft.pk])).status_code
        == 404
    )
    with pytest.raises(NotAllowed):
        exclusion_ground_delete(
            ground=draft.exclusion_grounds.get(code="misconduct"), actor=stranger
        )
    with refused("min_invitations"):
        selection_minimum_set(call=draft, actor=draft.officer, minimum=2)


def test_api_the_officer_edits_the_draft_selection_and_gets_409_once_published():
    draft = draft_call(instrument=IP)
    client = api_of(draft.officer)
    added = client.post(
        reverse("api-call-selection-criteria", args=[draft.pk]),
        {"category": "financial", "description": "Solvabiliteit.", "minimum_level": "20%"},
        format="json",
    )
    assert added.status_code == 200, added.content
    new = [c for c in added.json()["selection_criteria"] if c["description"] == "Solvabiliteit."]
    assert len(new) == 1
    removed = client.delete(reverse("api-call-selection-criterion", args=[draft.pk, new[0]["id"]]))
    assert removed.status_code == 200
    ground = client.post(
        reverse("api-call-exclusion-grounds", args=[draft.pk]),
        {"kind": "discretionary", "name": "Eerdere boete"},
        format="json",
    )
    assert ground.status_code == 200
    mandatory = draft.exclusion_grounds.get(code="corruption")
    refused_delete = client.delete(
        reverse("api-call-exclusion-ground", args=[draft.pk, mandatory.pk])
    )
    assert refused_delete.status_code == 400
    assert refused_delete.json()["code"] == "mandatory"
    bad = client.post(
        reverse("api-call-min-invitations", args=[draft.pk]), {"min_invitations": 2}, format="json"
    )
    assert bad.status_code == 400
    stranger = api_of(person_with_role(Role.PROCUREMENT_OFFICER))
    assert (
        stranger.post(
            reverse("api-call-exclusion-grounds", args=[draft.pk]),
            {"kind": "discretionary", "name": "X"},
            format="json",
        ).status_code
        == 404
    )
    published = published_call(instrument=IP)
    frozen = api_of(published.officer).post(
        reverse("api-call-selection-criteria", args=[published.pk]),
        {"category": "financial", "description": "X", "minimum_level": "Y"},
        format="json",
    )
    assert frozen.status_code == 409


# --- The self-declaration --------------------------------------------------------------------


def test_a_request_answers_every_ground_and_explains_every_yes(call):
    complete = declaration_for(call)
    missing = dict(complete["exclusions"])
    missing.pop(next(iter(missing)))
    with refused("exclusions"):
        ask(call, exclusions=missing)
    unexplained = declaration_for(call, yes=("fraud",))
    fraud = call.exclusion_grounds.get(code="fraud")
    unexplained["exclusions"][fraud.pk] = type(unexplained["exclusions"][fraud.pk])(applies=True)
    with refused("exclusions"):
        ask(call, **unexplained)
    with refused("criteria"):
        ask(call, criteria={})
    assert not ParticipationRequest.objects.exists()
    participation = ask_yes(call, "fraud")
    answer = participation.exclusion_answers.get(ground=fraud)
    assert answer.applies
    assert answer.explanation
    assert answer.self_cleaning == "Nieuw compliancebeleid."
    assert participation.criterion_answers.count() == call.selection_criteria.count()


def test_the_page_refuses_a_yes_without_explanation_and_stores_nothing(call):
    fraud = call.exclusion_grounds.get(code="fraud")
    data = {**form_data(call), "document": pdf()}
    data[f"ground_{fraud.pk}"] = "yes"
    response = client_of(company_member()).post(
        reverse("calls:request_participation", args=[call.pk]), data
    )
    assert response.status_code == 200
    assert list(response.context["form"].errors) == [f"ground_{fraud.pk}_explanation"]
    assert 'data-testid="form-error-summary"' in response.content.decode()
    assert not ParticipationRequest.objects.exists()


def test_api_a_company_sends_its_declaration_and_a_yes_needs_an_explanation(call):
    member = company_member()
    client = api_of(member)
    declaration = api_declaration(call, yes=("bankruptcy",))
    declaration["exclusions"][8]["explanation"] = ""
    refused_response = client.post(
        reverse("api-participation-list"),
        {"call": call.pk, "document": pdf(), "declaration": json.dumps(declaration)},
        format="multipart",
    )
    assert refused_response.status_code == 400
    assert refused_response.json()["code"] == "exclusions"
    bad_json = client.post(
        reverse("api-participation-list"),
        {"call": call.pk, "document": pdf(), "declaration": "{nope"},
        format="multipart",
    )
    assert bad_json.status_code == 400
    created = client.post(
        reverse("api-participation-list"),
        {
            "call": call.pk,
            "document": pdf(),
            "declaration": json.dumps(api_declaration(call, yes=("bankruptcy",))),
        },
        format="multipart",
    )
    assert created.status_code == 201, created.content
    answers = {a["ground"]: a for a in created.json()["exclusion_answers"]}
    bankruptcy = call.exclusion_grounds.get(code="bankruptcy")
    assert answers[bankruptcy.pk]["applies"] is True
    assert len(created.json()["criterion_answers"]) == call.selection_criteria.count()


# --- The officer's assessment ----------------------------------------------------------------


def test_a_yes_on_an_exclusion_ground_needs_the_officers_decision(call):
    participation = ask_yes(call, "taxes")
    with after_requests(call):
        with refused("exclusions"):
            decide(call, participation, exclusions={})
        with refused("exclusions"):  # a decision without its reason
            taxes = call.exclusion_grounds.get(code="taxes")
            decide(call, participation, exclusions={taxes.pk: GroundDecision(True, " ")})
        participation.refresh_from_db()
        assert participation.status == Status.SUBMITTED
        accepted = decide(call, participation, exclude=False)
        assert accepted.status == Status.SELECTED
        answer = accepted.exclusion_answers.get(ground=taxes)
        assert answer.decision == ExclusionAnswer.Decision.ACCEPT
        assert answer.decided_by == call.officer
        # Excluded on the ground: excluded, whatever the officer chose as the decision.
        excluded = decide(call, participation, exclude=True, selected=True)
        assert excluded.status == Status.EXCLUDED


def test_only_grounds_answered_yes_are_decided(call):
    participation = ask(call)
    ground = call.exclusion_grounds.first()
    with after_requests(call), refused("exclusions"):
        decide(call, participation, exclusions={ground.pk: GroundDecision(True, "Toch.")})


def test_every_criterion_is_assessed_with_a_reason_and_a_miss_cannot_be_selected(call):
    participation = ask(call)
    first = call.selection_criteria.first()
    with after_requests(call):
        with refused("criteria"):
            decide(call, participation, criteria={})
        with refused("criteria"):
            decide(call, participation, criteria={first.pk: CriterionAssessment(True, "")})
        with refused("decision"):
            decide(call, participation, meets=False, selected=True)
        rejected = decide(call, participation, meets=False, selected=False)
    assert rejected.status == Status.REJECTED
    assert set(rejected.criterion_answers.values_list("meets", flat=True)) == {False}


def test_the_decide_page_shows_the_declaration_and_needs_a_decision_on_a_yes(call):
    participation = ask_yes(call, "misconduct")
    url = reverse("calls:officer_participation_decide", args=[call.pk, participation.pk])
    misconduct = call.exclusion_grounds.get(code="misconduct")
    with after_requests(call):
        client = client_of(call.officer)
        html = client.get(url).content.decode()
        assert 'data-testid="declared-grounds"' in html
        assert f'data-testid="decide-ground-{misconduct.pk}"' in html
        data = {"decision": "select", "motivation": "Geschikt.", **assess_data(participation)}
        del data[f"ground_{misconduct.pk}"]
        response = client.post(url, data)
        assert response.status_code == 200
        assert f"ground_{misconduct.pk}" in response.context["form"].errors
        participation.refresh_from_db()
        assert participation.status == Status.SUBMITTED
        response = client.post(
            url,
            {"decision": "select", "motivation": "X", **assess_data(participation, exclude=True)},
        )
        assert response.status_code == 302
    participation.refresh_from_db()
    assert participation.status == Status.EXCLUDED


def test_api_assessment_the_yes_needs_a_decision_and_the_company_reads_it_only_later(call):
    participation = ask_yes(call, "conflict_of_interest")
    url = reverse("api-participation-decide", args=[participation.pk])
    client = api_of(call.officer)
    with after_requests(call):
        without = client.post(
            url,
            {
                "selected": True,
                "motivation": "Geschikt.",
                "criteria": api_assessment(participation)["criteria"],
            },
            format="json",
        )
        assert without.status_code == 400
        assert without.json()["code"] == "exclusions"
        decided = client.post(
            url,
            {"selected": False, "motivation": "Uitgesloten.", **api_assessment(participation)},
            format="json",
        )
        assert decided.status_code == 200, decided.content
        body = decided.json()
        assert body["status"] == "rejected"
        assert all(a["reason"] == "Voldoet." for a in body["criterion_answers"])
        own = api_of(participation.member).get(reverse("api-participation-list")).json()
        assert own["results"][0]["status"] == "submitted"
        assert {a["reason"] for a in own["results"][0]["criterion_answers"]} == {""}
        assert {a["decision"] for a in own["results"][0]["exclusion_answers"]} == {""}


# --- The minimum of invitations ----------------------------------------------------------------


def test_fewer_invitations_than_the_minimum_are_refused_when_more_qualify(call):
    requests = [ask(call) for _ in range(4)]
    with after_requests(call):
        for participation in requests[:2]:
            decide(call, participation)
        for participation in requests[2:]:
            decide(call, participation, selected=False)  # qualify, but not selected
        with refused("minimum"):
            participation_invitations_send(call=call, actor=call.officer, fewer_reason=REASON)
        decide(call, requests[2])
        invited = participation_invitations_send(call=call, actor=call.officer)
    assert invited == 3
    call.refresh_from_db()
    assert call.fewer_invitations_reason == ""


def test_fewer_invitations_need_a_recorded_reason_when_fewer_qualify(
    call, django_capture_on_commit_callbacks
):
    invited = [ask(call), ask(call)]
    missing, excluded = ask(call), ask_yes(call, "fraud")
    with after_requests(call):
        for participation in invited:
            decide(call, participation)
        decide(call, missing, meets=False, selected=False)
        decide(call, excluded, exclude=True, selected=False)
        with refused("fewer_reason"):
            participation_invitations_send(call=call, actor=call.officer)
        client = client_of(call.officer)
        page = reverse("calls:officer_participation", args=[call.pk])
        assert 'data-testid="qualifying"' in client.get(page).content.decode()
        refused_page = client.post(
            reverse("calls:officer_participation_invite", args=[call.pk]), follow=True
        )
        assert "record the reason" in refused_page.content.decode() or "reden" in (
            refused_page.content.decode()
        )
        call.refresh_from_db()
        assert call.invitations_sent_at is None
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(
                reverse("calls:officer_participation_invite", args=[call.pk]),
                {"fewer_reason": REASON},
            )
        assert response.status_code == 302
    call.refresh_from_db()
    assert call.fewer_invitations_reason == REASON
    assert call.participation_requests.filter(invited_at__isnull=False).count() == 2
    by_address = {message.to[0]: message for message in mail.outbox}
    assert "excluded" in by_address[excluded.member.email].body or "uitgesloten" in (
        by_address[excluded.member.email].body
    )


def test_api_send_invitations_records_the_reason(call):
    participation = ask(call)
    client = api_of(call.officer)
    with after_requests(call):
        decide(call, participation)
        without = client.post(reverse("api-call-send-invitations", args=[call.pk]))
        assert without.status_code == 400
        assert without.json()["code"] == "fewer_reason"
        sent = client.post(
            reverse("api-call-send-invitations", args=[call.pk]),
            {"fewer_reason": REASON},
            format="json",
        )
        assert sent.status_code == 200
    call.refresh_from_db()
    assert call.fewer_invitations_reason == REASON


# --- The outcome ------------------------------------------------------------------------------


def test_the_outcome_with_reasons_reaches_the_candidates_and_the_signal(call):
    invited = [ask(call) for _ in range(3)]
    not_selected, excluded = ask(call), ask_yes(call, "corruption")
    received = []

    def receiver(sender, **kwargs):
        received.append(kwargs)

    selection_decided.connect(receiver)
    try:
        with after_requests(call):
            for participation in invited:
                decide(call, participation)
            decide(call, not_selected, meets=False, selected=False)
            decide(call, excluded, exclude=True, selected=False)
            detail = reverse("calls:participation_detail", args=[not_selected.pk])
            before = client_of(not_selected.member).get(detail).content.decode()
            assert 'data-testid="waiting"' in before
            assert "Te weinig referenties." not in before
            assert selection_outcome(not_selected) is None
            participation_invitations_send(call=call, actor=call.officer)
    finally:
        selection_decided.disconnect(receiver)
    assert len(received) == 1
    assert {r.pk for r in received[0]["invited"]} == {r.pk for r in invited}
    assert {r.pk for r in received[0]["not_invited"]} == {not_selected.pk, excluded.pk}
    outcome = selection_outcome(not_selected)
    assert not outcome.invited
    assert [answer.meets for answer in outcome.criteria] == [False] * len(outcome.criteria)
    page = client_of(not_selected.member).get(detail).content.decode()
    assert 'data-testid="outcome-criteria"' in page
    assert "Te weinig referenties." in page
    excluded_page = client_of(excluded.member).get(
        reverse("calls:participation_detail", args=[excluded.pk])
    )
    assert 'data-testid="outcome-grounds"' in excluded_page.content.decode()
    assert "Ernstig." in excluded_page.content.decode()
    assert selection_outcome(excluded).excluded
    # Another company's request does not exist for this person.
    stranger = client_of(company_member())
    assert stranger.get(detail).status_code == 404


def test_excluded_is_a_state_with_its_own_transitions():
    from calls.models import PARTICIPATION_TRANSITIONS

    assert Status.EXCLUDED in PARTICIPATION_TRANSITIONS[Status.SUBMITTED]
    assert PARTICIPATION_TRANSITIONS[Status.EXCLUDED] == {Status.SELECTED, Status.REJECTED}
    assert ExclusionGround.Kind.MANDATORY == "mandatory"


def test_the_schema_documents_the_selection(tmp_path):
    import yaml
    from django.core.management import call_command

    target = tmp_path / "schema.yml"
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(target))
    schema = yaml.safe_load(target.read_text())
    paths = schema["paths"]
    assert "post" in paths["/api/v1/calls/{id}/selection-criteria/"]
    assert "delete" in paths["/api/v1/calls/{id}/selection-criteria/{criterion_id}/"]
    assert "post" in paths["/api/v1/calls/{id}/exclusion-grounds/"]
    assert "delete" in paths["/api/v1/calls/{id}/exclusion-grounds/{ground_id}/"]
    assert "post" in paths["/api/v1/calls/{id}/min-invitations/"]
    components = schema["components"]["schemas"]
    assert "declaration" in components["ParticipationCreateRequest"]["properties"]
    assert {"criteria", "exclusions"} <= set(
        components["ParticipationDecisionRequest"]["properties"]
    )
    assert "selection_criteria" in components["CallDetail"]["properties"]
