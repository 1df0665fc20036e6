"""Forms of the clarification Q&A: a company's question, an officer's answer."""

from django import forms
from django.utils.translation import gettext_lazy as _

from ..models import ClarificationQuestion

MAX_QUESTION_LENGTH = 5000
MAX_ANSWER_LENGTH = 20000


class AskQuestionForm(forms.Form):
    """The question a company asks; its ids are the same on the call's page and on its own."""

    text = forms.CharField(
        label=_("Your question"),
        max_length=MAX_QUESTION_LENGTH,
        help_text=_(
            "The question and its answer are published for everyone, without your name or "
            "your company's name."
        ),
        error_messages={"required": _("Write your question.")},
        widget=forms.Textarea(attrs={"rows": 6}),
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "clarification-%s")
        super().__init__(*args, **kwargs)


class AnswerForm(forms.Form):
    """An officer's answer and the anonymised wording of the question, one form per question."""

    public_text = forms.CharField(
        label=_("Question as published"),
        max_length=MAX_QUESTION_LENGTH,
        help_text=_(
            "Everyone will read this wording. Remove the names of companies, people and "
            "products that would reveal who asked."
        ),
        error_messages={"required": _("Write the question as it will be published.")},
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    answer = forms.CharField(
        label=_("Answer"),
        max_length=MAX_ANSWER_LENGTH,
        error_messages={"required": _("Write the answer.")},
        widget=forms.Textarea(attrs={"rows": 6}),
    )

    @staticmethod
    def prefix_for(question: ClarificationQuestion) -> str:
        return f"question-{question.pk}"

    @classmethod
    def for_question(cls, question: ClarificationQuestion, data=None) -> "AnswerForm":
        """Bound to `data` when given; else prefilled with the answer or the original text."""
        return cls(
            data,
            prefix=cls.prefix_for(question),
            initial={
                "public_text": question.public_text or question.text,
                "answer": question.answer,
            },
        )
