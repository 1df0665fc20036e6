from django.shortcuts import redirect
from django.urls import reverse

from .selectors.identity import email_confirmation_pending

# What someone whose address is not yet confirmed may still reach.
EXEMPT_URL_NAMES = (
    "identity:email_unconfirmed",
    "identity:email_confirm_resend",
    "logout",
    "set_language",
)


class EmailConfirmationRequiredMiddleware:
    """An account can act only once its owner proved the e-mail address is theirs.

    Someone who registered logs in, but until they follow the link in the e-mail every page
    (and the API with their session) sends them to the page that explains and re-sends it.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if user.is_authenticated and not self._exempt(request) and email_confirmation_pending(user):
            if request.path.startswith("/api/"):
                from django.http import JsonResponse
                from django.utils.translation import gettext as _

                return JsonResponse({"detail": _("Confirm your e-mail address first.")}, status=403)
            return redirect("identity:email_unconfirmed")
        return self.get_response(request)

    @staticmethod
    def _exempt(request) -> bool:
        if request.path.startswith(("/static/", "/media/", "/i18n/", "/account/confirm/")):
            return True
        return request.path in {reverse(name) for name in EXEMPT_URL_NAMES}
