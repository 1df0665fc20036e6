"""Trusted identity: who a company is (eHerkenning, verification), who acts for it (teams),
how officials log in (single sign-on), and the credentials people hand to systems (API tokens).
"""
