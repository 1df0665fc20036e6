"""Co-financing of trajectories by EZK: an authority applies with its draft call (the proposed
competition), ministry staff approve (the grant is committed from the round's fund, to that
call) or reject; a commitment whose call is not published by the round's date lapses and is
released; payments and releases of what EZK committed.

An application's status moves only along APPLICATION_TRANSITIONS (next to the model).
"""

from datetime import date

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.text import Truncator
from django.utils.translation import gettext as _

from calls.models import Call
from portal import states
from portal.exceptions import DomainError, NotAllowed
from portal.models import User
from portal.money import ZERO, round_cents
from portal.permissions import can
from portal.templatetags.portal import euro, percent

from ..models import (
    Account,
    CoFinancingApplication,
    FundingRound,
    Transaction,
)
from .ledger import _is_ministry_staff, _positive, fund_account, transaction_post


def _check_move(application: CoFinancingApplication, to_state: str) -> None:
    """Refuse a move the table does not allow; a decided application says so plainly."""
    if not states.can_move(application, to_state):
        if application.status != CoFinancingApplication.Status.SUBMITTED:
            raise DomainError(_("This application has been decided already."), code="decided")
        states.check(application, to_state)


# --- Co-financing of trajectories by EZK -----------------------------------------------------


def cofinancing_apply(
    *,
    funding_round: FundingRound,
    call: Call,
    actor: User,
    trajectory_cost,
    requested,
    motivation: str,
    plan: str = "",
) -> CoFinancingApplication:
    """An authority asks EZK to co-finance a trajectory it is about to launch: its call is
    still a draft (the proposed competition), within the round's window, limits, instruments
    and mission requirement."""
    if not can(actor, "calls.manage_call", call):
        raise NotAllowed(_("Only officers of the call's authority can apply for it."))
    now = timezone.now()
    if funding_round.status != FundingRound.Status.OPEN:
        raise DomainError(
            _("%(round)s is not open for applications.") % {"round": funding_round.name},
            code="window",
        )
    if not funding_round.opens_at <= now < funding_round.closes_at:
        raise DomainError(
            _("Applications for %(round)s are accepted from %(opens)s until %(closes)s.")
            % {
                "round": funding_round.name,
                "opens": date_format(timezone.localtime(funding_round.opens_at), "DATETIME_FORMAT"),
                "closes": date_format(
                    timezone.localtime(funding_round.closes_at), "DATETIME_FORMAT"
                ),
            },
            code="window",
        )
    # Its status as it is now, not as the caller last read it.
    if Call.objects.filter(pk=call.pk).values_list("status", flat=True).get() != Call.Status.DRAFT:
        raise DomainError(
            _(
                "Apply before the call is published: a round co-finances a proposed "
                "competition, whose call is still a draft."
            ),
            code="call",
        )
    if call.instrument not in funding_round.instruments:
        raise DomainError(
            _("%(round)s co-finances %(instruments)s only.")
            % {
                "round": funding_round.name,
                "instruments": ", ".join(funding_round.instrument_labels()),
            },
            code="call",
        )
    if funding_round.mission_required and not call.missions.exists():
        raise DomainError(
            _("The call must serve a mission of the knowledge and innovation agendas."),
            code="call",
        )
    cost = _positive(trajectory_cost)
    requested = _positive(requested)
    limit = min(round_cents(cost * funding_round.max_share), funding_round.max_amount)
    if requested > limit:
        raise DomainError(
            _(
                "At most %(limit)s can be requested for this trajectory (%(share)s of its "
                "cost, and no more than %(max)s)."
            )
            % {
                "limit": euro(limit),
                "share": percent(funding_round.max_share),
                "max": euro(funding_round.max_amount),
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
                plan=plan.strip(),
                submitted_by=actor,
            )
    except IntegrityError as error:
        raise DomainError(
            _("This trajectory has applied in this round already."), code="duplicate"
        ) from error


def cofinancing_approve(
    *, application: CoFinancingApplication, actor: User, motivation: str = ""
) -> Transaction:
    """Ministry staff approve: the amount is committed from the round's fund, to the call.

    First come, first served: approving a later application while an earlier one in the same
    round still waits is refused, so the order of submission decides who gets the last euro.
    A ranked round is decided once it has closed, in the order the ministry ranks it.
    """
    if not _is_ministry_staff(actor):
        raise NotAllowed(_("Only ministry staff decide on co-financing."))
    with transaction.atomic():
        application = (
            CoFinancingApplication.objects.select_for_update()
            .select_related("round")
            .get(pk=application.pk)
        )
        _check_move(application, CoFinancingApplication.Status.APPROVED)
        funding_round = application.round
        if not funding_round.is_first_come and (
            funding_round.status != FundingRound.Status.CLOSED
            and timezone.now() < funding_round.closes_at
        ):
            raise DomainError(
                _("A ranked round is decided after it closes, when all applications are in."),
                code="order",
            )
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
        if funding_round.is_first_come and earlier.exists():
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
        application.decided_by = actor
        application.decided_at = timezone.now()
        application.decision_motivation = motivation.strip()
        states.transition(
            application,
            CoFinancingApplication.Status.APPROVED,
            actor=actor,
            extra_fields=["decided_by", "decided_at", "decision_motivation"],
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
        _check_move(application, CoFinancingApplication.Status.REJECTED)
        application.decided_by = actor
        application.decided_at = timezone.now()
        application.decision_motivation = motivation.strip()
        states.transition(
            application,
            CoFinancingApplication.Status.REJECTED,
            actor=actor,
            extra_fields=["decided_by", "decided_at", "decision_motivation"],
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
    ).chars(Transaction.DESCRIPTION_LENGTH)
    releases = []
    with transaction.atomic():
        for account in accounts:
            record = commitment_release(account=account, actor=actor, description=description)
            if record is not None:
                releases.append(record)
    return releases


def cofinancing_lapse_unpublished(*, today: date | None = None) -> int:
    """The schedule's daily check: an approved application whose call is still unpublished
    after its round's ``publish_by`` lapses, and what EZK committed to it goes back to the
    fund. Booked in the name of whoever approved it. Returns the number that lapsed."""
    today = today or timezone.localdate()
    candidates = CoFinancingApplication.objects.filter(
        status=CoFinancingApplication.Status.APPROVED,
        round__publish_by__lt=today,
        call__publication_date__isnull=True,
    ).values_list("pk", flat=True)
    lapsed = 0
    for pk in candidates:
        with transaction.atomic():
            application = (
                CoFinancingApplication.objects.select_for_update(of=("self",))
                .select_related("call", "round", "decided_by")
                .get(pk=pk)
            )
            if (
                application.status != CoFinancingApplication.Status.APPROVED
                or application.call.publication_date is not None
            ):
                continue  # decided or published since the list was read
            states.transition(application, CoFinancingApplication.Status.LAPSED, actor=None)
            description = Truncator(
                _("%(call)s was not published by %(date)s: co-financing released")
                % {
                    "call": application.call.title,
                    # the candidates' rounds all have a publish_by (the filter above)
                    "date": date_format(application.round.publish_by),  # type: ignore[arg-type]
                }
            ).chars(Transaction.DESCRIPTION_LENGTH)
            for account in Account.objects.filter(
                kind=Account.Kind.COMMITTED, application=application, balance__gt=0
            ).order_by("pk"):
                commitment_release(
                    account=account,
                    actor=application.decided_by,  # type: ignore[arg-type]  # approved: decided
                    description=description,
                )
            lapsed += 1
    return lapsed
