import pytest
from auditlog.models import LogEntry
from django.urls import reverse

from portal.models import Role
from tests.factories import AuthorityFactory, MembershipFactory, UserFactory, person_with_role

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


def test_records_named_by_foreign_keys_cost_no_query_per_entry(
    verified_client, django_assert_max_num_queries
):
    """Each change of a foreign key reads as the record it names, fetched once per page."""
    client = verified_client(UserFactory(is_staff=True))
    for number in range(2):
        MembershipFactory(organisation=AuthorityFactory(name=f"Gemeente Eerste {number}"))
    with django_assert_max_num_queries(20) as few:
        html = client.get(reverse("audit_trail")).content.decode()
    # A membership's creation names its organisation (a foreign key) as people know it.
    assert "<strong>Organisatie</strong>: None → Gemeente Eerste 1" in html
    for number in range(30):
        MembershipFactory(organisation=AuthorityFactory(name=f"Gemeente {number}"))
    with django_assert_max_num_queries(20) as many:
        html = client.get(reverse("audit_trail")).content.decode()
    assert "<strong>Organisatie</strong>: None → Gemeente 29" in html
    assert len(few.captured_queries) == len(many.captured_queries)
