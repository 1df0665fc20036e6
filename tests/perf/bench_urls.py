"""The throughput benchmark's URLconf: the product's URLs plus two hand-written baselines.

Each baseline answers the same page (25 rows), fields and envelope as its API list, with
``.values()`` and a JsonResponse: the most a Django view can do without a serializer.
"""

from django.core.serializers.json import DjangoJSONEncoder
from django.http import JsonResponse
from django.urls import include, path
from django.utils.text import slugify

PAGE_SIZE = 25


def _envelope(request, count: int, page: int, results: list) -> JsonResponse:
    def link(number):
        return request.build_absolute_uri(f"{request.path}?page={number}")

    last = max((count + PAGE_SIZE - 1) // PAGE_SIZE, 1)
    data = {
        "count": count,
        "next": link(page + 1) if page < last else None,
        "previous": link(page - 1) if page > 1 else None,
        "results": results,
    }
    return JsonResponse(data, encoder=DjangoJSONEncoder)


def _page(request) -> int:
    value = request.GET.get("page", "1")
    return int(value) if value.isdigit() and int(value) > 0 else 1


def calls_values(request):
    from calls.models import Call

    page = _page(request)
    calls = Call.objects.exclude(status=Call.Status.DRAFT).exclude(publication_date__isnull=True)
    count = calls.count()
    rows = list(
        calls.order_by("deadline", "pk").values(
            "id", "created_at", "title", "title_en", "authority_id", "authority__name",
            "instrument", "status", "total_budget", "publication_date", "deadline",
        )[(page - 1) * PAGE_SIZE : page * PAGE_SIZE]
    )  # fmt: skip
    missions: dict[int, list[str]] = {}
    for call_id, code in (
        Call.missions.through.objects.filter(call_id__in=[row["id"] for row in rows])
        .order_by("mission__order")
        .values_list("call_id", "mission__code")
    ):
        missions.setdefault(call_id, []).append(code)
    base = request.build_absolute_uri("/calls/")
    results = [
        {
            "id": row["id"],
            "reference": f"IL-{row['created_at'].year}-{row['id']:05d}",
            "url": f"{base}{row['id']}-{slugify(row['title'])[:60] or 'call'}/",
            "title": row["title"],
            "title_en": row["title_en"],
            "authority": {"id": row["authority_id"], "name": row["authority__name"]},
            "instrument": row["instrument"],
            "status": row["status"],
            "missions": missions.get(row["id"], []),
            "total_budget": row["total_budget"],
            "publication_date": row["publication_date"],
            "deadline": row["deadline"],
        }
        for row in rows
    ]
    return _envelope(request, count, page, results)


def proposals_values(request):
    from portal.identity.api.authentication import ApiTokenAuthentication
    from portal.models import Membership, Role
    from proposals.models import Proposal

    user, _token = ApiTokenAuthentication().authenticate(request) or (None, None)
    if user is None:
        return JsonResponse({"detail": "no token"}, status=401)
    page = _page(request)
    authorities = Membership.objects.filter(user=user, role=Role.PROCUREMENT_OFFICER).values(
        "organisation_id"
    )
    # The same rows as the API: sealed until the phase's deadline (the model's one rule).
    proposals = (
        Proposal.objects.opened()
        .filter(call__authority_id__in=authorities)
        .exclude(status=Proposal.Status.DRAFT)
    )
    count = proposals.count()
    rows = proposals.order_by("-created_at", "-pk").values(
        "id", "title", "status", "requested_amount", "submission_number", "submitted_at",
        "decided_at", "call_id", "call__created_at", "call__title", "call__authority__name",
        "call__blind_assessment", "call__deadline", "phase_id", "phase__order", "phase__kind",
        "phase__name", "phase__deadline", "company_id", "company__name", "company__kvk_number",
        "company__country", "company__verified_at",
    )[(page - 1) * PAGE_SIZE : page * PAGE_SIZE]  # fmt: skip
    base = request.build_absolute_uri("/proposals/")
    results = [
        {
            "id": row["id"],
            "url": f"{base}{row['id']}/",
            "title": row["title"],
            "status": row["status"],
            "call": {
                "id": row["call_id"],
                "reference": f"IL-{row['call__created_at'].year}-{row['call_id']:05d}",
                "title": row["call__title"],
                "authority": row["call__authority__name"],
                "blind_assessment": row["call__blind_assessment"],
            },
            "phase": {
                "id": row["phase_id"],
                "order": row["phase__order"],
                "kind": row["phase__kind"],
                "name": row["phase__name"],
                "deadline": row["phase__deadline"]
                or (row["call__deadline"] if row["phase__order"] == 1 else None),
            },
            "company": {
                "id": row["company_id"],
                "name": row["company__name"],
                "kvk_number": row["company__kvk_number"],
                "country": row["company__country"],
                "verified": row["company__verified_at"] is not None,
            },
            "requested_amount": row["requested_amount"],
            "submission_number": row["submission_number"],
            "submitted_at": row["submitted_at"],
            "decided_at": row["decided_at"],
        }
        for row in rows
    ]
    return _envelope(request, count, page, results)


urlpatterns = [
    path("bench/values/calls/", calls_values),
    path("bench/values/proposals/", proposals_values),
    path("", include("portal.urls")),
]
