"""Company teams: administrators invite colleagues by e-mail, give them a role, remove them.

Rights come from memberships read on every request, so a removal takes effect on the next
click; the removed person's API tokens are revoked in the same transaction.
"""

import hashlib
import secrets
from datetime import timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.exceptions import DomainError, NotAllowed
from portal.models import Membership, Organisation, Role, TeamRole, User
from portal.permissions import can
from portal.services.outbox import outbox_enqueue

from ..models import ApiToken, EmailConfirmation, TeamInvitation
from .companies import company_member_add
from .tokens import api_tokens_revoke_all


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _require_administrator(actor: User, company: Organisation) -> None:
    if not can(actor, "identity.manage_team", company):
        raise NotAllowed(_("Only an administrator of the company manages its team."))


def _lock_company(company: Organisation) -> Organisation:
    """Team changes of one company queue behind each other (the last administrator rule)."""
    return Organisation.objects.select_for_update().get(pk=company.pk)


def team_invite(
    *, company: Organisation, actor: User, email: str, team_role: str
) -> TeamInvitation:
    """Invite a colleague: an e-mail with a link that works once, until it expires."""
    _require_administrator(actor, company)
    email = email.strip().lower()
    if team_role not in TeamRole.values:
        raise DomainError(_("Choose a role: administrator or member."), code="team_role")
    if Membership.objects.filter(
        organisation=company, role=Role.APPLICANT, user__email=email
    ).exists():
        raise DomainError(_("This person is in the team already."), code="email")
    token = secrets.token_urlsafe(32)
    now = timezone.now()
    try:
        with transaction.atomic():
            _lock_company(company)
            # A new invitation replaces an earlier one to the same address.
            for earlier in TeamInvitation.objects.filter(
                company=company, email=email, accepted_at__isnull=True, revoked_at__isnull=True
            ):
                earlier.revoked_at = now
                earlier.save(update_fields=["revoked_at"])
            invitation = TeamInvitation.objects.create(
                company=company,
                email=email,
                team_role=team_role,
                invited_by=actor,
                token_hash=_hash(token),
                created_at=now,
                expires_at=now + timedelta(days=settings.TEAM_INVITATION_DAYS),
            )
            from ..tasks import send_team_invitation

            outbox_enqueue(send_team_invitation, invitation.pk, token, secret=True)
    except IntegrityError as error:
        raise DomainError(
            _("This address was invited just now by a colleague."), code="duplicate"
        ) from error
    return invitation


def team_invitation_withdraw(*, invitation: TeamInvitation, actor: User) -> TeamInvitation:
    _require_administrator(actor, invitation.company)
    with transaction.atomic():
        invitation = TeamInvitation.objects.select_for_update().get(pk=invitation.pk)
        if invitation.accepted_at is None and invitation.revoked_at is None:
            invitation.revoked_at = timezone.now()
            invitation.save(update_fields=["revoked_at"])
    return invitation


def team_invitation_find(token: str) -> TeamInvitation | None:
    return (
        TeamInvitation.objects.select_related("company", "invited_by")
        .filter(token_hash=_hash(token))
        .first()
    )


def _open_invitation(token: str) -> TeamInvitation:
    invitation = TeamInvitation.objects.select_for_update().filter(token_hash=_hash(token)).first()
    if invitation is None or invitation.revoked_at is not None:
        raise DomainError(_("This invitation is not valid (any more)."), code="invalid")
    if invitation.accepted_at is not None:
        raise DomainError(_("This invitation was accepted already."), code="accepted")
    if invitation.expires_at <= timezone.now():
        raise DomainError(
            _("This invitation has expired. Ask the administrator of the company for a new one."),
            code="expired",
        )
    return invitation


def team_invitation_accept(*, token: str, user: User) -> Membership:
    """The invited person, logged in with the invited address, joins the team."""
    with transaction.atomic():
        invitation = _open_invitation(token)
        if user.email.lower() != invitation.email:
            raise NotAllowed(
                _("This invitation was sent to another e-mail address. Log in with that one."),
                code="other_address",
            )
        membership = company_member_add(
            company=invitation.company, user=user, team_role=invitation.team_role
        )
        invitation.accepted_at = timezone.now()
        invitation.accepted_by = user
        invitation.save(update_fields=["accepted_at", "accepted_by"])
        # The link came to this address: that proves it is theirs.
        EmailConfirmation.objects.filter(
            user=user, email=invitation.email, confirmed_at__isnull=True
        ).update(confirmed_at=invitation.accepted_at)
    return membership


def team_invitation_accept_new_account(*, token: str, full_name: str, password: str) -> User:
    """Someone without an account accepts: the account is made with the invited address."""
    with transaction.atomic():
        invitation = _open_invitation(token)
        if User.objects.filter(email=invitation.email).exists():
            raise DomainError(
                _("There is an account with this address already: log in to accept."),
                code="account_exists",
            )
        user = User.objects.create_user(
            email=invitation.email, password=password, full_name=full_name.strip()
        )
        team_invitation_accept(token=token, user=user)
    return user


def team_member_remove(*, membership: Membership, actor: User) -> None:
    """An administrator removes someone, or someone leaves; access ends at once."""
    company = membership.organisation
    if actor.pk != membership.user_id:
        _require_administrator(actor, company)
    with transaction.atomic():
        _lock_company(company)
        membership = Membership.objects.select_for_update().get(pk=membership.pk)
        if membership.role != Role.APPLICANT:
            raise DomainError(_("Only members of a company's team are managed here."))
        if membership.team_role == TeamRole.ADMINISTRATOR and _administrators(company) == 1:
            raise DomainError(
                _("A team needs an administrator: make someone else administrator first."),
                code="last_administrator",
            )
        user = membership.user
        membership.delete()
        api_tokens_revoke_all(user=user, reason=ApiToken.RevokeReason.MEMBERSHIP_ENDED)
        if actor.pk != user.pk:
            from ..tasks import send_team_removal

            outbox_enqueue(send_team_removal, user.pk, company.pk)


def team_role_change(*, membership: Membership, actor: User, team_role: str) -> Membership:
    _require_administrator(actor, membership.organisation)
    if team_role not in TeamRole.values:
        raise DomainError(_("Choose a role: administrator or member."), code="team_role")
    with transaction.atomic():
        _lock_company(membership.organisation)
        membership = Membership.objects.select_for_update().get(pk=membership.pk)
        if (
            membership.team_role == TeamRole.ADMINISTRATOR
            and team_role != TeamRole.ADMINISTRATOR
            and _administrators(membership.organisation) == 1
        ):
            raise DomainError(
                _("A team needs an administrator: make someone else administrator first."),
                code="last_administrator",
            )
        if membership.team_role != team_role:
            membership.team_role = team_role
            membership.save(update_fields=["team_role"])
    return membership


def _administrators(company: Organisation) -> int:
    return Membership.objects.filter(
        organisation=company, role=Role.APPLICANT, team_role=TeamRole.ADMINISTRATOR
    ).count()
