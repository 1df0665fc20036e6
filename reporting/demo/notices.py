"""Demo notices: each published SBIR and innovation partnership has its contract notice (the
open ones got it when they were published; the historical ones get it here), and each call
with final awards its contract award notice. Idempotent."""

from calls.models import Call

from ..models import Notice
from ..selectors.notices import competition_notice, final_awards, result_notice, takes_notices
from ..services.notices import notice_prepare


def load() -> str:
    made = 0
    for call in Call.objects.exclude(status=Call.Status.DRAFT).filter(
        publication_date__isnull=False
    ):
        if not takes_notices(call):
            continue
        if competition_notice(call) is None:
            notice_prepare(call=call, kind=Notice.Kind.COMPETITION, actor=None)
            made += 1
        if result_notice(call) is None and final_awards(call):
            notice_prepare(call=call, kind=Notice.Kind.RESULT, actor=None)
            made += 1
    return f"{made} notices prepared"
