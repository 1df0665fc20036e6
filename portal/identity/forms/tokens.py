from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from ..models import ApiToken


def _validity_choices() -> list[tuple[int, str]]:
    days = sorted({30, settings.API_TOKEN_DEFAULT_DAYS, 180, settings.API_TOKEN_MAX_DAYS})
    return [(d, _("%(days)s days") % {"days": d}) for d in days if d <= settings.API_TOKEN_MAX_DAYS]


class ApiTokenForm(forms.Form):
    name = forms.CharField(
        label=_("Name"),
        max_length=100,
        help_text=_("What uses the token, e.g. “bid management system”."),
    )
    scope = forms.ChoiceField(
        label=_("May the token change data?"),
        choices=ApiToken.Scope.choices,
        initial=ApiToken.Scope.READ,
    )
    days = forms.TypedChoiceField(label=_("Valid for"), coerce=int, choices=_validity_choices)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["days"].initial = settings.API_TOKEN_DEFAULT_DAYS
