"""The portal's reads: identity.py (a person's roles and organisations)."""
