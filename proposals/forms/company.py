"""Forms of the company's proposal pages: starting, the draft with its questions and files.

The draft form validates each field on its own, so that a page can store every valid field
even when another one is wrong; completeness is only checked when submitting.
"""

import re
from decimal import Decimal

from django import forms
from django.conf import settings
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from calls.models import Question, RequiredDocument
from portal.forms.base import at_least_amount
from portal.money import MONEY_DIGITS
from portal.templatetags.portal import euro

from ..models import Attachment, Proposal
from ..services.submission import EDITABLE_FIELDS, FILE_QUESTION_TYPES

YES, NO = "yes", "no"
GROUPED = {".": re.compile(r"-?\d{1,3}(\.\d{3})+"), ",": re.compile(r"-?\d{1,3}(,\d{3})+")}


def decimal_mark(language: str | None = None) -> str:
    """The decimal mark of the language: a comma in Dutch, a point in English."""
    return "." if (language or get_language() or "nl").startswith("en") else ","


def normalise_number(text: str, language: str | None = None) -> str:
    """Read a number as people type it: "€ 20.000,50" or "20000,50" in Dutch, "20,000.50"
    in English; a lone point or comma is the decimal mark unless it groups thousands."""
    value = re.sub(r"[€\s\u00a0\u202f_]", "", text)
    if "," in value and "." in value:
        mark = "," if value.rfind(",") > value.rfind(".") else "."
        other = "." if mark == "," else ","
        return value.replace(other, "").replace(mark, ".")
    thousands = "." if decimal_mark(language) == "," else ","
    if thousands in value and GROUPED[thousands].fullmatch(value):
        return value.replace(thousands, "")
    return value.replace(",", ".")


class LenientDecimalField(forms.DecimalField):
    """A Decimal typed in a text box, in the notation of the page's language (never a float).

    A stored value is shown with the same decimal mark, without grouping, so that it reads
    back as the same number.
    """

    def __init__(self, **kwargs):
        kwargs.setdefault(
            "widget", forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"})
        )
        super().__init__(**kwargs)

    def to_python(self, value):
        if isinstance(value, str):
            value = normalise_number(value)
        return super().to_python(value)

    def prepare_value(self, value):
        if isinstance(value, Decimal):
            return f"{value:f}".replace(".", decimal_mark())
        return value


def _max_upload_mb() -> int:
    return settings.UPLOAD_MAX_SIZE // (1024 * 1024)


def _textarea(rows: int = 6) -> forms.Textarea:
    return forms.Textarea(attrs={"rows": rows})


class SubmissionForm(forms.Form):
    """The declaration a company accepts when it submits; its label is the call's own text."""

    declaration = forms.BooleanField(
        error_messages={"required": _("Tick the declaration to submit your proposal.")},
    )

    def __init__(self, *args, text: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["declaration"].label = text


class ProposalStartForm(forms.Form):
    title = forms.CharField(
        label=_("Working title of your proposal"),
        max_length=200,
        required=False,
        help_text=_("You can change it later. Left empty, the title of the call is used."),
    )


class ProposalDraftForm(forms.Form):
    """The standard fields, the call's own questions (q_<id>) and the documents (doc_<id>)."""

    title = forms.CharField(label=_("Title"), max_length=200)
    summary = forms.CharField(
        max_length=Proposal.TEXT_MAX_LENGTH["summary"],
        label=_("Summary"),
        required=False,
        widget=_textarea(5),
        help_text=_("What you propose and what it solves, in a few sentences."),
    )
    approach = forms.CharField(
        max_length=Proposal.TEXT_MAX_LENGTH["approach"],
        label=_("Approach"),
        required=False,
        widget=_textarea(),
        help_text=_("How you will do it: method, steps and risks."),
    )
    team = forms.CharField(
        max_length=Proposal.TEXT_MAX_LENGTH["team"],
        label=_("Team"),
        required=False,
        widget=_textarea(4),
        help_text=_("Who does the work and what they bring."),
    )
    planning = forms.CharField(
        max_length=Proposal.TEXT_MAX_LENGTH["planning"],
        label=_("Planning"),
        required=False,
        widget=_textarea(4),
        help_text=_("Milestones and when they are reached."),
    )
    requested_amount = LenientDecimalField(
        label=_("Requested amount (€)"),
        required=False,
        **MONEY_DIGITS,
        min_value=Decimal("0.01"),
        error_messages={"min_value": at_least_amount(Decimal("0.01"))},
    )
    consortium_partners = forms.CharField(
        max_length=Proposal.TEXT_MAX_LENGTH["consortium_partners"],
        label=_("Consortium partners"),
        required=False,
        widget=_textarea(3),
        help_text=Proposal._meta.get_field("consortium_partners").help_text,
    )
    subcontracting = forms.ChoiceField(
        label=_("Will you subcontract part of the work?"),
        required=False,
        choices=[("", "—"), *Proposal._meta.get_field("subcontracting").choices],
        help_text=_("The contracting authority reports this when it awards the contract."),
    )
    subcontracting_share = LenientDecimalField(
        label=_("Share subcontracted (%)"),
        required=False,
        max_digits=4,
        decimal_places=1,
        min_value=Decimal("0.1"),
        max_value=Decimal("100"),
        help_text=Proposal._meta.get_field("subcontracting_share").help_text,
    )

    # Shown without "(optional)": needed to submit, though a draft may leave them empty.
    NEEDED_TO_SUBMIT = ("title", "summary", "approach", "team", "planning", "requested_amount")

    def __init__(
        self,
        *args,
        proposal: Proposal,
        questions: list[Question],
        documents: list[RequiredDocument],
        **kwargs,
    ):
        self.proposal = proposal
        self.questions = questions
        self.documents = documents
        initial = {name: getattr(proposal, name) for name in EDITABLE_FIELDS}
        self.stored_answers = {
            entry["question"]["id"]: entry.get("answer")
            for entry in proposal.answers or []
            if isinstance(entry, dict) and entry.get("question", {}).get("id")
        }
        by_id = {question.pk: question for question in questions}
        for question_id, answer in self.stored_answers.items():
            initial[f"q_{question_id}"] = _initial_answer(by_id.get(question_id), answer)
        super().__init__(*args, initial=initial, **kwargs)
        if proposal.call.is_contest:
            del self.fields["requested_amount"]  # an entry wins a prize; it asks no amount
        else:
            self.fields["requested_amount"].help_text = _(
                "In euro, excluding VAT; at most %(max)s per award."
            ) % {"max": euro(proposal.phase.max_per_award)}
        if not proposal.call.consortium_allowed:
            del self.fields["consortium_partners"]  # this call takes no consortia
        for name in self.NEEDED_TO_SUBMIT:
            if name in self.fields:
                self.fields[name].needed = True
        # In the order of the page, so that the error summary follows it too.
        for name, limit in Proposal.TEXT_MAX_LENGTH.items():
            if name in self.fields:
                _say_limit(self.fields[name], limit)
        for question in questions:
            if question.kind != Question.Kind.FILE:
                self.fields[f"q_{question.pk}"] = _question_field(question)
        for document in documents:
            self.fields[f"doc_{document.pk}"] = _file_field(
                label=document.name, description=document.description, allowed=("pdf",)
            )
            self.fields[f"doc_{document.pk}"].needed = True
        for question in questions:
            if question.kind == Question.Kind.FILE:
                self.fields[f"q_{question.pk}"] = _question_field(question)

    # --- groups for the template -------------------------------------------------------------

    def content_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in EDITABLE_FIELDS if name in self.fields]

    def question_fields(self) -> list[forms.BoundField]:
        return [
            self[f"q_{question.pk}"]
            for question in self.questions
            if question.kind != Question.Kind.FILE
        ]

    def file_rows(self, attachments: list[Attachment]) -> list[dict]:
        """Each document asked for: its file input and what is uploaded now."""
        by_document = {a.required_document_id: a for a in attachments if a.required_document_id}
        by_question = {a.question_id: a for a in attachments if a.question_id}
        rows = [
            {"field": self[f"doc_{document.pk}"], "current": by_document.get(document.pk)}
            for document in self.documents
        ]
        rows += [
            {"field": self[f"q_{question.pk}"], "current": by_question.get(question.pk)}
            for question in self.questions
            if question.kind == Question.Kind.FILE
        ]
        return rows

    def make_read_only(self) -> None:
        """Show what is there (or what was typed) without letting it be changed."""
        for field in self.fields.values():
            widget = field.widget
            if isinstance(widget, forms.TextInput | forms.Textarea):
                widget.attrs["readonly"] = True
            else:
                widget.attrs["disabled"] = True

    # --- what to store -----------------------------------------------------------------------

    def valid_fields(self) -> dict:
        """The standard fields that passed validation, to be stored even if others did not."""
        return {
            name: self.cleaned_data[name] for name in EDITABLE_FIELDS if name in self.cleaned_data
        }

    def answers(self) -> dict[int, object]:
        """Answers to store: the valid ones typed now; an invalid one keeps its stored value."""
        answers = dict(self.stored_answers)
        for question in self.questions:
            name = f"q_{question.pk}"
            if question.kind == Question.Kind.FILE or name not in self.cleaned_data:
                continue
            answers[question.pk] = _stored_answer(question, self.cleaned_data[name])
        return answers

    def uploads(self) -> list[tuple[str, object, RequiredDocument | None, Question | None]]:
        """(field name, upload, required document, file question) for each file chosen."""
        chosen = []
        for document in self.documents:
            name = f"doc_{document.pk}"
            if self.cleaned_data.get(name):
                chosen.append((name, self.cleaned_data[name], document, None))
        for question in self.questions:
            name = f"q_{question.pk}"
            if question.kind == Question.Kind.FILE and self.cleaned_data.get(name):
                chosen.append((name, self.cleaned_data[name], None, question))
        return chosen

    def label_of(self, name: str) -> str:
        return str(self.fields[name].label)


def _question_field(question: Question) -> forms.Field:
    common = {"label": question.text, "help_text": question.help_text, "required": False}
    if question.kind == Question.Kind.NUMBER:
        field = LenientDecimalField(max_digits=20, decimal_places=4, **common)
    elif question.kind == Question.Kind.YES_NO:
        field = forms.ChoiceField(
            choices=[(YES, _("Yes")), (NO, _("No"))], widget=forms.RadioSelect, **common
        )
    elif question.kind == Question.Kind.CHOICE:
        field = forms.ChoiceField(
            choices=[("", _("Choose…"))] + [(choice, choice) for choice in question.choice_list],
            **common,
        )
    elif question.kind == Question.Kind.FILE:
        field = _file_field(
            label=question.text, description=question.help_text, allowed=FILE_QUESTION_TYPES
        )
    else:
        field = forms.CharField(
            widget=_textarea(4), max_length=Proposal.ANSWER_MAX_LENGTH, **common
        )
        _say_limit(field, Proposal.ANSWER_MAX_LENGTH)
    field.needed = question.required
    return field


def _say_limit(field: forms.Field, limit: int) -> None:
    """The field's help text says how many characters it takes."""
    said = _("At most %(count)s characters.") % {"count": limit}
    field.help_text = f"{field.help_text} {said}".strip()


def _file_field(*, label: str, description: str, allowed: tuple[str, ...]) -> forms.FileField:
    types = ", ".join(f".{extension}" for extension in allowed)
    limits = _("Accepted: %(types)s, at most %(mb)d MB.") % {"types": types, "mb": _max_upload_mb()}
    return forms.FileField(
        label=label,
        required=False,
        help_text=f"{description} {limits}".strip(),
        widget=forms.FileInput(attrs={"accept": ",".join(f".{a}" for a in allowed)}),
    )


def _initial_answer(question: Question | None, answer):
    if answer is True:
        return YES
    if answer is False:
        return NO
    if question is not None and question.kind == Question.Kind.NUMBER and answer:
        try:
            return Decimal(str(answer))
        except ArithmeticError:
            return answer
    return answer


def _stored_answer(question: Question, value):
    """An answer as the proposal stores it: yes/no as a boolean, a number as a Decimal."""
    if value in (None, ""):
        return None
    if question.kind == Question.Kind.YES_NO:
        return value == YES
    if isinstance(value, str):
        return value.strip() or None
    return value


class DeliverableForm(forms.Form):
    file = forms.FileField(
        label=_("The deliverable (PDF)"),
        widget=forms.FileInput(attrs={"accept": ".pdf"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = _("A PDF of at most %(mb)d MB.") % {"mb": _max_upload_mb()}
