"""Who may see and do what with calls. Pages, API and tasks all ask these rules.

Acting for an authority is decided here and only here: a procurement officer acts for the
organisation they work for, and for every authority that mandated that organisation (RVO runs
SBIR competitions for Rijkswaterstaat): in general, or for one call.
"""

import rules

from portal.models import Membership, Role
from portal.permissions import is_applicant, is_procurement_officer


def _acting_for(user) -> tuple[set[int], set[int]]:
    """(the authorities this officer acts for in general, the calls mandated one by one);
    read once per request and kept on the user."""
    cache = getattr(user, "_acting_for", None)
    if cache is None:
        from .models import Mandate

        own = set(
            Membership.objects.filter(user=user, role=Role.PROCUREMENT_OFFICER).values_list(
                "organisation_id", flat=True
            )
        )
        general, calls = set(own), set()
        if own:
            for principal, call in Mandate.objects.filter(
                agent__in=own, revoked_at__isnull=True
            ).values_list("principal_id", "call_id"):
                if call is None:
                    general.add(principal)
                else:
                    calls.add(call)
        cache = (general, calls)
        user._acting_for = cache
    return cache


def acting_authority_ids(user) -> set[int]:
    """The authorities whose calls this person may run: their own and those that mandated
    their organisation in general."""
    if not user.is_authenticated:
        return set()
    return _acting_for(user)[0]


def is_officer_of(user, authority_id: int) -> bool:
    """Acts for this authority: its own officer, or an officer of an organisation it mandated
    in general."""
    return authority_id in acting_authority_ids(user)


def is_directly_officer_of(user, authority_id: int) -> bool:
    """Works for the authority itself (grants mandates; a mandate is not passed on)."""
    return (
        user.is_authenticated
        and Membership.objects.filter(
            user=user, role=Role.PROCUREMENT_OFFICER, organisation_id=authority_id
        ).exists()
    )


@rules.predicate
def manages_call(user, call) -> bool:
    if call is None or not user.is_authenticated:
        return False
    general, calls = _acting_for(user)
    return call.authority_id in general or call.pk in calls


@rules.predicate
def call_is_public(user, call) -> bool:
    return call is not None and call.is_public


@rules.predicate
def call_accepts_questions(user, call) -> bool:
    return call is not None and call.accepts_questions


@rules.predicate
def call_takes_participation_requests(user, call) -> bool:
    from .selectors.participation import participation_open_problem

    return call is not None and participation_open_problem(call) is None


rules.add_perm("calls.view_call", call_is_public | manages_call)
rules.add_perm("calls.add_call", is_procurement_officer)
rules.add_perm("calls.manage_call", manages_call)
rules.add_perm("calls.ask_question", is_applicant & call_accepts_questions)
rules.add_perm("calls.follow_call", rules.is_authenticated & call_is_public)
rules.add_perm("calls.request_participation", is_applicant & call_takes_participation_requests)
