"""Reporting's answers to the calls app's signals. Connected in ReportingConfig.ready."""

from .models import Notice
from .selectors.notices import competition_notice, takes_notices
from .services.notices import notice_prepare


def prepare_competition_notice(sender, *, call, actor, **kwargs) -> None:
    """A published SBIR or innovation partnership gets its contract notice, ready to check."""
    if takes_notices(call) and competition_notice(call) is None:
        notice_prepare(call=call, kind=Notice.Kind.COMPETITION, actor=actor)


def prepare_change_notice(sender, *, call, amendment, actor, **kwargs) -> None:
    """An amendment of a call with a contract notice gets a change notice."""
    if takes_notices(call) and competition_notice(call) is not None:
        notice_prepare(call=call, kind=Notice.Kind.CHANGE, actor=actor, amendment=amendment)
