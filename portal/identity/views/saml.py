"""The real eHerkenning flow through django-digid-eherkenning (SAML, artifact binding)."""

from digid_eherkenning.exceptions import CertificateProblem
from digid_eherkenning.forms import SAML2Form
from digid_eherkenning.models import EherkenningConfiguration
from digid_eherkenning.saml2.eherkenning import eHerkenningClient
from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from lxml import etree
from onelogin.saml2.errors import OneLogin_Saml2_Error
from requests import RequestException

from ..eherkenning import AssertionProblem


def saml_login_response(request, *, eidas: bool):
    """A page that posts the signed AuthnRequest to the broker (a button without JavaScript;
    the package's script presses it otherwise)."""
    config = EherkenningConfiguration.get_solo()
    index = (
        config.eidas_attribute_consuming_service_index
        if eidas
        else config.eh_attribute_consuming_service_index
    )
    try:
        location, parameters = eHerkenningClient().create_authn_request(
            request, attr_consuming_service_index=index or None
        )
    except (CertificateProblem, OneLogin_Saml2_Error, ValueError, KeyError, OSError):
        messages.error(request, _("eHerkenning is not available right now. Try again later."))
        return redirect("login")
    form = SAML2Form(initial={"SAMLRequest": parameters["SAMLRequest"], "RelayState": ""})
    return render(request, "identity/eherkenning_post.html", {"url": location, "form": form})


def resolve_artifact(request) -> tuple[dict, str]:
    """The assertion's attributes and level of assurance, from the artifact in the URL.

    python3-saml raises its own errors for what it checks (signatures, audience, times), and
    plain ones (IndexError, XML errors) when the broker's answer lacks parts it assumes, e.g.
    an ArtifactResponse without a Response for an artifact used before.
    """
    try:
        response = eHerkenningClient().artifact_resolve(request, request.GET.get("SAMLart", ""))
        contexts = response.get_authn_contexts()
        return response.get_attributes(), (contexts[0] if contexts else "")
    except (IndexError, KeyError, AttributeError, etree.XMLSyntaxError, RequestException) as error:
        raise AssertionProblem(f"{type(error).__name__}: {error}") from error
