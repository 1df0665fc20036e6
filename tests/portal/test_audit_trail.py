import pytest
from auditlog.models import LogEntry
from django.urls import reverse

from portal.models import Role
from tests.factories import AuthorityFactory, UserFactory, person_with_role

pytestmark = pytest.mark.django_db


def test_changes_through_pages_are_recorded_with_the_actor(client):
    applicant = person_with_role(Role.APPLICANT, full_name="Oude Naam")
    client.force_login(applicant)

    client.post(reverse("account"), {"full_name": "Nieuwe Naam"})

    entry = LogEntry.objects.get_for_object(applicant).filter(action=LogEntry.Action.UPDATE).get()
    assert entry.actor == applicant
    assert entry.changes_dict["full_name"] == ["Oude Naam", "Nieuwe Naam"]


def test_password_hashes_never_enter_the_audit_trail(client):
    applicant = person_with_role(Role.APPLICANT)
    applicant.set_password("A-new-password-2026")
    applicant.save()
    for entry in LogEntry.objects.get_for_object(applicant):
        assert "password" not in entry.changes_dict


def test_staff_see_and_filter_the_trail(verified_client):
    staff = UserFactory(is_staff=True, email="beheer@example.org")
    AuthorityFactory(name="Waterschap Rivierenland")
    client = verified_client(staff)

    page = client.get(reverse("audit_trail"))

    assert page.status_code == 200
    assert "Waterschap Rivierenland" in page.content.decode()
    filtered = client.get(reverse("audit_trail"), {"actor": "nobody@example.org"})
    assert "Waterschap Rivierenland" not in filtered.content.decode()


def test_audit_trail_page_costs_the_same_queries_for_few_and_many_entries(
    verified_client, django_assert_max_num_queries
):
    client = verified_client(UserFactory(is_staff=True))
    for _ in range(3):
        AuthorityFactory()
    with django_assert_max_num_queries(12) as few:
        client.get(reverse("audit_trail"))
    for _ in range(60):
        AuthorityFactory()
    with django_assert_max_num_queries(12) as many:
        client.get(reverse("audit_trail"))
    assert len(few.captured_queries) == len(many.captured_queries)


def test_the_trail_names_records_and_fields_as_people_do(verified_client):
    staff = UserFactory(is_staff=True)
    applicant = person_with_role(Role.APPLICANT, full_name="Oude Naam")
    applicant.full_name = "Nieuwe Naam"
    applicant.save()

    html = verified_client(staff).get(reverse("audit_trail")).content.decode()

    # Verbose names in the portal's language, not "portal · user" and "full_name".
    assert "Gebruiker: " in html
    assert "<strong>Volledige naam</strong>: Oude Naam → Nieuwe Naam" in html
    assert "full_name" not in html
    assert "portal · " not in html
    assert ">Organisatie</option>" in html
