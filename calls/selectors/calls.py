"""Reads of calls shared by the public pages, the officer pages, the API and the feed."""

from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVectorField
from django.db import connection
from django.db.models import (
    Case,
    Count,
    F,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.expressions import Expression
from django.db.models.functions import Coalesce
from django.utils import timezone

from ..models import Call, ClarificationQuestion, Criterion, Follower, Mission, Phase, Prize
from ..models.call import REFERENCE


def calls_public() -> QuerySet[Call]:
    """Every call the public may see, ready for a list page: all that were ever published (a
    draft cancelled before publication never was)."""
    return (
        Call.objects.exclude(status=Call.Status.DRAFT)
        .exclude(publication_date__isnull=True)
        .select_related("authority")
        .prefetch_related("missions")
    )


# What a call in a list shows (the API's CallSummarySerializer), as plain values: the long
# texts stay behind, and no Call or Organisation instance is made for a row.
SUMMARY_VALUES = (
    "id", "created_at", "title", "title_en", "instrument", "status", "total_budget",
    "publication_date", "deadline", "authority_id", "authority__name",
)  # fmt: skip


def calls_public_listed() -> QuerySet[Call]:
    """The public calls for a list that reads them with ``call_summaries`` (nothing joined
    or prefetched here: the filters narrow this, the values fetch the rest)."""
    return Call.objects.exclude(status=Call.Status.DRAFT).exclude(publication_date__isnull=True)


def call_summaries(calls: QuerySet[Call], *extra: str) -> QuerySet:
    """The rows of a list of calls: ``SUMMARY_VALUES`` (and the ``extra`` annotations) of
    each, as dictionaries; their missions come per page from ``mission_codes_of``."""
    return calls.prefetch_related(None).values(*SUMMARY_VALUES, *extra)


def mission_codes_of(call_ids) -> dict[int, list[str]]:
    """Each call's mission codes in the missions' order, for a page of calls in one query."""
    codes: dict[int, list[str]] = {}
    rows = (
        Call.missions.through.objects.filter(call_id__in=list(call_ids))
        .order_by("mission__order", "mission_id")
        .values_list("call_id", "mission__code")
    )
    for call_id, code in rows:
        codes.setdefault(call_id, []).append(code)
    return codes


def calls_open_now() -> QuerySet[Call]:
    """The public calls a company can still take part in, the soonest to close first.

    Published, its deadline still ahead and its publication date not in the future. An
    innovation partnership is open to a new company only until its deadline for requests to
    participate (after that only the invited tender); `open_until` is the moment that counts.
    """
    now = timezone.now()
    partnership = Q(instrument=Call.Instrument.INNOVATION_PARTNERSHIP)
    return (
        calls_public()
        .filter(status=Call.Status.PUBLISHED, deadline__gt=now, publication_date__lte=now)
        .exclude(partnership & Q(participation_deadline__lte=now))
        .annotate(
            open_until=Case(
                When(partnership, then=F("participation_deadline")), default=F("deadline")
            )
        )
        .order_by("open_until", "pk")
    )


def calls_acted_for(user) -> QuerySet[Call]:
    """The calls of the authorities this person acts for (their own, and those that mandated
    their organisation, in general or call by call), drafts included; nothing annotated."""
    from ..permissions import _acting_for

    general, mandated = _acting_for(user) if user.is_authenticated else (set(), set())
    return Call.objects.filter(Q(authority_id__in=general) | Q(pk__in=mandated)).select_related(
        "authority", "agent"
    )


def calls_managed_by(user) -> QuerySet[Call]:
    """``calls_acted_for`` with their missions and their number of unanswered questions
    (``open_questions``, a subquery: meant for a few rows, not for filtering thousands)."""
    return (
        calls_acted_for(user)
        .prefetch_related("missions")
        .annotate(open_questions=open_questions_count())
    )


# What a row of the officer's list of calls shows (and its authority and agent, for the name).
LISTED_COLUMNS = (
    "pk", "title", "title_en", "created_at", "instrument", "status", "deadline",
    "authority_id", "agent_id", "authority__name", "agent__name",
)  # fmt: skip


def calls_managed_listed(
    user, *, search: str = "", status: str = "", instrument: str = "", order=("-created_at", "-pk")
) -> QuerySet[Call]:
    """The calls this person manages as their list shows them: only the columns a row shows,
    narrowed by a text (title or reference), status and instrument, in the order asked for.
    Without the count of open questions: ``with_open_questions`` adds it to a page."""
    calls = calls_acted_for(user).only(*LISTED_COLUMNS)
    if search:
        found = REFERENCE.match(search.upper())
        if found:
            calls = calls.filter(pk=int(found.group(1)))
        else:
            calls = calls.filter(Q(title__icontains=search) | Q(title_en__icontains=search))
    if status:
        calls = calls.filter(status=status)
    if instrument:
        calls = calls.filter(instrument=instrument)
    return calls.order_by(*order)


def managed_calls_with_open_questions(user) -> QuerySet[Call]:
    """The calls this person manages that have unanswered questions, with their number as
    ``open_questions``: a join from the questions (few calls have any), not a count per call."""
    asked = Q(clarification_questions__status=ClarificationQuestion.Status.ASKED)
    return (
        calls_acted_for(user)
        .filter(asked)
        .annotate(open_questions=Count("clarification_questions", filter=asked))
    )


def _open_questions_of(call_ids) -> dict[int, int]:
    return dict(
        ClarificationQuestion.objects.filter(
            call__in=list(call_ids), status=ClarificationQuestion.Status.ASKED
        )
        .order_by()
        .values("call")
        .annotate(n=Count("pk"))
        .values_list("call", "n")
    )


def with_open_questions(calls) -> list[Call]:
    """These calls (a page) with ``open_questions``, their unanswered clarification
    questions: one grouped query for the page, not a subquery per call the page skips."""
    calls = list(calls)
    counts = _open_questions_of(call.pk for call in calls)
    for call in calls:
        call.open_questions = counts.get(call.pk, 0)
    return calls


def summaries_with_open_questions(calls: QuerySet[Call]) -> list[dict]:
    """``call_summaries`` of a page of calls, each with its ``open_questions`` (see
    ``with_open_questions``): two queries for the page."""
    rows = list(call_summaries(calls))
    counts = _open_questions_of(row["id"] for row in rows)
    return [{**row, "open_questions": counts.get(row["id"], 0)} for row in rows]


def open_questions_count() -> Coalesce:
    """A call's unanswered clarification questions, as a subquery: counted for the rows read
    only (a page), where a join with a GROUP BY would count them for every call first."""
    asked = (
        ClarificationQuestion.objects.filter(
            call=OuterRef("pk"), status=ClarificationQuestion.Status.ASKED
        )
        .order_by()
        .values("call")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(asked), Value(0))


class StoredSearchVector(Expression):
    """PostgreSQL only: the call's generated ``search_vector`` column (migration 0006).

    The model does not declare the column, since SQLite cannot have it.
    """

    output_field = SearchVectorField()

    def as_sql(self, compiler, connection):
        table = compiler.quote_name_unless_alias(Call._meta.db_table)
        return f"{table}.{connection.ops.quote_name('search_vector')}", []


def call_search(queryset: QuerySet[Call], text: str) -> QuerySet[Call]:
    """Full-text search in title and challenge: PostgreSQL's Dutch stemming, else contains."""
    text = text.strip()
    if not text:
        return queryset
    if connection.vendor == "postgresql":
        query = SearchQuery(text, config="dutch", search_type="websearch") | SearchQuery(
            text, config="english", search_type="websearch"
        )
        # Match the stored, generated vector (title and challenge in Dutch and English,
        # titles weighing more); its GIN index serves the @@ match.
        return (
            queryset.annotate(search_vector=StoredSearchVector())
            .filter(search_vector=query)
            .annotate(search_rank=SearchRank(F("search_vector"), query))
            .order_by("-search_rank", "deadline")
        )
    words = text.split()
    for word in words:
        queryset = queryset.filter(
            Q(title__icontains=word)
            | Q(title_en__icontains=word)
            | Q(challenge__icontains=word)
            | Q(challenge_en__icontains=word)
        )
    return queryset


def call_detail(queryset: QuerySet[Call] | None = None) -> QuerySet[Call]:
    """Everything a call's page shows, in a fixed number of queries (of every call, or of
    those in ``queryset``)."""
    if queryset is None:
        queryset = Call.objects.all()
    return queryset.select_related("authority").prefetch_related(
        "missions",
        Prefetch(
            "phases",
            queryset=Phase.objects.prefetch_related(
                Prefetch("criteria", queryset=Criterion.objects.order_by("order")),
                "required_documents",
                "prizes",
            ),
        ),
        "documents",
        "amendments",
        "questions",
        "selection_criteria",
        "exclusion_grounds",
        Prefetch(
            "clarification_questions",
            queryset=ClarificationQuestion.objects.filter(
                status=ClarificationQuestion.Status.PUBLISHED
            ).select_related("release"),
            to_attr="published_clarifications",
        ),
        "clarification_releases",
    )


def calls_with_authority() -> QuerySet[Call]:
    """Every call, drafts included, with its authority (a page then checks who may see it)."""
    return Call.objects.select_related("authority")


def phases_with_call() -> QuerySet[Phase]:
    """Every phase, with its call and the call's authority."""
    return Phase.objects.select_related("call__authority")


def phases_of_published_calls() -> QuerySet[Phase]:
    """Phases of every call but drafts, with their call."""
    return Phase.objects.select_related("call").exclude(call__status=Call.Status.DRAFT)


def no_calls() -> QuerySet[Call]:
    return Call.objects.none()


def calls_not_draft() -> QuerySet[Call]:
    return Call.objects.exclude(status=Call.Status.DRAFT)


def calls_with_phases() -> QuerySet[Call]:
    """Every call with its authority and phases (the calendar of its deadlines)."""
    return Call.objects.select_related("authority").prefetch_related("phases")


def call_with_authority(pk: int) -> Call | None:
    return Call.objects.select_related("authority").filter(pk=pk).first()


def is_following(*, call: Call, user) -> bool:
    return Follower.objects.filter(call=call, user=user).exists()


def missions() -> QuerySet[Mission]:
    return Mission.objects.all()


def calls_of_authorities(authorities) -> QuerySet[Call]:
    """The calls of these authorities (a queryset or list of organisations), drafts included."""
    return Call.objects.filter(authority__in=authorities)


def prize_of_phase(*, phase_id: int, rank: int) -> Prize | None:
    """The phase's prize of this rank, if it has one."""
    return Prize.objects.filter(phase_id=phase_id, rank=rank).first()


def prizes_of_phase(phase_id: int) -> QuerySet[Prize]:
    return Prize.objects.filter(phase_id=phase_id).order_by("rank")
