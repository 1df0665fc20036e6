"""Company teams: administrators invite by e-mail (a link that expires), give a role, remove;
every member sees the company's proposals; someone removed loses access at once."""

import re
import threading
from datetime import timedelta

import pytest
from django.core import mail
from django.db import connection
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from portal.exceptions import DomainError, NotAllowed
from portal.identity.models import ApiToken, TeamInvitation
from portal.identity.services.teams import team_invite, team_member_remove, team_role_change
from portal.models import Membership, Role, TeamRole, User
from tests.concurrency import require_postgresql
from tests.factories import PASSWORD, CompanyFactory, UserFactory, api_key_for, person_with_role
from tests.proposals.factories import complete_draft

pytestmark = pytest.mark.django_db


@pytest.fixture
def company():
    return CompanyFactory(name="Slimme Sluizen B.V.")


@pytest.fixture
def admin(company):
    person = person_with_role(Role.APPLICANT, organisation=company)
    Membership.objects.filter(user=person).update(team_role=TeamRole.ADMINISTRATOR)
    return person


def member_of(company, team_role=TeamRole.MEMBER, **fields):
    person = person_with_role(Role.APPLICANT, organisation=company, **fields)
    Membership.objects.filter(user=person).update(team_role=team_role)
    return person


def invitation_link(message) -> str:
    return re.search(r"https?://[^/\s]+(/account/invitation/\S+/)", message.body).group(1)


@pytest.fixture
def invite(client, admin, company, django_capture_on_commit_callbacks):
    def send(email="collega@slimmesluizen.example", team_role=TeamRole.MEMBER):
        client.force_login(admin)
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(
                reverse("identity:team_invite"),
                {"company": company.pk, "email": email, "team_role": team_role},
            )
        client.logout()
        assert response.status_code == 302, response.content
        return invitation_link(mail.outbox[-1])

    return send


def test_a_new_colleague_accepts_with_a_new_account_and_sees_the_company_s_proposals(
    client, invite, company
):
    draft = complete_draft(person=member_of(company))
    link = invite()

    page = client.get(link)
    assert page.status_code == 200
    response = client.post(
        link,
        {
            "full_name": "Kees Collega",
            "password": "Sluizen-van-morgen-42",
            "password_again": "Sluizen-van-morgen-42",
        },
    )

    assert response["Location"] == reverse("dashboard")
    colleague = User.objects.get(email="collega@slimmesluizen.example")
    membership = Membership.objects.get(user=colleague, organisation=company)
    assert (membership.role, membership.team_role) == (Role.APPLICANT, TeamRole.MEMBER)
    # The invitation went to this address: no separate confirmation is asked.
    assert client.get(reverse("dashboard")).status_code == 200
    assert client.get(reverse("proposals:detail", args=[draft.pk])).status_code == 200
    # The link works once.
    assert client.get(link).status_code == 404


def test_someone_with_an_account_logs_in_with_the_invited_address_and_accepts(
    client, invite, company
):
    existing = UserFactory(email="collega@slimmesluizen.example")
    link = invite(team_role=TeamRole.ADMINISTRATOR)

    client.force_login(existing)
    client.post(link)

    assert Membership.objects.get(user=existing, organisation=company).team_role == (
        TeamRole.ADMINISTRATOR
    )


def test_an_invitation_for_another_address_is_refused(client, invite, company):
    link = invite()
    client.force_login(UserFactory(email="iemand.anders@example.org"))

    client.post(link)

    assert not Membership.objects.filter(organisation=company, user__email__startswith="iemand")
    assert TeamInvitation.objects.get().accepted_at is None


def test_an_invitation_expires(client, invite, settings, time_machine):
    time_machine.move_to(timezone.now())
    link = invite()
    time_machine.shift(timedelta(days=settings.TEAM_INVITATION_DAYS, minutes=1))

    response = client.post(
        link, {"full_name": "Te Laat", "password": "Sluizen-van-morgen-42",
               "password_again": "Sluizen-van-morgen-42"},
    )  # fmt: skip

    assert response.status_code == 404
    assert not User.objects.filter(email="collega@slimmesluizen.example").exists()


def test_a_new_invitation_replaces_the_earlier_one(client, invite):
    first = invite()
    second = invite()

    assert client.get(first).status_code == 404
    assert client.get(second).status_code == 200


def test_a_member_may_not_invite_change_roles_or_remove_others(client, company, admin):
    member = member_of(company)
    client.force_login(member)

    invite = client.post(
        reverse("identity:team_invite"),
        {"company": company.pk, "email": "x@example.org", "team_role": TeamRole.ADMINISTRATOR},
    )
    admin_seat = Membership.objects.get(user=admin)
    role = client.post(reverse("identity:team_role", args=[admin_seat.pk]), {"team_role": "member"})
    remove = client.post(reverse("identity:team_remove", args=[admin_seat.pk]))

    assert (invite.status_code, role.status_code, remove.status_code) == (404, 404, 404)
    assert not TeamInvitation.objects.exists()
    admin_seat.refresh_from_db()
    assert admin_seat.team_role == TeamRole.ADMINISTRATOR
    with pytest.raises(NotAllowed):
        team_invite(company=company, actor=member, email="x@example.org", team_role="member")


def test_another_company_s_team_is_out_of_reach(client, company, admin):
    outsider_company = CompanyFactory()
    outsider = member_of(outsider_company, TeamRole.ADMINISTRATOR)
    client.force_login(outsider)

    page = client.get(reverse("identity:team"), {"company": company.pk})
    remove = client.post(
        reverse("identity:team_remove", args=[Membership.objects.get(user=admin).pk])
    )

    assert company.name not in page.content.decode()
    assert remove.status_code == 404
    assert Membership.objects.filter(user=admin).exists()


def test_removal_takes_effect_at_once_and_ends_the_api_tokens(
    client, company, admin, django_capture_on_commit_callbacks
):
    member = member_of(company)
    draft = complete_draft(person=member)
    member_client = APIClient()
    member_client.credentials(HTTP_AUTHORIZATION=f"Token {api_key_for(member)}")
    session = client.__class__()
    session.force_login(member)
    assert session.get(reverse("proposals:detail", args=[draft.pk])).status_code == 200
    assert member_client.get(f"/api/v1/proposals/{draft.pk}/").status_code == 200

    with django_capture_on_commit_callbacks(execute=True):
        team_member_remove(membership=Membership.objects.get(user=member), actor=admin)

    # The same session, the next click: no access.
    assert session.get(reverse("proposals:detail", args=[draft.pk])).status_code in (403, 404)
    assert member_client.get(f"/api/v1/proposals/{draft.pk}/").status_code == 401
    assert ApiToken.objects.get(user=member).revoke_reason == (
        ApiToken.RevokeReason.MEMBERSHIP_ENDED
    )
    assert [m.to for m in mail.outbox] == [[member.email]]


def test_a_team_keeps_an_administrator(company, admin):
    seat = Membership.objects.get(user=admin)

    with pytest.raises(DomainError):
        team_member_remove(membership=seat, actor=admin)
    with pytest.raises(DomainError):
        team_role_change(membership=seat, actor=admin, team_role=TeamRole.MEMBER)

    other = member_of(company)
    team_role_change(
        membership=Membership.objects.get(user=other), actor=admin, team_role="administrator"
    )
    team_member_remove(membership=seat, actor=admin)  # leaving is fine now
    assert not Membership.objects.filter(user=admin).exists()


def test_a_member_may_leave(client, company, admin):
    member = member_of(company)
    client.force_login(member)

    response = client.post(
        reverse("identity:team_remove", args=[Membership.objects.get(user=member).pk])
    )

    assert response["Location"] == reverse("dashboard")
    assert not Membership.objects.filter(user=member).exists()


def test_the_team_page_lists_people_and_open_invitations(client, invite, admin, company):
    member_of(company, full_name="Noor Hendriks")
    invite(email="nieuw@slimmesluizen.example")
    client.force_login(admin)

    html = client.get(reverse("identity:team")).content.decode()

    assert "Noor Hendriks" in html
    assert "nieuw@slimmesluizen.example" in html


@pytest.mark.django_db(transaction=True)
def test_two_administrators_demoting_each_other_at_once_leave_one(company):
    """The company row is locked for team changes: one demotion wins, the other is refused."""
    require_postgresql()
    first = member_of(company, TeamRole.ADMINISTRATOR)
    second = member_of(company, TeamRole.ADMINISTRATOR)
    barrier = threading.Barrier(2)
    errors = []

    def demote(actor, target):
        try:
            barrier.wait()
            team_role_change(
                membership=Membership.objects.get(user=target), actor=actor, team_role="member"
            )
        except DomainError as error:
            errors.append(error.code)
        finally:
            connection.close()

    threads = [
        threading.Thread(target=demote, args=(first, second)),
        threading.Thread(target=demote, args=(second, first)),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    administrators = Membership.objects.filter(organisation=company, team_role="administrator")
    assert administrators.count() == 1
    assert errors in (["last_administrator"], ["not_allowed"])


def test_password_is_kept_for_an_existing_account_that_accepts(client, invite):
    existing = UserFactory(email="collega@slimmesluizen.example")
    link = invite()
    client.force_login(existing)
    client.post(link)
    existing.refresh_from_db()
    assert existing.check_password(PASSWORD)


def test_the_team_page_costs_the_same_queries_for_a_small_or_large_team(
    client, company, admin, django_assert_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    member_of(company)
    client.force_login(admin)
    url = reverse("identity:team")
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for _ in range(15):
        member_of(company)

    with django_assert_num_queries(len(few.captured_queries)):
        client.get(url)
