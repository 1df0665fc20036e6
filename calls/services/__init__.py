"""Calls' writes, one module per sub-domain: lifecycle.py (drafting, publication, amendments,
closing), clarifications.py (questions and answers), participation.py (innovation
partnership, stage 1).
"""
