"""The form that asks for an export: which data, in which file format."""

from django import forms
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from ..models import Export


class ExportForm(forms.Form):
    marks_optional_fields = False  # the dialect has a default; nothing here is left empty

    kind = forms.ChoiceField(label=_("Data"), widget=forms.RadioSelect)
    file_format = forms.ChoiceField(
        label=_("Format"),
        choices=Export.Format.choices,
        initial=Export.Format.XLSX,
        widget=forms.RadioSelect,
    )
    csv_dialect = forms.ChoiceField(
        label=_("CSV separator and decimals"),
        choices=Export.CsvDialect.choices,
        widget=forms.RadioSelect,
        help_text=_("Only for CSV. Dutch Excel shows the Dutch kind in columns."),
        required=False,
    )

    def __init__(self, *args, kinds: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        # Dutch pages offer what Dutch Excel opens; English pages the international kind.
        dutch = (get_language() or "").startswith("nl")
        self.fields["csv_dialect"].initial = (
            Export.CsvDialect.DUTCH if dutch else Export.CsvDialect.INTERNATIONAL
        )
        labels = dict(Export.Kind.choices)
        self.fields["kind"].choices = [(kind, labels[kind]) for kind in kinds]
        if kinds:
            self.fields["kind"].initial = kinds[0]

    def clean_csv_dialect(self) -> str:
        # Left out (a script, an old bookmark): what the page's language would have offered.
        return self.cleaned_data["csv_dialect"] or self.fields["csv_dialect"].initial
