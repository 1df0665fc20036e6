"""Innovation partnership, stage 1: reads about the selection criteria, exclusion grounds,
the candidates' self-declarations and the outcome of the selection."""

from dataclasses import dataclass, field

from django.db.models import Prefetch, QuerySet

from ..models import (
    Call,
    CriterionAnswer,
    ExclusionAnswer,
    ExclusionGround,
    ParticipationRequest,
    SelectionCriterion,
)

Status = ParticipationRequest.Status


def selection_criteria_of(call: Call) -> QuerySet[SelectionCriterion]:
    return SelectionCriterion.objects.filter(call=call).order_by("order", "pk")


def exclusion_grounds_of(call: Call) -> QuerySet[ExclusionGround]:
    return ExclusionGround.objects.filter(call=call).order_by("order", "pk")


def with_declaration(
    queryset: QuerySet[ParticipationRequest],
) -> QuerySet[ParticipationRequest]:
    """Requests with their answers (and what they answer) in two extra queries."""
    return queryset.prefetch_related(
        Prefetch(
            "exclusion_answers",
            queryset=ExclusionAnswer.objects.select_related("ground").order_by(
                "ground__order", "ground_id"
            ),
        ),
        Prefetch(
            "criterion_answers",
            queryset=CriterionAnswer.objects.select_related("criterion").order_by(
                "criterion__order", "criterion_id"
            ),
        ),
    )


def qualifying_requests(call: Call) -> QuerySet[ParticipationRequest]:
    """The decided requests that are not excluded and meet every minimum level."""
    failed = CriterionAnswer.objects.filter(meets=False).values("request_id")
    return call.participation_requests.filter(
        status__in=[Status.SELECTED, Status.REJECTED]
    ).exclude(pk__in=failed)


@dataclass
class SelectionOutcome:
    """What a candidate is told once the selection is final (the letter's content)."""

    request: ParticipationRequest
    invited: bool
    excluded: bool
    motivation: str
    # (ground, the candidate's explanation, the officer's decision, its reason) per "yes"
    exclusions: list[ExclusionAnswer] = field(default_factory=list)
    # every criterion with the candidate's figures, meets or not, and the reason
    criteria: list[CriterionAnswer] = field(default_factory=list)
    fewer_invitations_reason: str = ""


def selection_outcome(request: ParticipationRequest) -> SelectionOutcome | None:
    """The outcome with its reasons, once the invitations are sent; None before."""
    request = with_declaration(
        ParticipationRequest.objects.filter(pk=request.pk).select_related("call")
    ).get()
    call = request.call
    if call.invitations_sent_at is None or request.status == Status.WITHDRAWN:
        return None
    return SelectionOutcome(
        request=request,
        invited=request.is_invited,
        excluded=request.is_excluded,
        motivation=request.decision_motivation,
        exclusions=[answer for answer in request.exclusion_answers.all() if answer.applies],
        criteria=list(request.criterion_answers.all()),
        fewer_invitations_reason=call.fewer_invitations_reason,
    )
