"""Full-text search of calls on PostgreSQL: a stored, generated vector with a GIN index that
the search query really uses; kept current by the database on every kind of write."""

import pytest
from django.db import connection
from django.urls import reverse

from calls.models import Call
from calls.selectors.calls import call_search, calls_public
from tests.concurrency import require_postgresql

from .factories import published_call

pytestmark = pytest.mark.django_db


def found(text: str) -> set[int]:
    return set(call_search(calls_public(), text).values_list("pk", flat=True))


def test_the_search_uses_the_gin_index():
    require_postgresql()
    published_call(title="Slimme dijken")
    # The search condition alone: the public list's other conditions (e.g. "published at
    # some point") may rightly be served by their own indexes.
    queryset = call_search(Call.objects.all(), "dijken")
    with connection.cursor() as cursor:
        # On a handful of rows the planner rightly prefers a scan; forbid scans that need no
        # index condition, to prove that the GIN index matches the query's expression.
        for setting in ("enable_seqscan", "enable_indexscan", "enable_indexonlyscan"):
            cursor.execute(f"SET LOCAL {setting} = off")
        plan = queryset.explain()
    assert "calls_call_search_vector_gin" in plan


def test_stemming_both_languages_and_the_generated_column_follows_every_write():
    require_postgresql()
    dikes = published_call(title="Slimme dijken", title_en="Smart dikes")
    other = published_call(title="Zorgrobots", challenge="Robots in de ouderenzorg.")
    assert found("dijk") == {dikes.pk}  # Dutch stemming
    assert found("dike") == {dikes.pk}  # English stemming of the English title
    assert found("ouderenzorg") == {other.pk}

    Call.objects.filter(pk=other.pk).update(challenge="Robots die dijken inspecteren.")
    assert found("dijken") == {dikes.pk, other.pk}
    # A title match weighs more than a challenge match.
    ranked = list(call_search(calls_public(), "dijken").values_list("pk", flat=True))
    assert ranked == [dikes.pk, other.pk]


def test_the_list_page_searches_on_both_databases(client):
    call = published_call(title="Slimme dijken")
    published_call(title="Zorgrobots")
    response = client.get(reverse("calls:list"), {"q": "dijken"})
    assert [c.pk for c in response.context["page_obj"]] == [call.pk]
