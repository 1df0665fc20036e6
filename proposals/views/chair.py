"""The committee chair's pages: the ranking, consensus scores, reopening a member's scores,
and the signed advice (also as PDF).

A chair is a member too: the access rules and score tables of views/assessor.py apply.
"""

from decimal import Decimal

from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from portal.exceptions import DomainError
from portal.files import file_response
from portal.permissions import can

from ..forms.assessment import AdviceForm, ConsensusForm, ReopenForm
from ..models import (
    Advice,
    Assessment,
    Assignment,
    CommitteeMember,
    ConsensusScore,
)
from ..selectors.ranking import ranking_for
from ..services.assessment import (
    advice_sign,
    assessment_reopen,
    committee_advice_signed,
    consensus_record,
)
from ..tasks import render_advice_pdf
from .assessor import (
    SEATS,
    _cleared_proposal,
    _field_for,
    _posted,
    _score_table,
    _seat,
    _submitted_assessments,
    committee_page,
)

# --- The chair: ranking, consensus, reopening -------------------------------------------------


def _ranking_rows(rows, criteria) -> list[dict]:
    return [
        {
            "row": row,
            "cells": [
                {
                    "criterion": criterion,
                    "score": row.scores.get(criterion.pk),
                    "consensus": criterion.pk in row.consensus,
                    "spread": criterion.pk in row.large_spread,
                }
                for criterion in criteria
            ],
        }
        for row in rows
    ]


@committee_page
def ranking(request, seat_pk: int):
    seat = _seat(request, seat_pk, chair=True)
    phase = seat.committee.phase
    criteria = list(phase.criteria.all())
    return render(
        request,
        "proposals/assessment/ranking.html",
        {
            "seat": seat,
            "committee": seat.committee,
            "phase": phase,
            "call": phase.call,
            "blind": phase.call.blind_assessment,
            "criteria": criteria,
            "rows": _ranking_rows(ranking_for(phase), criteria),
            "signed": committee_advice_signed(seat.committee),
        },
    )


def _consensus_page(request, seat, proposal, *, bound_consensus=None, bound_reopen=None):
    criteria = list(proposal.phase.criteria.all())
    assessments = list(_submitted_assessments(proposal))
    table = _score_table(assessments, criteria)
    agreed = {
        c.criterion_id: c
        for c in ConsensusScore.objects.filter(proposal=proposal).select_related("recorded_by")
    }
    signed = committee_advice_signed(seat.committee)
    sections = []
    for index, criterion in enumerate(criteria):
        current = agreed.get(criterion.pk)
        if bound_consensus is not None and bound_consensus.criterion.pk == criterion.pk:
            form = bound_consensus
        else:
            initial = (
                {
                    "score": current.score,
                    "motivation": current.motivation,
                    "minority_view": current.minority_view,
                }
                if current
                else {}
            )
            form = ConsensusForm(criterion=criterion, initial=initial)
        given = [row["scores"][index] for row in table if row["scores"][index] is not None]
        sections.append(
            {
                "criterion": criterion,
                "given": [
                    (row["member"], row["scores"][index])
                    for row in table
                    if row["scores"][index] is not None
                ],
                "spread": (max(s.score for s in given) - min(s.score for s in given))
                if len(given) > 1
                else None,
                "current": current,
                "form": None if signed else form,
            }
        )
    for row in table:
        assessment = row["assessment"]
        if bound_reopen is not None and bound_reopen[0] == assessment.pk:
            row["reopen_form"] = bound_reopen[1]
        else:
            row["reopen_form"] = ReopenForm(assessment_pk=assessment.pk)
    assigned = Assignment.objects.filter(proposal=proposal).count()
    return render(
        request,
        "proposals/assessment/consensus.html",
        {
            "seat": seat,
            "committee": seat.committee,
            "call": proposal.call,
            "proposal": proposal,
            "blind": proposal.call.blind_assessment,
            "criteria": criteria,
            "table": table,
            "sections": sections,
            "assigned": assigned,
            "submitted": len(assessments),
            "signed": signed,
        },
    )


@committee_page
def consensus(request, seat_pk: int, proposal_pk: int):
    seat = _seat(request, seat_pk, chair=True)
    proposal = _cleared_proposal(request, seat, proposal_pk)
    if request.method != "POST":
        return _consensus_page(request, seat, proposal)
    criterion = proposal.phase.criteria.filter(pk=_int(request.POST.get("criterion"))).first()
    if criterion is None:
        raise Http404
    form = ConsensusForm(request.POST, criterion=criterion)
    if form.is_valid():
        try:
            consensus_record(
                proposal=proposal,
                actor=request.user,
                criterion_id=criterion.pk,
                score=form.cleaned_data["score"],
                motivation=form.cleaned_data["motivation"],
                minority_view=form.cleaned_data["minority_view"],
            )
        except DomainError as error:
            form.add_error(_field_for(error, form), error.message)
        else:
            messages.success(
                request,
                _("The consensus score for “%(name)s” is recorded.") % {"name": criterion.name},
            )
            return redirect("proposals:consensus", seat_pk=seat.pk, proposal_pk=proposal.pk)
    return _consensus_page(request, seat, proposal, bound_consensus=form)


def _int(value) -> int | None:
    return int(value) if value and str(value).isdigit() else None


@committee_page
@require_POST
def reopen(request, seat_pk: int, assessment_pk: int):
    seat = _seat(request, seat_pk, chair=True)
    assessment = get_object_or_404(
        Assessment.objects.select_related("assignment__member__committee"),
        pk=assessment_pk,
        assignment__member__committee_id=seat.committee_id,
    )
    proposal = _cleared_proposal(request, seat, assessment.assignment.proposal_id)
    form = ReopenForm(request.POST, assessment_pk=assessment.pk)
    if form.is_valid():
        try:
            assessment_reopen(
                assessment=assessment, actor=request.user, reason=form.cleaned_data["reason"]
            )
        except DomainError as error:
            if _field_for(error, form) is None:
                messages.error(request, error.message)
                return redirect("proposals:consensus", seat_pk=seat.pk, proposal_pk=proposal.pk)
            form.add_error(_field_for(error, form), error.message)
        else:
            messages.success(
                request,
                _("The scores of %(name)s are reopened; they can change them again.")
                % {"name": assessment.assignment.member.user.full_name},
            )
            return redirect("proposals:consensus", seat_pk=seat.pk, proposal_pk=proposal.pk)
    return _consensus_page(request, seat, proposal, bound_reopen=(assessment.pk, form))


# --- The chair: the advice --------------------------------------------------------------------


def _decimal(value) -> Decimal | None:
    return None if value is None else Decimal(value)


def _signed_rows(advice: Advice, criteria) -> list[dict]:
    """The ranking as it was signed (a snapshot in JSON), with numbers back as Decimals."""
    selected = set(advice.selected.values_list("pk", flat=True))
    return [
        {
            **row,
            "weighted": _decimal(row["weighted"]),
            "criterion_scores": [_decimal(row["scores"].get(str(c.pk))) for c in criteria],
            "selected": row["proposal"] in selected,
        }
        for row in advice.ranking
    ]


@committee_page
def advice(request, seat_pk: int):
    seat = _seat(request, seat_pk, chair=True)
    committee = seat.committee
    phase = committee.phase
    criteria = list(phase.criteria.all())
    context = {
        "seat": seat,
        "committee": committee,
        "phase": phase,
        "call": phase.call,
        "blind": phase.call.blind_assessment,
        "criteria": criteria,
    }
    signed = Advice.objects.filter(committee=committee).select_related("signed_by").first()
    if signed is not None:
        if request.method == "POST":
            messages.error(request, _("The advice has been signed already."))
            return redirect("proposals:advice", seat_pk=seat.pk)
        context.update({"advice": signed, "signed_rows": _signed_rows(signed, criteria)})
        return render(request, "proposals/assessment/advice.html", context)

    rows = ranking_for(phase)
    form = AdviceForm(_posted(request), rows=rows, planned_awards=phase.planned_awards)
    if request.method == "POST" and form.is_valid():
        chosen = set(form.cleaned_data["selected"])
        try:
            advice_sign(
                committee=committee,
                actor=request.user,
                selected=[row.proposal for row in rows if row.proposal.pk in chosen],
                remarks=form.cleaned_data["remarks"],
            )
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(
                request, _("The advice is signed and goes to the contracting authority.")
            )
            return redirect("proposals:advice", seat_pk=seat.pk)
    ticked = form.selected_pks()
    context.update(
        {
            "form": form,
            "rows": _ranking_rows(rows, criteria),
            "ticked": ticked,
        }
    )
    return render(request, "proposals/assessment/advice.html", context)


@committee_page
def advice_pdf(request, seat_pk: int):
    """The signed advice: for the chair, and for the officers of the call's authority."""
    seat = get_object_or_404(SEATS, pk=seat_pk, role=CommitteeMember.Role.CHAIR)
    call = seat.committee.phase.call
    if seat.user_id != request.user.pk and not can(request.user, "calls.manage_call", call):
        raise Http404
    signed = get_object_or_404(Advice, committee_id=seat.committee_id)
    if not signed.pdf:
        render_advice_pdf(signed.pk)  # the task had not run yet: render it now, in-process
        signed.refresh_from_db()
    return file_response(signed.pdf, filename=signed.pdf.name)
