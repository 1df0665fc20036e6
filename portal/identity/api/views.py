"""The API of trusted identity: a person's own tokens (listing and revoking; creating one
needs the second factor on the account page)."""

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import generics, permissions
from rest_framework.response import Response
from rest_framework.views import APIView

from portal.api.views import AuditActorMixin
from portal.http import authenticated

from ..models import ApiToken
from ..selectors.identity import api_tokens_of, no_api_tokens
from ..services.tokens import api_token_revoke
from .serializers import ApiTokenSerializer


class ApiTokenList(generics.ListAPIView):
    """Your API tokens, live ones first, with when each was last used."""

    serializer_class = ApiTokenSerializer
    permission_classes = [permissions.IsAuthenticated]
    filterset_fields: list[str] = []
    ordering_fields = ["created_at", "expires_at", "last_used_at"]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # the OpenAPI schema has no user
            return no_api_tokens()
        return api_tokens_of(authenticated(self.request.user))


class ApiTokenRevoke(AuditActorMixin, APIView):
    """Revoke one of your tokens at once (also the one this request uses)."""

    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(request=None, responses=ApiTokenSerializer)
    def post(self, request, pk: int):
        token = get_object_or_404(ApiToken, pk=pk, user=request.user)
        token = api_token_revoke(token=token, actor=request.user)
        return Response(ApiTokenSerializer(token).data)
