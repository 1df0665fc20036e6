"""Every committee member's pages: the code of conduct, declarations of interest and scoring.
The chair's own pages (ranking, consensus, reopening scores, the advice) are in chair.py.

Every page belongs to one seat (a CommitteeMember) and answers 404 to anyone but the seat's
own person: officers, companies and other members learn nothing from guessing numbers. A
proposal opens only for a member cleared for it (proposals.permissions.is_cleared_assessor:
code of conduct accepted, no conflict declared, assigned — the chair: every proposal), so a
conflicted or undeclared member gets 404 too. Committee members always need the second
factor, also independent experts who hold no role that would require it.
"""

from collections import defaultdict
from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Count, Exists, OuterRef, Prefetch
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from portal.exceptions import DomainError
from portal.files import file_response
from portal.permissions import is_assessor

from ..forms.assessment import CodeOfConductForm, DeclarationForm, ScoringForm
from ..models import (
    Assessment,
    Assignment,
    Attachment,
    CommitteeMember,
    ConflictDeclaration,
    Proposal,
)
from ..permissions import is_cleared_assessor
from ..selectors.assessment import seats_of
from ..selectors.proposals import answers_for_display
from ..selectors.ranking import RANKED_STATUSES
from ..services.assessment import assessment_save, code_of_conduct_accept, conflict_declare

DECLARATIONS_PAGE_SIZE = 50
# A seat the officer removed is gone for its person: every page answers 404.
SEATS = CommitteeMember.objects.active().select_related("committee__phase__call__authority", "user")


# --- Access ---------------------------------------------------------------------------------


def committee_page(view):
    """Logged in, and — for anyone who sits on a committee — past the second factor."""

    @login_required
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        user = request.user
        if not user.is_verified() and CommitteeMember.objects.filter(user=user).exists():
            has_device = user.totpdevice_set.filter(confirmed=True).exists()
            target = reverse("two_factor_verify" if has_device else "two_factor_setup")
            return redirect(f"{target}?{urlencode({'next': request.get_full_path()})}")
        return view(request, *args, **kwargs)

    return wrapper


def _seat(request, seat_pk: int, *, chair: bool = False) -> CommitteeMember:
    """The person's own seat; someone else's seat does not exist for them."""
    seat = get_object_or_404(SEATS, pk=seat_pk, user=request.user)
    if chair and seat.role != CommitteeMember.Role.CHAIR:
        raise Http404
    return seat


def _cleared_proposal(request, seat: CommitteeMember, proposal_pk: int) -> Proposal:
    """A proposal of the seat's phase that this member may open; 404 otherwise."""
    proposal = get_object_or_404(
        Proposal.objects.select_related("company", "phase", "call"),
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


def _seat_overview(seats: list[CommitteeMember]) -> None:
    """Per seat: declarations pending and assignments with their state, in four queries."""
    seat_ids = [seat.pk for seat in seats]
    phase_ids = {seat.committee.phase_id for seat in seats}
    open_per_phase = dict(
        Proposal.objects.filter(phase_id__in=phase_ids, status=Proposal.Status.UNDER_ASSESSMENT)
        .order_by()
        .values("phase_id")
        .annotate(n=Count("pk"))
        .values_list("phase_id", "n")
    )
    declarations = ConflictDeclaration.objects.filter(member_id__in=seat_ids).values_list(
        "member_id", "proposal_id", "has_conflict", "proposal__status"
    )
    declared = defaultdict(dict)
    for member_id, proposal_id, has_conflict, status in declarations:
        declared[member_id][proposal_id] = (has_conflict, status)
    conflicted = ConflictDeclaration.objects.filter(
        member_id=OuterRef("member_id"), proposal_id=OuterRef("proposal_id"), has_conflict=True
    )
    assignments = defaultdict(list)
    for assignment in (
        Assignment.objects.active()
        .filter(member_id__in=seat_ids)
        .exclude(Exists(conflicted))
        .select_related("proposal", "assessment")
        .order_by("proposal__submission_number", "pk")
    ):
        assignments[assignment.member_id].append(assignment)
    for seat in seats:
        mine = declared[seat.pk]
        declared_open = sum(
            1 for _c, status in mine.values() if status == Proposal.Status.UNDER_ASSESSMENT
        )
        seat.pending_declarations = open_per_phase.get(seat.committee.phase_id, 0) - declared_open
        seat.assignment_rows = []
        for assignment in assignments[seat.pk]:
            assessment = getattr(assignment, "assessment", None)
            assignment.state = assessment.status if assessment else "todo"
            assignment.cleared = assignment.proposal_id in mine
            seat.assignment_rows.append(assignment)
        seat.assignments_total = len(seat.assignment_rows)
        seat.assignments_done = sum(
            1 for a in seat.assignment_rows if a.state == Assessment.Status.SUBMITTED
        )


@committee_page
def committee_home(request):
    seats = list(seats_of(request.user).order_by("-committee__created_at", "-pk"))
    if not seats and not is_assessor.test(request.user):
        raise Http404
    _seat_overview(seats)
    return render(request, "proposals/assessment/home.html", {"seats": seats})


# --- Code of conduct and declarations ---------------------------------------------------------


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


def _declarable(seat: CommitteeMember):
    return Proposal.objects.filter(
        phase_id=seat.committee.phase_id, status__in=RANKED_STATUSES
    ).select_related("company")


def _own_declarations(seat: CommitteeMember) -> Prefetch:
    return Prefetch(
        "declarations",
        queryset=ConflictDeclaration.objects.filter(member=seat),
        to_attr="own_declarations",
    )


@committee_page
def declarations(request, seat_pk: int):
    seat = _seat(request, seat_pk)
    if seat.code_accepted_at is None:
        return _code_first(request, seat)
    proposals = (
        _declarable(seat)
        .prefetch_related(_own_declarations(seat))
        .annotate(assigned=Exists(Assignment.objects.filter(member=seat, proposal=OuterRef("pk"))))
        .order_by("submission_number", "pk")
    )
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
    proposal = get_object_or_404(
        _declarable(seat).prefetch_related(_own_declarations(seat)), pk=proposal_pk
    )
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


def _score_table(assessments, criteria) -> list[dict]:
    """Per assessment: the member and their score and motivation per criterion, in order."""
    rows = []
    for assessment in assessments:
        by_criterion = {score.criterion_id: score for score in assessment.scores.all()}
        scores = [by_criterion.get(c.pk) for c in criteria]
        rows.append(
            {
                "assessment": assessment,
                "member": assessment.assignment.member,
                "scores": scores,
                "pairs": list(zip(criteria, scores, strict=True)),
            }
        )
    return rows


def _submitted_assessments(proposal: Proposal):
    return (
        Assessment.objects.filter(
            assignment__proposal=proposal,
            assignment__withdrawn_at__isnull=True,  # a withdrawn one no longer counts
            status=Assessment.Status.SUBMITTED,
        )
        .select_related("assignment__member__user")
        .prefetch_related("scores")
        .order_by("assignment__member__role", "assignment__member_id")
    )


@committee_page
def assess(request, seat_pk: int, proposal_pk: int):
    seat = _seat(request, seat_pk)
    proposal = _cleared_proposal(request, seat, proposal_pk)
    call = proposal.call
    criteria = list(proposal.phase.criteria.all())
    assignment = Assignment.objects.active().filter(member=seat, proposal=proposal).first()
    assessment = (
        Assessment.objects.filter(assignment=assignment).prefetch_related("scores").first()
        if assignment
        else None
    )
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
        if request.method == "POST" and form.is_valid():
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
    context = {
        "seat": seat,
        "committee": seat.committee,
        "call": call,
        "proposal": proposal,
        "blind": call.blind_assessment,
        "answers": answers_for_display(proposal),
        "attachments": proposal.attachments.select_related("required_document", "question"),
        "criteria": criteria,
        "assignment": assignment,
        "assessment": assessment,
        "locked": locked,
        "form": form,
        "own_scores": [(c, own_by_criterion.get(c.pk)) for c in criteria],
        # Only once one's own scores are locked in: the others' never sway them.
        "others": (
            _score_table(_submitted_assessments(proposal).exclude(assignment=assignment), criteria)
            if locked
            else []
        ),
    }
    return render(request, "proposals/assessment/assess.html", context)


@committee_page
def assessment_attachment(request, seat_pk: int, proposal_pk: int, attachment_pk: int):
    seat = _seat(request, seat_pk)
    proposal = _cleared_proposal(request, seat, proposal_pk)
    attachment = get_object_or_404(
        Attachment.objects.select_related("required_document"), pk=attachment_pk, proposal=proposal
    )
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
