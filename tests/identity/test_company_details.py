"""A company's administrator keeps the details its award notices state: address, postcode,
NUTS 2024 region, telephone and size. Bad input is refused in words; members only read."""

import pytest
from django.urls import reverse

from portal.models import Membership, Role, TeamRole
from tests.factories import CompanyFactory, person_with_role

pytestmark = pytest.mark.django_db

DETAILS = {
    "street_address": "Innovatieweg 12",
    "postal_code": "3526la",
    "city": "Utrecht",
    "nuts_code": "NL350",
    "telephone": "+31 30 123 4567",
    "company_size": "small",
}


@pytest.fixture
def company():
    return CompanyFactory(name="Slimme Sluizen B.V.", is_sme=False)


def _person(company, team_role):
    person = person_with_role(Role.APPLICANT, organisation=company)
    Membership.objects.filter(user=person).update(team_role=team_role)
    return person


def test_an_administrator_saves_the_details_and_the_postcode_is_written_properly(client, company):
    client.force_login(_person(company, TeamRole.ADMINISTRATOR))
    page = client.get(reverse("identity:team"))
    assert 'data-testid="company-details"' in page.content.decode()
    response = client.post(reverse("identity:company_details"), {"company": company.pk, **DETAILS})
    assert response.status_code == 302
    company.refresh_from_db()
    assert company.postal_code == "3526 LA"
    assert (company.nuts_code, company.telephone, company.company_size) == (
        "NL350",
        "+31 30 123 4567",
        "small",
    )
    assert company.is_sme  # follows the size


@pytest.mark.parametrize(
    ("field", "value", "words"),
    [
        ("postal_code", "35261", "Een Nederlandse postcode bestaat uit vier cijfers"),
        ("telephone", "bel ons", "Een telefoonnummer bestaat uit cijfers"),
        # A long run of digits that fails at its end: refused at once, not after minutes of
        # backtracking (the SDK's pattern as written is exponential in the digits).
        ("telephone", "0" * 29 + "x", "Een telefoonnummer bestaat uit cijfers"),
        ("nuts_code", "NL310", "Selecteer een geldige keuze"),
        ("company_size", "", ""),
    ],
)
def test_bad_details_are_refused_in_words_and_nothing_is_saved(
    client, company, field, value, words
):
    client.force_login(_person(company, TeamRole.ADMINISTRATOR))
    response = client.post(
        reverse("identity:company_details"), {"company": company.pk, **DETAILS, field: value}
    )
    assert response.status_code == 400
    assert field in response.context["details_form"].errors
    assert words in response.content.decode()
    assert 'data-testid="error-summary"' in response.content.decode()
    company.refresh_from_db()
    assert company.city == ""


@pytest.mark.parametrize(
    "number",
    ["+31 30 123 4567", "030-1234567", "(030) 123 45 67", "+31 (0)30 1234567", "0301234567"],
)
def test_the_usual_ways_of_writing_a_telephone_number_are_accepted(client, company, number):
    client.force_login(_person(company, TeamRole.ADMINISTRATOR))
    response = client.post(
        reverse("identity:company_details"), {"company": company.pk, **DETAILS, "telephone": number}
    )
    assert response.status_code == 302
    company.refresh_from_db()
    assert company.telephone == number


def test_a_member_reads_the_details_but_cannot_change_them(client, company):
    client.force_login(_person(company, TeamRole.MEMBER))
    page = client.get(reverse("identity:team"))
    assert 'action="/company/details/"' not in page.content.decode()
    response = client.post(reverse("identity:company_details"), {"company": company.pk, **DETAILS})
    assert response.status_code == 404
    company.refresh_from_db()
    assert company.city == ""
