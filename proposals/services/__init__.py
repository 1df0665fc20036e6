"""Proposals' writes, one module per sub-domain: submission.py (drafts, documents, submitting,
withdrawing), assessment.py (committees, declarations, scores, consensus, the advice),
decisions.py (awards, rejections, contracts and deliverables).
"""
