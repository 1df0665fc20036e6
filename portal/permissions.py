"""The one place that answers "may this person do X (to this object)?".

Rules are registered with django-rules; pages, templates (``{% if perms.app.rule %}``, see
``RulePerms``), DRF permission classes, services and Celery tasks all ask them through
``can``, never ``user.has_perm`` (which says yes to a superuser for everything). Each app
adds its own rules in its ``permissions.py``.
"""

import rules

from .models import Role
from .selectors.identity import roles_of


@rules.predicate
def is_portal_staff(user) -> bool:
    return bool(user.is_authenticated and user.is_active and user.is_staff)


def has_role(role: str):
    @rules.predicate(name=f"has_role:{role}")
    def predicate(user) -> bool:
        return role in roles_of(user)

    return predicate


is_procurement_officer = has_role(Role.PROCUREMENT_OFFICER)
is_applicant = has_role(Role.APPLICANT)
is_assessor = has_role(Role.ASSESSOR) | has_role(Role.COMMITTEE_CHAIR)
is_ministry_staff = has_role(Role.MINISTRY_STAFF)

rules.add_perm("portal.view_audit_trail", is_portal_staff)
rules.add_perm("portal.view_system_status", is_portal_staff)


def can(user, permission: str, obj=None) -> bool:
    """Ask a rule directly. Unlike ``user.has_perm`` this gives a superuser no blanket yes:
    services and views answer by the rules alone."""
    return rules.has_perm(permission, user, obj)


class _AppRules:
    def __init__(self, user, app_label: str):
        self.user, self.app_label = user, app_label

    def __getitem__(self, name: str) -> bool:
        return can(self.user, f"{self.app_label}.{name}")

    def __iter__(self):
        raise TypeError("rules cannot be listed")  # a template must name the rule it asks

    def __bool__(self) -> bool:
        return False  # "has any rule of this app" is no question a page should ask


class RulePerms:
    """``{{ perms.app.rule }}`` in templates, asking ``can`` (not ``user.has_perm``, which
    says yes to a superuser for everything)."""

    def __init__(self, user):
        self.user = user

    def __getitem__(self, app_label: str) -> _AppRules:
        return _AppRules(self.user, app_label)

    def __iter__(self):
        raise TypeError("rules cannot be listed")

    def __contains__(self, permission: str) -> bool:
        return "." in permission and can(self.user, permission)
