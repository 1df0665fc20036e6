"""What calls tells the apps built on it, without importing them.

Sent inside the sending service's database transaction with `send` (not `send_robust`): a
receiver that raises a DomainError refuses the step, and the whole step is rolled back.
"""

from django.dispatch import Signal

# The call's trajectory stops: it was completed or cancelled. Arguments: call, actor, reason.
# proposals refuses while contracts still run; funding releases what EZK still holds for it.
call_ended = Signal()

# A call that had ended with the decisions on its first phase (awarded, or cancelled because
# none could be awarded) is under assessment again: a decision was revoked on objection.
# Arguments: call, actor, reason. reporting records an open data release.
call_assessment_resumed = Signal()

# Innovation partnership, stage 1: the invitations to tender went out and the selection is
# final. Arguments: call, actor, invited and not_invited (lists of ParticipationRequest; the
# not invited are excluded or not selected). The outcome with its reasons per criterion and
# per exclusion ground is in calls.selectors.selection.selection_outcome(request). The
# decisions app (issue 15) attaches the letter with reasons and the standstill here.
selection_decided = Signal()
# The call was published (its publication date is set). Arguments: call, actor.
# reporting prepares the competition notice for TenderNed and TED.
call_published = Signal()

# A published call was amended. Arguments: call, amendment, actor.
# reporting prepares a change notice.
call_amended = Signal()

# Answered questions were published for everyone (a nota van inlichtingen). Arguments: call,
# release (the ClarificationRelease), actor. reporting records an open data release.
clarifications_published = Signal()
