"""Reads of trusted identity: identity.py (confirmations, teams, tokens, companies to verify)."""
