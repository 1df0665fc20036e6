"""Models of trusted identity. Organisation and Membership stay in portal.models."""

from .accounts import EmailConfirmation
from .company import CompanyVerification, IdentifierClaim, VerificationMethod
from .sso import EherkenningLink, IdentityProvider, IdentityProviderDevice
from .team import TeamInvitation
from .tokens import ApiToken

__all__ = [
    "ApiToken",
    "CompanyVerification",
    "EherkenningLink",
    "EmailConfirmation",
    "IdentifierClaim",
    "IdentityProvider",
    "IdentityProviderDevice",
    "TeamInvitation",
    "VerificationMethod",
]
