"""Writes of trusted identity, split by sub-domain. Views, the API and tasks call these."""
