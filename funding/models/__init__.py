"""The budget ledger (ledger.py: funds, accounts, balanced transactions), EZK's co-financing
(cofinancing.py) and authority targets (targets.py).

Every model is imported here, so that Django finds them and the rest of the code
imports them from `funding.models`.
"""

from .cofinancing import (
    APPLICATION_TRANSITIONS,
    ROUND_TRANSITIONS,
    CoFinancingApplication,
    FundingRound,
)
from .ledger import Account, CallUse, Entry, Fund, Transaction
from .purchases import FollowUpPurchase
from .targets import AuthorityTarget

__all__ = [
    "APPLICATION_TRANSITIONS",
    "ROUND_TRANSITIONS",
    "Account",
    "AuthorityTarget",
    "CallUse",
    "CoFinancingApplication",
    "Entry",
    "FollowUpPurchase",
    "Fund",
    "FundingRound",
    "Transaction",
]
