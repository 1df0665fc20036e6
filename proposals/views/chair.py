"""The committee chair's pages: the ranking, consensus scores, reopening a member's scores,
and the signed advice (also as PDF); and the deputy chair's page for the proposals on which
the chair declared a conflict.

A chair is a member too: the access rules and score tables of views/assessor.py apply. What
a seat sees of the ranking and the advice is ``selectors.assessment.cleared_proposals``: a
chair who has not accepted the code of conduct sees nothing, a conflicted one never the
proposal.
"""

from decimal import Decimal

from django.contrib import messages
from django.core.files.base import ContentFile
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from portal.confirm import Confirmation, confirmation_page, is_confirmed, is_revision
from portal.exceptions import DomainError
from portal.files import file_response
from portal.forms.base import parse_id
from portal.permissions import can

from ..forms.assessment import AdviceForm, ConsensusForm, DeputyForm, ReopenForm
from ..models import (
    Advice,
    CommitteeMember,
)
from ..selectors.assessment import (
    advice_gaps,
    advice_of,
    assessments_with_committee,
    assignment_count,
    chair_conflicts,
    cleared_proposals,
    committee_score_table,
    consensus_scores_of,
    deputy_decisions_of,
    presides_over,
    seats_with_phase,
    submitted_assessments,
)
from ..selectors.decisions import open_reassessment_of_phase
from ..selectors.ranking import RANKED_STATUSES, ranking_for, ranking_for_seat
from ..services.assessment import (
    advice_sign,
    assessment_reopen,
    committee_advice_signed,
    consensus_record,
    deputy_decide,
)
from ..tasks import advice_pdf_bytes, render_advice_pdf
from .assessor import (
    _cleared_proposal,
    _code_first,
    _field_for,
    _posted,
    _seat,
    committee_page,
)

# --- The chair: ranking, consensus, reopening -------------------------------------------------

RANKING_PAGE_SIZE = 50


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


def _not_shown(seat: CommitteeMember, shown: int) -> int:
    """How many ranked proposals the seat does not see (conflict declared, or not yet
    declared): a number only."""
    ranked = seat.committee.phase.proposals.filter(status__in=RANKED_STATUSES).count()
    return max(ranked - shown, 0)


@committee_page
def ranking(request, seat_pk: int):
    seat = _seat(request, seat_pk, chair=True)
    if seat.code_accepted_at is None:
        return _code_first(request, seat)
    phase = seat.committee.phase
    ranking = ranking_for_seat(seat)
    criteria = ranking.criteria
    # A page at a time: ranked in the database, scores read for the page's proposals only.
    page = Paginator(ranking, RANKING_PAGE_SIZE).get_page(request.GET.get("page"))
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
            "rows": _ranking_rows(page.object_list, criteria),
            "rows_total": page.paginator.count,
            "page_obj": page,
            "not_shown": _not_shown(seat, page.paginator.count),
            "signed": committee_advice_signed(seat.committee),
        },
    )


def _consensus_page(
    request, seat, proposal, *, bound_consensus=None, bound_reopen=None, status=200
):
    criteria = list(proposal.phase.criteria.all())
    assessments = list(submitted_assessments(proposal))
    table = committee_score_table(assessments, criteria)
    agreed = {c.criterion_id: c for c in consensus_scores_of(proposal)}
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
    assigned = assignment_count(proposal)
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
        status=status,
    )


def _presided_proposal(request, seat_pk: int, proposal_pk: int):
    """The chair's proposal, or the deputy chair's (one on which the chair is conflicted)."""
    seat = _seat(request, seat_pk)
    proposal = _cleared_proposal(request, seat, proposal_pk)
    if not presides_over(seat, proposal):
        raise Http404
    return seat, proposal


@committee_page
def consensus(request, seat_pk: int, proposal_pk: int):
    seat, proposal = _presided_proposal(request, seat_pk, proposal_pk)
    if request.method != "POST":
        return _consensus_page(request, seat, proposal)
    criterion_pk = parse_id(request.POST.get("criterion"))
    if criterion_pk is None:
        messages.error(request, _("Choose a criterion of this phase."))
        return _consensus_page(request, seat, proposal, status=400)
    criterion = proposal.phase.criteria.filter(pk=criterion_pk).first()
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
    return parse_id(value)


@committee_page
@require_POST
def reopen(request, seat_pk: int, assessment_pk: int):
    seat = _seat(request, seat_pk)
    assessment = get_object_or_404(
        assessments_with_committee(),
        pk=assessment_pk,
        assignment__member__committee_id=seat.committee_id,
    )
    seat, proposal = _presided_proposal(request, seat_pk, assessment.assignment.proposal_id)
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


def _signed_rows(advice: Advice, criteria, rows: list[dict]) -> list[dict]:
    """Rows of the ranking as it was signed (a snapshot in JSON), with numbers back as
    Decimals."""
    selected = set(advice.selected.values_list("pk", flat=True))
    return [
        {
            **row,
            "weighted": _decimal(row["weighted"]),
            "criterion_scores": [_decimal(row["scores"].get(str(c.pk))) for c in criteria],
            "selected": row["proposal"] in selected,
        }
        for row in rows
    ]


# The advice's ranking is shown a page at a time, like the ranking. The chair's selection spans
# the pages: each page's form carries the boxes ticked on other pages as hidden fields, and the
# paging buttons (``GOTO``) post the form, so that no tick is lost and nothing needs JavaScript.
ADVICE_PAGE_SIZE = RANKING_PAGE_SIZE
GOTO = "goto"


def _advice_page_number(request) -> str | None:
    """The page a paging button asks for, else the page the form was posted from, else the
    page of the address."""
    if request.method == "POST":
        return request.POST.get(GOTO) or request.POST.get("page")
    return request.GET.get("page")


def _ticked(request, eligible: list[int]) -> list[int]:
    """The eligible proposals ticked in the posted form (on any page), in ranking order."""
    if request.method != "POST":
        return []
    posted = set(request.POST.getlist("selected"))
    return [pk for pk in eligible if str(pk) in posted]


@committee_page
def advice(request, seat_pk: int):
    seat = _seat(request, seat_pk, chair=True)
    if seat.code_accepted_at is None:
        return _code_first(request, seat)
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
    signed = advice_of(committee=committee)
    if signed is not None:
        if request.method == "POST":
            messages.error(request, _("The advice has been signed already."))
            return redirect("proposals:advice", seat_pk=seat.pk)
        visible = set(cleared_proposals(seat).values_list("pk", flat=True))
        shown = [row for row in signed.ranking if row["proposal"] in visible]
        page = Paginator(shown, ADVICE_PAGE_SIZE).get_page(request.GET.get("page"))
        context.update(
            {
                "advice": signed,
                "signed_rows": _signed_rows(signed, criteria, list(page.object_list)),
                "page_obj": page,
                "not_shown": max(len(signed.ranking) - len(shown), 0),
            }
        )
        return render(request, "proposals/assessment/advice.html", context)

    ranking = ranking_for_seat(seat)
    eligible = ranking.eligible_ids()
    planned = phase.planned_awards
    paging = request.method == "POST" and GOTO in request.POST
    if paging:
        # To another page: the ticks and the remarks go along; nothing is checked or signed.
        form = AdviceForm(
            initial={"remarks": request.POST.get("remarks", "")},
            eligible=eligible,
            planned_awards=planned,
        )
    else:
        form = AdviceForm(_posted(request), eligible=eligible, planned_awards=planned)
    gaps = advice_gaps(committee, seat)
    if request.method == "POST" and not paging and not is_revision(request) and form.is_valid():
        chosen = ranking.rows_of(form.cleaned_data["selected"])
        if not gaps and not is_confirmed(request):
            return confirmation_page(
                request, _advice_confirmation(seat, chosen, form), context=context
            )
        try:
            advice_sign(
                committee=committee,
                actor=request.user,
                selected=[row.proposal for row in chosen],
                remarks=form.cleaned_data["remarks"],
            )
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(
                request, _("The advice is signed and goes to the contracting authority.")
            )
            return redirect("proposals:advice", seat_pk=seat.pk)
    ticked = _ticked(request, eligible)
    page = Paginator(ranking, ADVICE_PAGE_SIZE).get_page(_advice_page_number(request))
    rows = list(page.object_list)
    on_page = {row.proposal.pk for row in rows}
    context.update(
        {
            "form": form,
            "rows": _ranking_rows(rows, criteria),
            "rows_total": page.paginator.count,
            "page_obj": page,
            "goto": GOTO,
            "ticked": {str(pk) for pk in ticked},
            # Ticked on other pages: posted along as hidden fields, and listed.
            "carried": [pk for pk in ticked if pk not in on_page],
            "selection": ranking.rows_of(ticked) if ticked else [],
            "gaps": gaps,
            "not_shown": _not_shown(seat, page.paginator.count),
            "reassessment": open_reassessment_of_phase(phase),
        }
    )
    return render(request, "proposals/assessment/advice.html", context)


def _advice_confirmation(seat: CommitteeMember, chosen: list, form: AdviceForm) -> Confirmation:
    blind = seat.committee.phase.call.blind_assessment
    selection = "\n".join(
        f"{row.rank}. {row.proposal.submission_number} {row.proposal.title}"
        + ("" if blind else f" ({row.proposal.company.name})")
        for row in chosen
    )
    return Confirmation(
        title=_("Sign the committee's advice?"),
        lead=_("You sign the advice on behalf of the committee. Check the selection once more."),
        summary=[
            (_("Proposals the committee advises to award"), selection or _("None")),
            (_("Remarks of the committee"), form.cleaned_data["remarks"] or "–"),
        ],
        happens=[
            _(
                "The ranking, the consensus scores and the selection are recorded as the "
                "committee's signed advice, also as PDF."
            ),
            _("The advice goes to the contracting authority, which decides on the proposals."),
        ],
        final=[
            _(
                "The signed advice cannot be changed: not the selection, the ranking or the "
                "remarks. The consensus scores become final."
            ),
        ],
        button=_("Yes, sign the advice"),
        back_url=reverse("proposals:advice", kwargs={"seat_pk": seat.pk}),
        back_label=_("Back, do not sign"),
        revisable=True,
        breadcrumbs="proposals/assessment/_context.html",
    )


@committee_page
def advice_pdf(request, seat_pk: int):
    """The signed advice: for the chair, and for the officers of the call's authority."""
    seat = get_object_or_404(seats_with_phase(), pk=seat_pk, role=CommitteeMember.Role.CHAIR)
    call = seat.committee.phase.call
    own = seat.user_id == request.user.pk
    if not own and not can(request.user, "calls.manage_call", call):
        raise Http404
    signed = get_object_or_404(Advice, committee_id=seat.committee_id)
    if own:
        # The chair's copy leaves out what the chair may not see (made now, never stored).
        visible = set(cleared_proposals(seat).values_list("pk", flat=True))
        hidden = {row["proposal"] for row in signed.ranking} - visible
        if seat.code_accepted_at is None:
            raise Http404
        if hidden:
            pdf = advice_pdf_bytes(signed, hidden=hidden)
            return file_response(
                ContentFile(pdf, name=signed.pdf.name or "advice.pdf"),
                filename=signed.pdf.name or "advice.pdf",
            )
    if not signed.pdf:
        render_advice_pdf(signed.pk)  # the task had not run yet: render it now, in-process
        signed.refresh_from_db()
    return file_response(signed.pdf, filename=signed.pdf.name)


# --- The deputy chair -------------------------------------------------------------------------


@committee_page
def deputy(request, seat_pk: int):
    """The proposals on which the chair declared a conflict: their consensus (through the
    consensus page) and their place in the selection, decided by the deputy chair."""
    seat = _seat(request, seat_pk)
    committee = seat.committee
    if committee.deputy_chair_id != seat.pk:
        raise Http404
    if seat.code_accepted_at is None:
        return _code_first(request, seat)
    phase = committee.phase
    criteria = list(phase.criteria.all())
    mine = cleared_proposals(seat).filter(pk__in=chair_conflicts(committee).values("proposal_id"))
    rows = ranking_for(phase, among=mine)
    decisions = {
        d.proposal_id: d for d in deputy_decisions_of(committee=committee, user=request.user)
    }
    signed = committee_advice_signed(committee)
    initial = {"selected": [pk for pk, d in decisions.items() if d.selected]}
    form = None
    if not signed:
        form = DeputyForm(
            _posted(request), rows=rows, planned_awards=phase.planned_awards, initial=initial
        )
        if request.method == "POST" and form.is_valid():
            chosen = set(form.cleaned_data["selected"])
            try:
                deputy_decide(
                    committee=committee,
                    actor=request.user,
                    selected=[row.proposal for row in rows if row.proposal.pk in chosen],
                )
            except DomainError as error:
                form.add_error(None, error.message)
            else:
                messages.success(request, _("Your decision as deputy chair is recorded."))
                return redirect("proposals:deputy", seat_pk=seat.pk)
    ticked = (
        form.selected_pks()
        if form is not None and form.is_bound
        else {str(pk) for pk in initial["selected"]}
    )
    return render(
        request,
        "proposals/assessment/deputy.html",
        {
            "seat": seat,
            "committee": committee,
            "phase": phase,
            "call": phase.call,
            "blind": phase.call.blind_assessment,
            "criteria": criteria,
            "rows": _ranking_rows(rows, criteria),
            "rows_total": len(rows),
            "form": form,
            "ticked": ticked,
            "signed": signed,
            "decided": len(decisions),
            "not_cleared": chair_conflicts(committee).count() - len(rows),
        },
    )
