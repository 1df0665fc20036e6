"""Forms of objections: the company lodges one, the officer answers it."""

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from ..models import Objection
from ..services.objections import MAX_DOCUMENTS


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

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["documents"].help_text = _(
            "Optional: at most %(n)d PDF files of at most %(mb)d MB each."
        ) % {"n": MAX_DOCUMENTS, "mb": settings.UPLOAD_MAX_SIZE // (1024 * 1024)}


class ObjectionAnswerForm(forms.Form):
    DISMISS, UPHOLD = "dismiss", "uphold"
    outcome = forms.ChoiceField(
        label=_("Answer"),
        choices=[
            (DISMISS, _("Dismiss: the decision stands")),
            (UPHOLD, _("Uphold: withdraw the phase's intended decisions and decide again")),
        ],
        widget=forms.RadioSelect,
    )
    answer = forms.CharField(
        label=_("Reasons"),
        help_text=_("The company receives them by e-mail; they are kept with the objection."),
        widget=forms.Textarea(attrs={"rows": 8}),
    )


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
