"""What notice tests share: an authority with everything a notice needs, and a call of it."""

from calls.models import Call
from portal.models import Organisation
from tests.calls.factories import draft_call, officer_of
from tests.factories import AuthorityFactory


def complete_authority(**fields) -> Organisation:
    values = {
        "authority_tier": Organisation.AuthorityTier.CENTRAL_GOVERNMENT,
        "main_activity": Organisation.MainActivity.ECONOMIC_AFFAIRS,
        "street_address": "Griffioenlaan 2",
        "postal_code": "3526 LA",
        "city": "Utrecht",
        "nuts_code": "NL350",
        "telephone": "088-7972950",
        "review_body_postal_code": "3511 EP",
        "review_body_nuts_code": "NL350",
        "oin": "00000001900000000001",
        "review_body_name": "Rechtbank Midden-Nederland",
        "review_body_city": "Utrecht",
        "review_body_identifier": "00000001900000000101",
    }
    return AuthorityFactory(**{**values, **fields})


def notice_ready_call(*, publish: bool = True, **fields) -> Call:
    """An SBIR of a complete authority, with CPV code and NUTS region, published by default."""
    from calls.services.lifecycle import call_publish

    officer = officer_of(complete_authority())
    values = {
        "cpv_code": "73100000",
        "place_of_performance_nuts": "NL350",
        "tender_validity": 3,
        **fields,
    }
    call = draft_call(officer=officer, **values)
    if publish:
        call = call_publish(call=call, actor=officer)
    call.officer = officer
    return call


def rule_clean_call(**fields) -> Call:
    """``notice_ready_call`` whose later phases have their deadlines too: its contract notice
    breaks no business rule of the eForms SDK, so TenderNed (the stand-in) accepts it."""
    from datetime import timedelta

    from calls.services.lifecycle import call_publish

    call = notice_ready_call(publish=False, **fields)
    officer = call.officer
    for phase in call.phases.filter(order__gt=1):
        phase.deadline = call.deadline + timedelta(days=90 * (phase.order - 1))
        phase.save(update_fields=["deadline"])
    call = call_publish(call=call, actor=officer)
    call.officer = officer
    return call
