"""Calls for innovation: what an authority asks for, in which phases, judged on what."""

import re
from decimal import Decimal

from auditlog.registry import auditlog
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext_lazy as _

from portal import states
from portal.models import Organisation
from portal.money import MoneyField
from portal.nuts import nuts_choices

NOT_NEGATIVE = [MinValueValidator(Decimal("0"))]
cpv_code_validator = RegexValidator(
    r"^\d{8}$", _("A CPV code consists of 8 digits (without the check digit)."), code="invalid_cpv"
)


# A call's reference as people type it (IL-2026-00042): the number is its id.
REFERENCE = re.compile(r"IL-\d{4}-0*(\d+)")


def validity_in_words(value: int | None, unit: str) -> str:
    """ "3 months": a validity period in words ("" when there is none)."""
    if not value:
        return ""
    if unit == "DAY":
        return ngettext("%(count)d day", "%(count)d days", value) % {"count": value}
    if unit == "WEEK":
        return ngettext("%(count)d week", "%(count)d weeks", value) % {"count": value}
    return ngettext("%(count)d month", "%(count)d months", value) % {"count": value}


class Mission(models.Model):
    """A mission of the Kennis- en Innovatieagenda's 2020–2023 (seeded by a migration)."""

    code = models.SlugField(_("code"), unique=True)
    name_nl = models.CharField(_("name (Dutch)"), max_length=100)
    name_en = models.CharField(_("name (English)"), max_length=100)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("mission")
        verbose_name_plural = _("missions")
        ordering = ["order"]

    def __str__(self) -> str:
        return self.name_en if get_language() == "en" else self.name_nl


class Call(models.Model):
    class Instrument(models.TextChoices):
        SBIR = "sbir", _("SBIR")
        INNOVATION_PARTNERSHIP = "innovation_partnership", _("innovation partnership")
        PRIZE_COMPETITION = "prize_competition", _("prize competition")
        HACKATHON = "hackathon", _("hackathon")

    class Status(models.TextChoices):
        DRAFT = "draft", _("draft")
        PUBLISHED = "published", _("open for proposals")
        CLOSED = "closed", _("closed")
        UNDER_ASSESSMENT = "under_assessment", _("under assessment")
        AWARDED = "awarded", _("awarded")
        COMPLETED = "completed", _("completed")
        CANCELLED = "cancelled", _("cancelled")

    class ValidityUnit(models.TextChoices):
        """Units of a period as eForms measures it (the code list duration-unit)."""

        DAY = "DAY", _("days")
        WEEK = "WEEK", _("weeks")
        MONTH = "MONTH", _("months")

    class TieBreak(models.TextChoices):
        HEAVIEST_CRITERION = (
            "heaviest_criterion",
            _("higher score on the criterion with the highest weight"),
        )
        EARLIEST_SUBMISSION = "earliest_submission", _("earlier submission")

    authority = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="calls",
        verbose_name=_("contracting authority"),
        limit_choices_to={"kind": Organisation.Kind.AUTHORITY},
    )
    # The organisation that runs the call for the authority under a mandate (RVO), if any.
    agent = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="calls_run_for_others",
        verbose_name=_("run on behalf of the authority by"),
    )
    # A demo trajectory that is not in the source documents: marked wherever it is shown.
    fictitious = models.BooleanField(_("fictitious demo example"), default=False)
    instrument = models.CharField(_("instrument"), max_length=30, choices=Instrument.choices)
    title = models.CharField(_("title"), max_length=200)
    title_en = models.CharField(_("title in English"), max_length=200, blank=True)
    challenge = models.TextField(
        _("challenge"), help_text=_("What the authority wants solved, and why.")
    )
    challenge_en = models.TextField(_("challenge in English"), blank=True)
    missions = models.ManyToManyField(
        Mission, related_name="calls", blank=True, verbose_name=_("missions")
    )
    contact_name = models.CharField(_("contact person"), max_length=200)
    contact_email = models.EmailField(_("contact e-mail address"))
    total_budget = MoneyField(_("total budget (€)"), validators=NOT_NEGATIVE)
    publication_date = models.DateTimeField(_("publication date"), null=True, blank=True)
    deadline = models.DateTimeField(
        _("deadline"), help_text=_("Date and time in Europe/Amsterdam.")
    )
    questions_deadline = models.DateTimeField(
        _("deadline for questions"),
        help_text=_("Companies can ask clarification questions until this moment."),
    )
    # Innovation partnership: first requests to participate, then tenders by invitation.
    participation_deadline = models.DateTimeField(
        _("deadline for requests to participate"), null=True, blank=True
    )
    max_partners = models.PositiveSmallIntegerField(
        _("maximum number of partners"), null=True, blank=True
    )
    min_invitations = models.PositiveSmallIntegerField(
        _("minimum number of candidates to invite"),
        default=3,
        validators=[MinValueValidator(3)],
        help_text=_("At least three, unless fewer candidates qualify (art. 2.99 Aw)."),
    )
    fewer_invitations_reason = models.TextField(
        _("reason for inviting fewer candidates than the minimum"), blank=True, editable=False
    )
    invitations_sent_at = models.DateTimeField(
        _("invitations to tender sent at"), null=True, blank=True, editable=False
    )
    # The last day of the standstill after the selection (the letters to the candidates not
    # selected); the tender stage opens after it. None when every candidate was selected.
    selection_standstill_ends_on = models.DateField(
        _("standstill period of the selection ends on"), null=True, blank=True, editable=False
    )
    reserves_right_to_stop = models.BooleanField(
        _("may stop after any phase or reduce the number of partners"),
        default=False,
        help_text=_("An innovation partnership must state this in advance."),
    )
    minimum_requirements = models.TextField(
        _("minimum requirements"),
        blank=True,
        help_text=_(
            "Innovation partnership: what every tender must meet; never negotiated, frozen "
            "once the call is published."
        ),
    )
    rescore_later_phases = models.BooleanField(
        _("later phases are scored anew"),
        default=False,
        help_text=_(
            "Innovation partnership: without this, a later phase follows by a go/no-go "
            "decision against the interim targets, not by new tenders."
        ),
    )
    committee_sees_tender_history = models.BooleanField(
        _("the committee sees every version of a tender"),
        default=False,
        help_text=_(
            "Innovation partnership: the committee reads the final tenders; with this, also "
            "the earlier versions of the negotiation rounds."
        ),
    )
    # Hackathon: how many teams may register; the registration beyond it is refused.
    max_registrations = models.PositiveSmallIntegerField(
        _("maximum number of teams"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1)],
        help_text=_("Hackathon only: registrations beyond this number are refused."),
    )
    consortium_allowed = models.BooleanField(
        _("consortium partners allowed"),
        default=True,
        help_text=_("Whether a company may submit a proposal together with partners."),
    )
    blind_assessment = models.BooleanField(
        _("blind assessment"),
        default=False,
        help_text=_("Assessors see no company names or people, only the content."),
    )
    tie_break = models.CharField(
        _("tie-break rule"),
        max_length=30,
        choices=TieBreak.choices,
        default=TieBreak.HEAVIEST_CRITERION,
    )
    # The standstill between an intended decision and the contract (Aw 2012 art. 2.127).
    standstill_days = models.PositiveSmallIntegerField(
        _("standstill period (calendar days)"),
        default=20,
        help_text=_(
            "Calendar days between the intended decision and the contract, during which "
            "companies may object. At least 20 for an innovation partnership."
        ),
    )
    standstill_reason = models.TextField(
        _("reason for a shorter standstill period"),
        blank=True,
        help_text=_("Required when the period is shorter than 20 days."),
    )
    # What a company declares when it submits (calls/structures.py has the instrument's
    # standard text, which a new call starts with); each proposal keeps the text it accepted.
    declaration = models.TextField(
        _("declaration on submission"),
        blank=True,
        help_text=_(
            "The company confirms this when it submits: that its information is true and that "
            "it accepts the call's conditions. Empty: the standard text of the instrument."
        ),
    )
    declaration_en = models.TextField(_("declaration on submission in English"), blank=True)
    # What a procurement notice (eForms, through TenderNed) needs that the call says nowhere
    # else: the main CPV code of what is bought and where the work is done (NUTS).
    cpv_code = models.CharField(
        _("CPV code"),
        max_length=10,
        blank=True,
        validators=[cpv_code_validator],
        help_text=_(
            "Main code of the Common Procurement Vocabulary, 8 digits, e.g. 73000000 for "
            "research and development services."
        ),
    )
    place_of_performance_nuts = models.CharField(
        _("place of performance (NUTS region)"),
        max_length=5,
        blank=True,
        choices=nuts_choices(),
        help_text=_("Where the work is done: a region (NUTS 2024), e.g. NL350 for Utrecht."),
    )
    # How long a proposal binds the company after the deadline (eForms BT-98).
    tender_validity = models.PositiveSmallIntegerField(
        _("proposals remain valid for"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1)],
        help_text=_("After the deadline; the unit is below. A notice of an SBIR needs it."),
    )
    tender_validity_unit = models.CharField(
        _("unit of the validity period"),
        max_length=5,
        choices=ValidityUnit.choices,
        default=ValidityUnit.MONTH,
    )
    publish_on_tenderned = models.BooleanField(
        _("publish on TenderNed"),
        default=False,
        help_text=_(
            "Above the EU threshold the notices always go to TenderNed (and on to TED); "
            "below it the authority chooses."
        ),
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.DRAFT, db_index=True
    )
    cancellation_reason = models.TextField(_("reason for cancelling"), blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("call")
        verbose_name_plural = _("calls")
        ordering = ["deadline"]
        indexes = [
            models.Index(fields=["status", "deadline"]),
            models.Index(fields=["authority", "status"]),
            models.Index(fields=["-publication_date"]),
            # The lists' order (deadline first): a page is read from the index, not sorted.
            models.Index(fields=["deadline", "id"], name="call_deadline_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(questions_deadline__lte=models.F("deadline")),
                name="call_questions_close_before_deadline",
            ),
            models.CheckConstraint(
                condition=~Q(status="cancelled") | ~Q(cancellation_reason=""),
                name="call_cancelled_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.reference} {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("calls:detail", kwargs={"pk": self.pk, "slug": self.slug})

    # A year at most: a company cannot be held to its price and team for longer.
    VALIDITY_LIMITS = {"DAY": 365, "WEEK": 52, "MONTH": 12}

    @classmethod
    def validity_problem(cls, value: int | None, unit: str) -> str | None:
        """Why ``value`` ``unit`` cannot be a validity period, or None (the form and an
        amendment ask the same)."""
        limit = cls.VALIDITY_LIMITS.get(unit)
        if value and limit and value > limit:
            return _("A proposal can be held valid for a year at most (%(limit)s %(unit)s).") % {
                "limit": limit,
                "unit": cls.ValidityUnit(unit).label,
            }
        return None

    def clean(self) -> None:
        super().clean()
        problem = self.validity_problem(self.tender_validity, self.tender_validity_unit)
        if problem:
            raise ValidationError({"tender_validity": problem})

    @property
    def tender_validity_display(self) -> str:
        """ "3 months": how long a proposal binds the company after the deadline ("" unset)."""
        return validity_in_words(self.tender_validity, self.tender_validity_unit)

    @property
    def reference(self) -> str:
        """Stable, human-quotable number, e.g. IL-2026-00042."""
        return self.reference_of(self.pk, self.created_at)

    @staticmethod
    def reference_of(pk: int | None, created_at) -> str:
        """The reference of the call with this id and creation moment (lists read plain
        values, without a Call instance)."""
        year = (created_at or timezone.now()).year
        return f"IL-{year}-{pk or 0:05d}"

    @property
    def display_title(self) -> str:
        return self.title_en if get_language() == "en" and self.title_en else self.title

    @property
    def display_challenge(self) -> str:
        return self.challenge_en if get_language() == "en" and self.challenge_en else self.challenge

    @property
    def slug(self) -> str:
        return self.slug_of(self.title)

    @staticmethod
    def slug_of(title: str) -> str:
        """The address's readable part for a call with this title."""
        return slugify(title)[:60] or "call"

    @property
    def authority_display(self) -> str:
        """Who publishes the call: "RVO on behalf of Rijkswaterstaat" under a mandate."""
        if self.agent_id is None:
            return self.authority.name
        return _("%(agent)s on behalf of %(authority)s") % {
            "agent": self.agent.name,
            "authority": self.authority.name,
        }

    @property
    def is_contest(self) -> bool:
        """A prize competition or hackathon: entries win prizes by rank, they ask no amount."""
        return self.instrument in CONTEST_INSTRUMENTS

    @property
    def is_public(self) -> bool:
        """Published at some point: a draft cancelled before publication stays private."""
        return self.status != self.Status.DRAFT and self.publication_date is not None

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.PUBLISHED and timezone.now() < self.deadline

    @property
    def accepts_questions(self) -> bool:
        return self.status == self.Status.PUBLISHED and timezone.now() < self.questions_deadline

    # What pages ask about the state; templates ask these instead of comparing statuses.
    @property
    def is_draft(self) -> bool:
        return self.status == self.Status.DRAFT

    @property
    def is_published(self) -> bool:
        """Published and not yet closed (its deadline may have passed: see awaits_closing)."""
        return self.status == self.Status.PUBLISHED

    @property
    def awaits_closing(self) -> bool:
        """Published, past its deadline, not yet closed by the scheduler: it accepts nothing."""
        return self.status == self.Status.PUBLISHED and not self.is_open

    @property
    def selection_standstill_reaches_deadline(self) -> bool:
        """A partnership whose selection's standstill (moved by a letter sent later) runs
        until or past the deadline for tenders: no tender could be made in time, so the
        officer extends the deadline (an amendment) while the call is open."""
        return self.selection_standstill_ends_on is not None and (
            self.selection_standstill_ends_on >= timezone.localdate(self.deadline)
        )

    @property
    def is_cancelled(self) -> bool:
        return self.status == self.Status.CANCELLED

    @property
    def has_ended(self) -> bool:
        """Completed or cancelled: the trajectory is over."""
        return self.status in (self.Status.COMPLETED, self.Status.CANCELLED)

    @property
    def is_awarded(self) -> bool:
        """Awarded (or completed after its award): the competition is decided."""
        return self.status in (self.Status.AWARDED, self.Status.COMPLETED)

    @property
    def takes_follow_up_purchases(self) -> bool:
        """Awarded or completed: the authority may record what it bought afterwards."""
        return self.status in (self.Status.AWARDED, self.Status.COMPLETED)

    @property
    def is_under_way(self) -> bool:
        """Published and not ended: later phases, co-financing and contracts go on."""
        return not self.is_draft and not self.has_ended


# Prize competitions and hackathons: prizes by rank instead of requested amounts.
CONTEST_INSTRUMENTS = (Call.Instrument.PRIZE_COMPETITION, Call.Instrument.HACKATHON)

# Each status's allowed next statuses; portal.states.transition refuses any other move.
CALL_TRANSITIONS: dict[str, set[str]] = {
    Call.Status.DRAFT: {Call.Status.PUBLISHED, Call.Status.CANCELLED},
    Call.Status.PUBLISHED: {Call.Status.CLOSED, Call.Status.CANCELLED},
    Call.Status.CLOSED: {Call.Status.UNDER_ASSESSMENT, Call.Status.CANCELLED},
    Call.Status.UNDER_ASSESSMENT: {Call.Status.AWARDED, Call.Status.CANCELLED},
    # Back under assessment when a decision of its first phase is revoked on objection (a
    # prize decision under the Awb, art. 7:11): only then (``CALL_GUARDS``).
    Call.Status.AWARDED: {Call.Status.COMPLETED, Call.Status.UNDER_ASSESSMENT},
    Call.Status.COMPLETED: set(),
    Call.Status.CANCELLED: {Call.Status.UNDER_ASSESSMENT},
}


def _first_phase_awaits_a_decision(call: Call) -> bool:
    """An entry of the call's first phase is under assessment again: its decision, which
    ended the call with the others, was revoked (proposals' ``decision_revoke``). One query
    through the reverse relation: calls does not import proposals."""
    return call.proposals.filter(  # type: ignore[attr-defined]  # reverse relation
        phase__order=1, status="under_assessment"
    ).exists()


CALL_GUARDS = {
    (Call.Status.AWARDED, Call.Status.UNDER_ASSESSMENT): _first_phase_awaits_a_decision,
    (Call.Status.CANCELLED, Call.Status.UNDER_ASSESSMENT): _first_phase_awaits_a_decision,
}


class Phase(models.Model):
    class Kind(models.TextChoices):
        FEASIBILITY = "feasibility", _("feasibility study")
        PROTOTYPE = "prototype", _("R&D / prototype")
        RD = "rd", _("R&D phase")
        PURCHASE = "purchase", _("purchase phase")
        SINGLE_ROUND = "single_round", _("single round with prizes")

    call = models.ForeignKey(Call, on_delete=models.CASCADE, related_name="phases")
    order = models.PositiveSmallIntegerField(_("order"))
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    name = models.CharField(_("name"), max_length=200)
    name_en = models.CharField(_("name in English"), max_length=200, blank=True)
    budget = MoneyField(_("budget (€)"), validators=NOT_NEGATIVE)
    max_per_award = MoneyField(_("maximum per award (€)"), validators=NOT_NEGATIVE)
    planned_awards = models.PositiveSmallIntegerField(
        _("planned number of awards"), validators=[MinValueValidator(1)]
    )
    duration_months = models.PositiveSmallIntegerField(
        _("duration (months)"), validators=[MinValueValidator(1), MaxValueValidator(120)]
    )
    deadline = models.DateTimeField(
        _("deadline for proposals"),
        null=True,
        blank=True,
        help_text=_("Later phases may get their deadline once the earlier phase is decided."),
    )
    interim_targets = models.TextField(
        _("interim targets"),
        blank=True,
        help_text=_("Innovation partnership: what must be reached to continue."),
    )
    overall_threshold = models.DecimalField(
        _("minimum weighted score"),
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        help_text=_("On the criteria's scale; proposals below it are not eligible."),
    )

    class Meta:
        verbose_name = _("phase")
        verbose_name_plural = _("phases")
        ordering = ["call", "order"]
        constraints = [
            models.UniqueConstraint(fields=["call", "order"], name="phase_unique_order"),
            models.CheckConstraint(
                condition=Q(max_per_award__lte=models.F("budget")),
                name="phase_award_within_budget",
            ),
        ]

    def __str__(self) -> str:
        """The name in the reader's language, numbered only when the name has no number of
        its own ("Fase 1: haalbaarheidsstudie" stays as it is, "Haalbaarheid" becomes "1.
        Haalbaarheid")."""
        name = self.display_name
        if re.search(rf"(?<!\d){self.order}(?!\d)", name):
            return name
        return f"{self.order}. {name}"

    @property
    def display_name(self) -> str:
        """The English name on English pages when there is one; the Dutch name otherwise."""
        return self.name_en if get_language() == "en" and self.name_en else self.name

    @property
    def deadline_ahead(self) -> bool:
        return self.deadline is not None and timezone.now() < self.deadline


class Prize(models.Model):
    """A prize of a prize competition or hackathon: its rank, its amount and how many entries
    win it (e.g. 1st € 50,000 ×1). The jury ranks the entries; the decision gives the prizes
    out by rank, each awarded entry the prize's amount."""

    phase = models.ForeignKey(Phase, on_delete=models.CASCADE, related_name="prizes")
    rank = models.PositiveSmallIntegerField(_("rank"), validators=[MinValueValidator(1)])
    amount = MoneyField(_("amount (€)"), validators=[MinValueValidator(Decimal("0.01"))])
    count = models.PositiveSmallIntegerField(
        _("number of prizes"),
        default=1,
        validators=[MinValueValidator(1), MaxValueValidator(100)],
        help_text=_("How many entries win this prize, e.g. 1."),
    )
    description = models.CharField(_("description"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("prize")
        verbose_name_plural = _("prizes")
        ordering = ["phase", "rank"]
        constraints = [
            models.UniqueConstraint(fields=["phase", "rank"], name="prize_unique_rank"),
            models.CheckConstraint(condition=Q(amount__gt=0), name="prize_amount_positive"),
            models.CheckConstraint(condition=Q(count__gte=1), name="prize_count_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.rank}: {self.amount} ×{self.count}"

    @property
    def total(self) -> Decimal:
        """What the prize costs: its amount for every entry that wins it."""
        return self.amount * self.count


class Criterion(models.Model):
    """A weighted assessment criterion of one phase; frozen once the call is published."""

    phase = models.ForeignKey(Phase, on_delete=models.CASCADE, related_name="criteria")
    order = models.PositiveSmallIntegerField(_("order"), default=1)
    name = models.CharField(_("name"), max_length=200)
    name_en = models.CharField(_("name in English"), max_length=200, blank=True)
    description = models.TextField(_("description"), blank=True)
    description_en = models.TextField(_("description in English"), blank=True)
    weight = models.PositiveSmallIntegerField(
        _("weight (%)"), validators=[MinValueValidator(1), MaxValueValidator(100)]
    )
    scale_min = models.PositiveSmallIntegerField(_("lowest score"), default=1)
    scale_max = models.PositiveSmallIntegerField(_("highest score"), default=10)
    threshold = models.PositiveSmallIntegerField(
        _("minimum score"),
        null=True,
        blank=True,
        help_text=_("A proposal scoring lower on this criterion is not eligible."),
    )

    class Meta:
        verbose_name = _("criterion")
        verbose_name_plural = _("criteria")
        ordering = ["phase", "order"]
        constraints = [
            models.CheckConstraint(
                condition=Q(scale_min__lt=models.F("scale_max")), name="criterion_scale_ordered"
            ),
            models.CheckConstraint(
                condition=Q(threshold__isnull=True)
                | (
                    Q(threshold__gte=models.F("scale_min"))
                    & Q(threshold__lte=models.F("scale_max"))
                ),
                name="criterion_threshold_on_scale",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.weight}%)"

    @property
    def display_name(self) -> str:
        return self.name_en if get_language() == "en" and self.name_en else self.name

    @property
    def display_description(self) -> str:
        if get_language() == "en" and self.description_en:
            return self.description_en
        return self.description


class RequiredDocument(models.Model):
    """A document every proposal for a phase must include (e.g. project plan)."""

    phase = models.ForeignKey(Phase, on_delete=models.CASCADE, related_name="required_documents")
    order = models.PositiveSmallIntegerField(_("order"), default=1)
    name = models.CharField(_("name"), max_length=200)
    description = models.CharField(_("description"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("required document")
        verbose_name_plural = _("required documents")
        ordering = ["phase", "order"]

    def __str__(self) -> str:
        return self.name


class Question(models.Model):
    """A call-specific question added to the standard proposal form."""

    class Kind(models.TextChoices):
        TEXT = "text", _("text")
        NUMBER = "number", _("number")
        YES_NO = "yes_no", _("yes/no")
        CHOICE = "choice", _("choice")
        FILE = "file", _("file")

    call = models.ForeignKey(Call, on_delete=models.CASCADE, related_name="questions")
    phase = models.ForeignKey(
        Phase,
        on_delete=models.CASCADE,
        related_name="questions",
        null=True,
        blank=True,
        verbose_name=_("phase"),
        help_text=_("Leave empty to ask it in every phase."),
    )
    order = models.PositiveSmallIntegerField(_("order"), default=1)
    text = models.CharField(_("question"), max_length=500)
    help_text = models.CharField(_("explanation"), max_length=500, blank=True)
    kind = models.CharField(_("kind of answer"), max_length=10, choices=Kind.choices)
    choices = models.TextField(
        _("choices"), blank=True, help_text=_("For a choice question: one option per line.")
    )
    required = models.BooleanField(_("required"), default=True)

    class Meta:
        verbose_name = _("question")
        verbose_name_plural = _("questions")
        ordering = ["call", "order", "pk"]

    def __str__(self) -> str:
        return self.text

    @property
    def choice_list(self) -> list[str]:
        return [line.strip() for line in self.choices.splitlines() if line.strip()]

    def snapshot(self) -> dict:
        """What a proposal stores beside its answer, so later edits never garble it."""
        return {
            "id": self.pk,
            "text": self.text,
            "kind": self.kind,
            "choices": self.choice_list,
            "required": self.required,
        }


class Follower(models.Model):
    """Someone who wants an e-mail when a call's Q&A or amendments are published."""

    call = models.ForeignKey(Call, on_delete=models.CASCADE, related_name="followers")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="followed_calls"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("follower")
        verbose_name_plural = _("followers")
        constraints = [
            models.UniqueConstraint(fields=["call", "user"], name="follower_unique_per_call")
        ]

    def __str__(self) -> str:
        return f"{self.user} → {self.call.reference}"


auditlog.register(Phase)
auditlog.register(Prize)
auditlog.register(Criterion)
auditlog.register(RequiredDocument)
auditlog.register(Question)
auditlog.register(Call, m2m_fields={"missions"})
states.register(Call, CALL_TRANSITIONS, guards=CALL_GUARDS)
