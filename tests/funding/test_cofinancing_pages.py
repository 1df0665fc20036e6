"""Co-financing pages: an officer applies, the ministry decides, and who may see what."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from funding.models import Account, CoFinancingApplication, FundingRound
from funding.services.cofinancing import cofinancing_apply
from portal.models import Role
from tests.calls.factories import draft_call, officer_of
from tests.factories import CompanyFactory, MinistryFactory, person_with_role
from tests.funding.factories import ezk_fund

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff():
    return person_with_role(Role.MINISTRY_STAFF, organisation=MinistryFactory(name="EZK"))


@pytest.fixture
def funding_round(staff):
    fund = ezk_fund(staff, amount="1000000.00")
    now = timezone.now()
    return FundingRound.objects.create(
        status=FundingRound.Status.OPEN,
        mission_required=False,
        fund=fund,
        name="Ronde 2021",
        opens_at=now - timedelta(days=1),
        closes_at=now + timedelta(days=14),
    )


def _apply(funding_round, call=None, requested="400000.00", cost="1000000.00"):
    call = call or draft_call()
    return cofinancing_apply(
        funding_round=funding_round,
        call=call,
        actor=call.officer,
        trajectory_cost=cost,
        requested=requested,
        motivation="Past bij de missie energietransitie.",
    )


def _form(funding_round, **overrides):
    return {
        "funding_round": funding_round.pk,
        "trajectory_cost": "1000000.00",
        "requested": "400000.00",
        "motivation": "Past bij de missie energietransitie.",
        "plan": "Publicatie in september; haalbaarheid en prototype.",
        **overrides,
    }


# --- Applying ---------------------------------------------------------------------------------


def test_officer_applies_and_sees_the_application_in_the_list(verified_client, funding_round):
    call = draft_call()
    client = verified_client(call.officer)
    url = reverse("cofinancing:apply", args=[call.pk])
    assert client.get(url).status_code == 200

    response = client.post(url, _form(funding_round))

    assert response.status_code == 302
    assert response.url == reverse("cofinancing:mine")
    application = CoFinancingApplication.objects.get()
    assert (application.call, application.requested) == (call, Decimal("400000.00"))
    assert application.submitted_by == call.officer
    page = client.get(reverse("cofinancing:mine"))
    assert f'data-testid="application-{application.pk}"' in page.content.decode()
    assert call.title in page.content.decode()
    # From the application to the call's money, where the co-financing shows once approved.
    money = reverse("funding:call_money", kwargs={"call_pk": call.pk})
    assert f'href="{money}"' in page.content.decode()
    assert client.get(money).status_code == 200


def test_refusal_of_the_service_shows_on_the_form_and_keeps_what_was_typed(
    verified_client, funding_round
):
    call = draft_call()
    client = verified_client(call.officer)
    client.cookies["django_language"] = "en"

    response = client.post(
        reverse("cofinancing:apply", args=[call.pk]),
        _form(funding_round, requested="600000.00", motivation="Mijn unieke motivatie"),
    )

    assert response.status_code == 200
    html = response.content.decode()
    assert "At most €\xa0500,000.00" in html
    assert "600000.00" in html
    assert "Mijn unieke motivatie" in html
    assert not CoFinancingApplication.objects.exists()


def test_invalid_input_and_a_closed_round_are_refused(verified_client, funding_round):
    call = draft_call()
    client = verified_client(call.officer)
    url = reverse("cofinancing:apply", args=[call.pk])

    response = client.post(url, _form(funding_round, trajectory_cost="veel"))
    assert response.status_code == 200
    assert "veel" in response.content.decode()

    FundingRound.objects.filter(pk=funding_round.pk).update(
        closes_at=timezone.now() - timedelta(hours=1)
    )
    response = client.post(url, _form(funding_round))
    assert response.status_code == 200
    assert 'data-testid="no-open-round"' in response.content.decode()
    assert not CoFinancingApplication.objects.exists()


def test_applying_twice_in_a_round_is_a_form_error(verified_client, funding_round):
    call = draft_call()
    _apply(funding_round, call=call)
    client = verified_client(call.officer)

    response = client.post(reverse("cofinancing:apply", args=[call.pk]), _form(funding_round))

    assert response.status_code == 200
    assert CoFinancingApplication.objects.count() == 1


# --- Who may see what ---------------------------------------------------------------------------


def test_permission_matrix_of_the_apply_page(client, verified_client, staff, funding_round):
    call = draft_call()
    draft = draft_call()
    url = reverse("cofinancing:apply", args=[call.pk])

    response = client.get(url)
    assert response.status_code == 302
    assert reverse("login") in response.url

    applicant = person_with_role(Role.APPLICANT, organisation=CompanyFactory())
    client.force_login(applicant)
    assert client.get(url).status_code == 404
    client.logout()

    outsider = officer_of()
    outsider_client = verified_client(outsider)
    assert outsider_client.get(url).status_code == 404
    assert outsider_client.get(reverse("cofinancing:apply", args=[draft.pk])).status_code == 404
    assert outsider_client.post(url, _form(funding_round)).status_code == 404
    assert not CoFinancingApplication.objects.exists()

    assert verified_client(staff).get(url).status_code == 404
    owner = verified_client(call.officer)
    assert owner.get(url).status_code == 200
    assert owner.get(reverse("cofinancing:apply", args=[999999])).status_code == 404


def test_officers_only_see_their_own_authoritys_applications(
    client, verified_client, staff, funding_round
):
    ours = _apply(funding_round)
    theirs = _apply(funding_round)
    url = reverse("cofinancing:mine")

    assert client.get(url).status_code == 302
    client.force_login(person_with_role(Role.APPLICANT, organisation=CompanyFactory()))
    assert client.get(url).status_code == 403
    client.logout()
    assert verified_client(staff).get(url).status_code == 403

    html = verified_client(ours.call.officer).get(url).content.decode()
    assert f"application-{ours.pk}" in html
    assert f"application-{theirs.pk}" not in html


def test_only_ministry_staff_review_and_decide(client, verified_client, staff, funding_round):
    application = _apply(funding_round)
    review = reverse("cofinancing:review")
    approve = reverse("cofinancing:approve", args=[application.pk])
    reject = reverse("cofinancing:reject", args=[application.pk])

    assert client.get(review).status_code == 302
    assert client.post(approve).status_code == 302
    client.force_login(person_with_role(Role.APPLICANT, organisation=CompanyFactory()))
    assert client.get(review).status_code == 403
    assert client.post(approve).status_code == 403
    client.logout()
    officer_client = verified_client(application.call.officer)
    assert officer_client.get(review).status_code == 403
    assert officer_client.post(approve).status_code == 403
    assert officer_client.post(reject, {"motivation": "nee"}).status_code == 403
    application.refresh_from_db()
    assert application.status == CoFinancingApplication.Status.SUBMITTED

    response = verified_client(staff).get(review)
    assert response.status_code == 200
    assert f"application-{application.pk}" in response.content.decode()
    money = reverse("funding:call_money", kwargs={"call_pk": application.call.pk})
    assert f'href="{money}"' in response.content.decode()
    assert verified_client(staff).get(money).status_code == 200


# --- Deciding ------------------------------------------------------------------------------------


def test_staff_approve_in_submission_order_and_errors_become_messages(
    verified_client, staff, funding_round
):
    first = _apply(funding_round)
    second = _apply(funding_round, requested="400000.00")
    third = _apply(funding_round, requested="400000.00")
    client = verified_client(staff)
    client.cookies["django_language"] = "en"

    response = client.post(reverse("cofinancing:approve", args=[second.pk]), follow=True)
    assert "first come, first served" in response.content.decode()
    second.refresh_from_db()
    assert second.status == CoFinancingApplication.Status.SUBMITTED

    client.post(reverse("cofinancing:approve", args=[first.pk]), {"motivation": "Goed plan"})
    client.post(reverse("cofinancing:approve", args=[second.pk]))
    first.refresh_from_db()
    assert first.status == CoFinancingApplication.Status.APPROVED
    assert first.decision_motivation == "Goed plan"
    assert Account.objects.get(application=first).balance == Decimal("400000.00")

    # 200,000 left: the third asks 400,000.
    response = client.post(reverse("cofinancing:approve", args=[third.pk]), follow=True)
    assert "Not enough money left" in response.content.decode()
    third.refresh_from_db()
    assert third.status == CoFinancingApplication.Status.SUBMITTED


def test_rejecting_needs_a_motivation(verified_client, staff, funding_round):
    application = _apply(funding_round)
    client = verified_client(staff)
    url = reverse("cofinancing:reject", args=[application.pk])

    assert client.post(url, {"motivation": "  "}).status_code == 302
    application.refresh_from_db()
    assert application.status == CoFinancingApplication.Status.SUBMITTED

    client.post(url, {"motivation": "Past niet bij de missies."})
    application.refresh_from_db()
    assert application.status == CoFinancingApplication.Status.REJECTED
    assert application.decided_by == staff
    assert application.decision_motivation == "Past niet bij de missies."

    client.cookies["django_language"] = "en"
    response = client.post(url, {"motivation": "nogmaals"}, follow=True)
    assert "decided already" in response.content.decode()


def test_review_list_runs_a_constant_number_of_queries(
    verified_client, staff, funding_round, django_assert_max_num_queries
):
    _apply(funding_round)
    client = verified_client(staff)
    client.get(reverse("cofinancing:review"))

    with CaptureQueriesContext(connection) as few:
        assert client.get(reverse("cofinancing:review")).status_code == 200
    for _ in range(5):
        _apply(funding_round)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get(reverse("cofinancing:review")).status_code == 200
