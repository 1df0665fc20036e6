"""Forms of the procurement officer's pages: the committee, assignments, decisions, reviews.

The forms only check the shape of the input; the rules (who may sit on a committee, the
budget, the state machines) live in the services, whose refusals the views put back on
these forms.
"""

from decimal import Decimal

from django import forms
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from calls.models import Phase
from portal.forms.base import FilterForm, SuggestedChoiceField, at_least_amount
from portal.models import Role, User
from portal.money import MONEY_DIGITS
from portal.templatetags.portal import euro

from ..models import Assignment, Committee, CommitteeMember, Proposal

FIELDSET_TEMPLATE = "proposals/officer/_fieldset.html"
MAX_MOTIVATION_LENGTH = 20000

DEFAULT_CODE_OF_CONDUCT = _(
    "As a member of this assessment committee I declare that:\n"
    "1. I keep everything I read about the proposals and the deliberations of the committee "
    "confidential, during and after the assessment, and use it for nothing else.\n"
    "2. Before I open a proposal I declare whether I have a conflict of interest with the "
    "company or its partners (a financial interest, a family tie, a recent working relation "
    "or any other reason that makes my judgement less than independent). If I do, I do not "
    "assess that proposal.\n"
    "3. I assess each proposal only on the published criteria, on its own merits, and "
    "motivate every score.\n"
    "4. I do not contact the companies about their proposals.\n"
    "5. I report a conflict of interest that arises later to the chair and the procurement "
    "officer at once."
)


class ProposalFilterForm(FilterForm):
    """Narrow the officer's list of a call's proposals by phase and status (GET)."""

    # The orders the list offers: the database sorts, the record's age breaks ties.
    ORDERS = {
        "": ("phase__order", "submitted_at", "pk"),
        "number": ("submission_number", "pk"),
        "amount": ("-requested_amount", "pk"),
        "company": ("company__name", "pk"),
    }

    phase = forms.TypedChoiceField(label=_("Phase"), required=False, coerce=int, empty_value=None)
    status = forms.ChoiceField(label=_("Status"), required=False)
    sort = forms.ChoiceField(
        label=_("Sort by"),
        required=False,
        choices=[
            ("", _("Phase and submission")),
            ("number", _("Submission number")),
            ("amount", _("Requested amount, highest first")),
            ("company", _("Company")),
        ],
    )

    def __init__(self, *args, phases: list[Phase], **kwargs):
        kwargs.setdefault("auto_id", "filter-%s")
        super().__init__(*args, **kwargs)
        self.fields["phase"].choices = [("", _("All phases"))] + [
            (phase.pk, str(phase)) for phase in phases
        ]
        self.fields["status"].choices = [("", _("All statuses"))] + [
            (value, capfirst(label))
            for value, label in Proposal.Status.choices
            if value != Proposal.Status.DRAFT
        ]

    def filters(self) -> dict:
        """The queryset filters of the valid choices; an invalid choice filters nothing."""
        if not self.is_valid():
            return {}
        result = {}
        if self.cleaned_data.get("phase"):
            result["phase_id"] = self.cleaned_data["phase"]
        if self.cleaned_data.get("status"):
            result["status"] = self.cleaned_data["status"]
        return result

    def order(self) -> tuple[str, ...]:
        """The order chosen; an invalid choice keeps the default one."""
        chosen = self.cleaned_data.get("sort", "") if self.is_valid() else ""
        return self.ORDERS[chosen]


class CommitteeForm(forms.Form):
    code_of_conduct = forms.CharField(
        label=_("Code of conduct and confidentiality"),
        help_text=_(
            "Every member accepts this text before any proposal opens. Adapt it to the call."
        ),
        error_messages={"required": _("Write the code of conduct the members must accept.")},
        widget=forms.Textarea(attrs={"rows": 12}),
    )
    assessors_per_proposal = forms.IntegerField(
        label=_("Assessors per proposal"),
        min_value=1,
        max_value=20,
        initial=3,
        help_text=_("How many members score each proposal; the chair sees every proposal."),
        widget=forms.NumberInput(attrs={"min": "1", "max": "20", "step": "1"}),
    )
    assessment_deadline = forms.DateTimeField(
        label=_("Assessment deadline"),
        required=False,
        help_text=_(
            "When declarations, scores and the advice are due (Europe/Amsterdam); members see "
            "it in their tasks."
        ),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "committee-%s")
        kwargs.setdefault("initial", {"code_of_conduct": DEFAULT_CODE_OF_CONDUCT})
        super().__init__(*args, **kwargs)


class PersonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: User) -> str:
        return f"{obj.full_name} ({obj.email})" if obj.full_name else obj.email


class MemberAddForm(forms.Form):
    """Seat one of the authority's assessors or committee chairs."""

    user = PersonChoiceField(
        label=_("Person"),
        queryset=User.objects.none(),
        empty_label=_("Choose a person"),
        help_text=_(
            "People of your organisation with the role of assessor or committee chair. "
            "Invite people from outside as independent experts below."
        ),
        error_messages={
            "required": _("Choose the person to add."),
            "invalid_choice": _("Choose one of the assessors or committee chairs in the list."),
        },
    )
    role = forms.ChoiceField(
        label=_("Role in the committee"),
        choices=[(value, capfirst(label)) for value, label in CommitteeMember.Role.choices],
        initial=CommitteeMember.Role.MEMBER,
    )
    expertise = forms.CharField(label=_("Expertise"), max_length=200, required=False)

    def __init__(self, *args, committee: Committee, **kwargs):
        kwargs.setdefault("auto_id", "member-%s")
        super().__init__(*args, **kwargs)
        authority_id = committee.phase.call.authority_id
        self.fields["user"].queryset = (
            User.objects.filter(
                is_active=True,
                memberships__organisation_id=authority_id,
                memberships__role__in=[Role.ASSESSOR, Role.COMMITTEE_CHAIR],
            )
            .exclude(committee_seats__committee=committee)
            .distinct()
            .order_by("full_name", "email")
        )


class ExpertInviteForm(forms.Form):
    """An independent expert from outside the portal gets an account and an e-mail."""

    full_name = forms.CharField(
        label=_("Name"),
        max_length=200,
        error_messages={"required": _("Write the expert's name.")},
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    email = forms.EmailField(
        label=_("E-mail address"),
        error_messages={
            "required": _("Write the expert's e-mail address."),
            "invalid": _("Write an e-mail address like name@example.nl."),
        },
        widget=forms.EmailInput(attrs={"autocomplete": "off"}),
    )
    expertise = forms.CharField(
        label=_("Expertise"),
        max_length=200,
        help_text=_("For example: circular construction, hydrology, medical devices."),
        error_messages={"required": _("Describe the expert's field of expertise.")},
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "expert-%s")
        super().__init__(*args, **kwargs)


class AssignmentForm(forms.Form):
    """Assign one member to one proposal by hand."""

    member = forms.ModelChoiceField(
        label=_("Member"),
        queryset=CommitteeMember.objects.none(),
        empty_label=_("Choose a member"),
        error_messages={"required": _("Choose a member."), "invalid_choice": _("Choose a member.")},
    )
    # A text field with the server's suggestions: a phase may hold thousands of proposals.
    proposal = SuggestedChoiceField(
        label=_("Proposal"),
        name_field="submission_number",
        label_of=lambda proposal: proposal.title,
        help_text=_("Its submission number, or a part of it."),
        error_messages={
            "required": _("Choose a proposal."),
            "invalid_choice": _("Choose a proposal that is under assessment."),
        },
    )

    def __init__(self, *args, committee: Committee, **kwargs):
        kwargs.setdefault("auto_id", "assign-%s")
        super().__init__(*args, **kwargs)
        member_field = self.fields["member"]
        member_field.queryset = (
            committee.members.active().select_related("user").order_by("role", "pk")
        )
        member_field.label_from_instance = lambda seat: seat.user.full_name or seat.user.email
        proposal_field = self.fields["proposal"]
        proposal_field.queryset = Proposal.objects.filter(
            phase_id=committee.phase_id, status=Proposal.Status.UNDER_ASSESSMENT
        ).order_by("submission_number", "pk")


class DecisionForm(forms.Form):
    """Award or reject one proposal, with a motivation the company will read."""

    AWARD = "award"
    REJECT = "reject"

    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[(AWARD, _("Award")), (REJECT, _("Do not award"))],
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose whether to award the proposal.")},
    )
    motivation = forms.CharField(
        label=_("Motivation"),
        max_length=MAX_MOTIVATION_LENGTH,
        help_text=_("The company receives this motivation by e-mail."),
        error_messages={"required": _("Motivate the decision.")},
        widget=forms.Textarea(attrs={"rows": 8}),
    )
    amount = forms.DecimalField(
        label=_("Contract amount (€)"),
        required=False,
        **MONEY_DIGITS,
        min_value=Decimal("0.01"),
        error_messages={"min_value": at_least_amount(Decimal("0.01"))},
        help_text=_("Only for an award. Leave empty for the requested amount."),
        widget=forms.NumberInput(attrs={"min": "0.01", "step": "0.01"}),
    )

    def __init__(self, *args, proposal: Proposal, prizes=(), **kwargs):
        kwargs.setdefault("auto_id", "decision-%s")
        kwargs.setdefault("initial", {"amount": proposal.requested_amount})
        super().__init__(*args, **kwargs)
        self.fields["decision"].template_name = FIELDSET_TEMPLATE
        self.contest = proposal.call.is_contest
        if self.contest:
            # A prize's amount is the call's: the officer chooses the prize, not an amount.
            del self.fields["amount"]
            self.fields["decision"].choices = [
                (self.AWARD, _("Award a prize")),
                (self.REJECT, _("No prize")),
            ]
            self.fields["decision"].error_messages["required"] = _(
                "Choose whether the entry wins a prize."
            )
            self.prizes = {str(prize.pk): prize for prize in prizes}
            self.fields["prize"] = forms.ChoiceField(
                label=_("Prize"),
                required=False,
                choices=[("", _("Choose a prize"))]
                + [(key, prize_label(prize)) for key, prize in self.prizes.items()],
                help_text=_("Only for an award: the jury's ranking decides which prize."),
            )

    def clean(self):
        cleaned = super().clean()
        if self.contest:
            cleaned["amount"] = None
            if cleaned.get("decision") == self.AWARD and not cleaned.get("prize"):
                self.add_error("prize", _("Choose the prize this entry wins."))
            if cleaned.get("decision") == self.REJECT and cleaned.get("prize"):
                self.add_error("prize", _("An entry without a prize gets no prize."))
        return cleaned

    @property
    def prize(self):
        """The chosen prize (contests only)."""
        return getattr(self, "prizes", {}).get(self.cleaned_data.get("prize") or "")

    @property
    def is_award(self) -> bool:
        return self.cleaned_data.get("decision") == self.AWARD


def prize_label(prize) -> str:
    label = _("Prize %(rank)d: %(amount)s") % {"rank": prize.rank, "amount": euro(prize.amount)}
    if prize.count > 1:
        label += f" ×{prize.count}"
    if prize.description:
        label += f" – {prize.description}"
    return label


class PrizeWithholdForm(forms.Form):
    """Leave a prize unawarded, with the reason the letters and the results state."""

    reason = forms.CharField(
        label=_("Reason for not awarding the prize"),
        max_length=MAX_MOTIVATION_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("The companies read it in their letters; it is published with the results."),
        error_messages={"required": _("Give the reason for not awarding the prize.")},
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "withhold-%s")
        super().__init__(*args, **kwargs)


class ReviewForm(forms.Form):
    """Accept a delivered deliverable, or send it back with what must be improved."""

    ACCEPT = "accept"
    SEND_BACK = "send_back"

    outcome = forms.ChoiceField(
        label=_("Your review"),
        choices=[(ACCEPT, _("Accept")), (SEND_BACK, _("Send back for improvement"))],
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose whether to accept the deliverable.")},
    )
    remarks = forms.CharField(
        label=_("Remarks"),
        required=False,
        max_length=MAX_MOTIVATION_LENGTH,
        help_text=_("Required when you send it back: the company reads what must be improved."),
        widget=forms.Textarea(attrs={"rows": 6}),
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "review-%s")
        super().__init__(*args, **kwargs)
        self.fields["outcome"].template_name = FIELDSET_TEMPLATE

    @property
    def accepts(self) -> bool:
        return self.cleaned_data.get("outcome") == self.ACCEPT


class PhaseDeadlineForm(forms.Form):
    deadline = forms.DateTimeField(
        label=_("Deadline for proposals"),
        help_text=_("Date and time in Europe/Amsterdam."),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
    )


class ContractEndForm(forms.Form):
    """Complete a contract, or terminate it early with a reason; unpaid money is released."""

    COMPLETE = "complete"
    TERMINATE = "terminate"

    outcome = forms.ChoiceField(
        label=_("How does the contract end?"),
        choices=[
            (COMPLETE, _("Completed: the work is done")),
            (TERMINATE, _("Terminated early")),
        ],
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose how the contract ends.")},
    )
    reason = forms.CharField(
        label=_("Reason"),
        required=False,
        max_length=400,
        help_text=_("Required when you terminate: it is recorded with the release of the money."),
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "end-%s")
        super().__init__(*args, **kwargs)
        self.fields["outcome"].template_name = FIELDSET_TEMPLATE

    @property
    def terminates(self) -> bool:
        return self.cleaned_data.get("outcome") == self.TERMINATE


def _member_label(seat: CommitteeMember) -> str:
    return seat.user.full_name or seat.user.email


class DeputyChairForm(forms.Form):
    """The officer designates the deputy chair (or none)."""

    member = forms.ModelChoiceField(
        label=_("Deputy chair"),
        queryset=CommitteeMember.objects.none(),
        required=False,
        empty_label=_("No deputy chair"),
        help_text=_(
            "Presides instead of the chair over the proposals on which the chair declared a "
            "conflict of interest: their consensus scores and their place in the selection."
        ),
        error_messages={"invalid_choice": _("Choose a member of this committee.")},
    )

    def __init__(self, *args, committee: Committee, **kwargs):
        kwargs.setdefault("auto_id", "deputy-%s")
        kwargs.setdefault("initial", {"member": committee.deputy_chair_id})
        super().__init__(*args, **kwargs)
        field = self.fields["member"]
        field.queryset = (
            committee.members.active()
            .filter(role=CommitteeMember.Role.MEMBER)
            .select_related("user")
            .order_by("pk")
        )
        field.label_from_instance = _member_label


REASON_MAX = 2000


class MemberRemoveForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"),
        max_length=REASON_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Kept in the audit trail and in the committee's advice."),
        error_messages={"required": _("Give the reason for removing this member.")},
    )


class AssignmentWithdrawForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"),
        max_length=REASON_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Kept in the audit trail and in the committee's advice."),
        error_messages={"required": _("Give the reason for withdrawing this assignment.")},
    )
    reassign_to = forms.ModelChoiceField(
        label=_("Give the proposal to"),
        queryset=CommitteeMember.objects.none(),
        required=False,
        empty_label=_("Nobody (only withdraw)"),
        error_messages={"invalid_choice": _("Choose a member of this committee.")},
    )

    def __init__(self, *args, assignment: Assignment, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["reassign_to"]
        field.queryset = (
            assignment.member.committee.members.active()
            .exclude(pk=assignment.member_id)
            .select_related("user")
            .order_by("role", "pk")
        )
        field.label_from_instance = _member_label
