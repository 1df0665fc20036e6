"""The portal's writes: identity.py (a company's registration, memberships) and twofactor.py
(authenticator apps and backup codes).
"""
