"""Calls' pages: the public's, a company's, and the procurement officer's."""

from django.urls import path

from .views import company, feeds, public
from .views.officer import calls as officer_calls
from .views.officer import clarifications as officer_clarifications
from .views.officer import mandates as officer_mandates
from .views.officer import participation as officer_participation

app_name = "calls"

urlpatterns = [
    path("calls/", public.call_list, name="list"),
    path("calls/feed/", feeds.LatestCallsFeed(), name="feed"),
    path("calls/<int:pk>-<slug:slug>/", public.call_detail_page, name="detail"),
    path("calls/<int:pk>/follow/", public.follow, name="follow"),
    path("calls/<int:pk>/unfollow/", public.unfollow, name="unfollow"),
    path("calls/<int:pk>/documents/<int:document_pk>/", public.document, name="document"),
    path("calls/<int:pk>/deadlines.ics", public.ical, name="ical"),
    path("calls/<int:pk>/questions/ask/", company.ask, name="ask"),
    path(
        "calls/<int:pk>/questions/<int:number>.pdf",
        public.clarification_pdf,
        name="clarification_pdf",
    ),
    path(
        "calls/<int:pk>/questions/manage/",
        officer_clarifications.officer_clarifications,
        name="officer_clarifications",
    ),
    path(
        "calls/<int:pk>/questions/<int:question_pk>/answer/",
        officer_clarifications.officer_answer,
        name="officer_answer",
    ),
    path(
        "calls/<int:pk>/questions/publish/",
        officer_clarifications.officer_publish_answers,
        name="officer_publish_answers",
    ),
    path(
        "calls/<int:pk>/participate/", company.request_participation, name="request_participation"
    ),
    path("calls/participation/", company.participation_mine, name="participation_mine"),
    path(
        "calls/participation/<int:request_pk>/",
        company.participation_detail,
        name="participation_detail",
    ),
    path(
        "calls/participation/<int:request_pk>/withdraw/",
        company.participation_withdraw,
        name="participation_withdraw",
    ),
    path(
        "calls/participation/<int:request_pk>/document/",
        company.participation_document,
        name="participation_document",
    ),
    path("officer/calls/", officer_calls.officer_list, name="officer_list"),
    path("officer/mandates/", officer_mandates.mandates, name="mandates"),
    path("officer/mandates/<int:pk>/revoke/", officer_mandates.revoke, name="mandate_revoke"),
    path("officer/calls/new/", officer_calls.officer_create, name="officer_create"),
    path("officer/calls/<int:pk>/", officer_calls.officer_manage, name="officer_manage"),
    path("officer/calls/<int:pk>/edit/", officer_calls.officer_edit, name="officer_edit"),
    path("officer/calls/<int:pk>/publish/", officer_calls.officer_publish, name="officer_publish"),
    path("officer/calls/<int:pk>/close/", officer_calls.officer_close, name="officer_close"),
    path(
        "officer/calls/<int:pk>/complete/", officer_calls.officer_complete, name="officer_complete"
    ),
    path("officer/calls/<int:pk>/cancel/", officer_calls.officer_cancel, name="officer_cancel"),
    path("officer/calls/<int:pk>/amend/", officer_calls.officer_amend, name="officer_amend"),
    path("officer/calls/<int:pk>/phases/", officer_calls.officer_phases, name="officer_phases"),
    path(
        "officer/calls/<int:pk>/phases/<int:phase_pk>/criteria/",
        officer_calls.officer_criteria,
        name="officer_criteria",
    ),
    path(
        "officer/calls/<int:pk>/phases/<int:phase_pk>/prizes/",
        officer_calls.officer_prizes,
        name="officer_prizes",
    ),
    path(
        "officer/calls/<int:pk>/questions/",
        officer_calls.officer_form_questions,
        name="officer_form_questions",
    ),
    path(
        "officer/calls/<int:pk>/documents/",
        officer_calls.officer_documents,
        name="officer_documents",
    ),
    path(
        "officer/calls/<int:pk>/documents/<int:document_pk>/delete/",
        officer_calls.officer_document_delete,
        name="officer_document_delete",
    ),
    path(
        "officer/calls/<int:pk>/participation/",
        officer_participation.officer_participation,
        name="officer_participation",
    ),
    path(
        "officer/calls/<int:pk>/participation/<int:request_pk>/",
        officer_participation.officer_participation_decide,
        name="officer_participation_decide",
    ),
    path(
        "officer/calls/<int:pk>/selection/",
        officer_participation.officer_selection,
        name="officer_selection",
    ),
    path(
        "officer/calls/<int:pk>/participation/invite/",
        officer_participation.officer_participation_invite,
        name="officer_participation_invite",
    ),
]
