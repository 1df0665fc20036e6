"""The notices API for a call's procurement officers: list, one notice with its validation report,
its XML, and sending it to TenderNed. Reads come from reporting.selectors.notices, the send from
reporting.services.notices; errors follow portal.api.errors (400 a rule, 409 the status)."""

from django.http import Http404, HttpResponse
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_field
from rest_framework import permissions, serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from calls.models import Call
from portal.permissions import can

from ..eforms.validation import SOURCES, describe
from ..models import Notice
from ..selectors.findings import PLACES, CallPhases, Finding, notice_findings
from ..selectors.notices import call_for_notices, notice_of_call, notices_of_call
from ..services.notices import notice_send


class ProblemSerializer(serializers.Serializer):
    source = serializers.ChoiceField(
        choices=list(SOURCES),
        help_text=_(
            "data: the portal lacks it; terms: a mandatory business term is empty; "
            "schema: the eForms XSD refuses the XML; rules: a business rule (Schematron) of "
            "the eForms SDK fails."
        ),
    )
    message = serializers.SerializerMethodField(
        help_text=_("The problem in words, in the language of the request.")
    )
    code = serializers.CharField(
        allow_blank=True, help_text=_("The problem's code: the business term or the rule.")
    )
    params = serializers.DictField(
        required=False, help_text=_("The values the words are made from.")
    )

    def get_message(self, problem: dict) -> str:
        return describe(problem)


class FindingSerializer(serializers.Serializer):
    """One point of the notice's check as the officer's notices page shows it, from the same
    selector (reporting.selectors.findings): in words, with where it is fixed."""

    words = serializers.CharField(
        help_text=_("The point in words, in the language of the request.")
    )
    where = serializers.CharField(
        help_text=_("Where it is fixed, in words, in the language of the request.")
    )
    place = serializers.ChoiceField(
        choices=list(PLACES),
        help_text=_(
            "Where the portal holds the value: details: the call's publication details on the "
            "notices page; call: the call's form, or an amendment once the call is published; "
            "phase: a later phase's deadline; authority: the authority's details (kept by the "
            "portal's administrator); company: a company's details; proposal: what a company "
            "said in its proposal; portal: the portal cannot supply it (yet)."
        ),
    )
    field = serializers.SerializerMethodField(
        help_text=_("The publication details' form field (place details); otherwise null.")
    )
    phase = serializers.SerializerMethodField(
        help_text=_("The number of the phase (place phase); otherwise null.")
    )
    url = serializers.SerializerMethodField(
        help_text=_(
            "The page where it is fixed; null when the portal has no such page, the value can "
            "no longer change, or the requester may not open that page."
        )
    )
    technical = serializers.ListField(
        child=serializers.CharField(),
        help_text=_("The technical detail: the rule or business term and where in the XML."),
    )

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_field(self, finding: Finding) -> str | None:
        return finding.form_field or None

    @extend_schema_field(serializers.IntegerField(allow_null=True))
    def get_phase(self, finding: Finding) -> int | None:
        return finding.phase

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_url(self, finding: Finding) -> str | None:
        return finding.url or None


class NoticeFindingsSerializer(serializers.Serializer):
    blocking = FindingSerializer(
        many=True, help_text=_("The problems that stop sending (as problems, in words).")
    )
    rules = FindingSerializer(
        many=True,
        help_text=_(
            "The business rules of the eForms SDK that fail without blocking: TenderNed or TED "
            "may refuse the notice on them."
        ),
    )


class NoticeSerializer(serializers.ModelSerializer):
    """A notice; ``context`` carries the ``request`` (whose user decides which pages' addresses
    the findings give) and the ``call``."""

    problems = ProblemSerializer(many=True, read_only=True)
    findings = serializers.SerializerMethodField(
        help_text=_(
            "The problems and the business rules' findings in words, each with where it is "
            "fixed, as the notices page shows them; identical points once."
        )
    )
    amendment = serializers.IntegerField(source="amendment.number", allow_null=True, default=None)
    xml_url = serializers.SerializerMethodField()
    # Empty until TenderNed has published the notice, so not a URI in the schema.
    publication_url = serializers.CharField(
        read_only=True, help_text=_("The notice's address on TenderNed; empty until published.")
    )

    class Meta:
        model = Notice
        fields = [
            "id",
            "kind",
            "subtype",
            "notice_id",
            "folder_id",
            "amendment",
            "status",
            "problems",
            "findings",
            "validated_at",
            "sent_at",
            "publication_id",
            "ted_id",
            "publication_url",
            "published_at",
            "rejection_reason",
            "xml_url",
        ]
        read_only_fields = fields

    @extend_schema_field(NoticeFindingsSerializer)
    def get_findings(self, notice: Notice) -> dict:
        request = self.context.get("request")
        found = notice_findings(
            notice,
            self.context.get("call") or notice.call,
            user=request.user if request is not None else None,
            phases=self.context.get("phases"),
        )
        return NoticeFindingsSerializer(found).data

    def get_xml_url(self, notice: Notice) -> str:
        return reverse("api-call-notice-xml", kwargs={"pk": notice.call_id, "notice_pk": notice.pk})


def _managed_call(request, pk: int) -> Call:
    call = call_for_notices(pk)
    if call is None or not can(request.user, "calls.manage_call", call):
        raise Http404
    return call


def _notice_of(call: Call, notice_pk: int) -> Notice:
    notice = notice_of_call(call, notice_pk)
    if notice is None:
        raise Http404
    return notice


def _notice(request, pk: int, notice_pk: int) -> Notice:
    return _notice_of(_managed_call(request, pk), notice_pk)


def _context(request, call: Call) -> dict:
    # The call's phases read once for all its notices' findings.
    return {"request": request, "call": call, "phases": CallPhases(call)}


NOT_FOUND = OpenApiResponse(description=_("No such call or notice, or not yours."))


class CallNoticesView(APIView):
    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(
        tags=["notices"],
        summary=_("The call's eForms notices, with their validation reports"),
        responses={200: NoticeSerializer(many=True), 404: NOT_FOUND},
    )
    def get(self, request, pk: int):
        call = _managed_call(request, pk)
        notices = notices_of_call(call)
        return Response(NoticeSerializer(notices, many=True, context=_context(request, call)).data)


class CallNoticeView(APIView):
    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(
        tags=["notices"],
        summary=_("One notice with its validation report"),
        responses={200: NoticeSerializer, 404: NOT_FOUND},
    )
    def get(self, request, pk: int, notice_pk: int):
        call = _managed_call(request, pk)
        notice = _notice_of(call, notice_pk)
        return Response(NoticeSerializer(notice, context=_context(request, call)).data)


class CallNoticeXmlView(APIView):
    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(
        tags=["notices"],
        summary=_("The notice as eForms XML (UBL 2.3)"),
        responses={(200, "application/xml"): OpenApiTypes.STR, 404: NOT_FOUND},
    )
    def get(self, request, pk: int, notice_pk: int):
        notice = _notice(request, pk, notice_pk)
        return HttpResponse(notice.xml.encode("utf-8"), content_type="application/xml")


class CallNoticeSendView(APIView):
    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(
        tags=["notices"],
        summary=_("Send a validated notice to TenderNed (answered by a background task)"),
        request=None,
        responses={
            202: NoticeSerializer,
            400: OpenApiResponse(
                description=_(
                    "The notice has problems, is not for TenderNed, or follows a notice that "
                    "is not yet published (a change notice the contract notice, a contract "
                    "award notice the contract notice)."
                )
            ),
            404: NOT_FOUND,
            409: OpenApiResponse(description=_("Not possible in the notice's status.")),
        },
    )
    def post(self, request, pk: int, notice_pk: int):
        call = _managed_call(request, pk)
        notice = notice_send(notice=_notice_of(call, notice_pk), actor=request.user)
        # Read again: the task may have answered already (in-process, without a broker: the
        # publisher's answer, or the rejection after its last attempt when it is unreachable).
        notice = _notice_of(call, notice.pk)
        return Response(
            NoticeSerializer(notice, context=_context(request, call)).data,
            status=status.HTTP_202_ACCEPTED,
        )
