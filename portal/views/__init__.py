"""The portal's pages by the person using them: public.py (everyone), account.py (a person's
own pages and dashboard), staff.py (the portal administrator).
"""
