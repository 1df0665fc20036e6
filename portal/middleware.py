from django.http import JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from .selectors.identity import requires_two_factor

# What a half-logged-in person (password given, second factor not yet) may still reach.
EXEMPT_URL_NAMES = ("two_factor_verify", "two_factor_setup", "logout", "set_language")


class TwoFactorRequiredMiddleware:
    """Keep people whose role needs a second factor out until they have given it.

    Runs after django-otp's OTPMiddleware, which sets ``request.user.is_verified()``.
    A person who set up a device voluntarily is also asked for it at every login.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if user.is_authenticated and not user.is_verified() and not self._exempt(request):
            has_device = user.totpdevice_set.filter(confirmed=True).exists()
            if has_device or requires_two_factor(user):
                if request.path.startswith("/api/"):
                    return JsonResponse(
                        {
                            "code": "second_factor_required",
                            "detail": _("Two-factor authentication is required."),
                        },
                        status=403,
                    )
                target = "two_factor_verify" if has_device else "two_factor_setup"
                query = urlencode({"next": request.get_full_path()})
                return redirect(f"{reverse(target)}?{query}")
        return self.get_response(request)

    @staticmethod
    def _exempt(request) -> bool:
        if request.path.startswith(("/static/", "/media/")):
            return True
        exempt_paths = {reverse(name) for name in EXEMPT_URL_NAMES}
        return request.path in exempt_paths or request.path.startswith("/i18n/")
