"""eHerkenning through the mock login of development and the demo: the same service as the
SAML flow (tests/identity/test_eherkenning_saml.py), reached through the pages people use."""

import pytest
from auditlog.models import LogEntry
from django.core import mail
from django.urls import reverse

from portal.identity.models import (
    CompanyVerification,
    EherkenningLink,
    IdentifierClaim,
    VerificationMethod,
)
from portal.models import Membership, Organisation, Role, TeamRole, User
from tests.factories import CompanyFactory, UserFactory, person_with_role
from tests.proposals.factories import complete_draft

pytestmark = pytest.mark.django_db

EH3 = "urn:etoegang:core:assurance-class:loa3"
EH2 = "urn:etoegang:core:assurance-class:loa2"


@pytest.fixture(autouse=True)
def mock_mode(settings):
    settings.EHERKENNING_MODE = "mock"


@pytest.fixture
def eherkenning(client, django_capture_on_commit_callbacks):
    """Log in through the mock broker as the person `who` for a company."""

    def login(who="persoon-1", loa=EH3, kvk_number="12345678", company_name="", **identifier):
        data = {
            "country": identifier.get("country", "NL"),
            "kvk_number": kvk_number,
            "vat_number": identifier.get("vat_number", ""),
            "euid": identifier.get("euid", ""),
            "company_name": company_name,
            "acting_subject_id": who,
            "level_of_assurance": loa,
        }
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(reverse("identity:eherkenning_mock"), data)

    return login


def details(client, django_capture_on_commit_callbacks, **data):
    values = {"full_name": "Eva de Boer", "email": "eva@slimmesluizen.example", **data}
    with django_capture_on_commit_callbacks(execute=True):
        return client.post(reverse("identity:eherkenning_details"), values)


def test_the_login_page_offers_eherkenning_and_the_mock_stands_in(client):
    page = client.get(reverse("login")).content.decode()
    assert 'data-testid="eherkenning-login"' in page
    assert client.get(reverse("identity:eherkenning_login"))["Location"] == reverse(
        "identity:eherkenning_mock"
    )


def test_a_first_login_creates_the_verified_company_with_its_number_from_the_assertion(
    client, eherkenning, django_capture_on_commit_callbacks
):
    response = eherkenning(company_name="Slimme Sluizen B.V.")
    assert response["Location"] == reverse("identity:eherkenning_details")

    response = details(client, django_capture_on_commit_callbacks)

    user = User.objects.get(email="eva@slimmesluizen.example")
    company = Organisation.objects.get(kvk_number="12345678")
    assert company.name == "Slimme Sluizen B.V."
    assert company.verified_at is not None
    verification = CompanyVerification.objects.get(company=company)
    assert (verification.method, verification.verified_by, verification.level_of_assurance) == (
        VerificationMethod.EHERKENNING,
        user,
        EH3,
    )
    membership = Membership.objects.get(user=user, organisation=company)
    assert (membership.role, membership.team_role) == (Role.APPLICANT, TeamRole.ADMINISTRATOR)
    assert not user.has_usable_password()
    # The address still has to be confirmed before the account acts.
    assert response["Location"] == reverse("dashboard")
    assert client.get(reverse("dashboard"))["Location"] == reverse("identity:email_unconfirmed")
    assert "/account/confirm/" in mail.outbox[-1].body

    # Next time the same person is known by their pseudonym: straight in.
    client.logout()
    again = eherkenning(company_name="Slimme Sluizen B.V.")
    assert again["Location"] == reverse("dashboard")
    assert int(client.session["_auth_user_id"]) == user.pk


def test_a_login_below_eh3_creates_an_unverified_company(
    client, eherkenning, django_capture_on_commit_callbacks
):
    eherkenning(loa=EH2, company_name="Slimme Sluizen B.V.")
    details(client, django_capture_on_commit_callbacks)

    assert Organisation.objects.get(kvk_number="12345678").verified_at is None


def test_a_colleague_joins_the_verified_company_as_a_member(
    client, eherkenning, django_capture_on_commit_callbacks
):
    company = CompanyFactory(kvk_number="12345678")
    admin = person_with_role(Role.APPLICANT, organisation=company)
    Membership.objects.filter(user=admin).update(team_role=TeamRole.ADMINISTRATOR)
    draft = complete_draft(person=admin)

    eherkenning(who="collega")
    details(client, django_capture_on_commit_callbacks, email="collega@slimmesluizen.example")

    colleague = User.objects.get(email="collega@slimmesluizen.example")
    assert Membership.objects.get(user=colleague).organisation == company
    assert Membership.objects.get(user=colleague).team_role == TeamRole.MEMBER
    assert Organisation.objects.filter(kvk_number="12345678").count() == 1
    # Confirmed address, then the company's proposals are theirs to see.
    colleague.email_confirmation.confirmed_at = colleague.date_joined
    colleague.email_confirmation.save()
    assert client.get(reverse("proposals:detail", args=[draft.pk])).status_code == 200


def test_a_squatted_kvk_number_is_taken_back(
    client, eherkenning, django_capture_on_commit_callbacks
):
    squatter_company = CompanyFactory(
        kvk_number="12345678", name="Rijkswaterstaat Squatter B.V.", verified_at=None
    )
    squatter = person_with_role(Role.APPLICANT, organisation=squatter_company)
    draft = complete_draft(person=squatter)

    eherkenning(company_name="Rijkswaterstaat")
    details(client, django_capture_on_commit_callbacks, email="echt@rws.example")

    squatter_company.refresh_from_db()
    real = Organisation.objects.get(kvk_number="12345678")
    assert real != squatter_company
    assert real.verified_at is not None
    assert squatter_company.kvk_number == ""
    assert squatter_company.verified_at is None
    claim = IdentifierClaim.objects.get()
    assert (claim.identifier, claim.taken_from, claim.claimed_by) == (
        "12345678",
        squatter_company,
        real,
    )
    assert claim.claimed_by_person.email == "echt@rws.example"
    # The audit trail records who took the number, on the squatter's own record.
    entry = (
        LogEntry.objects.get_for_object(squatter_company)
        .filter(changes__icontains="kvk_number")
        .latest("timestamp")
    )
    assert entry.actor.email == "echt@rws.example"
    assert [m for m in mail.outbox if m.to == [squatter.email]]
    # The squatter keeps its account and drafts, but cannot submit.
    assert Membership.objects.filter(user=squatter, organisation=squatter_company).exists()
    draft.refresh_from_db()
    assert draft.company == squatter_company


def test_taking_a_number_back_needs_eh3(client, eherkenning):
    squatter_company = CompanyFactory(kvk_number="12345678", verified_at=None)

    response = eherkenning(loa=EH2)

    assert response["Location"] == reverse("login")
    assert "EH3" in client.get(response["Location"]).content.decode()
    squatter_company.refresh_from_db()
    assert squatter_company.kvk_number == "12345678"
    assert not IdentifierClaim.objects.exists()


def test_a_member_of_the_registered_company_verifies_it_instead_of_taking_it(client, eherkenning):
    company = CompanyFactory(kvk_number="12345678", verified_at=None)
    member = person_with_role(Role.APPLICANT, organisation=company)
    client.force_login(member)

    response = eherkenning()

    assert response["Location"] == reverse("dashboard")
    company.refresh_from_db()
    assert company.verified_at is not None
    assert not IdentifierClaim.objects.exists()
    assert EherkenningLink.objects.get().user == member


def test_someone_with_an_account_links_eherkenning_after_logging_in(
    client, eherkenning, django_capture_on_commit_callbacks
):
    existing = UserFactory(email="eva@example.org")
    eherkenning(company_name="Slimme Sluizen B.V.")
    taken = details(client, django_capture_on_commit_callbacks, email="EVA@example.org")
    assert taken.status_code == 400  # the address has an account: log in with it first

    client.force_login(existing)
    client.post(reverse("identity:eherkenning_link"))

    company = Organisation.objects.get(kvk_number="12345678")
    assert Membership.objects.filter(user=existing, organisation=company).exists()
    assert EherkenningLink.objects.get().user == existing


def test_a_company_from_abroad_logs_in_through_eidas(
    client, eherkenning, django_capture_on_commit_callbacks
):
    eherkenning(kvk_number="", country="DE", euid="DEK1101R.HRB116737", company_name="Brücken GmbH")
    details(client, django_capture_on_commit_callbacks, email="anna@bruecken.example")

    company = Organisation.objects.get(euid="DEK1101R.HRB116737")
    assert (company.country, company.kvk_number) == ("DE", "")
    assert company.verifications.get().method == VerificationMethod.EIDAS


def test_bad_mock_input_is_refused(eherkenning):
    assert eherkenning(kvk_number="00000000").status_code == 400
    assert not EherkenningLink.objects.exists()


@pytest.mark.parametrize("mode", ["saml", "off"])
def test_the_mock_exists_only_in_mock_mode(client, settings, mode):
    settings.EHERKENNING_MODE = mode
    assert client.get(reverse("identity:eherkenning_mock")).status_code == 404
    assert client.post(reverse("identity:eherkenning_mock"), {}).status_code == 404


def test_the_login_page_hides_eherkenning_when_it_is_off(client, settings):
    settings.EHERKENNING_MODE = "off"
    assert 'data-testid="eherkenning-login"' not in client.get(reverse("login")).content.decode()
    assert client.get(reverse("identity:eherkenning_login")).status_code == 404
