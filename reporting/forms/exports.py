"""The form that asks for an export: which data, in which file format."""

from django import forms
from django.utils.translation import gettext_lazy as _

from ..models import Export


class ExportForm(forms.Form):
    kind = forms.ChoiceField(label=_("Data"), widget=forms.RadioSelect)
    file_format = forms.ChoiceField(
        label=_("Format"),
        choices=Export.Format.choices,
        initial=Export.Format.XLSX,
        widget=forms.RadioSelect,
    )

    def __init__(self, *args, kinds: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        labels = dict(Export.Kind.choices)
        self.fields["kind"].choices = [(kind, labels[kind]) for kind in kinds]
        if kinds:
            self.fields["kind"].initial = kinds[0]
