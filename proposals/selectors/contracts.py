"""Reads of contracts and their deliverables, for companies and officers."""

from django.db.models import QuerySet

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
