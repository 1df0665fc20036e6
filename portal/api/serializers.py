from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from ..models import Membership, Organisation, User
from ..nuts import NUTS_CHOICES


class OrganisationSerializer(serializers.ModelSerializer):
    # Empty for a company or a review body, as for an authority without a website: the schema
    # says so (schemathesis found "" refused by the model's choices and URL format).
    authority_tier = serializers.ChoiceField(
        choices=Organisation.AuthorityTier.choices, allow_blank=True, read_only=True
    )
    website = serializers.CharField(
        read_only=True, help_text=_("The organisation's website, or empty.")
    )
    # The address and region its procurement notices state (empty when not entered).
    nuts_code = serializers.ChoiceField(
        choices=NUTS_CHOICES,
        allow_blank=True,
        read_only=True,
        help_text=_("Region of the address: a NUTS 2024 code of level 3, e.g. NL350."),
    )

    class Meta:
        model = Organisation
        fields = [
            "id",
            "name",
            "kind",
            "authority_tier",
            "website",
            "street_address",
            "postal_code",
            "city",
            "nuts_code",
            "telephone",
        ]
        read_only_fields = fields


class MembershipSerializer(serializers.ModelSerializer):
    organisation = OrganisationSerializer(read_only=True)

    class Meta:
        model = Membership
        fields = ["organisation", "role", "team_role"]


class MeSerializer(serializers.ModelSerializer):
    memberships = MembershipSerializer(many=True, read_only=True)

    class Meta:
        model = User
        fields = ["id", "email", "full_name", "is_staff", "memberships"]
