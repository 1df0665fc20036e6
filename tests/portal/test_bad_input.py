"""Bad input is a 400 with a clear message, never a 500; under /api/ every error is JSON with
``code`` and ``detail`` (issue 13, finding 7)."""

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from portal.models import Role
from tests.calls.factories import published_call
from tests.factories import UserFactory, api_key_for, person_with_role
from tests.proposals.factories import complete_draft
from tests.proposals.test_assessment_pages import build_committee, cleared, url

pytestmark = pytest.mark.django_db

SUPERSCRIPT_TWO = "²"  # str.isdigit() says yes, int() says no
# int() reads these as 1: the API refuses them, as README says (ids are ASCII digits).
FULL_WIDTH_ONE = "\uff11"
ARABIC_INDIC_ONE = "\u0661"


def api_client(user=None) -> APIClient:
    client = APIClient()
    if user is not None:
        client.credentials(HTTP_AUTHORIZATION=f"Token {api_key_for(user)}")
    return client


def assert_json_error(response, status: int, code: str | None = None) -> dict:
    assert response.status_code == status, response.content[:300]
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert body["code"], body
    assert body["detail"], body
    if code is not None:
        assert body["code"] == code
    return body


# --- The findings as reported --------------------------------------------------------------


def test_participation_requests_with_a_non_ascii_digit_call_is_400():
    applicant = person_with_role(Role.APPLICANT)
    response = api_client(applicant).get(
        reverse("api-participation-list"), {"call": SUPERSCRIPT_TWO}
    )
    body = assert_json_error(response, 400, "invalid")
    assert "call" in body


def test_a_chairs_consensus_post_with_a_non_ascii_digit_criterion_is_400(verified_client):
    setting = build_committee(1)
    chair, proposal = setting["chair"], setting["proposals"][0]
    cleared(chair, [proposal])
    client = verified_client(chair.user)

    response = client.post(
        url("consensus", seat_pk=chair.pk, proposal_pk=proposal.pk),
        {"criterion": SUPERSCRIPT_TWO, "score": "5", "motivation": "x"},
    )

    assert response.status_code == 400
    assert "Kies een criterium van deze fase." in response.text


@pytest.mark.parametrize(
    ("query", "said"),
    [
        ({"model": SUPERSCRIPT_TWO}, "Kies een soort gegeven uit de lijst."),
        ({"model": "0"}, "Kies een soort gegeven uit de lijst."),
        ({"actor": "\x00"}, "NUL-teken"),
        ({"actor": "a" * 300}, "254 tekens"),
    ],
    ids=["model-superscript", "model-zero", "actor-nul", "actor-too-long"],
)
def test_the_audit_trail_refuses_bad_filters_with_400(verified_client, query, said):
    staff = UserFactory(is_staff=True)
    client = verified_client(staff)
    response = client.get(reverse("audit_trail"), query)
    assert response.status_code == 400
    assert said in response.text
    assert client.get(reverse("audit_trail"), {"model": "", "actor": ""}).status_code == 200


def test_a_nul_character_in_a_proposal_answer_is_400_and_nothing_is_stored():
    draft = complete_draft()
    client = api_client(draft.person)
    detail = reverse("api-proposal-detail", kwargs={"pk": draft.pk})

    response = client.patch(detail, {"summary": "goed\u0000idee"}, format="json")

    assert_json_error(response, 400, "nul_character")
    draft.refresh_from_db()
    assert "\x00" not in draft.summary


def test_a_nine_megabyte_text_is_refused_and_the_form_says_the_limit(client):
    draft = complete_draft()
    api = api_client(draft.person)
    detail = reverse("api-proposal-detail", kwargs={"pk": draft.pk})

    response = api.patch(detail, {"approach": "a" * (9 * 1024 * 1024)}, format="json")

    body = assert_json_error(response, 400, "invalid")
    assert "approach" in body
    draft.refresh_from_db()
    assert len(draft.approach) < 100_000
    client.force_login(draft.person)
    page = client.get(reverse("proposals:edit", kwargs={"pk": draft.pk}))
    assert "Ten hoogste 20000 tekens." in page.text
    assert 'maxlength="20000"' in page.text


def test_a_too_long_answer_to_a_call_question_is_refused():
    from calls.models import Question

    call = published_call()
    question = Question.objects.create(call=call, order=1, text="Waarom?", kind="text")
    draft = complete_draft(call=call)
    response = api_client(draft.person).patch(
        reverse("api-proposal-detail", kwargs={"pk": draft.pk}),
        {"answers": [{"question": question.pk, "answer": "x" * 5001}]},
        format="json",
    )
    body = assert_json_error(response, 400, "invalid")
    assert "answers" in body


# --- NUL characters everywhere -------------------------------------------------------------


@pytest.mark.parametrize(
    "path", ["/calls/?q=%00", "/calls/?%00=1", "/api/v1/calls/?q=a%00b", "/open-data/?x=%00"]
)
def test_a_nul_character_in_a_query_is_400(client, path):
    response = client.get(path)
    assert response.status_code == 400
    if path.startswith("/api/"):
        assert_json_error(response, 400, "nul_character")
    else:
        assert "NUL-teken" in response.content.decode()


def test_a_nul_character_in_a_form_field_is_400(client):
    response = client.post(reverse("login"), {"username": "a\x00b", "password": "x"})
    assert response.status_code == 400


# --- The API's errors are JSON with code and detail ----------------------------------------


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/calls/abc/",
        "/api/v1/calls/-1/",
        "/api/v1/proposals/1.5/",
        "/api/v1/opendata/calls/x/releases/",
        "/api/v1/no-such-thing/",
    ],
)
def test_a_non_numeric_id_or_unknown_api_url_is_a_json_404(client, path):
    assert_json_error(client.get(path), 404, "not_found")


def test_pk_0_is_a_json_404(client):
    assert_json_error(client.get("/api/v1/calls/0/"), 404, "not_found")


def test_401_403_405_and_validation_bodies_carry_code_and_detail():
    anonymous = APIClient()
    assert_json_error(anonymous.get(reverse("api-me")), 401, "not_authenticated")
    bad_token = APIClient()
    bad_token.credentials(HTTP_AUTHORIZATION="Token nonsense")
    assert_json_error(bad_token.get(reverse("api-call-list")), 401)
    applicant = person_with_role(Role.APPLICANT)
    assert_json_error(api_client(applicant).post(reverse("api-call-list"), {}, format="json"), 403)
    officer = published_call().officer
    assert_json_error(
        api_client(officer).delete(reverse("api-call-list")), 405, "method_not_allowed"
    )
    body = assert_json_error(
        api_client(officer).post(reverse("api-call-list"), {"title": ""}, format="json"),
        400,
        "invalid",
    )
    assert "title" in body


@pytest.mark.parametrize(
    ("name", "query"),
    [
        ("api-call-list", {"authority": "999999"}),
        ("api-call-list", {"authority": "0"}),
        ("api-call-list", {"mission": "no-such-mission"}),
        ("api-call-list", {"authority": "99999999999999999999"}),
        ("api-organisation-list", {"kind": "authority"}),
    ],
)
def test_unknown_filter_values_that_the_schema_allows_give_an_empty_list(client, name, query):
    response = client.get(reverse(name), query)
    assert response.status_code == 200


@pytest.mark.parametrize(
    ("name", "query"),
    [
        ("api-call-list", {"authority": SUPERSCRIPT_TWO}),
        ("api-call-list", {"authority": "1.5"}),
        ("api-call-list", {"status": "nonsense"}),
        ("api-call-list", {"deadline_after": "gisteren"}),
        ("api-organisation-list", {"kind": "nonsense"}),
    ],
)
def test_filter_values_the_schema_refuses_are_400(client, name, query):
    assert_json_error(client.get(reverse(name), query), 400, "invalid")


def test_proposal_list_filters_with_bad_ids_are_400():
    applicant = person_with_role(Role.APPLICANT)
    client = api_client(applicant)
    for value in (SUPERSCRIPT_TWO, "1.5", "abc", FULL_WIDTH_ONE, ARABIC_INDIC_ONE):
        assert_json_error(client.get(reverse("api-proposal-list"), {"call": value}), 400)


@pytest.mark.parametrize("digit", [FULL_WIDTH_ONE, ARABIC_INDIC_ONE, f"1{FULL_WIDTH_ONE}"])
@pytest.mark.parametrize(
    ("name", "parameter"),
    [
        ("api-call-list", "authority"),
        ("api-proposal-list", "call"),
        ("api-proposal-list", "phase"),
        ("api-participation-list", "call"),
    ],
)
def test_id_filters_refuse_non_ascii_digits_with_a_message_saying_which(name, parameter, digit):
    """Not read as call 1: a 400 that names the parameter and says how to write it."""
    published_call()
    client = api_client(person_with_role(Role.APPLICANT))
    assert client.get(reverse(name), {parameter: "1"}).status_code == 200
    body = assert_json_error(client.get(reverse(name), {parameter: digit}), 400, "invalid")
    assert "0–9" in str(body[parameter]), body


def test_every_api_operation_documents_its_errors_with_code_and_detail(client):
    import yaml

    schema = yaml.safe_load(client.get(reverse("api-schema")).content)
    error = schema["components"]["schemas"]["ApiError"]
    assert set(error["required"]) == {"code", "detail"}
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            if method == "parameters":
                continue
            for status in ("400", "401", "403", "404"):
                content = operation["responses"][status]["content"]["application/json"]
                assert content["schema"], (method, path, status)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "query", ["?page=", "?page=&page=2", "?page=1&page=2", f"?page={FULL_WIDTH_ONE}", "?page=2.0"]
)
def test_a_page_number_given_twice_empty_or_not_in_ascii_digits_is_a_json_404(client, query):
    """schemathesis sent ``?page=&page=…`` and DRF answered page 1 (it reads the last value,
    and an empty one as 1): a client with that bug now hears it."""
    published_call()
    response = client.get("/api/v1/calls/" + query)
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


@pytest.mark.django_db
@pytest.mark.parametrize("query", ["", "?page=1", "?page=last"])
def test_a_page_given_once_as_a_number_or_last_is_served(client, query):
    published_call()
    response = client.get("/api/v1/calls/" + query)
    assert response.status_code == 200
    assert response.json()["count"] == 1
