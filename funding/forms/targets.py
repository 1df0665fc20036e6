"""The ministry's form for an authority target."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from calls.forms.fields import organisation_field
from portal.exceptions import DomainError
from portal.models import Organisation

from ..models import AuthorityTarget


class TargetForm(forms.ModelForm):
    """A target agreed with an authority; `target_add` decides whether it holds."""

    # A text field with the server's suggestions, not a select of thousands of authorities.
    authority = organisation_field(
        label=_("Contracting authority"), help_text=_("Part of the authority's name.")
    )

    class Meta:
        model = AuthorityTarget
        fields = ["authority", "year", "measure", "target", "procurement_budget"]
        labels = {"authority": _("Contracting authority")}
        help_texts = {
            "target": _(
                "In the unit of the measure: a share in percent (e.g. 2.5), a number of "
                "trajectories, or an amount in euros."
            ),
            "procurement_budget": _(
                "Only for a share: the authority's procurement budget in that year, in euros."
            ),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["authority"].queryset = Organisation.objects.filter(
            kind=Organisation.Kind.AUTHORITY
        ).order_by("name")
        for name in ("year", "target", "procurement_budget"):
            self.fields[name].widget.attrs["min"] = 2000 if name == "year" else 0

    def validate_unique(self):
        """The service refuses a duplicate with a clear message; no second check here."""

    def add_service_error(self, error: DomainError) -> None:
        """A refusal of the service on the field it names (its code), else on the form."""
        field = error.code if error.code in self.fields else None
        self.add_error(field, ValidationError(error.message, code=error.code))
