"""Reads of calls shared by the public pages, the officer pages, the API and the feed."""

from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVectorField
from django.db import connection
from django.db.models import Case, Count, F, Prefetch, Q, QuerySet, When
from django.db.models.expressions import Expression
from django.utils import timezone

from portal.models import Membership, Role

from ..models import Call, ClarificationQuestion, Criterion, Phase


def calls_public() -> QuerySet[Call]:
    """Every call the public may see, ready for a list page: all that were ever published (a
    draft cancelled before publication never was)."""
    return (
        Call.objects.exclude(status=Call.Status.DRAFT)
        .exclude(publication_date__isnull=True)
        .select_related("authority")
        .prefetch_related("missions")
    )


# What a call in a list shows (the API's CallSummarySerializer): the long texts stay behind.
SUMMARY_FIELDS = (
    "id", "created_at", "title", "title_en", "instrument", "status", "total_budget",
    "publication_date", "deadline", "authority__id", "authority__name",
)  # fmt: skip


def calls_public_summaries() -> QuerySet[Call]:
    """The public calls with only the fields a list shows; their missions come per page from
    ``mission_codes_of`` (one query of plain values, no Mission instances)."""
    return (
        Call.objects.exclude(status=Call.Status.DRAFT)
        .exclude(publication_date__isnull=True)
        .select_related("authority")
        .only(*SUMMARY_FIELDS)
    )


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


def calls_managed_by(user) -> QuerySet[Call]:
    """The calls of the authorities this person is a procurement officer of, drafts included."""
    authorities = Membership.objects.filter(user=user, role=Role.PROCUREMENT_OFFICER).values(
        "organisation_id"
    )
    return (
        Call.objects.filter(authority_id__in=authorities)
        .select_related("authority")
        .prefetch_related("missions")
        .annotate(
            open_questions=Count(
                "clarification_questions",
                filter=Q(clarification_questions__status=ClarificationQuestion.Status.ASKED),
                distinct=True,
            )
        )
    )


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


def call_detail(queryset: QuerySet[Call]) -> QuerySet[Call]:
    """Everything a call's page shows, in a fixed number of queries."""
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
        Prefetch(
            "clarification_questions",
            queryset=ClarificationQuestion.objects.filter(
                status=ClarificationQuestion.Status.PUBLISHED
            ).select_related("release"),
            to_attr="published_clarifications",
        ),
        "clarification_releases",
    )
