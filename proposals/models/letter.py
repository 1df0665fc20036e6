"""The decision as a document: one numbered letter per company per decision of a phase.

A letter states the decision (award, not awarded, not eligible), the company's own scores per
criterion with the committee's motivation, its rank, and for a company that was not awarded
the winning proposals' scores and relative advantages, the standstill period and the
remedies. The PDF is kept in private storage; only the company itself and the call's officers
may read it (``proposals.view_letter``).

Numbers run per contracting authority and calendar year without gaps: a ``LetterSequence``
row per (authority, year) is locked while the next number is taken, in the transaction that
creates the letter, so two workers making letters at once never share or skip a number.
"""

from datetime import date

from auditlog.registry import auditlog
from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from calls.models import ParticipationRequest
from portal.models import Organisation

from .decision import Decision
from .proposal import Proposal, private_storage


class LetterSequence(models.Model):
    """The last letter number an authority gave out in a year."""

    authority = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["authority", "year"], name="letter_sequence_once")
        ]

    def __str__(self) -> str:
        return f"{self.authority_id}/{self.year}: {self.last}"


class DecisionLetter(models.Model):
    """A numbered decision letter: on a proposal's decision (award, not awarded, not
    eligible), or, in an innovation partnership's selection stage, on a request to
    participate (invited, not selected, excluded). Both share the numbering, the PDF, the
    e-mail and the read tracking."""

    class Kind(models.TextChoices):
        AWARD = "award", _("award")
        REJECTION = "rejection", _("not awarded")
        NOT_ELIGIBLE = "not_eligible", _("not eligible")
        INVITATION = "invitation", _("selected: invitation to tender")
        NOT_SELECTED = "not_selected", _("not selected")
        EXCLUDED = "excluded", _("excluded")

    # One letter per decision: a task run twice makes one letter; a new decision on the same
    # proposal (after an upheld objection withdrew the first) gets a new letter.
    decision = models.OneToOneField(
        Decision, on_delete=models.PROTECT, related_name="letter", null=True, blank=True
    )
    proposal = models.ForeignKey(
        Proposal, on_delete=models.PROTECT, related_name="letters", null=True, blank=True
    )
    # A selection letter: one per request per selection (``decided_at`` is the moment the
    # selection was made final); a selection made again after an upheld objection gets new ones.
    participation_request = models.ForeignKey(
        ParticipationRequest,
        on_delete=models.PROTECT,
        related_name="letters",
        null=True,
        blank=True,
    )
    authority = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField(_("year"))
    sequence = models.PositiveIntegerField(_("sequence"))
    number = models.CharField(_("letter number"), max_length=40, unique=True)
    kind = models.CharField(_("decision"), max_length=20, choices=Kind.choices)
    decided_at = models.DateTimeField(_("decided at"))
    # The date the letter bears: the day it is sent (the PDF says so, and the e-mail that
    # carries it leaves that day; ``decision_letter_redate`` keeps the two together).
    dated_on = models.DateField(_("dated"))
    language = models.CharField(_("language"), max_length=5)
    standstill_ends_on = models.DateField(_("end of the standstill period"), null=True, blank=True)
    pdf = models.FileField(_("PDF"), storage=private_storage, upload_to="letters/%Y/", blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    # The first download by someone of the company: the officer sees it was read.
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)
    read_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("decision letter")
        verbose_name_plural = _("decision letters")
        ordering = ["proposal", "-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["authority", "year", "sequence"], name="letter_number_once_per_authority"
            ),
            models.UniqueConstraint(
                fields=["participation_request", "decided_at"],
                condition=models.Q(participation_request__isnull=False),
                name="letter_once_per_selection",
            ),
            models.CheckConstraint(
                condition=models.Q(decision__isnull=False, participation_request__isnull=True)
                | models.Q(decision__isnull=True, participation_request__isnull=False),
                name="letter_on_decision_or_selection",
            ),
        ]

    def __str__(self) -> str:
        return self.number

    @property
    def filename(self) -> str:
        return f"besluit-{self.number}.pdf"

    @property
    def decided_on(self) -> date:
        """The day of the decision (Europe/Amsterdam); the letter may be sent later."""
        return timezone.localdate(self.decided_at)

    @property
    def is_sent(self) -> bool:
        return self.sent_at is not None

    @property
    def is_read(self) -> bool:
        return self.read_at is not None

    @property
    def is_award(self) -> bool:
        return self.kind == self.Kind.AWARD

    @property
    def is_selection(self) -> bool:
        return self.participation_request_id is not None

    @property
    def is_invitation(self) -> bool:
        return self.kind == self.Kind.INVITATION

    @property
    def company_id(self) -> int:
        """The company the letter is addressed to."""
        if self.participation_request_id is not None:
            return self.participation_request.company_id
        return self.proposal.company_id

    @property
    def company(self) -> Organisation:
        if self.participation_request_id is not None:
            return self.participation_request.company
        return self.proposal.company

    @property
    def call(self):
        if self.participation_request_id is not None:
            return self.participation_request.call
        return self.proposal.call


auditlog.register(DecisionLetter)


# The letter's kind for each decided status of a request to participate.
SELECTION_KINDS: dict[str, str] = {
    ParticipationRequest.Status.SELECTED: DecisionLetter.Kind.INVITATION,
    ParticipationRequest.Status.REJECTED: DecisionLetter.Kind.NOT_SELECTED,
    ParticipationRequest.Status.EXCLUDED: DecisionLetter.Kind.EXCLUDED,
}
