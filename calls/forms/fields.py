"""Form fields that choose a call or an organisation among thousands: a text field with the
server's suggestions (portal.forms.base.SuggestedChoiceField), never a select of every one."""

from portal.forms.base import SuggestedChoiceField

from ..models.call import REFERENCE


def call_field(**kwargs) -> SuggestedChoiceField:
    """A call by its reference (IL-2026-00042), its id or (a part of) its title."""
    kwargs.setdefault("help_text", "")
    return SuggestedChoiceField(
        name_field="title",
        reference=REFERENCE,
        value_of=lambda call: call.reference,
        label_of=lambda call: call.title,
        **kwargs,
    )


def organisation_field(**kwargs) -> SuggestedChoiceField:
    """An organisation by (a part of) its name, or its id."""
    return SuggestedChoiceField(name_field="name", **kwargs)
