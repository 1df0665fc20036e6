"""An officer records the follow-up purchases (phase 3) of a call."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from calls.selectors.calls import calls_managed_by
from portal.exceptions import DomainError

from ..forms.purchases import PurchaseForm
from ..selectors.purchases import purchases_of_call
from ..services.purchases import follow_up_purchase_record


@login_required
def follow_up(request, call_pk: int):
    call = calls_managed_by(request.user).filter(pk=call_pk).first()
    if call is None:
        raise Http404
    form = PurchaseForm(request.POST or None, call=call)
    if request.method == "POST" and form.is_valid():
        try:
            follow_up_purchase_record(actor=request.user, call=call, **form.cleaned_data)
        except DomainError as error:
            form.add_service_error(error)
        else:
            messages.success(request, _("The follow-up purchase is recorded."))
            return redirect("funding:follow_up", call_pk=call.pk)
    return render(
        request,
        "funding/follow_up.html",
        {"call": call, "form": form, "purchases": purchases_of_call(call)},
    )
