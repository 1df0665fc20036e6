"""Every committee member's pages: the code of conduct, declarations of interest and scoring.
The chair's own pages (ranking, consensus, reopening scores, the advice) are in chair.py.

Every page belongs to one seat (a CommitteeMember) and answers 404 to anyone but the seat's
own person: officers, companies and other members learn nothing from guessing numbers. A
proposal opens only for a member cleared for it (proposals.permissions.is_cleared_assessor:
code of conduct accepted, no conflict declared, assigned — the chair: every proposal), so a
conflicted or undeclared member gets 404 too. Committee members always need the second
factor, also independent experts who hold no role that would require it.
"""

from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from portal.confirm import Confirmation, confirmation_page, is_confirmed, is_revision
from portal.exceptions import DomainError
from portal.files import file_response
from portal.permissions import is_assessor
from portal.selectors.identity import two_factor_enabled

from ..forms.assessment import (
    AssignmentStateForm,
    CodeOfConductForm,
    DeclarationForm,
    ScoringForm,
)
from ..models import (
    Assessment,
    CommitteeMember,
    Proposal,
)
from ..permissions import is_cleared_assessor
from ..selectors.assessment import (
    assessment_of,
    assignment_of,
    committee_score_table,
    declarable_proposals,
    seat_assignments,
    seat_overview,
    seats_of,
    seats_with_phase,
    sits_on_a_committee,
    submitted_assessments,
)
from ..selectors.negotiation import tender_versions_for_committee
from ..selectors.proposals import (
    answers_for_display,
    attachments_with_document,
    proposals_with_company,
)
from ..services.assessment import assessment_save, code_of_conduct_accept, conflict_declare

DECLARATIONS_PAGE_SIZE = 50
ASSIGNMENTS_PAGE_SIZE = 50


# --- Access ---------------------------------------------------------------------------------


def committee_page(view):
    """Logged in, and — for anyone who sits on a committee — past the second factor."""

    @login_required
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        user = request.user
        if not user.is_verified() and sits_on_a_committee(user):
            has_device = two_factor_enabled(user)
            target = reverse("two_factor_verify" if has_device else "two_factor_setup")
            return redirect(f"{target}?{urlencode({'next': request.get_full_path()})}")
        return view(request, *args, **kwargs)

    return wrapper


def _seat(request, seat_pk: int, *, chair: bool = False) -> CommitteeMember:
    """The person's own seat; someone else's seat does not exist for them."""
    seat = get_object_or_404(seats_with_phase(), pk=seat_pk, user=request.user)
    if chair and seat.role != CommitteeMember.Role.CHAIR:
        raise Http404
    return seat


def _cleared_proposal(request, seat: CommitteeMember, proposal_pk: int) -> Proposal:
    """A proposal of the seat's phase that this member may open; 404 otherwise."""
    proposal = get_object_or_404(
        proposals_with_company(),
        pk=proposal_pk,
        phase_id=seat.committee.phase_id,
    )
    # The member's own clearance, not any other reason someone might see the proposal
    # (an officer who also sits on the committee and declared a conflict stays out here).
    if not is_cleared_assessor.test(request.user, proposal):
        raise Http404
    return proposal


def _posted(request):
    """The form data of a POST (even an empty one, which must fail validation), else None."""
    return request.POST if request.method == "POST" else None


def _field_for(error: DomainError, form) -> str | None:
    return error.code if error.code in form.fields else None


# --- The member's committees ------------------------------------------------------------------


@committee_page
def committee_home(request):
    seats = list(seats_of(request.user).order_by("-committee__created_at", "-pk"))
    if not seats and not is_assessor.test(request.user):
        raise Http404
    seat_overview(seats)
    return render(request, "proposals/assessment/home.html", {"seats": seats})


# --- Code of conduct and declarations ---------------------------------------------------------


@committee_page
def assignments(request, seat_pk: int):
    """Every assignment of the seat, a page at a time, narrowed by state (GET)."""
    seat = _seat(request, seat_pk)
    form = AssignmentStateForm(request.GET or None)
    state = form.chosen_state()
    rows = seat_assignments(seat, state=state)
    page = Paginator(rows, ASSIGNMENTS_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "proposals/assessment/assignments.html",
        {
            "seat": seat,
            "committee": seat.committee,
            "form": form,
            "is_filtered": bool(state),
            "page_obj": page,
            "querystring_base": urlencode({"state": state}) if state else "",
        },
    )


@committee_page
def code_of_conduct(request, seat_pk: int):
    seat = _seat(request, seat_pk)
    form = CodeOfConductForm(_posted(request))
    if request.method == "POST" and seat.code_accepted_at is None and form.is_valid():
        code_of_conduct_accept(member=seat, actor=request.user)
        messages.success(
            request,
            _("You accepted the code of conduct. Now declare your interests per proposal."),
        )
        return redirect("proposals:declarations", seat_pk=seat.pk)
    if request.method == "POST" and seat.code_accepted_at is not None:
        return redirect("proposals:declarations", seat_pk=seat.pk)
    return render(
        request,
        "proposals/assessment/code_of_conduct.html",
        {"seat": seat, "committee": seat.committee, "form": form},
    )


def _code_first(request, seat: CommitteeMember):
    messages.warning(
        request, _("Accept the code of conduct first; then the proposals open for you.")
    )
    return redirect("proposals:code_of_conduct", seat_pk=seat.pk)


@committee_page
def declarations(request, seat_pk: int):
    seat = _seat(request, seat_pk)
    if seat.code_accepted_at is None:
        return _code_first(request, seat)
    proposals = declarable_proposals(seat, with_assigned=True).order_by("submission_number", "pk")
    page = Paginator(proposals, DECLARATIONS_PAGE_SIZE).get_page(request.GET.get("page"))
    for proposal in page:
        proposal.declaration = next(iter(proposal.own_declarations), None)
        proposal.form = None if proposal.declaration else DeclarationForm(prefix=f"p{proposal.pk}")
        proposal.can_open = (
            proposal.declaration is not None
            and not proposal.declaration.has_conflict
            and (proposal.assigned or seat.role == CommitteeMember.Role.CHAIR)
        )
    return render(
        request,
        "proposals/assessment/declarations.html",
        {"seat": seat, "committee": seat.committee, "page_obj": page},
    )


@committee_page
def declare(request, seat_pk: int, proposal_pk: int):
    """One proposal's declaration; the list page posts here, and errors show here."""
    seat = _seat(request, seat_pk)
    if seat.code_accepted_at is None:
        return _code_first(request, seat)
    proposal = get_object_or_404(declarable_proposals(seat), pk=proposal_pk)
    declaration = next(iter(proposal.own_declarations), None)
    form = DeclarationForm(_posted(request), prefix=f"p{proposal.pk}")
    if request.method == "POST" and declaration is not None:
        messages.error(request, _("You already declared for this proposal."))
        return redirect("proposals:declarations", seat_pk=seat.pk)
    if request.method == "POST" and form.is_valid():
        try:
            conflict_declare(
                member=seat,
                proposal=proposal,
                actor=request.user,
                has_conflict=form.has_conflict,
                explanation=form.cleaned_data["explanation"],
            )
        except DomainError as error:
            form.add_error(_field_for(error, form), error.message)
        else:
            if form.has_conflict:
                message = _("Your conflict of interest for %(number)s is recorded.")
            else:
                message = _("You declared no conflict of interest for %(number)s.")
            messages.success(request, message % {"number": proposal.submission_number})
            url = reverse("proposals:declarations", kwargs={"seat_pk": seat.pk})
            page = request.POST.get("page", "")
            return redirect(f"{url}?page={page}" if page.isdigit() else url)
    return render(
        request,
        "proposals/assessment/declare.html",
        {
            "seat": seat,
            "committee": seat.committee,
            "proposal": proposal,
            "declaration": declaration,
            "form": form,
        },
    )


# --- Scoring ----------------------------------------------------------------------------------


@committee_page
def assess(request, seat_pk: int, proposal_pk: int):
    seat = _seat(request, seat_pk)
    proposal = _cleared_proposal(request, seat, proposal_pk)
    call = proposal.call
    criteria = list(proposal.phase.criteria.all())
    assignment = assignment_of(seat=seat, proposal=proposal)
    assessment = assessment_of(assignment) if assignment else None
    own_scores = list(assessment.scores.all()) if assessment else []
    locked = assessment is not None and assessment.status == Assessment.Status.SUBMITTED
    url = reverse("proposals:assess", kwargs={"seat_pk": seat.pk, "proposal_pk": proposal.pk})

    form = None
    if request.method == "POST" and (assignment is None or locked):
        if locked:
            messages.error(
                request, _("Your scores are submitted and locked; the chair can reopen them.")
            )
        else:
            messages.error(request, _("You are not assigned to score this proposal."))
        return redirect(url)
    if assignment is not None and not locked:
        submit = request.method == "POST" and "submit" in request.POST
        form = ScoringForm(
            _posted(request),
            criteria=criteria,
            submit=submit,
            initial=ScoringForm.initial_from(own_scores),
        )
        if request.method == "POST" and not is_revision(request) and form.is_valid():
            if submit and not is_confirmed(request):
                return confirmation_page(
                    request,
                    _scores_confirmation(seat, proposal, form, url),
                    context={"seat": seat, "committee": seat.committee},
                )
            try:
                assessment_save(
                    assignment=assignment, actor=request.user, scores=form.scores(), submit=submit
                )
            except DomainError as error:
                if error.code == "locked":  # submitted meanwhile, e.g. in another tab
                    messages.error(request, error.message)
                    return redirect(url)
                form.add_error(None, error.message)
            else:
                if submit:
                    messages.success(
                        request,
                        _("Your scores are submitted and locked. The others' scores are shown."),
                    )
                else:
                    messages.success(request, _("Your scores are saved as a draft."))
                return redirect(url)

    own_by_criterion = {score.criterion_id: score for score in own_scores}
    final_tender, tender_history = tender_versions_for_committee(proposal)
    context = {
        "seat": seat,
        "committee": seat.committee,
        "call": call,
        "proposal": proposal,
        "blind": call.blind_assessment,
        "answers": answers_for_display(proposal),
        "attachments": proposal.attachments.select_related("required_document", "question"),
        "final_tender": final_tender,
        "tender_history": tender_history,
        "criteria": criteria,
        "assignment": assignment,
        "assessment": assessment,
        "locked": locked,
        "form": form,
        "own_scores": [(c, own_by_criterion.get(c.pk)) for c in criteria],
        # Only once one's own scores are locked in: the others' never sway them.
        "others": (
            committee_score_table(
                submitted_assessments(proposal).exclude(assignment=assignment), criteria
            )
            if locked
            else []
        ),
    }
    return render(request, "proposals/assessment/assess.html", context)


def _scores_confirmation(
    seat: CommitteeMember, proposal: Proposal, form: ScoringForm, url: str
) -> Confirmation:
    scores = form.scores()
    return Confirmation(
        title=_("Submit your scores for %(number)s?") % {"number": proposal.submission_number},
        lead=_("Check your scores and motivations once more."),
        summary=[
            (
                criterion.display_name,
                _("%(score)s: %(motivation)s")
                % {"score": scores[criterion.pk][0], "motivation": scores[criterion.pk][1]},
            )
            for criterion in form.criteria
            if criterion.pk in scores
        ],
        happens=[
            _("Your scores and motivations go to the committee's chair."),
            _("You then see the other members' submitted scores for this proposal."),
        ],
        final=[
            _(
                "Your scores are locked: you cannot change them. Only the chair can reopen "
                "them, with a reason that is recorded."
            ),
        ],
        button=_("Yes, submit my scores"),
        back_url=url,
        back_label=_("Back, do not submit"),
        revisable=True,
        breadcrumbs="proposals/assessment/_context.html",
    )


@committee_page
def assessment_attachment(request, seat_pk: int, proposal_pk: int, attachment_pk: int):
    seat = _seat(request, seat_pk)
    proposal = _cleared_proposal(request, seat, proposal_pk)
    attachment = get_object_or_404(attachments_with_document(), pk=attachment_pk, proposal=proposal)
    filename = attachment.original_name
    if proposal.call.blind_assessment:
        # A file name may carry the company's name; blind assessors get a neutral one.
        extension = filename.rsplit(".", 1)[-1] if "." in filename else "bin"
        filename = f"{proposal.submission_number}-{attachment.pk}.{extension}"
    return file_response(
        attachment.file,
        filename=filename,
        content_type=attachment.content_type,
        as_attachment=True,
    )
