"""The portal's forms: base.py (what every app's forms build on) and account.py."""
