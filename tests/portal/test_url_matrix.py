"""Every URL name of every app, for every role: the expected answer to a GET.

The URL names come from the URLconf itself, so a new page that is missing from ``EXPECTED``
fails ``test_every_url_name_is_in_the_table``: nobody can add a page and forget to decide who
may reach it. The objects a URL needs come from one world (a call past its deadline with an
awarded proposal, a contract with a delivered report, a committee with its signed advice, a
parliament report, an export); the kwargs are filled in from the pattern's converters.

Roles: anonymous, a member of the company that submitted, a member of another company, the
call's officer, another authority's officer, an assessor and the chair of the committee,
ministry staff, and an administrator (superuser, staff) without any role in the procedure.
"""

import logging
import time
from datetime import timedelta

import pytest
from django.core.files.base import ContentFile
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from portal.identity.models import ApiToken
from portal.models import Role
from proposals.models import (
    Advice,
    Assignment,
    ConflictDeclaration,
    Decision,
    DecisionLetter,
    Objection,
)
from reporting.models import Export, OcdsRelease, ParliamentReport
from reporting.services.opendata import ocds_backfill, ocds_bulk_build
from tests.calls.factories import officer_of
from tests.conftest import login_verified
from tests.factories import AuthorityFactory, UserFactory, api_key_for, person_with_role
from tests.proposals.factories import applicant, deadline_passed
from tests.proposals.test_officer_pages import (  # noqa: F401  (the world's fixtures)
    advised,
    assessing,
    delivered,
    submitted,
)

ROLES = (
    "anonymous",
    "company",
    "other_company",
    "officer",
    "other_officer",
    "assessor",
    "chair",
    "ministry",
    "admin",
)
SKIPPED_NAMESPACES = {"admin"}  # Django's own administration, tested in test_permissions.py


def url_names() -> dict[str, URLPattern]:
    """Every named URL of the portal (namespaced like reverse() wants it)."""
    found: dict[str, URLPattern] = {}

    def walk(patterns, namespace: str | None) -> None:
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                if pattern.namespace in SKIPPED_NAMESPACES:
                    continue
                inner = ":".join(n for n in (namespace, pattern.namespace) if n) or None
                walk(pattern.url_patterns, inner)
            elif pattern.name:
                found[f"{namespace}:{pattern.name}" if namespace else pattern.name] = pattern

    walk(get_resolver().url_patterns, None)
    return found


# A status per role, in the order of ROLES. 302 for anonymous is the login page; 405 a page
# that only takes POST; 404 "does not exist for you".
# Columns: anonymous, company, other company, officer, other officer, assessor, chair,
# ministry, admin. The world's seat in every URL is the chair's, so the assessor (another seat)
# gets 404 on the committee's pages; the proposal is the awarded one, except under
# assessment/ where it is the one the chair and the assessor declared no conflict for.
EXPECTED: dict[str, tuple[int, ...]] = {
    "accessibility": (200, 200, 200, 200, 200, 200, 200, 200, 200),
    "account": (302, 200, 200, 200, 200, 200, 200, 200, 200),
    "api-assessment-detail": (401, 405, 405, 405, 405, 405, 405, 405, 405),
    "api-assessment-list": (401, 200, 200, 200, 200, 200, 200, 200, 200),
    "api-call-cancel": (401, 405, 405, 405, 405, 405, 405, 405, 405),
    "api-call-close": (401, 405, 405, 405, 405, 405, 405, 405, 405),
    "api-call-complete": (401, 405, 405, 405, 405, 405, 405, 405, 405),
    "api-call-detail": (200, 200, 200, 200, 200, 200, 200, 200, 200),
    "api-call-exclusion-ground": (401, 405, 405, 405, 405, 405, 405, 405, 405),
    "api-call-exclusion-grounds": (401, 405, 405, 405, 405, 405, 405, 405, 405),
    "api-call-list": (200, 200, 200, 200, 200, 200, 200, 200, 200),
    "api-call-min-invitations": (401, 405, 405, 405, 405, 405, 405, 405, 405),
    "api-call-mine": (401, 403, 403, 200, 200, 403, 403, 403, 403),
    "api-call-notice-detail": (401, 404, 404, 404, 404, 404, 404, 404, 404),
    "api-call-notice-send": (401, 405, 405, 405, 405, 405, 405, 405, 405),
    "api-call-notice-xml": (401, 404, 404, 404, 404, 404, 404, 404, 404),
    "api-call-notices": (401, 404, 404, 200, 404, 404, 404, 404, 404),
    "api-call-publish": (401, 405, 405, 405, 405, 405, 405, 405, 405),
    "api-call-selection-criteria": (401, 405, 405, 405, 405, 405, 405, 405, 405),
    "api-call-selection-criterion": (401, 405, 405, 405, 405, 405, 405, 405, 405),
    "api-call-send-invitations": (401, 405, 405, 405, 405, 405, 405, 405, 405),
    "api-cofinancing-approve": (401, 403, 403, 405, 405, 403, 403, 405, 403),
    "api-cofinancing-list": (401, 403, 403, 200, 200, 403, 403, 200, 403),
    "api-cofinancing-reject": (401, 403, 403, 405, 405, 403, 403, 405, 403),
    "api-decision-detail": (401, 200, 404, 200, 404, 404, 404, 404, 404),
    "api-decision-list": (401, 200, 200, 200, 200, 200, 200, 200, 200),
    "api-decision-objections": (401, 405, 405, 405, 405, 405, 405, 405, 405),
    "api-docs": (200, 200, 200, 200, 200, 200, 200, 200, 200),
    "api-follow-up-purchase-list": (401, 404, 404, 200, 404, 404, 404, 404, 404),
    "api-fund-appropriations": (401, 403, 403, 405, 405, 403, 403, 405, 403),
    "api-fund-list": (401, 403, 403, 200, 200, 403, 403, 200, 403),
    "api-fund-transactions": (401, 403, 403, 404, 404, 403, 403, 404, 403),
    "api-mandate-list": (401, 403, 403, 200, 200, 403, 403, 403, 403),
    "api-mandate-revoke": (401, 403, 403, 405, 405, 403, 403, 403, 403),
    "api-me": (401, 200, 200, 200, 200, 200, 200, 200, 200),
    "api-objection-answer": (401, 405, 405, 405, 405, 405, 405, 405, 405),
    "api-objection-detail": (401, 200, 404, 200, 404, 404, 404, 404, 404),
    "api-objection-list": (401, 200, 200, 200, 200, 200, 200, 200, 200),
    "api-objection-withdraw": (401, 405, 405, 405, 405, 405, 405, 405, 405),
    "api-opendata-bulk": (200, 200, 200, 200, 200, 200, 200, 200, 200),
    "api-opendata-call-releases": (200, 200, 200, 200, 200, 200, 200, 200, 200),
    "api-opendata-history": (200, 200, 200, 200, 200, 200, 200, 200, 200),
    "api-opendata-record": (200, 200, 200, 200, 200, 200, 200, 200, 200),
    "api-opendata-records": (200, 200, 200, 200, 200, 200, 200, 200, 200),
    "api-opendata-releases": (200, 200, 200, 200, 200, 200, 200, 200, 200),
    "api-organisation-list": (200, 200, 200, 200, 200, 200, 200, 200, 200),
    "api-participation-decide": (401, 405, 405, 405, 405, 405, 405, 405, 405),
    "api-participation-list": (401, 200, 200, 200, 200, 200, 200, 200, 200),
    "api-participation-withdraw": (401, 405, 405, 405, 405, 405, 405, 405, 405),
    "api-negotiation-round-list": (401, 200, 200, 200, 200, 200, 200, 200, 200),
    "api-negotiation-round-detail": (401, 404, 404, 404, 404, 404, 404, 404, 404),
    "api-negotiation-round-tenders": (401, 404, 404, 404, 404, 404, 404, 404, 404),
    "api-partnership-phase-list": (401, 200, 200, 200, 200, 200, 200, 200, 200),
    "api-partnership-phase-detail": (401, 404, 404, 404, 404, 404, 404, 404, 404),
    "api-partnership-phase-report": (401, 405, 405, 405, 405, 405, 405, 405, 405),
    "api-partnership-phase-decision": (401, 405, 405, 405, 405, 405, 405, 405, 405),
    "api-partnership-phase-purchase": (401, 405, 405, 405, 405, 405, 405, 405, 405),
    "api-phase-start-assessment": (401, 405, 405, 405, 405, 405, 405, 405, 405),
    "api-letter-detail": (401, 200, 404, 200, 404, 404, 404, 404, 404),
    "api-letter-download": (401, 200, 404, 200, 404, 404, 404, 404, 404),
    "api-letter-list": (401, 200, 200, 200, 200, 200, 200, 200, 200),
    "api-proposal-decision": (401, 405, 405, 405, 405, 405, 405, 405, 405),
    "api-proposal-detail": (401, 200, 404, 200, 404, 404, 404, 404, 404),
    "api-proposal-list": (401, 200, 200, 200, 200, 200, 200, 200, 200),
    "api-proposal-submit": (401, 405, 405, 405, 405, 405, 405, 405, 405),
    "api-proposal-withdraw": (401, 405, 405, 405, 405, 405, 405, 405, 405),
    "api-round-close": (401, 403, 403, 405, 405, 403, 403, 405, 403),
    "api-round-list": (401, 403, 403, 200, 200, 403, 403, 200, 403),
    "api-round-open": (401, 403, 403, 405, 405, 403, 403, 405, 403),
    "api-schema": (200, 200, 200, 200, 200, 200, 200, 200, 200),
    "api-token-list": (401, 200, 200, 200, 200, 200, 200, 200, 200),
    "api-token-revoke": (401, 405, 405, 405, 405, 405, 405, 405, 405),
    "api-trajectory-list": (401, 403, 403, 200, 200, 403, 403, 200, 403),
    "audit_trail": (302, 403, 403, 403, 403, 403, 403, 403, 200),
    "backup_codes": (302, 405, 405, 405, 405, 405, 405, 405, 405),
    "calls:ask": (302, 200, 200, 403, 403, 403, 403, 403, 403),
    "calls:clarification_pdf": (404, 404, 404, 404, 404, 404, 404, 404, 404),
    "calls:detail": (200, 200, 200, 200, 200, 200, 200, 200, 200),
    "calls:document": (404, 404, 404, 404, 404, 404, 404, 404, 404),
    "calls:feed": (200, 200, 200, 200, 200, 200, 200, 200, 200),
    "proposals:results_feed": (200, 200, 200, 200, 200, 200, 200, 200, 200),
    "calls:follow": (405, 405, 405, 405, 405, 405, 405, 405, 405),
    "calls:ical": (200, 200, 200, 200, 200, 200, 200, 200, 200),
    "calls:list": (200, 200, 200, 200, 200, 200, 200, 200, 200),
    "calls:mandate_revoke": (302, 405, 405, 405, 405, 405, 405, 405, 405),
    "calls:mandates": (302, 403, 403, 200, 200, 403, 403, 403, 403),
    "calls:officer_amend": (302, 404, 404, 200, 404, 404, 404, 404, 404),
    "calls:officer_answer": (302, 405, 405, 405, 405, 405, 405, 405, 405),
    "calls:officer_cancel": (302, 404, 404, 200, 404, 404, 404, 404, 404),
    "calls:officer_clarifications": (302, 404, 404, 200, 404, 404, 404, 404, 404),
    "calls:officer_close": (302, 405, 405, 405, 405, 405, 405, 405, 405),
    "calls:officer_complete": (302, 404, 404, 200, 404, 404, 404, 404, 404),
    "calls:officer_create": (302, 403, 403, 200, 200, 403, 403, 403, 403),
    "calls:officer_criteria": (302, 404, 404, 200, 404, 404, 404, 404, 404),
    "calls:officer_document_delete": (302, 405, 405, 405, 405, 405, 405, 405, 405),
    "calls:officer_documents": (302, 404, 404, 200, 404, 404, 404, 404, 404),
    "calls:officer_edit": (302, 404, 404, 200, 404, 404, 404, 404, 404),
    "calls:officer_form_questions": (302, 404, 404, 200, 404, 404, 404, 404, 404),
    "calls:officer_list": (302, 403, 403, 200, 200, 403, 403, 403, 403),
    "calls:officer_manage": (302, 404, 404, 200, 404, 404, 404, 404, 404),
    "calls:officer_participation": (302, 404, 404, 404, 404, 404, 404, 404, 404),
    "calls:officer_participation_decide": (302, 404, 404, 404, 404, 404, 404, 404, 404),
    "calls:officer_participation_invite": (302, 405, 405, 405, 405, 405, 405, 405, 405),
    "calls:officer_selection": (302, 404, 404, 404, 404, 404, 404, 404, 404),
    "calls:officer_phases": (302, 404, 404, 200, 404, 404, 404, 404, 404),
    "calls:officer_prizes": (302, 404, 404, 404, 404, 404, 404, 404, 404),
    "calls:officer_publish": (302, 404, 404, 302, 404, 404, 404, 404, 404),
    "calls:officer_publish_answers": (302, 404, 404, 302, 404, 404, 404, 404, 404),
    "calls:participation_detail": (302, 404, 404, 404, 404, 404, 404, 404, 404),
    "calls:participation_document": (302, 404, 404, 404, 404, 404, 404, 404, 404),
    "calls:participation_mine": (302, 200, 200, 403, 403, 403, 403, 403, 403),
    "calls:participation_withdraw": (302, 405, 405, 405, 405, 405, 405, 405, 405),
    "calls:request_participation": (302, 404, 404, 404, 404, 404, 404, 404, 404),
    "calls:unfollow": (405, 405, 405, 405, 405, 405, 405, 405, 405),
    "cofinancing:apply": (302, 404, 404, 200, 404, 404, 404, 404, 404),
    "cofinancing:approve": (302, 405, 405, 405, 405, 405, 405, 405, 405),
    "cofinancing:close_round": (302, 405, 405, 405, 405, 405, 405, 405, 405),
    "cofinancing:mine": (302, 403, 403, 200, 200, 403, 403, 403, 403),
    "cofinancing:open_round": (302, 405, 405, 405, 405, 405, 405, 405, 405),
    "cofinancing:reject": (302, 405, 405, 405, 405, 405, 405, 405, 405),
    "cofinancing:review": (302, 403, 403, 403, 403, 403, 403, 200, 403),
    "cofinancing:rounds": (302, 403, 403, 403, 403, 403, 403, 200, 403),
    "dashboard": (302, 200, 200, 200, 200, 200, 200, 200, 200),
    "eherkenning:acs": (404, 404, 404, 404, 404, 404, 404, 404, 404),
    "eherkenning:dienstcatalogus": (400, 400, 400, 400, 400, 400, 400, 400, 400),
    "eherkenning:login": (302, 302, 302, 302, 302, 302, 302, 302, 302),
    "eherkenning:metadata": (400, 400, 400, 400, 400, 400, 400, 400, 400),
    "favicon": (200, 200, 200, 200, 200, 200, 200, 200, 200),
    "funding:appropriate": (302, 403, 403, 403, 403, 403, 403, 404, 403),
    "funding:budget_years": (302, 403, 403, 403, 403, 403, 403, 404, 403),
    "funding:call_money": (302, 404, 404, 200, 404, 404, 404, 200, 404),
    "funding:dashboard": (302, 403, 403, 403, 403, 403, 403, 200, 403),
    "funding:follow_up": (302, 404, 404, 200, 404, 404, 404, 404, 404),
    "funding:funds": (302, 403, 403, 403, 403, 403, 403, 200, 403),
    "funding:targets": (302, 403, 403, 200, 200, 403, 403, 200, 403),
    "funding:transactions": (302, 403, 403, 403, 403, 403, 403, 404, 403),
    "health": (200, 200, 200, 200, 200, 200, 200, 200, 200),
    "home": (200, 200, 200, 200, 200, 200, 200, 200, 200),
    "identity:api_token_revoke": (302, 405, 405, 405, 405, 405, 405, 405, 405),
    "identity:api_tokens": (302, 200, 200, 200, 200, 200, 200, 200, 200),
    "identity:companies": (302, 404, 404, 404, 404, 404, 404, 200, 200),
    "identity:company": (302, 404, 404, 404, 404, 404, 404, 200, 200),
    "identity:eherkenning_details": (302, 302, 302, 302, 302, 302, 302, 302, 302),
    "identity:eherkenning_link": (302, 302, 302, 302, 302, 302, 302, 302, 302),
    "identity:eherkenning_login": (302, 302, 302, 302, 302, 302, 302, 302, 302),
    "identity:eherkenning_mock": (200, 200, 200, 200, 200, 200, 200, 200, 200),
    "identity:email_confirm": (400, 400, 400, 400, 400, 400, 400, 400, 400),
    "identity:email_confirm_resend": (405, 405, 405, 405, 405, 405, 405, 405, 405),
    "identity:email_unconfirmed": (302, 200, 200, 200, 200, 200, 200, 200, 200),
    "identity:invitation": (404, 404, 404, 404, 404, 404, 404, 404, 404),
    "identity:oidc_callback": (302, 302, 302, 302, 302, 302, 302, 302, 302),
    "identity:oidc_login": (404, 404, 404, 404, 404, 404, 404, 404, 404),
    "identity:registration_sent": (200, 200, 200, 200, 200, 200, 200, 200, 200),
    "identity:team": (302, 200, 200, 404, 404, 404, 404, 404, 404),
    "identity:team_invitation_withdraw": (302, 405, 405, 405, 405, 405, 405, 405, 405),
    "identity:team_invite": (302, 405, 405, 405, 405, 405, 405, 405, 405),
    "identity:company_details": (302, 405, 405, 405, 405, 405, 405, 405, 405),
    "identity:team_remove": (302, 405, 405, 405, 405, 405, 405, 405, 405),
    "identity:team_role": (302, 405, 405, 405, 405, 405, 405, 405, 405),
    "identity:verification_revoke": (302, 405, 405, 405, 405, 405, 405, 405, 405),
    "login": (200, 302, 302, 302, 302, 302, 302, 302, 302),
    "logout": (405, 405, 405, 405, 405, 405, 405, 405, 405),
    "notices:details": (302, 405, 405, 405, 405, 405, 405, 405, 405),
    "notices:officer": (302, 404, 404, 200, 404, 404, 404, 404, 404),
    "notices:prepare": (302, 405, 405, 405, 405, 405, 405, 405, 405),
    "notices:prepare_again": (302, 405, 405, 405, 405, 405, 405, 405, 405),
    "notices:published_xml": (404, 404, 404, 404, 404, 404, 404, 404, 404),
    "notices:send": (302, 405, 405, 405, 405, 405, 405, 405, 405),
    "notices:xml": (302, 404, 404, 404, 404, 404, 404, 404, 404),
    "opendata:bulk": (200, 200, 200, 200, 200, 200, 200, 200, 200),
    "opendata:call": (200, 200, 200, 200, 200, 200, 200, 200, 200),
    "opendata:call_history": (200, 200, 200, 200, 200, 200, 200, 200, 200),
    "opendata:history": (200, 200, 200, 200, 200, 200, 200, 200, 200),
    "opendata:index": (200, 200, 200, 200, 200, 200, 200, 200, 200),
    "opendata:record": (200, 200, 200, 200, 200, 200, 200, 200, 200),
    "opendata:records": (200, 200, 200, 200, 200, 200, 200, 200, 200),
    "opendata:releases": (200, 200, 200, 200, 200, 200, 200, 200, 200),
    "password_change": (302, 200, 200, 200, 200, 200, 200, 200, 200),
    "password_change_done": (302, 200, 200, 200, 200, 200, 200, 200, 200),
    "password_reset": (200, 200, 200, 200, 200, 200, 200, 200, 200),
    "password_reset_complete": (200, 200, 200, 200, 200, 200, 200, 200, 200),
    "password_reset_confirm": (200, 200, 200, 200, 200, 200, 200, 200, 200),
    "password_reset_done": (200, 200, 200, 200, 200, 200, 200, 200, 200),
    "proposals:advice": (302, 404, 404, 404, 404, 404, 200, 404, 404),
    "proposals:advice_pdf": (302, 404, 404, 200, 404, 404, 200, 404, 404),
    "proposals:assess": (302, 404, 404, 404, 404, 404, 200, 404, 404),
    "proposals:assessment_attachment": (302, 404, 404, 404, 404, 404, 404, 404, 404),
    "proposals:attachment": (302, 200, 404, 200, 404, 404, 404, 404, 404),
    "proposals:code_of_conduct": (302, 404, 404, 404, 404, 404, 200, 404, 404),
    "proposals:committee_home": (302, 404, 404, 404, 404, 200, 200, 404, 404),
    "proposals:consensus": (302, 404, 404, 404, 404, 404, 200, 404, 404),
    "proposals:declarations": (302, 404, 404, 404, 404, 404, 200, 404, 404),
    "proposals:seat_assignments": (302, 404, 404, 404, 404, 404, 200, 404, 404),
    "proposals:declare": (302, 404, 404, 404, 404, 404, 200, 404, 404),
    "proposals:deliver": (302, 200, 404, 404, 404, 404, 404, 404, 404),
    "proposals:deputy": (302, 404, 404, 404, 404, 404, 404, 404, 404),
    "proposals:detail": (302, 200, 404, 200, 404, 404, 404, 404, 404),
    "proposals:edit": (302, 200, 404, 404, 404, 404, 404, 404, 404),
    "proposals:mine": (302, 200, 200, 403, 403, 403, 403, 403, 403),
    "proposals:objection": (302, 200, 404, 302, 404, 404, 404, 404, 404),
    "proposals:objection_document": (302, 404, 404, 404, 404, 404, 404, 404, 404),
    "proposals:objection_lodge": (302, 200, 404, 404, 404, 404, 404, 404, 404),
    "proposals:objection_receipt": (302, 200, 404, 200, 404, 404, 404, 404, 404),
    "proposals:objection_withdraw": (302, 405, 405, 405, 405, 405, 405, 405, 405),
    "proposals:officer_assign": (302, 405, 405, 405, 405, 405, 405, 405, 405),
    "proposals:officer_assign_auto": (302, 405, 405, 405, 405, 405, 405, 405, 405),
    "proposals:officer_assignment_withdraw": (302, 404, 404, 404, 404, 404, 404, 404, 404),
    "proposals:officer_committee_create": (302, 405, 405, 405, 405, 405, 405, 405, 405),
    "proposals:officer_contract_end": (302, 404, 404, 200, 404, 404, 404, 404, 404),
    # Innovation partnership pages: the world's call is an SBIR, so they do not exist for it
    # (tests/proposals/test_partnership_pages.py tests them on a partnership).
    "proposals:officer_negotiation": (302, 404, 404, 404, 404, 404, 404, 404, 404),
    "proposals:officer_round": (302, 404, 404, 404, 404, 404, 404, 404, 404),
    "proposals:version_document": (302, 404, 404, 404, 404, 404, 404, 404, 404),
    "proposals:tender_negotiation": (302, 404, 404, 404, 404, 404, 404, 404, 404),
    "proposals:officer_partnership": (302, 404, 404, 404, 404, 404, 404, 404, 404),
    "proposals:officer_plan": (302, 404, 404, 404, 404, 404, 404, 404, 404),
    "proposals:officer_plan_decide": (302, 404, 404, 404, 404, 404, 404, 404, 404),
    "proposals:officer_plan_purchase": (302, 404, 404, 404, 404, 404, 404, 404, 404),
    "proposals:target_evidence": (302, 404, 404, 404, 404, 404, 404, 404, 404),
    "proposals:partnership": (302, 404, 404, 404, 404, 404, 404, 404, 404),
    "proposals:plan_report": (302, 404, 404, 404, 404, 404, 404, 404, 404),
    "proposals:officer_contracts": (302, 404, 404, 200, 200, 404, 404, 404, 404),
    "proposals:officer_decide": (302, 404, 404, 200, 404, 404, 404, 404, 404),
    "proposals:officer_deliverable_file": (302, 404, 404, 200, 404, 404, 404, 404, 404),
    "proposals:officer_deputy": (302, 405, 405, 405, 405, 405, 405, 405, 405),
    "proposals:officer_expert_invite": (302, 405, 405, 405, 405, 405, 405, 405, 405),
    "proposals:officer_member_add": (302, 405, 405, 405, 405, 405, 405, 405, 405),
    "proposals:officer_member_remove": (302, 404, 404, 404, 404, 404, 404, 404, 404),
    "proposals:officer_objection": (302, 404, 404, 200, 404, 404, 404, 404, 404),
    "proposals:officer_open_assessment": (302, 405, 405, 405, 405, 405, 405, 405, 405),
    "proposals:officer_phase": (302, 404, 404, 200, 404, 404, 404, 404, 404),
    # Only a contest's phase has prizes: the world's SBIR phase answers 404 to its officer too.
    "proposals:officer_prizes": (302, 404, 404, 404, 404, 404, 404, 404, 404),
    "proposals:officer_phase_deadline": (302, 405, 405, 405, 405, 405, 405, 405, 405),
    "proposals:officer_proposals": (302, 404, 404, 200, 404, 404, 404, 404, 404),
    "proposals:officer_review": (302, 404, 404, 200, 404, 404, 404, 404, 404),
    "proposals:opening": (302, 404, 404, 200, 404, 200, 200, 404, 404),
    "proposals:ranking": (302, 404, 404, 404, 404, 404, 200, 404, 404),
    "proposals:receipt": (302, 200, 404, 404, 404, 404, 404, 404, 404),
    "proposals:letter": (302, 200, 404, 200, 404, 404, 404, 404, 404),
    # The world's letter and objection are on an award, not on a selection: none of these.
    "proposals:selection_letter": (302, 404, 404, 404, 404, 404, 404, 404, 404),
    "proposals:selection_objection_lodge": (302, 404, 404, 404, 404, 404, 404, 404, 404),
    "proposals:selection_objection_answer": (302, 404, 404, 404, 404, 404, 404, 404, 404),
    "proposals:reopen": (302, 405, 405, 405, 405, 405, 405, 405, 405),
    "proposals:start": (302, 200, 200, 403, 403, 403, 403, 403, 403),
    "proposals:submit": (302, 302, 404, 404, 404, 404, 404, 404, 404),
    "proposals:withdraw": (302, 302, 404, 404, 404, 404, 404, 404, 404),
    "register": (200, 302, 302, 302, 302, 302, 302, 302, 302),
    "reporting:export": (302, 404, 404, 200, 404, 404, 404, 404, 404),
    "reporting:export_download": (302, 404, 404, 200, 404, 404, 404, 404, 404),
    "reporting:export_retry": (302, 405, 405, 405, 405, 405, 405, 405, 405),
    "reporting:export_status": (302, 404, 404, 302, 404, 404, 404, 404, 404),
    "reporting:exports": (302, 403, 403, 200, 200, 403, 403, 200, 403),
    "reporting:report": (302, 403, 403, 403, 403, 403, 403, 200, 403),
    "reporting:report_download": (302, 403, 403, 403, 403, 403, 403, 200, 403),
    "reporting:report_retry": (302, 405, 405, 405, 405, 405, 405, 405, 405),
    "reporting:report_status": (302, 403, 403, 403, 403, 403, 403, 302, 403),
    "reporting:reports": (302, 403, 403, 403, 403, 403, 403, 200, 403),
    "set_language": (302, 302, 302, 302, 302, 302, 302, 302, 302),
    "system_status": (302, 403, 403, 403, 403, 403, 403, 403, 200),
    "two_factor_disable": (302, 405, 405, 405, 405, 405, 405, 405, 405),
    "two_factor_setup": (302, 200, 200, 200, 200, 200, 200, 200, 200),
    "two_factor_verify": (302, 302, 302, 302, 302, 302, 302, 302, 302),
}


def _world(world):
    """The objects the URLs need, beside the people who ask for them."""
    call = deadline_passed(world.call)
    proposal = world.proposals[0]  # awarded, with a contract and a delivered report
    assessed = world.proposals[1]  # under assessment, assigned to the assessor
    seat = world.members[0]
    ConflictDeclaration.objects.create(member=seat, proposal=assessed, has_conflict=False)
    ConflictDeclaration.objects.create(member=world.chair, proposal=assessed, has_conflict=False)
    Assignment.objects.create(member=seat, proposal=assessed)
    # The advice as the chair signs it: with the scores per criterion of each row.
    advice = world.advice
    Advice.objects.filter(pk=advice.pk).update(
        ranking=[{**row, "scores": {}, "weighted": None} for row in advice.ranking]
    )
    ministry = person_with_role(Role.MINISTRY_STAFF)
    report = ParliamentReport.objects.create(
        requested_by=ministry,
        period_start=timezone.localdate() - timedelta(days=90),
        period_end=timezone.localdate(),
        status=ParliamentReport.Status.DONE,
    )
    report.file.save("rapport.pdf", ContentFile(b"%PDF-1.4 rapport"), save=True)
    export = Export.objects.create(
        requested_by=world.officer,
        kind=Export.Kind.PROPOSALS,
        format=Export.Format.CSV,
        status=Export.Status.DONE,
    )
    export.file.save("export.csv", ContentFile(b"a;b\n"), save=True)
    company_person = proposal.person
    # The receipt as the task keeps it (the page would otherwise render it on the spot).
    proposal.receipt.save("ontvangstbevestiging.pdf", ContentFile(b"%PDF-1.4 ontvangst"))
    # The company's decision letter as the task keeps it.
    letter = DecisionLetter.objects.create(
        decision=proposal.decisions.get(),
        proposal=proposal,
        authority_id=call.authority_id,
        year=2026,
        sequence=1,
        number="B-matrix-1",
        kind="award",
        decided_at=timezone.now(),
        dated_on=timezone.localdate(),
        language="nl",
    )
    letter.pdf.save("besluit.pdf", ContentFile(b"%PDF-1.4 besluit"))
    # A dismissed objection to the award, with its receipt as the task keeps it.
    decision = Decision.objects.get(proposal=proposal)
    objection = Objection.objects.create(
        decision=decision,
        number="BZW-TEST-1",
        text="Bezwaar",
        lodged_by=proposal.person,
        status=Objection.Status.DISMISSED,
        answer="Ongegrond",
    )
    objection.receipt.save("bezwaar.pdf", ContentFile(b"%PDF-1.4 bezwaar"))
    api_key_for(company_person)
    people = {
        "anonymous": None,
        "company": company_person,
        "other_company": applicant(),
        "officer": world.officer,
        "other_officer": officer_of(AuthorityFactory()),
        "assessor": seat.user,
        "chair": world.chair.user,
        "ministry": ministry,
        "admin": UserFactory(is_staff=True, is_superuser=True),
    }
    membership = company_person.memberships.get(role=Role.APPLICANT)
    objects = {
        "call": call,
        "phase": world.phase,
        "proposal": proposal,
        "attachment": proposal.attachments.first(),
        "seat": world.chair,
        "assessed": assessed,
        "assessment_pk": 999_999,
        "deliverable": world.deliverable,
        "contract": world.contract,
        "report": report,
        "export": export,
        "token": ApiToken.objects.filter(user=company_person).first(),
        "membership": membership,
        "document_pk": 999_999,
        "letter": letter,
        "decision": decision,
        "objection": objection,
    }
    # Open data with its history: the call's releases (from its dates) and the year's file.
    ocds_backfill()
    bulk = ocds_bulk_build(year=OcdsRelease.objects.dates("date", "year")[0].year)
    objects["ocid"] = OcdsRelease.objects.filter(call=call).values_list("ocid", flat=True)[0]
    objects["year"] = bulk.year
    return people, objects


def _kwargs(name: str, pattern: URLPattern, objects: dict) -> dict:
    """Fill in each converter of the pattern with the world's object for it."""
    keys = list(pattern.pattern.regex.groupindex)
    app = name.split(":")[0] if ":" in name else ""
    by_pk = {
        "calls": objects["call"],
        "proposals": objects["proposal"],
        "reporting": objects["export"] if ":export" in name else objects["report"],
        "identity": objects["membership"],
        "opendata": objects["call"],
        "notices": objects["call"],
    }
    values = {}
    for key in keys:
        if key == "pk":
            if name.startswith("api-call") or name.startswith("api-opendata"):
                target = objects["call"]
            elif name.startswith("api-proposal"):
                target = objects["proposal"]
            elif name.startswith("api-letter"):
                target = objects["letter"]
            elif name.startswith("api-decision"):
                target = objects["decision"]
            elif name.startswith("api-objection"):
                target = objects["objection"]
            elif name.startswith("api-phase"):
                target = objects["phase"]
            elif name in ("api-token-revoke", "identity:api_token_revoke"):
                target = objects["token"]
            elif name == "identity:company":
                target = objects["proposal"].company
            else:
                target = by_pk.get(app)
            values[key] = target.pk if target is not None else 999_999
        elif key in ("call_pk",):
            values[key] = objects["call"].pk
        elif key == "phase_pk":
            values[key] = objects["phase"].pk
        elif key == "proposal_pk":
            values[key] = objects["assessed"].pk
        elif key == "seat_pk":
            values[key] = objects["seat"].pk
        elif key == "attachment_pk":
            values[key] = objects["attachment"].pk
        elif key == "deliverable_pk":
            values[key] = objects["deliverable"].pk
        elif key == "letter_pk":
            values[key] = objects["letter"].pk
        elif key == "contract_pk":
            values[key] = objects["contract"].pk
        elif key == "objection_pk":
            values[key] = objects["objection"].pk
        elif key in (
            "assessment_pk",
            "document_pk",
            "request_pk",
            "question_pk",
            "assignment_pk",
            "member_pk",
            "round_pk",
            "application_pk",
            "mandate_pk",
            "purchase_pk",
            "plan_pk",
            "version_pk",
            "report_pk",
            "notice_pk",
            "criterion_id",
            "ground_id",
        ):
            values[key] = 999_999
        elif key == "number":
            values[key] = 1
        elif key in ("ocid", "year"):
            values[key] = objects[key]
        elif key == "slug":
            values[key] = objects["call"].slug if app == "calls" else "onbekend"
        elif key in ("fund_code", "code", "token", "uidb64"):
            values[key] = "onbekend"
        else:
            raise AssertionError(f"no object for {key} of {name}: add it to _kwargs")
    return values


def _ask_all(role: str, people: dict, urls: dict[str, str], got: dict[str, list[int]]) -> None:
    client = Client(raise_request_exception=False)
    if people[role] is not None:
        login_verified(client, people[role])
    for name, url in urls.items():
        got[name].append(client.get(url).status_code)


def test_every_url_name_is_in_the_table():
    missing = sorted(set(url_names()) - set(EXPECTED))
    stale = sorted(set(EXPECTED) - set(url_names()))
    assert missing == [], "decide who may GET these pages: add them to EXPECTED"
    assert stale == []


@pytest.mark.django_db
def test_every_role_gets_what_the_table_says_from_every_url(request):
    people, objects = _world(request.getfixturevalue("delivered"))
    started = time.monotonic()
    patterns = url_names()
    urls = {
        name: reverse(name, kwargs=_kwargs(name, pattern, objects))
        for name, pattern in sorted(patterns.items())
    }
    got: dict[str, list[int]] = {name: [] for name in urls}
    quiet = logging.getLogger("django.request")
    level, quiet.level = quiet.level, logging.CRITICAL  # 1,500 refusals, each with a traceback
    try:
        for role in ROLES:
            _ask_all(role, people, urls, got)
    finally:
        quiet.level = level
    elapsed = time.monotonic() - started
    wrong = {
        name: {
            role: (want, have)
            for role, want, have in zip(ROLES, EXPECTED.get(name, ()), got[name], strict=False)
            if want != have
        }
        for name in urls
        if tuple(got[name]) != EXPECTED.get(name)
    }
    print(f"{len(urls)} URL names x {len(ROLES)} roles in {elapsed:.1f} s")
    table = "\n".join(f'    "{name}": ({", ".join(map(str, got[name]))}),' for name in sorted(got))
    assert wrong == {}, f"what each role got now:\n{table}"
    assert all(status < 500 for statuses in got.values() for status in statuses)
