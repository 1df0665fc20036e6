"""Co-financing of trajectories by EZK: an authority applies, ministry staff approve (the
grant is committed from the round's fund) or reject; payments and releases of what EZK
committed.
"""

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.text import Truncator
from django.utils.translation import gettext as _

from calls.models import Call
from portal.exceptions import DomainError, NotAllowed
from portal.models import User
from portal.money import ZERO, round_cents
from portal.permissions import can

from ..models import Account, CoFinancingApplication, FundingRound, Transaction
from .ledger import _is_ministry_staff, _positive, fund_account, transaction_post

# --- Co-financing of trajectories by EZK -----------------------------------------------------


def cofinancing_apply(
    *,
    funding_round: FundingRound,
    call: Call,
    actor: User,
    trajectory_cost,
    requested,
    motivation: str,
) -> CoFinancingApplication:
    """An authority asks EZK to co-finance a trajectory, within the round's window and limits."""
    if not can(actor, "calls.manage_call", call):
        raise NotAllowed(_("Only officers of the call's authority can apply for it."))
    now = timezone.now()
    if not funding_round.opens_at <= now < funding_round.closes_at:
        raise DomainError(
            _("Applications for %(round)s are accepted from %(opens)s until %(closes)s.")
            % {
                "round": funding_round.name,
                "opens": timezone.localtime(funding_round.opens_at).strftime("%d-%m-%Y %H:%M"),
                "closes": timezone.localtime(funding_round.closes_at).strftime("%d-%m-%Y %H:%M"),
            },
            code="window",
        )
    if call.status in (Call.Status.DRAFT, Call.Status.CANCELLED, Call.Status.COMPLETED):
        raise DomainError(_("Only a published trajectory can be co-financed."), code="call")
    cost = _positive(trajectory_cost)
    requested = _positive(requested)
    limit = min(round_cents(cost * funding_round.max_share), funding_round.max_amount)
    if requested > limit:
        raise DomainError(
            _(
                "At most € %(limit)s can be requested for this trajectory (%(share)s%% of its "
                "cost, and no more than € %(max)s)."
            )
            % {
                "limit": limit,
                "share": (funding_round.max_share * 100).normalize(),
                "max": funding_round.max_amount,
            },
            code="limit",
        )
    if not motivation.strip():
        raise DomainError(_("Explain how the trajectory fits the missions."), code="motivation")
    try:
        with transaction.atomic():
            return CoFinancingApplication.objects.create(
                round=funding_round,
                call=call,
                authority=call.authority,
                trajectory_cost=cost,
                requested=requested,
                motivation=motivation.strip(),
                submitted_by=actor,
            )
    except IntegrityError as error:
        raise DomainError(
            _("This trajectory has applied in this round already."), code="duplicate"
        ) from error


def cofinancing_approve(
    *, application: CoFinancingApplication, actor: User, motivation: str = ""
) -> Transaction:
    """Ministry staff approve: the amount is committed from the round's fund.

    First come, first served: approving a later application while an earlier one in the same
    round still waits is refused, so the order of submission decides who gets the last euro.
    """
    if not _is_ministry_staff(actor):
        raise NotAllowed(_("Only ministry staff decide on co-financing."))
    with transaction.atomic():
        application = CoFinancingApplication.objects.select_for_update().get(pk=application.pk)
        if application.status != CoFinancingApplication.Status.SUBMITTED:
            raise DomainError(_("This application has been decided already."), code="decided")
        # Locked like call_cancel and call_complete lock it: a trajectory that ends at this
        # moment either sees this commitment and releases it, or this approval sees it ended.
        call = Call.objects.select_for_update().get(pk=application.call_id)
        if call.status in (Call.Status.CANCELLED, Call.Status.COMPLETED):
            raise DomainError(
                _("The trajectory has ended (%(status)s): reject the application instead.")
                % {"status": call.get_status_display()},
                code="call",
            )
        earlier = CoFinancingApplication.objects.filter(
            round=application.round,
            status=CoFinancingApplication.Status.SUBMITTED,
            submitted_at__lt=application.submitted_at,
        )
        if earlier.exists():
            raise DomainError(
                _(
                    "Decide on the earlier applications of this round first (first come, first "
                    "served)."
                ),
                code="order",
            )
        fund = application.round.fund
        committed = Account.objects.create(
            fund=fund, kind=Account.Kind.COMMITTED, call=call, application=application
        )
        record = transaction_post(
            fund=fund,
            kind=Transaction.Kind.COMMITMENT,
            actor=actor,
            description=_("Co-financing of %(call)s") % {"call": call.title},
            entries=[
                (fund_account(fund, Account.Kind.AVAILABLE), -application.requested),
                (committed, application.requested),
            ],
            call=call,
            application=application,
        )
        application.status = CoFinancingApplication.Status.APPROVED
        application.decided_by = actor
        application.decided_at = timezone.now()
        application.decision_motivation = motivation.strip()
        application.save(
            update_fields=["status", "decided_by", "decided_at", "decision_motivation"]
        )
    return record


def cofinancing_reject(
    *, application: CoFinancingApplication, actor: User, motivation: str
) -> CoFinancingApplication:
    if not _is_ministry_staff(actor):
        raise NotAllowed(_("Only ministry staff decide on co-financing."))
    if not motivation.strip():
        raise DomainError(_("Motivate the decision."), code="motivation")
    with transaction.atomic():
        application = CoFinancingApplication.objects.select_for_update().get(pk=application.pk)
        if application.status != CoFinancingApplication.Status.SUBMITTED:
            raise DomainError(_("This application has been decided already."), code="decided")
        application.status = CoFinancingApplication.Status.REJECTED
        application.decided_by = actor
        application.decided_at = timezone.now()
        application.decision_motivation = motivation.strip()
        application.save(
            update_fields=["status", "decided_by", "decided_at", "decision_motivation"]
        )
    return application


def commitment_pay(
    *, account: Account, amount, actor: User, description: str, **links
) -> Transaction:
    """Pay out of a commitment (after an accepted milestone); never more than committed."""
    if account.kind != Account.Kind.COMMITTED:
        raise DomainError(_("Payments are made from a commitment."))
    amount = _positive(amount)
    fund = account.fund
    return transaction_post(
        fund=fund,
        kind=Transaction.Kind.PAYMENT,
        actor=actor,
        description=description,
        entries=[(account, -amount), (fund_account(fund, Account.Kind.PAID), amount)],
        **links,
    )


def commitment_release(
    *, account: Account, actor: User, description: str, **links
) -> Transaction | None:
    """Return what is left of a commitment to the fund (ended under budget, or stopped)."""
    if account.kind != Account.Kind.COMMITTED:
        raise DomainError(_("Only a commitment can be released."))
    with transaction.atomic():
        # Locked before reading, so a payment cannot slip in between reading and releasing.
        account = Account.objects.select_for_update().select_related("fund").get(pk=account.pk)
        if account.balance == ZERO:
            return None
        fund = account.fund
        return transaction_post(
            fund=fund,
            kind=Transaction.Kind.RELEASE,
            actor=actor,
            description=description,
            entries=[
                (account, -account.balance),
                (fund_account(fund, Account.Kind.AVAILABLE), account.balance),
            ],
            **{
                "call": account.call,
                "application": account.application,
                "contract": account.contract,
                **links,
            },
        )


def call_release(*, call: Call, actor: User, reason: str) -> list[Transaction]:
    """A trajectory stopped (completed or cancelled): what EZK still holds for it goes back to
    the fund it came from, one release per approved application."""
    accounts = Account.objects.filter(
        kind=Account.Kind.COMMITTED, application__call=call, balance__gt=0
    ).order_by("pk")
    description = Truncator(
        _("%(call)s ended: %(reason)s") % {"call": call.title, "reason": reason}
    ).chars(Transaction._meta.get_field("description").max_length)
    releases = []
    with transaction.atomic():
        for account in accounts:
            record = commitment_release(account=account, actor=actor, description=description)
            if record is not None:
                releases.append(record)
    return releases
