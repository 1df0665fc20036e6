"""The procurement officer's pages: calls.py (drafting, publication, the lifecycle),
clarifications.py (answering questions), participation.py (selecting partners).
"""
