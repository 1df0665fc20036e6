"""Request types for the type checker."""

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest

from .models import User


class AuthenticatedHttpRequest(HttpRequest):
    """The request of a view that only signed-in people reach (``LoginRequiredMixin``,
    ``login_required``): its user is a person, never ``AnonymousUser``. A view declares it
    with ``request: AuthenticatedHttpRequest``; nothing changes at run time."""

    user: User


def authenticated(user: User | AnonymousUser) -> User:
    """The person of a request that requires one (a view's permission or mixin already
    refused anonymous visitors); refuses, rather than acting for nobody, if that was missed."""
    if not isinstance(user, User):
        raise PermissionDenied
    return user
