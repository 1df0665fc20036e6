"""Reads of contracts and their deliverables, for companies and officers."""

from django.db.models import Exists, OuterRef, Prefetch, QuerySet

from portal.models import Membership, Role

from ..models import Contract, Deliverable


def deliverables_due_for_company_member(user) -> QuerySet[Deliverable]:
    companies = Membership.objects.filter(user=user, role=Role.APPLICANT).values("organisation_id")
    return Deliverable.objects.filter(
        contract__proposal__company_id__in=companies,
        status__in=[Deliverable.Status.PENDING, Deliverable.Status.REJECTED],
    ).select_related("contract__proposal__call")


def deliverables_to_review_for_officer(user) -> QuerySet[Deliverable]:
    authorities = Membership.objects.filter(user=user, role=Role.PROCUREMENT_OFFICER).values(
        "organisation_id"
    )
    return Deliverable.objects.filter(
        contract__proposal__call__authority_id__in=authorities,
        status=Deliverable.Status.DELIVERED,
    ).select_related("contract__proposal__call", "contract__proposal__company")


def contracts_for_officer(user) -> QuerySet[Contract]:
    authorities = Membership.objects.filter(user=user, role=Role.PROCUREMENT_OFFICER).values(
        "organisation_id"
    )
    return Contract.objects.filter(proposal__call__authority_id__in=authorities).select_related(
        "proposal__call", "proposal__company", "proposal__phase"
    )


def contracts_for_officer_with_milestones(user) -> QuerySet[Contract]:
    """The officer's contracts, newest first, each with its milestones in order and whether
    one of them waits for a review (``to_review``)."""
    to_review = Deliverable.objects.filter(
        contract=OuterRef("pk"), status=Deliverable.Status.DELIVERED
    )
    return (
        contracts_for_officer(user)
        .annotate(to_review=Exists(to_review))
        .prefetch_related(
            Prefetch("deliverables", queryset=Deliverable.objects.order_by("due_date", "pk"))
        )
        .order_by("-created_at", "-pk")
    )


def deliverables_with_contract() -> QuerySet[Deliverable]:
    return Deliverable.objects.select_related(
        "contract__proposal__call__authority",
        "contract__proposal__company",
        "contract__proposal__phase",
    )


def contracts_with_proposal() -> QuerySet[Contract]:
    return Contract.objects.select_related(
        "proposal__call__authority", "proposal__company", "proposal__phase"
    )


def contract_of(proposal) -> Contract | None:
    return Contract.objects.filter(proposal=proposal).first()


def contract_with_milestones(proposal) -> Contract | None:
    """The proposal's contract, with its milestones in order."""
    return (
        Contract.objects.filter(proposal=proposal)
        .prefetch_related(
            Prefetch("deliverables", queryset=Deliverable.objects.order_by("due_date", "pk"))
        )
        .first()
    )
