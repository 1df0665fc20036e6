"""API tokens on the account page: create (shown once), list, revoke."""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views import View

from portal.exceptions import DomainError

from ..forms.tokens import ApiTokenForm
from ..models import ApiToken
from ..selectors.identity import api_tokens_of
from ..services.tokens import api_token_create, api_token_revoke, second_factor_required_for_tokens


def token_context(request, form: ApiTokenForm | None = None) -> dict:
    user = request.user
    return {
        "api_tokens": api_tokens_of(user),
        "api_token_form": form or ApiTokenForm(),
        "api_token_needs_second_factor": second_factor_required_for_tokens(user)
        and not user.is_verified(),
    }


class ApiTokenCreateView(LoginRequiredMixin, View):
    def get(self, request):
        return render(request, "identity/api_tokens.html", token_context(request))

    def post(self, request):
        form = ApiTokenForm(request.POST)
        if not form.is_valid():
            return render(
                request, "identity/api_tokens.html", token_context(request, form), status=400
            )
        try:
            token, key = api_token_create(
                actor=request.user,
                name=form.cleaned_data["name"],
                scope=form.cleaned_data["scope"],
                days=form.cleaned_data["days"],
                second_factor_verified=request.user.is_verified(),
            )
        except DomainError as error:
            form.add_error(None, error.message)
            return render(
                request,
                "identity/api_tokens.html",
                token_context(request, form),
                status=error.status_code,
            )
        return render(request, "identity/api_token_created.html", {"token": token, "key": key})


class ApiTokenRevokeView(LoginRequiredMixin, View):
    def post(self, request, pk: int):
        token = get_object_or_404(ApiToken, pk=pk, user=request.user)
        api_token_revoke(token=token, actor=request.user)
        messages.success(request, _("The token “%(name)s” is revoked.") % {"name": token.name})
        return redirect("identity:api_tokens")
