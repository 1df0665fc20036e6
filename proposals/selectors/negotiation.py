"""Reads of the negotiation of an innovation partnership's tenders.

A revised tender is sealed until its round's deadline: the officer's reads go through
``TenderVersion.objects.opened()`` and only for a round that has been opened; a company
reads only its own versions.
"""

from django.db.models import Count, Prefetch, QuerySet

from calls.models import Phase

from ..models import NegotiationRound, Proposal, TenderVersion


def rounds_of_phase(phase: Phase) -> QuerySet[NegotiationRound]:
    return (
        NegotiationRound.objects.filter(phase=phase)
        .annotate(tenderers=Count("recipients", distinct=True))
        .order_by("number")
    )


def round_with_phase(pk: int) -> NegotiationRound | None:
    return (
        NegotiationRound.objects.select_related("phase__call__authority", "sent_by")
        .prefetch_related("recipients__company")
        .filter(pk=pk)
        .first()
    )


def round_versions_for_officer(round_: NegotiationRound) -> list[TenderVersion]:
    """Every version of the round, once the round is opened; nothing while it is sealed."""
    if not round_.is_opened:
        return []
    return list(
        TenderVersion.objects.opened()
        .filter(round=round_)
        .select_related("proposal__company")
        .order_by("proposal__submission_number", "number")
    )


def rounds_for_tender(proposal: Proposal) -> list[NegotiationRound]:
    """The rounds sent to this tender, with the company's own versions in each."""
    return list(
        NegotiationRound.objects.filter(recipients=proposal)
        .prefetch_related(
            Prefetch(
                "versions",
                queryset=TenderVersion.objects.filter(proposal=proposal).order_by("number"),
                to_attr="own_versions",
            )
        )
        .order_by("number")
    )


def latest_versions(phase: Phase) -> dict[int, TenderVersion]:
    """Per proposal of the phase, its latest opened version (the final tender if any)."""
    latest: dict[int, TenderVersion] = {}
    for version in (
        TenderVersion.objects.opened()
        .filter(round__phase=phase, round__status=NegotiationRound.Status.OPENED)
        .order_by("round__number", "number")
    ):
        latest[version.proposal_id] = version
    return latest


def tender_versions_for_committee(proposal) -> tuple[TenderVersion | None, list[TenderVersion]]:
    """What the committee reads of a negotiated tender: the final tender (the latest opened
    version) and, when the call allows it, every opened version before it (oldest first)."""
    versions = list(
        TenderVersion.objects.opened()
        .filter(proposal=proposal, round__status=NegotiationRound.Status.OPENED)
        .select_related("round")
        .order_by("round__number", "number")
    )
    if not versions:
        return None, []
    final = versions[-1]
    history = versions[:-1] if proposal.call.committee_sees_tender_history else []
    return final, history


def version_of(pk: int) -> TenderVersion | None:
    return (
        TenderVersion.objects.select_related("round__phase__call", "proposal__company")
        .filter(pk=pk)
        .first()
    )


# --- The partnership's phases -----------------------------------------------------------------


def partnership_contracts(call_pk: int) -> QuerySet:
    """The partners' contracts of a call with their phase plans, targets and reports."""
    from ..models import Contract, InterimTarget, PhasePlan

    return (
        Contract.objects.filter(proposal__call_id=call_pk)
        .select_related("proposal__company", "proposal__phase")
        .prefetch_related(
            Prefetch(
                "phase_plans",
                queryset=PhasePlan.objects.select_related("phase").prefetch_related(
                    Prefetch(
                        "targets",
                        queryset=InterimTarget.objects.select_related("report"),
                    )
                ),
            )
        )
        .order_by("proposal__submission_number")
    )


def contract_with_plans(pk: int):
    from ..models import Contract

    return (
        Contract.objects.select_related("proposal__call__authority", "proposal__company")
        .prefetch_related("phase_plans__phase", "phase_plans__targets__report")
        .filter(pk=pk)
        .first()
    )


def plan_with_contract(pk: int):
    from ..models import PhasePlan

    return (
        PhasePlan.objects.select_related(
            "phase", "contract__proposal__call__authority", "contract__proposal__company"
        )
        .prefetch_related("targets__report")
        .filter(pk=pk)
        .first()
    )


def target_report_of(pk: int):
    from ..models import TargetReport

    return (
        TargetReport.objects.select_related(
            "target__plan__contract__proposal__call__authority",
            "target__plan__contract__proposal__company",
        )
        .filter(pk=pk)
        .first()
    )


def phases_of_call(call_pk: int) -> QuerySet[Phase]:
    return Phase.objects.filter(call_id=call_pk).order_by("order")


def proposal_with_call(pk: int) -> Proposal | None:
    return (
        Proposal.objects.select_related("call__authority", "phase", "company").filter(pk=pk).first()
    )


# --- What the API lists for one person --------------------------------------------------------


def _company_ids(user) -> set[int]:
    from portal.models import Role

    if not user.is_authenticated:
        return set()
    return set(
        user.memberships.filter(role=Role.APPLICANT).values_list("organisation_id", flat=True)
    )


def rounds_visible_to(user) -> QuerySet[NegotiationRound]:
    """Rounds of the calls this person runs, and rounds sent to their company's tenders."""
    from django.db.models import Q

    from calls.permissions import acting_authority_ids

    authorities = acting_authority_ids(user)
    companies = _company_ids(user)
    return (
        NegotiationRound.objects.filter(
            Q(phase__call__authority_id__in=authorities) | Q(recipients__company_id__in=companies)
        )
        .distinct()
        .select_related("phase__call")
        .order_by("phase_id", "number")
    )


def versions_of_company(round_: NegotiationRound, user) -> list[TenderVersion]:
    return list(
        TenderVersion.objects.filter(round=round_, proposal__company_id__in=_company_ids(user))
        .select_related("proposal__company")
        .order_by("proposal_id", "number")
    )


def plans_visible_to(user) -> QuerySet:
    """Phase plans of partnerships this person runs or is a partner in."""
    from django.db.models import Q

    from calls.permissions import acting_authority_ids

    from ..models import InterimTarget, PhasePlan

    return (
        PhasePlan.objects.filter(
            Q(contract__proposal__call__authority_id__in=acting_authority_ids(user))
            | Q(contract__proposal__company_id__in=_company_ids(user))
        )
        .select_related("phase", "contract__proposal__call", "contract__proposal__company")
        .prefetch_related(
            Prefetch("targets", queryset=InterimTarget.objects.select_related("report"))
        )
        .order_by("contract_id", "phase__order")
    )


def contract_for_plan(pk: int):
    from ..models import Contract

    return (
        Contract.objects.select_related("proposal__call", "proposal__phase").filter(pk=pk).first()
    )


def phase_by_pk(pk: int) -> Phase | None:
    return Phase.objects.select_related("call").filter(pk=pk).first()
