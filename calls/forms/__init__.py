"""Calls' forms: calls.py (drafting and the lifecycle), clarifications.py, participation.py."""
