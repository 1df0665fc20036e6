from django.apps import AppConfig
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


class ProposalsConfig(AppConfig):
    name = "proposals"
    verbose_name = _("Proposals and assessment")

    def ready(self) -> None:
        from calls.signals import call_ended

        from . import (
            permissions,  # noqa: F401  (registers the rules)
            receivers,
        )

        call_ended.connect(receivers.refuse_while_contracts_run, dispatch_uid="proposals.ended")

    def navigation(self, user) -> list[dict]:
        """Header entries: a company's proposals, committee work, an officer's contracts."""
        from portal.models import Role
        from portal.selectors import roles_of

        from .models import CommitteeMember

        if not user.is_authenticated:
            return []
        roles = roles_of(user)
        items = []
        if Role.APPLICANT in roles:
            items.append({"label": _("My proposals"), "url": reverse("proposals:mine")})
        if roles & {Role.ASSESSOR, Role.COMMITTEE_CHAIR} or (
            CommitteeMember.objects.filter(user=user).exists()
        ):
            items.append({"label": _("Assessment"), "url": reverse("proposals:committee_home")})
        if Role.PROCUREMENT_OFFICER in roles:
            items.append({"label": _("Contracts"), "url": reverse("proposals:officer_contracts")})
        return items

    def requires_two_factor(self, user) -> bool:
        """A committee seat needs the second factor, also an independent expert's."""
        from .models import CommitteeMember

        return CommitteeMember.objects.filter(user=user).exists()

    def tasks_for(self, user) -> list[dict]:
        """What waits for this person, for the dashboard (calls' and proposals' tasks)."""
        from .tasks_dashboard import tasks_for

        return tasks_for(user)
