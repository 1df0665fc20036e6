"""The one root error for business rules. Views turn it into a form error or HTTP 4xx."""

from django.utils.translation import gettext_lazy as _
from django_stubs_ext import StrOrPromise


class DomainError(Exception):
    """A business rule refused the action; ``message`` is shown to the person."""

    status_code = 400

    def __init__(self, message: StrOrPromise, *, code: str = "invalid"):
        super().__init__(message)
        self.message = message
        self.code = code


class NotAllowed(DomainError):
    """The actor may not do this to this object."""

    status_code = 403

    def __init__(self, message: StrOrPromise | None = None, *, code: str = "not_allowed"):
        super().__init__(message or _("You are not allowed to do this."), code=code)


class IllegalTransition(DomainError):
    """A state machine refused to move from one status to another."""

    status_code = 409

    def __init__(self, *, model: StrOrPromise, from_state: StrOrPromise, to_state: StrOrPromise):
        super().__init__(
            _("A %(model)s cannot go from “%(from)s” to “%(to)s”.")
            % {"model": model, "from": from_state, "to": to_state},
            code="illegal_transition",
        )
        self.from_state = from_state
        self.to_state = to_state
