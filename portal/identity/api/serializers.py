from rest_framework import serializers

from ..models import ApiToken


class ApiTokenSerializer(serializers.ModelSerializer):
    """A token as its owner sees it; the key itself is never shown again."""

    is_live = serializers.BooleanField(read_only=True)
    # Empty while the token lives: the schema says so (a read-only model field would not).
    revoke_reason = serializers.ChoiceField(
        choices=ApiToken.RevokeReason.choices, allow_blank=True, read_only=True
    )

    class Meta:
        model = ApiToken
        fields = [
            "id",
            "name",
            "scope",
            "prefix",
            "created_at",
            "expires_at",
            "last_used_at",
            "revoked_at",
            "revoke_reason",
            "is_live",
        ]
        read_only_fields = fields
