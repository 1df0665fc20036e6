"""What every app's forms build on: the form renderer (NL Design System markup) and the
base of list filters.
"""

import re
from collections.abc import Iterable
from decimal import Decimal

from django import forms
from django.forms.renderers import TemplatesSetting
from django.utils.functional import lazy
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _


class PortalFormRenderer(TemplatesSetting):
    """Renders every form with the NL Design System markup in templates/forms/."""

    form_template_name = "forms/form.html"
    field_template_name = "forms/field.html"


class FilterForm(forms.Form):
    """A form that narrows a list. Every field of it is optional, so no field is marked
    "(optional)": the marker would be noise on each one."""

    marks_optional_fields = False


ID_PATTERN = re.compile(r"[0-9]{1,18}")


def parse_id(value) -> int | None:
    """A database id from a request parameter, or None for anything else.

    Only ASCII digits: ``str.isdigit()`` also says yes to "²" and "٣", which ``int()`` then
    refuses (or reads as another number).
    """
    if isinstance(value, str) and ID_PATTERN.fullmatch(value):
        return int(value)
    return None


class SuggestingTextInput(forms.TextInput):
    """A text field with suggestions the server chose (``suggestions``: value and label
    pairs), as an HTML datalist: the browser offers them while typing, without JavaScript.
    For filters that choose among thousands (authorities, calls) instead of a select."""

    def __init__(self, attrs=None):
        super().__init__(attrs)
        # Value and label pairs: a list, or Suggestions read when the field is rendered.
        self.suggestions: Iterable[tuple[str, str]] = []

    def render(self, name, value, attrs=None, renderer=None):
        list_id = f"{(attrs or {}).get('id') or name}-suggestions"
        html = super().render(name, value, {**(attrs or {}), "list": list_id}, renderer)
        options = format_html_join(
            "", '<option value="{}">{}</option>', ((v, label) for v, label in self.suggestions)
        )
        return html + format_html('<datalist id="{}">{}</datalist>', list_id, options)


class Suggestions:
    """The suggestions of a field, read from the database only when the field is rendered."""

    def __init__(self, read):
        self.read = read

    def __iter__(self):
        return iter(self.read())


class SuggestedChoiceField(forms.CharField):
    """One record among thousands, typed instead of picked from a select of every one.

    The text may be the record's id, its reference (``reference``: a pattern whose first group
    is the id, e.g. ``IL-2026-00042``) or its name (``name_field``: the whole name, or a part
    that only one record has). The widget offers the ``limit`` records whose name holds what
    was typed last (or the first ones) as a datalist: the browser suggests them while typing,
    without JavaScript. ``queryset`` is set by the form, like a ModelChoiceField's. Cleans to
    the record, or None when empty.
    """

    widget = SuggestingTextInput

    def __init__(
        self,
        *,
        name_field: str,
        reference: re.Pattern | None = None,
        limit: int = 20,
        value_of=None,
        label_of=None,
        queryset=None,
        **kwargs,
    ):
        kwargs.setdefault("max_length", 200)
        super().__init__(**kwargs)
        self.name_field = name_field
        self.reference = reference
        self.limit = limit
        self.value_of = value_of or (lambda record: str(getattr(record, name_field)))
        self.label_of = label_of or (lambda record: "")
        self.queryset = queryset
        self.typed = ""
        self.widget.suggestions = Suggestions(self.suggestions)

    def __deepcopy__(self, memo):
        copied = super().__deepcopy__(memo)
        copied.widget.suggestions = Suggestions(copied.suggestions)
        return copied

    def suggestions(self) -> list[tuple[str, str]]:
        if self.queryset is None:
            return []
        records = list((self.containing(self.typed) if self.typed else self.queryset)[: self.limit])
        if self.typed and not records:
            records = list(self.queryset[: self.limit])
        return [(self.value_of(record), self.label_of(record)) for record in records]

    def _by_id(self, text: str):
        if ID_PATTERN.fullmatch(text):
            return self.queryset.filter(pk=int(text))
        if self.reference is not None:
            found = self.reference.match(text.upper())
            if found:
                return self.queryset.filter(pk=int(found.group(1)))
        return None

    def containing(self, text: str):
        """What to suggest for this text: the record it names by id or reference, else those
        whose name holds it."""
        by_id = self._by_id(text)
        if by_id is not None:
            return by_id
        return self.queryset.filter(**{f"{self.name_field}__icontains": text})

    def matching(self, text: str):
        """The records this text names: by id, by reference, or by (a part of) the name."""
        by_id = self._by_id(text)
        if by_id is not None:
            return by_id
        exact = self.queryset.filter(**{f"{self.name_field}__iexact": text})
        if exact.exists():
            return exact
        return self.queryset.filter(**{f"{self.name_field}__icontains": text})

    def prepare_value(self, value):
        if hasattr(value, "pk"):
            return self.value_of(value)
        if isinstance(value, int):
            record = self.queryset.filter(pk=value).first() if self.queryset is not None else None
            return self.value_of(record) if record is not None else str(value)
        return value

    def clean(self, value):
        text = (super().clean(value) or "").strip()
        self.typed = text
        if not text:
            return None
        found = list(self.matching(text)[:2])
        if len(found) != 1:
            raise forms.ValidationError(
                self.error_messages["ambiguous" if found else "invalid_choice"],
                code="ambiguous" if found else "invalid_choice",
            )
        return found[0]

    default_error_messages = {
        "invalid_choice": _("Nothing matches: type a part of the name and pick a suggestion."),
        "ambiguous": _("More than one matches: type more of the name or pick a suggestion."),
    }


class SuggestingTextInputs(SuggestingTextInput):
    """``count`` text fields of one name sharing one list of suggestions (a few choices among
    thousands); posted as a list, like a multiple select."""

    def __init__(self, attrs=None, count: int = 5):
        super().__init__(attrs)
        self.count = count

    def value_from_datadict(self, data, files, name):
        getter = getattr(data, "getlist", None)
        values = getter(name) if getter else data.get(name)
        if values is None:
            return []
        return [values] if isinstance(values, str) else list(values)

    def value_omitted_from_data(self, data, files, name):
        return name not in data

    def render(self, name, value, attrs=None, renderer=None):
        attrs = attrs or {}
        base_id = attrs.get("id") or name
        list_id = f"{base_id}-suggestions"
        values = list(value or []) if not isinstance(value, str) else [value]
        values += [""] * (self.count - len(values))
        html = []
        for index, item in enumerate(values):
            item_attrs = {**attrs, "id": base_id if index == 0 else f"{base_id}-{index}"}
            if index:
                item_attrs["aria-label"] = _("%(n)d. choice") % {"n": index + 1}
            html.append(
                forms.TextInput.render(self, name, item, {**item_attrs, "list": list_id}, renderer)
            )
        options = format_html_join(
            "", '<option value="{}">{}</option>', ((v, label) for v, label in self.suggestions)
        )
        return format_html(
            "{}{}",
            format_html_join("", "{}", ((part,) for part in html)),
            format_html('<datalist id="{}">{}</datalist>', list_id, options),
        )


class SuggestedMultipleChoiceField(SuggestedChoiceField):
    """A few records among thousands, each typed in a field of its own (see
    SuggestedChoiceField); cleans to the list of records, without repeats."""

    widget = SuggestingTextInputs

    def to_python(self, value):
        return [str(item).strip() for item in (value or []) if str(item).strip()]

    def prepare_value(self, value):
        if isinstance(value, list | tuple):
            return [SuggestedChoiceField.prepare_value(self, item) for item in value]
        return SuggestedChoiceField.prepare_value(self, value)

    def validate(self, value):
        if self.required and not value:
            raise forms.ValidationError(self.error_messages["required"], code="required")

    def run_validators(self, value):
        """Each text is checked by its own length (max_length), not the list."""

    def clean(self, value):
        texts = self.to_python(value)
        self.validate(texts)
        self.typed = texts[-1] if texts else ""
        records = []
        for text in texts:
            found = list(self.matching(text)[:2])
            if len(found) != 1:
                code = "ambiguous" if found else "invalid_choice"
                raise forms.ValidationError(
                    format_html("{}: {}", text, self.error_messages[code]), code=code
                )
            if found[0] not in records:
                records.append(found[0])
        return records


def _at_least(minimum: Decimal) -> str:
    from portal.templatetags.portal import euro

    return gettext("Give an amount of at least %(minimum)s.") % {"minimum": euro(minimum)}


def at_least_amount(minimum: Decimal) -> str:
    """The error of an amount below ``minimum`` in the reader's notation (€ 0,01 in Dutch),
    made when it is shown; Django's own message would read "0.01" on a Dutch page."""
    return lazy(_at_least, str)(minimum)
