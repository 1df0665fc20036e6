"""Who may see and do what with calls. Pages, API and tasks all ask these rules."""

import rules

from portal.models import Membership, Role
from portal.permissions import is_applicant, is_procurement_officer


def is_officer_of(user, authority_id: int) -> bool:
    if not user.is_authenticated:
        return False
    cache = getattr(user, "_officer_of", None)
    if cache is None:
        cache = set(
            Membership.objects.filter(user=user, role=Role.PROCUREMENT_OFFICER).values_list(
                "organisation_id", flat=True
            )
        )
        user._officer_of = cache
    return authority_id in cache


@rules.predicate
def manages_call(user, call) -> bool:
    return call is not None and is_officer_of(user, call.authority_id)


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
