"""Forms of objections: the company lodges one, the officer answers it."""

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from ..models import Objection
from ..services.objections import MAX_DOCUMENTS
from .officer import FIELDSET_TEMPLATE


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one field; each is checked and scanned by the service."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": ".pdf"}))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(item, initial) for item in data if item]
        return [single(data, initial)] if data else []


class ObjectionForm(forms.Form):
    text = forms.CharField(
        label=_("Your objection"),
        help_text=_(
            "What is wrong with the intended decision, and why. The authority answers with "
            "reasons; while your objection is open, no contract is concluded in this phase."
        ),
        max_length=Objection.TEXT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 10}),
    )
    documents = MultipleFileField(label=_("Documents (PDF)"), required=False)

    def __init__(self, *args, under_awb: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if under_awb:
            # A final decision under the Awb (a prize): no contract waits; it stays in force.
            self.fields["text"].help_text = _(
                "What is wrong with the decision, and why. The authority answers with "
                "reasons; the decision stays in force while your objection is handled."
            )
        self.fields["documents"].help_text = _(
            "Optional: at most %(n)d PDF files of at most %(mb)d MB each."
        ) % {"n": MAX_DOCUMENTS, "mb": settings.UPLOAD_MAX_SIZE // (1024 * 1024)}


class ObjectionAnswerForm(forms.Form):
    DISMISS, UPHOLD, REASSESS = "dismiss", "uphold", "reassess"
    outcome = forms.ChoiceField(
        label=_("Answer"),
        choices=[
            (DISMISS, _("Dismiss: the decision stands")),
            (
                UPHOLD,
                _(
                    "Uphold, new decision by the officer: the phase's intended decisions are "
                    "withdrawn and you decide again on the existing advice"
                ),
            ),
            (
                REASSESS,
                _(
                    "Uphold, reassessment by the committee: the phase's intended decisions are "
                    "withdrawn, the chosen proposals' assessments are reopened with your "
                    "reasons, and you decide again after the committee's new advice"
                ),
            ),
        ],
        widget=forms.RadioSelect,
    )
    answer = forms.CharField(
        label=_("Reasons"),
        help_text=_(
            "The company receives them by e-mail; they are kept with the objection. With a "
            "reassessment the committee reads them too."
        ),
        widget=forms.Textarea(attrs={"rows": 8}),
    )
    reassess = forms.ModelMultipleChoiceField(
        label=_("Proposals the committee reassesses"),
        help_text=_("Only with a reassessment. The objecting company's proposal is chosen."),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, proposals, objecting, revokes=False, **kwargs):
        super().__init__(*args, **kwargs)
        if revokes:
            # A final prize decision under the Awb: upheld, it is revoked alone.
            self.fields["outcome"].choices = [  # type: ignore[attr-defined]
                (self.DISMISS, _("Dismiss: the decision stands")),
                (
                    self.UPHOLD,
                    _(
                        "Uphold, new decision by the officer: the decision on this entry is "
                        "revoked (art. 7:11 Awb) and you decide on it again"
                    ),
                ),
                (
                    self.REASSESS,
                    _(
                        "Uphold, reassessment by the jury: the decision on this entry is "
                        "revoked, the jury reassesses the entry with your reasons, and you "
                        "decide again after its new advice"
                    ),
                ),
            ]
        # The choices as a group with its legend, styled as the portal's other radios.
        self.fields["outcome"].template_name = FIELDSET_TEMPLATE
        field = self.fields["reassess"]
        field.template_name = FIELDSET_TEMPLATE
        field.queryset = proposals
        field.label_from_instance = lambda proposal: (
            f"{proposal.submission_number} – {proposal.company.name} · {proposal.title}"
        )
        field.initial = [objecting.pk]
        if not proposals.exists():
            # No proposal of the phase awaits a decision (the decisions are final): the
            # committee has nothing to reassess, so neither the choice nor the empty list.
            outcome = self.fields["outcome"]
            outcome.choices = [c for c in outcome.choices if c[0] != self.REASSESS]  # type: ignore[attr-defined]
            del self.fields["reassess"]

    @property
    def follow_up(self) -> str:
        if self.cleaned_data["outcome"] == self.REASSESS:
            return Objection.FollowUp.REASSESSMENT
        return Objection.FollowUp.NEW_DECISION


class SelectionObjectionForm(forms.Form):
    text = forms.CharField(
        label=_("Your objection"),
        help_text=_(
            "What is wrong with the selection, and why. The authority answers with reasons; "
            "while your objection is open, the tender stage does not open."
        ),
        max_length=Objection.TEXT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 10}),
    )


class SelectionObjectionAnswerForm(forms.Form):
    DISMISS, UPHOLD = "dismiss", "uphold"
    outcome = forms.ChoiceField(
        label=_("Answer"),
        choices=[
            (DISMISS, _("Dismiss: the selection stands")),
            (UPHOLD, _("Uphold: take the selection back and select again")),
        ],
        widget=forms.RadioSelect,
    )
    answer = forms.CharField(
        label=_("Reasons"),
        help_text=_("The candidate reads them on the page of its request to participate."),
        widget=forms.Textarea(attrs={"rows": 8}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["outcome"].template_name = FIELDSET_TEMPLATE
