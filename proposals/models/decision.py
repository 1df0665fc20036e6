"""The officer's decision per proposal, first intended (voorlopige gunning), and objections.

A decision on a proposal is *intended* first: the company is told, and a standstill period
runs (per call, ``Call.standstill_days``; at least 20 calendar days for an innovation
partnership, Aw 2012 art. 2.127). During it the company may lodge an ``Objection``. Once the
period has passed and no objection in the phase is open, the beat task ``finalise-decisions``
makes the decision *final*: an award then gets its contract (and the ledger its commitment),
the proposal becomes awarded or rejected. An upheld objection *withdraws* the phase's intended
decisions, and the officer chooses what follows (``Objection.follow_up``): a new decision by
the officer, or a ``Reassessment`` by the committee (the affected proposals' assessments are
reopened with the reason; after the chair signs the new advice the officer decides again).

Other apps and modules hang their work on a ``Decision`` (the letters of issue 15 have a
foreign key to it) and on the signals in ``proposals.signals`` (``decision_intended`` …).
"""

from datetime import date, datetime, time, timedelta

from auditlog.registry import auditlog
from django.conf import settings
from django.core.exceptions import ObjectDoesNotExist
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from calls.models import Phase, Prize
from portal import states
from portal.money import MoneyField

from .assessment import Committee
from .contract import Contract
from .proposal import Proposal, private_storage


class Decision(models.Model):
    class Kind(models.TextChoices):
        AWARD = "award", _("award")
        REJECTION = "rejection", _("not awarded")
        NOT_ELIGIBLE = "not_eligible", _("not eligible")

    class Status(models.TextChoices):
        INTENDED = "intended", _("intended")
        FINAL = "final", _("final")
        WITHDRAWN = "withdrawn", _("withdrawn")

    proposal = models.ForeignKey(Proposal, on_delete=models.PROTECT, related_name="decisions")
    phase = models.ForeignKey(Phase, on_delete=models.PROTECT, related_name="decisions")
    kind = models.CharField(_("decision"), max_length=20, choices=Kind.choices)
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=Status.choices,
        default=Status.INTENDED,
        db_index=True,
    )
    # An award's contract amount; None for a rejection.
    amount = MoneyField(_("amount (€)"), null=True, blank=True)
    # Prize competition and hackathon: the prize an award gives (its amount is the prize's).
    prize = models.ForeignKey(
        Prize,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="decisions",
        verbose_name=_("prize"),
    )
    # A decision of an administrative body on a prize is a decision under the Awb: final when
    # it is sent, open to objection (bezwaar) for six weeks after the day it was sent.
    under_awb = models.BooleanField(_("decision under the Awb"), default=False)
    motivation = models.TextField(_("motivation"))
    standstill_days = models.PositiveSmallIntegerField(_("standstill period (calendar days)"))
    # The last day of the standstill (Europe/Amsterdam); the decision is final after it.
    standstill_ends_on = models.DateField(_("standstill period ends on"), db_index=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(_("decided at"), default=timezone.now)
    finalised_at = models.DateTimeField(_("final since"), null=True, blank=True)
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)
    withdrawal_reason = models.TextField(_("reason for withdrawing"), blank=True)

    class Meta:
        verbose_name = _("decision")
        verbose_name_plural = _("decisions")
        ordering = ["phase", "decided_at", "pk"]
        indexes = [models.Index(fields=["phase", "status"])]
        constraints = [
            # At most one decision per proposal stands (intended or final); withdrawn ones stay.
            models.UniqueConstraint(
                fields=["proposal"],
                condition=~Q(status="withdrawn"),
                name="decision_one_standing_per_proposal",
            ),
            models.CheckConstraint(
                condition=Q(kind="award", amount__gt=0) | (~Q(kind="award") & Q(amount=None)),
                name="decision_amount_only_for_award",
            ),
            models.CheckConstraint(
                condition=Q(prize=None) | Q(kind="award"), name="decision_prize_only_for_award"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.proposal} – {self.get_kind_display()} ({self.get_status_display()})"

    @staticmethod
    def standstill_end(decided_on: date, days: int) -> date:
        return decided_on + timedelta(days=days)

    @property
    def standstill_ends_at(self) -> datetime:
        """The moment the period has passed: the end of its last day."""
        return timezone.make_aware(
            datetime.combine(self.standstill_ends_on + timedelta(days=1), time.min)
        )

    @property
    def is_award(self) -> bool:
        return self.kind == self.Kind.AWARD

    @property
    def is_not_eligible(self) -> bool:
        return self.kind == self.Kind.NOT_ELIGIBLE

    @property
    def is_intended(self) -> bool:
        return self.status == self.Status.INTENDED

    @property
    def is_final(self) -> bool:
        return self.status == self.Status.FINAL

    @property
    def is_withdrawn(self) -> bool:
        return self.status == self.Status.WITHDRAWN

    @property
    def contract(self):
        """The award's contract, once the decision is final (None before and for others)."""
        if not (self.is_award and self.is_final):
            return None
        return Contract.objects.filter(proposal_id=self.proposal_id).first()

    @property
    def in_standstill(self) -> bool:
        return self.is_intended and timezone.localdate() <= self.standstill_ends_on

    @property
    def objection_ends_on(self) -> date | None:
        """The last day for an objection under the Awb: six weeks after the day the letter
        was sent (art. 6:7 and 6:8 Awb); None when the decision is not under the Awb. Until
        the letter is sent the period has not started."""
        if not self.under_awb:
            return None
        try:
            sent_at = self.letter.sent_at  # type: ignore[attr-defined]  # reverse one-to-one
        except ObjectDoesNotExist:
            return None
        if sent_at is None:
            return None
        return awb_objection_end(timezone.localdate(sent_at))

    @property
    def open_to_objection(self) -> bool:
        """A company may object now: during the standstill of an intended decision, or within
        the Awb's six weeks of a prize decision (from its final decision until the end)."""
        if self.in_standstill:
            return True
        if not (self.under_awb and self.is_final):
            return False
        ends_on = self.objection_ends_on
        return ends_on is None or timezone.localdate() <= ends_on


# Bezwaar: six weeks from the day after the decision was sent (art. 6:7, 6:8 Awb).
AWB_OBJECTION_PERIOD = timedelta(weeks=6)


def awb_objection_end(sent_on: date) -> date:
    """The last day for an objection to a decision under the Awb sent on ``sent_on``."""
    return sent_on + AWB_OBJECTION_PERIOD


DECISION_TRANSITIONS: dict[str, set[str]] = {
    Decision.Status.INTENDED: {Decision.Status.FINAL, Decision.Status.WITHDRAWN},
    # A final decision under the Awb is revoked when an objection to it is upheld (art. 7:11
    # Awb; ``decision_revoke``); a procurement's final decision is not withdrawn.
    Decision.Status.FINAL: {Decision.Status.WITHDRAWN},
    Decision.Status.WITHDRAWN: set(),
}
DECISION_GUARDS = {
    (Decision.Status.FINAL, Decision.Status.WITHDRAWN): lambda decision: decision.under_awb,
}


class Objection(models.Model):
    """A company's objection to the intended decision on its proposal, and its answer."""

    class Status(models.TextChoices):
        OPEN = "open", _("open")
        DISMISSED = "dismissed", _("dismissed")
        UPHELD = "upheld", _("upheld")
        WITHDRAWN = "withdrawn", _("withdrawn")
        # Moot: another objection was upheld and the decision objected to was withdrawn
        # with it; a new decision follows, which can be objected to again.
        LAPSED = "lapsed", _("lapsed")

    class FollowUp(models.TextChoices):
        NEW_DECISION = "new_decision", _("new decision by the officer")
        REASSESSMENT = "reassessment", _("reassessment by the committee")

    TEXT_MAX_LENGTH = 20000

    # An objection to an intended decision on a proposal, or (innovation partnership) to the
    # selection: a candidate not selected objects during the selection's standstill.
    decision = models.ForeignKey(
        Decision, on_delete=models.PROTECT, related_name="objections", null=True, blank=True
    )
    participation_request = models.ForeignKey(
        "calls.ParticipationRequest",
        on_delete=models.PROTECT,
        related_name="objections",
        null=True,
        blank=True,
    )
    number = models.CharField(_("number"), max_length=40, unique=True)
    text = models.TextField(_("objection"))
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.OPEN, db_index=True
    )
    lodged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    lodged_at = models.DateTimeField(_("lodged at"), default=timezone.now)
    receipt = models.FileField(
        _("receipt"), storage=private_storage, upload_to="objections/", blank=True
    )
    answer = models.TextField(_("answer"), blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    # What follows an upheld objection; empty for the other outcomes.
    follow_up = models.CharField(
        _("follow-up"), max_length=20, choices=FollowUp.choices, blank=True
    )
    # A lapsed objection: the upheld objection that withdrew the decision it contested.
    lapsed_with = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="lapsed",
        verbose_name=_("lapsed with the upheld objection"),
    )

    class Meta:
        verbose_name = _("objection")
        verbose_name_plural = _("objections")
        ordering = ["lodged_at", "pk"]
        constraints = [
            # One open objection per decision at a time.
            models.UniqueConstraint(
                fields=["decision"],
                condition=Q(status="open"),
                name="objection_one_open_per_decision",
            ),
            models.UniqueConstraint(
                fields=["participation_request"],
                condition=Q(status="open"),
                name="objection_one_open_per_request",
            ),
            models.CheckConstraint(
                condition=Q(decision__isnull=False, participation_request__isnull=True)
                | Q(decision__isnull=True, participation_request__isnull=False),
                name="objection_on_decision_or_selection",
            ),
        ]

    def __str__(self) -> str:
        return self.number

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.OPEN

    @property
    def is_dismissed(self) -> bool:
        return self.status == self.Status.DISMISSED

    @property
    def is_upheld(self) -> bool:
        return self.status == self.Status.UPHELD

    @property
    def is_lapsed(self) -> bool:
        return self.status == self.Status.LAPSED

    @property
    def revokes_final_decision(self) -> bool:
        """An objection under the Awb to a final prize decision: upheld, it revokes that
        decision (art. 7:11 Awb) instead of withdrawing the phase's intended decisions."""
        return self.decision is not None and self.decision.under_awb

    @property
    def leads_to_reassessment(self) -> bool:
        return self.is_upheld and self.follow_up == self.FollowUp.REASSESSMENT

    @property
    def is_selection(self) -> bool:
        return self.participation_request_id is not None

    @property
    def company_id(self) -> int:
        if self.participation_request_id is not None:
            return self.participation_request.company_id
        return self.decision.proposal.company_id

    @property
    def call(self):
        if self.participation_request_id is not None:
            return self.participation_request.call
        return self.decision.proposal.call


OBJECTION_TRANSITIONS: dict[str, set[str]] = {
    Objection.Status.OPEN: {
        Objection.Status.DISMISSED,
        Objection.Status.UPHELD,
        Objection.Status.WITHDRAWN,
        Objection.Status.LAPSED,
    },
    Objection.Status.DISMISSED: set(),
    Objection.Status.UPHELD: set(),
    Objection.Status.WITHDRAWN: set(),
    Objection.Status.LAPSED: set(),
}


class ObjectionDocument(models.Model):
    """A document with an objection, checked and scanned like a proposal's attachment."""

    objection = models.ForeignKey(Objection, on_delete=models.CASCADE, related_name="documents")
    file = models.FileField(_("file"), storage=private_storage, upload_to="objections/%Y/")
    original_name = models.CharField(_("file name"), max_length=255)
    content_type = models.CharField(_("type"), max_length=100)
    size = models.PositiveIntegerField(_("size (bytes)"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("document of an objection")
        verbose_name_plural = _("documents of objections")
        ordering = ["objection", "uploaded_at", "pk"]

    def __str__(self) -> str:
        return self.original_name


class Reassessment(models.Model):
    """The committee reassesses proposals of its phase because an objection was upheld.

    The officer asks for it when upholding: the phase's intended decisions are withdrawn, the
    signed advice is set aside (kept here: ranking, selection, who signed and when) so the
    committee can work again, and the affected proposals' submitted assessments are reopened
    with the reason, which the committee reads. It is *open* until the chair signs the new
    advice; then the officer decides again (new letters, a new standstill period).
    """

    class Status(models.TextChoices):
        OPEN = "open", _("open")
        ADVISED = "advised", _("new advice signed")

    committee = models.ForeignKey(Committee, on_delete=models.PROTECT, related_name="reassessments")
    objection = models.OneToOneField(
        Objection, on_delete=models.PROTECT, related_name="reassessment"
    )
    proposals = models.ManyToManyField(
        Proposal, related_name="+", verbose_name=_("proposals to reassess")
    )
    reason = models.TextField(_("reason"))
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.OPEN, db_index=True
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    requested_at = models.DateTimeField(_("requested at"), default=timezone.now)
    advised_at = models.DateTimeField(_("new advice signed at"), null=True, blank=True)
    # The advice it set aside.
    previous_ranking = models.JSONField(_("previous ranking"), default=list)
    previous_selected = models.JSONField(_("previously selected proposals"), default=list)
    previous_remarks = models.TextField(_("previous remarks"), blank=True)
    previous_signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    previous_signed_at = models.DateTimeField(_("previous advice signed at"), null=True)
    previous_pdf = models.FileField(
        _("previous advice (PDF)"), storage=private_storage, upload_to="advice/", blank=True
    )

    class Meta:
        verbose_name = _("reassessment")
        verbose_name_plural = _("reassessments")
        ordering = ["requested_at", "pk"]
        constraints = [
            # One reassessment of a committee at a time.
            models.UniqueConstraint(
                fields=["committee"],
                condition=Q(status="open"),
                name="reassessment_one_open_per_committee",
            )
        ]

    def __str__(self) -> str:
        return f"{self.committee} – {self.objection}"

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.OPEN


REASSESSMENT_TRANSITIONS: dict[str, set[str]] = {
    Reassessment.Status.OPEN: {Reassessment.Status.ADVISED},
    Reassessment.Status.ADVISED: set(),
}


class PrizeWithholding(models.Model):
    """A prize (or the places of it no entry won) left unawarded, with the reason: the jury
    found no entry worth it. The letters and the public results say so."""

    prize = models.OneToOneField(
        Prize, on_delete=models.PROTECT, related_name="withholding", verbose_name=_("prize")
    )
    reason = models.TextField(_("reason for not awarding the prize"))
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(_("decided at"), default=timezone.now)

    class Meta:
        verbose_name = _("prize not awarded")
        verbose_name_plural = _("prizes not awarded")
        ordering = ["prize__rank"]

    def __str__(self) -> str:
        return f"{self.prize}: {self.reason[:40]}"


auditlog.register(Decision)
auditlog.register(PrizeWithholding)
auditlog.register(Objection)
auditlog.register(ObjectionDocument)
auditlog.register(Reassessment)
states.register(Decision, DECISION_TRANSITIONS, guards=DECISION_GUARDS)
states.register(Objection, OBJECTION_TRANSITIONS)
states.register(Reassessment, REASSESSMENT_TRANSITIONS)
