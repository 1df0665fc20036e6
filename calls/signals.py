"""What calls tells the apps built on it, without importing them.

Sent inside the sending service's database transaction with `send` (not `send_robust`): a
receiver that raises a DomainError refuses the step, and the whole step is rolled back.
"""

from django.dispatch import Signal

# The call's trajectory stops: it was completed or cancelled. Arguments: call, actor, reason.
# proposals refuses while contracts still run; funding releases what EZK still holds for it.
call_ended = Signal()

# The call was published (its publication date is set). Arguments: call, actor.
# reporting prepares the competition notice for TenderNed and TED.
call_published = Signal()

# A published call was amended. Arguments: call, amendment, actor.
# reporting prepares a change notice.
call_amended = Signal()
