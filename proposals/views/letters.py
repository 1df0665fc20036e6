"""Decision letters: the download, for the company it is addressed to and the call's officers.

A first download by someone of the company records that the letter was read; the officer
sees it on the phase's page.
"""

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.views.decorators.http import require_GET

from portal.files import file_response
from portal.permissions import can

from ..selectors.letters import letter_by_pk
from ..services.letters import decision_letter_mark_read


@login_required
@require_GET
def letter(request, pk: int, letter_pk: int):
    found = letter_by_pk(letter_pk)
    if (
        found is None
        or found.proposal_id != pk
        or not found.pdf
        or not can(request.user, "proposals.view_letter", found)
    ):
        raise Http404
    response = file_response(found.pdf, filename=found.filename)
    decision_letter_mark_read(letter=found, actor=request.user)
    return response
