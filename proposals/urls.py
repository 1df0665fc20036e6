"""Proposals' pages: the company's own, the committee's (assessors and the chair), and the
procurement officer's.
"""

from django.urls import path

from .views import (
    assessor,
    chair,
    company,
    feeds,
    letters,
    objections,
    officer,
    opening,
    partnership,
    selection,
)

app_name = "proposals"

urlpatterns = [
    path("calls/results/feed/", feeds.LatestResultsFeed(), name="results_feed"),
    path("proposals/", company.mine, name="mine"),
    path("proposals/start/<int:phase_pk>/", company.start, name="start"),
    path("proposals/<int:pk>/", company.detail, name="detail"),
    path("proposals/<int:pk>/edit/", company.edit, name="edit"),
    path("proposals/<int:pk>/submit/", company.submit, name="submit"),
    path("proposals/<int:pk>/receipt.pdf", company.receipt, name="receipt"),
    path(
        "proposals/<int:pk>/documents/<int:attachment_pk>/", company.attachment, name="attachment"
    ),
    path("proposals/<int:pk>/withdraw/", company.withdraw, name="withdraw"),
    path("proposals/<int:pk>/letters/<int:letter_pk>/", letters.letter, name="letter"),
    path(
        "participation/<int:pk>/letters/<int:letter_pk>/",
        selection.letter,
        name="selection_letter",
    ),
    path(
        "participation/<int:pk>/letters/<int:letter_pk>/objection/",
        selection.objection_lodge,
        name="selection_objection_lodge",
    ),
    path(
        "officer/selection-objections/<int:objection_pk>/",
        selection.objection_answer,
        name="selection_objection_answer",
    ),
    path("proposals/deliverables/<int:deliverable_pk>/", company.deliver, name="deliver"),
    path("proposals/<int:pk>/objection/", objections.lodge, name="objection_lodge"),
    path("proposals/objections/<int:objection_pk>/", objections.detail, name="objection"),
    path(
        "proposals/objections/<int:objection_pk>/withdraw/",
        objections.withdraw,
        name="objection_withdraw",
    ),
    path(
        "proposals/objections/<int:objection_pk>/receipt.pdf",
        objections.receipt,
        name="objection_receipt",
    ),
    path(
        "proposals/objections/<int:objection_pk>/documents/<int:document_pk>/",
        objections.document,
        name="objection_document",
    ),
    path(
        "officer/objections/<int:objection_pk>/",
        objections.officer_answer,
        name="officer_objection",
    ),
    path("assessment/", assessor.committee_home, name="committee_home"),
    path("assessment/<int:seat_pk>/code/", assessor.code_of_conduct, name="code_of_conduct"),
    path("assessment/<int:seat_pk>/assignments/", assessor.assignments, name="seat_assignments"),
    path("assessment/<int:seat_pk>/declarations/", assessor.declarations, name="declarations"),
    path(
        "assessment/<int:seat_pk>/declarations/<int:proposal_pk>/", assessor.declare, name="declare"
    ),
    path("assessment/<int:seat_pk>/proposals/<int:proposal_pk>/", assessor.assess, name="assess"),
    path(
        "assessment/<int:seat_pk>/proposals/<int:proposal_pk>/documents/<int:attachment_pk>/",
        assessor.assessment_attachment,
        name="assessment_attachment",
    ),
    path("assessment/<int:seat_pk>/ranking/", chair.ranking, name="ranking"),
    path(
        "assessment/<int:seat_pk>/proposals/<int:proposal_pk>/consensus/",
        chair.consensus,
        name="consensus",
    ),
    path(
        "assessment/<int:seat_pk>/assessments/<int:assessment_pk>/reopen/",
        chair.reopen,
        name="reopen",
    ),
    path("assessment/<int:seat_pk>/advice/", chair.advice, name="advice"),
    path("assessment/<int:seat_pk>/advice.pdf", chair.advice_pdf, name="advice_pdf"),
    path("assessment/<int:seat_pk>/deputy/", chair.deputy, name="deputy"),
    path(
        "officer/proposals/calls/<int:call_pk>/",
        officer.officer_proposals,
        name="officer_proposals",
    ),
    path("officer/proposals/phases/<int:phase_pk>/", officer.officer_phase, name="officer_phase"),
    path(
        "officer/proposals/phases/<int:phase_pk>/prizes/",
        officer.officer_prizes,
        name="officer_prizes",
    ),
    path("proposals/phases/<int:phase_pk>/opening/", opening.opening, name="opening"),
    path(
        "officer/proposals/phases/<int:phase_pk>/open/",
        officer.officer_open_assessment,
        name="officer_open_assessment",
    ),
    path(
        "officer/proposals/phases/<int:phase_pk>/deadline/",
        officer.officer_phase_deadline,
        name="officer_phase_deadline",
    ),
    path(
        "officer/proposals/phases/<int:phase_pk>/committee/",
        officer.officer_committee_create,
        name="officer_committee_create",
    ),
    path(
        "officer/proposals/phases/<int:phase_pk>/committee/members/",
        officer.officer_member_add,
        name="officer_member_add",
    ),
    path(
        "officer/proposals/phases/<int:phase_pk>/committee/experts/",
        officer.officer_expert_invite,
        name="officer_expert_invite",
    ),
    path(
        "officer/proposals/phases/<int:phase_pk>/committee/deputy/",
        officer.officer_deputy,
        name="officer_deputy",
    ),
    path(
        "officer/proposals/phases/<int:phase_pk>/committee/members/<int:member_pk>/remove/",
        officer.officer_member_remove,
        name="officer_member_remove",
    ),
    path(
        "officer/proposals/phases/<int:phase_pk>/assignments/<int:assignment_pk>/withdraw/",
        officer.officer_assignment_withdraw,
        name="officer_assignment_withdraw",
    ),
    path(
        "officer/proposals/phases/<int:phase_pk>/assignments/",
        officer.officer_assign,
        name="officer_assign",
    ),
    path(
        "officer/proposals/phases/<int:phase_pk>/assignments/auto/",
        officer.officer_assign_auto,
        name="officer_assign_auto",
    ),
    path("officer/proposals/<int:pk>/decide/", officer.officer_decide, name="officer_decide"),
    path("officer/proposals/contracts/", officer.officer_contracts, name="officer_contracts"),
    path(
        "officer/proposals/contracts/<int:contract_pk>/end/",
        officer.officer_contract_end,
        name="officer_contract_end",
    ),
    path(
        "officer/proposals/deliverables/<int:deliverable_pk>/review/",
        officer.officer_review,
        name="officer_review",
    ),
    path(
        "officer/proposals/deliverables/<int:deliverable_pk>/file/",
        officer.officer_deliverable_file,
        name="officer_deliverable_file",
    ),
    # Innovation partnership: negotiation rounds, then the partners' phases.
    path(
        "officer/proposals/phases/<int:phase_pk>/negotiation/",
        partnership.officer_negotiation,
        name="officer_negotiation",
    ),
    path(
        "officer/proposals/negotiation/<int:round_pk>/",
        partnership.officer_round,
        name="officer_round",
    ),
    path(
        "proposals/tenders/<int:version_pk>/document/",
        partnership.version_document,
        name="version_document",
    ),
    path(
        "proposals/<int:pk>/negotiation/",
        partnership.tender_negotiation,
        name="tender_negotiation",
    ),
    path(
        "officer/proposals/contracts/<int:contract_pk>/partnership/",
        partnership.officer_partnership,
        name="officer_partnership",
    ),
    path(
        "officer/proposals/contracts/<int:contract_pk>/partnership/<int:phase_pk>/",
        partnership.officer_plan,
        name="officer_plan",
    ),
    path(
        "officer/proposals/partnership-phases/<int:plan_pk>/decide/",
        partnership.officer_plan_decide,
        name="officer_plan_decide",
    ),
    path(
        "officer/proposals/partnership-phases/<int:plan_pk>/purchase/",
        partnership.officer_plan_purchase,
        name="officer_plan_purchase",
    ),
    path(
        "proposals/partnership/evidence/<int:report_pk>/",
        partnership.target_evidence,
        name="target_evidence",
    ),
    path("proposals/<int:pk>/partnership/", partnership.partnership, name="partnership"),
    path(
        "proposals/partnership-phases/<int:plan_pk>/report/",
        partnership.plan_report,
        name="plan_report",
    ),
]
