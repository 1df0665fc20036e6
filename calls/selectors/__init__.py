"""Calls' reads shared by pages, API, exports and tasks: calls.py, participation.py."""
