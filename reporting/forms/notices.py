"""What an officer fills in for a call's procurement notices."""

from django import forms

from calls.models import Call
from calls.services.lifecycle import PUBLICATION_FIELDS


class PublicationDetailsForm(forms.ModelForm):
    class Meta:
        model = Call
        fields = list(PUBLICATION_FIELDS)
