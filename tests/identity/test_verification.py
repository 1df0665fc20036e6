"""Verified or not: an unverified company drafts but cannot submit; ministry staff verify it
after checking the trade register (who, when, how recorded); officers see the difference."""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from rest_framework.test import APIClient

from calls.models import Call
from calls.services.participation import participation_request_submit
from portal.exceptions import DomainError, NotAllowed
from portal.identity.models import CompanyVerification, VerificationMethod
from portal.identity.services.companies import (
    company_verification_revoke,
    company_verify_by_register_check,
)
from portal.models import Role
from proposals.models import Proposal
from proposals.services.submission import proposal_submit
from tests.calls.factories import published_call
from tests.factories import (
    CompanyFactory,
    MinistryFactory,
    UserFactory,
    api_key_for,
    person_with_role,
)
from tests.proposals.factories import PDF, complete_draft, deadline_passed

pytestmark = pytest.mark.django_db


@pytest.fixture
def unverified_company():
    return CompanyFactory(verified_at=None, name="Nieuw Idee B.V.")


@pytest.fixture
def rvo_staff():
    return person_with_role(Role.MINISTRY_STAFF, organisation=MinistryFactory(name="RVO"))


def test_an_unverified_company_drafts_but_cannot_submit(client, unverified_company):
    member = person_with_role(Role.APPLICANT, organisation=unverified_company)
    draft = complete_draft(person=member)
    client.force_login(member)

    page = client.get(reverse("proposals:submit", args=[draft.pk]))
    assert f'data-testid="unverified-company-{unverified_company.pk}"' in page.content.decode()
    response = client.post(reverse("proposals:submit", args=[draft.pk]), {"declaration": "on"})

    assert response.status_code == 200
    assert "niet geverifieerd" in response.context["refusal"]
    draft.refresh_from_db()
    assert draft.status == Proposal.Status.DRAFT


def test_an_unverified_company_is_told_on_its_dashboard_and_when_starting_a_proposal(
    client, unverified_company
):
    """Before drafting anything: the dashboard and the start page say the company cannot
    submit yet and how it is verified (eHerkenning, or EZK's check, as README says)."""
    member = person_with_role(Role.APPLICANT, organisation=unverified_company)
    phase = published_call().phases.get(order=1)
    client.force_login(member)
    warning = f'data-testid="unverified-company-{unverified_company.pk}"'

    for url in (reverse("dashboard"), reverse("proposals:start", args=[phase.pk])):
        page = client.get(url).content.decode()
        assert warning in page, url
        assert "Nieuw Idee B.V. is nog niet geverifieerd" in page
        assert "(EZK)" in page
        # As a word: a CSRF token is random letters and may hold "RVO" (CI saw one).
        assert not re.search(r"\bRVO\b", page)
        assert reverse("identity:eherkenning_login") in page
    dashboard = client.get(reverse("dashboard")).content.decode()
    assert f'data-testid="unverified-{unverified_company.pk}"' in dashboard  # the badge

    # A verified company's member sees its badge and no warning.
    verified = CompanyFactory()
    other = person_with_role(Role.APPLICANT, organisation=verified)
    client.force_login(other)
    for url in (reverse("dashboard"), reverse("proposals:start", args=[phase.pk])):
        page = client.get(url).content.decode()
        assert "unverified-company-" not in page, url
    assert (
        f'data-testid="verified-{verified.pk}"' in client.get(reverse("dashboard")).content.decode()
    )


def test_the_api_refuses_an_unverified_company_s_submission(unverified_company):
    member = person_with_role(Role.APPLICANT, organisation=unverified_company)
    draft = complete_draft(person=member)
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {api_key_for(member)}")

    response = api.post(
        f"/api/v1/proposals/{draft.pk}/submit/", {"declaration_accepted": True}, format="json"
    )

    assert response.status_code == 400
    assert response.json()["code"] == "unverified"


def test_an_unverified_company_cannot_ask_to_participate(unverified_company):
    member = person_with_role(Role.APPLICANT, organisation=unverified_company)
    call = published_call(instrument=Call.Instrument.INNOVATION_PARTNERSHIP)

    with pytest.raises(DomainError) as refused:
        participation_request_submit(
            call=call,
            actor=member,
            motivation="Tien jaar ervaring.",
            document=SimpleUploadedFile("g.pdf", PDF, content_type="application/pdf"),
        )
    assert refused.value.code == "unverified"


def test_ministry_staff_verify_after_checking_the_register_and_the_company_submits(
    client, unverified_company, rvo_staff, verified_client
):
    member = person_with_role(Role.APPLICANT, organisation=unverified_company)
    draft = complete_draft(person=member)
    staff_client = verified_client(rvo_staff)

    listed = staff_client.get(reverse("identity:companies"))
    assert f'data-testid="company-{unverified_company.pk}"' in listed.content.decode()
    missing_evidence = staff_client.post(
        reverse("identity:company", args=[unverified_company.pk]), {"checked": "on"}
    )
    assert missing_evidence.status_code == 400
    response = staff_client.post(
        reverse("identity:company", args=[unverified_company.pk]),
        {"evidence": "Uittreksel Handelsregister 3 maart 2026, nr. 2026-0042", "checked": "on"},
    )

    assert response.status_code == 302
    verification = CompanyVerification.objects.get(company=unverified_company)
    assert verification.method == VerificationMethod.REGISTER_CHECK
    assert verification.verified_by == rvo_staff
    assert verification.identifier == unverified_company.kvk_number
    assert "2026-0042" in verification.evidence
    unverified_company.refresh_from_db()
    assert unverified_company.verified_at == verification.verified_at

    submitted = proposal_submit(proposal=draft, actor=member, declaration_accepted=True)
    assert submitted.status == Proposal.Status.SUBMITTED


def test_withdrawing_the_only_verification_makes_the_company_unverified_again(
    unverified_company, rvo_staff
):
    verification = company_verify_by_register_check(
        company=unverified_company, actor=rvo_staff, evidence="Uittreksel 1 maart"
    )
    with pytest.raises(DomainError):
        company_verification_revoke(verification=verification, actor=rvo_staff, reason=" ")

    company_verification_revoke(
        verification=verification, actor=rvo_staff, reason="Verkeerd bedrijf gecontroleerd"
    )

    unverified_company.refresh_from_db()
    verification.refresh_from_db()
    assert unverified_company.verified_at is None
    assert (verification.revoked_by, verification.revoke_reason) == (
        rvo_staff,
        "Verkeerd bedrijf gecontroleerd",
    )


@pytest.mark.parametrize("role", [Role.APPLICANT, Role.PROCUREMENT_OFFICER, Role.ASSESSOR, None])
def test_only_ministry_staff_and_administrators_verify(verified_client, unverified_company, role):
    person = person_with_role(role) if role else UserFactory()

    with pytest.raises(NotAllowed):
        company_verify_by_register_check(
            company=unverified_company, actor=person, evidence="Uittreksel"
        )
    client = verified_client(person)
    assert client.get(reverse("identity:companies")).status_code == 404
    assert client.get(reverse("identity:company", args=[unverified_company.pk])).status_code == 404


def test_a_portal_administrator_may_verify(verified_client, unverified_company):
    admin = UserFactory(is_staff=True)
    company_verify_by_register_check(company=unverified_company, actor=admin, evidence="Gezien")
    unverified_company.refresh_from_db()
    assert unverified_company.verified_at is not None


def test_officers_see_whether_a_tenderer_was_verified(verified_client):
    call = published_call()
    verified_member = person_with_role(Role.APPLICANT, organisation=CompanyFactory())
    verified = proposal_submit(
        proposal=complete_draft(call=call, person=verified_member),
        actor=verified_member,
        declaration_accepted=True,
    )
    # A company verified when it submitted, whose verification was withdrawn since.
    withdrawn = complete_draft(call=call)
    withdrawn = proposal_submit(
        proposal=withdrawn, actor=withdrawn.person, declaration_accepted=True
    )
    withdrawn.company.verified_at = None
    withdrawn.company.save(update_fields=["verified_at"])
    officer = call.officer
    deadline_passed(call)  # sealed until then

    page = verified_client(officer).get(reverse("proposals:officer_proposals", args=[call.pk]))

    html = page.content.decode()
    assert f'data-testid="verified-{verified.company_id}"' in html
    assert f'data-testid="unverified-{withdrawn.company_id}"' in html
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {api_key_for(officer)}")
    body = api.get(f"/api/v1/proposals/{withdrawn.pk}/").json()
    assert body["company"]["verified"] is False


def test_the_companies_page_costs_the_same_queries_for_few_or_many(
    verified_client, rvo_staff, django_assert_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = verified_client(rvo_staff)
    for _ in range(3):
        member = person_with_role(Role.APPLICANT, organisation=CompanyFactory(verified_at=None))
        company_verify_by_register_check(
            company=member.memberships.get().organisation, actor=rvo_staff, evidence="Gezien"
        )
    url = reverse("identity:companies") + "?state=all"
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for _ in range(20):
        person_with_role(Role.APPLICANT, organisation=CompanyFactory(verified_at=None))

    with django_assert_num_queries(len(few.captured_queries)):
        response = client.get(url)

    assert response.context["page_obj"].paginator.count == 23
