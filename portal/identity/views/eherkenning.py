"""Logging in with eHerkenning: the real SAML flow, the mock for development, and the first
login of a new person."""

import logging

from django.conf import settings
from django.contrib import auth, messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View

from portal.exceptions import DomainError
from portal.views.account import safe_next_url

from ..eherkenning import AssertionProblem, EherkenningIdentity, identity_from_attributes
from ..forms.eherkenning import EherkenningDetailsForm, MockEherkenningForm
from ..services.companies import company_holding
from ..services.eherkenning import (
    SignIn,
    eherkenning_account_create,
    eherkenning_sign_in,
    identifier_of,
)

logger = logging.getLogger(__name__)

PENDING = "identity_eherkenning_pending"
NEXT = "identity_eherkenning_next"
PENDING_SECONDS = 15 * 60


def _mode() -> str:
    return settings.EHERKENNING_MODE


def _finish(request, identity: EherkenningIdentity, result: SignIn):
    user, company = result.user, result.company
    if user is None or company is None:  # a sign-in that still needs an account
        raise ValueError("Only a sign-in with a person and a company can finish.")
    if not (request.user.is_authenticated and request.user.pk == user.pk):
        auth.login(request, user, backend="django.contrib.auth.backends.ModelBackend")
    request.session["identity_eherkenning_loa"] = identity.level_of_assurance
    request.session.pop(PENDING, None)
    if result.claims:
        messages.success(
            request,
            _(
                "You proved that %(number)s is the number of %(company)s. The company that "
                "registered it earlier without proof no longer has it."
            )
            % {"number": result.claims[0].identifier, "company": company.name},
        )
    if result.verified_now:
        messages.success(
            request,
            _("%(company)s is verified with %(loa)s: it can submit proposals.")
            % {"company": company.name, "loa": identity.loa_label},
        )
    elif company.verified_at is None:
        messages.warning(
            request,
            _(
                "You logged in at level %(loa)s. To verify %(company)s, log in with "
                "eHerkenning at level EH3 or higher."
            )
            % {"company": company.name, "loa": identity.loa_label},
        )
    else:
        messages.success(request, _("You act for %(company)s.") % {"company": company.name})
    return redirect(request.session.pop(NEXT, None) or reverse("dashboard"))


def handle_identity(request, identity: EherkenningIdentity):
    """What both the SAML and the mock flow do with what the broker asserted."""
    current = request.user if request.user.is_authenticated else None
    try:
        result = eherkenning_sign_in(identity=identity, current_user=current)
    except DomainError as error:
        messages.error(request, error.message)
        return redirect("login")
    if result.needs_account:
        request.session[PENDING] = {
            "identity": identity.as_session(),
            "at": timezone.now().timestamp(),
        }
        return redirect("identity:eherkenning_details")
    return _finish(request, identity, result)


def _pending(request) -> EherkenningIdentity | None:
    pending = request.session.get(PENDING)
    if not pending or timezone.now().timestamp() - pending["at"] > PENDING_SECONDS:
        return None
    return EherkenningIdentity.from_session(pending["identity"])


class EherkenningLoginView(View):
    """Start: to the broker (SAML) or to the mock page (development)."""

    def get(self, request):
        next_url = safe_next_url(request, "")
        if next_url:
            request.session[NEXT] = next_url
        if _mode() == "mock":
            return redirect("identity:eherkenning_mock")
        if _mode() != "saml":
            raise Http404
        from .saml import saml_login_response

        return saml_login_response(request, eidas=request.GET.get("service") == "eidas")


class EherkenningMockView(View):
    """Stands in for the eHerkenning broker in development and the demo; 404 elsewhere."""

    template_name = "identity/eherkenning_mock.html"

    def dispatch(self, request, *args, **kwargs):
        if _mode() != "mock":
            raise Http404
        return super().dispatch(request, *args, **kwargs)

    def get(self, request):
        return render(request, self.template_name, {"form": MockEherkenningForm()})

    def post(self, request):
        form = MockEherkenningForm(request.POST)
        if not form.is_valid() or form.cleaned_data["identifier"] is None:
            return render(request, self.template_name, {"form": form}, status=400)
        data = form.cleaned_data
        identifier = data["identifier"]
        identity = EherkenningIdentity(
            acting_subject_id=f"mock:{data['acting_subject_id'].strip()}",
            level_of_assurance=data["level_of_assurance"],
            company_name=data.get("company_name", ""),
            country=identifier.country,
            kvk_number=identifier.kvk_number,
            vat_number=identifier.vat_number,
            euid=identifier.euid,
            via_eidas=not identifier.kvk_number,
        )
        return handle_identity(request, identity)


class EherkenningAcsView(View):
    """The assertion consumer service: the broker sends the person back with an artifact,
    which is resolved over the back channel (SOAP, signed) into the assertion."""

    def get(self, request):
        if _mode() != "saml":
            raise Http404
        from onelogin.saml2.errors import OneLogin_Saml2_Error, OneLogin_Saml2_ValidationError

        from .saml import resolve_artifact

        try:
            attributes, loa = resolve_artifact(request)
            identity = identity_from_attributes(attributes, level_of_assurance=loa)
        except OneLogin_Saml2_ValidationError as error:
            if error.code == OneLogin_Saml2_ValidationError.STATUS_CODE_AUTHNFAILED:
                messages.info(request, _("You cancelled logging in with eHerkenning."))
            else:
                logger.warning("eHerkenning assertion refused: %s", error)
                messages.error(
                    request, _("Logging in with eHerkenning did not succeed. Try again.")
                )
            return redirect("login")
        except (OneLogin_Saml2_Error, AssertionProblem, ValueError) as error:
            logger.warning("eHerkenning login failed: %s", error)
            messages.error(request, _("Logging in with eHerkenning did not succeed. Try again."))
            return redirect("login")
        return handle_identity(request, identity)


class EherkenningDetailsView(View):
    """A person's first eHerkenning login: their name and e-mail address (or their account)."""

    template_name = "identity/eherkenning_details.html"
    identity: EherkenningIdentity

    def dispatch(self, request, *args, **kwargs):
        identity = _pending(request)
        if identity is None:
            messages.error(request, _("Log in with eHerkenning again, please."))
            return redirect("login")
        self.identity = identity
        return super().dispatch(request, *args, **kwargs)

    def _form(self, data=None):
        # A name is needed only for a company that is made now (new, or taking a number back).
        holder = company_holding(identifier_of(self.identity))
        ask = not self.identity.company_name and (holder is None or holder.verified_at is None)
        return EherkenningDetailsForm(data, ask_company_name=ask)

    def _render(self, request, form, status=200):
        return render(
            request,
            self.template_name,
            {
                "form": form,
                "identity": self.identity,
                "login_url": f"{reverse('login')}?next={reverse('identity:eherkenning_link')}",
            },
            status=status,
        )

    def get(self, request):
        return self._render(request, self._form())

    def post(self, request):
        form = self._form(request.POST)
        if form.is_valid():
            try:
                result = eherkenning_account_create(
                    identity=self.identity,
                    full_name=form.cleaned_data["full_name"],
                    email=form.cleaned_data["email"],
                    company_name=form.cleaned_data.get("company_name", ""),
                )
            except DomainError as error:
                form.add_error("email" if error.code == "email" else None, error.message)
            else:
                return _finish(request, self.identity, result)
        return self._render(request, form, status=400)


class EherkenningLinkView(View):
    """After logging in with a password: link the pending eHerkenning login to the account."""

    identity: EherkenningIdentity

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect("login")
        identity = _pending(request)
        if identity is None:
            messages.error(request, _("Log in with eHerkenning again, please."))
            return redirect("dashboard")
        self.identity = identity
        return super().dispatch(request, *args, **kwargs)

    def get(self, request):
        return render(request, "identity/eherkenning_link.html", {"identity": self.identity})

    def post(self, request):
        return handle_identity(request, self.identity)


eherkenning_link = login_required(EherkenningLinkView.as_view())
