"""REST API of cases (微心愿, 民生微实事, 代表建议): every step of the workflow, the wish wall and the published
answers.

- /api/v1/cases/: the caller's cases (scoped like the pages: another congress's or unit's case answers 404),
  create, the case page, PATCH of a draft and one POST sub-route per workflow step; each step calls its
  service and answers with the updated case.
- /api/v1/assignments/: a unit's inbox and its steps (签收, 办理, 协办意见, 申请调整, 答复).
- /api/v1/reassignment-requests/: staff decide a unit's request to be relieved of a case.
- /api/v1/extension-requests/: staff grant or refuse a unit's request for a later answer date (延期).
- /api/v1/cases/priority-list/?year=: the year's 重点督办 decisions of the 主任会议 (staff).
- /api/v1/claims/: a donor's claims and pledges (create, withdraw, deliver with photos, confirm).
- /api/v1/case-documents/: a file's metadata and its download, checked against the caller.
- /api/v1/wall/ and /api/v1/answers/: public, without sign-in; nothing that identifies a family.

Errors: 400 for bad input (`{"detail", "code", "field"}` from the services, or the serializer's field errors),
403 when the caller may see the object but not do this, 404 outside the caller's scope, 409 for an illegal
move (nothing is changed).
"""

from django.db.models import Prefetch
from django.http import Http404
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_view,
)
from rest_framework import mixins, permissions, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response

from minsheng.accounts.permissions import Role, has_role
from minsheng.common import clock, uploads
from minsheng.common.api import Can
from minsheng.common.errors import DomainError, PermissionDenied
from minsheng.common.permissions import ensure

from . import privacy, selectors, services
from . import rules as R
from . import serializers as S
from .models import (
    Answer,
    Assignment,
    Beneficiary,
    Case,
    Claim,
    Cosigner,
    Document,
    ExtensionRequest,
    HandlingRecord,
    Rating,
    ReassignmentRequest,
)
from .selectors import QUEUES, WALL_STATES

ERRORS = {
    400: OpenApiResponse(description="Bad input: {detail, code, field} or the fields' errors"),
    403: OpenApiResponse(description="Not signed in, or not allowed to do this"),
    404: OpenApiResponse(description="Not there for the caller"),
}
MOVE_ERRORS = {
    **ERRORS,
    409: OpenApiResponse(description="Not allowed in the current state: nothing changed"),
}
UPLOAD_PARSERS = [MultiPartParser, FormParser]


# --- reading one case, with everything the case page shows --------------------------------------------------


def case_page_queryset(actor):
    """The caller's cases with what the case serializer reads, in a fixed number of queries."""
    return (
        selectors.case_scope_for(actor)
        .select_related(
            "congress",
            "congress__case_rules",
            "lead_deputy",
            "place",
            "place__parent",
            "station",
            "realised_by_unit",
        )
        .select_related("beneficiary")
        .prefetch_related(
            Prefetch("cosigner_links", queryset=Cosigner.objects.select_related("deputy").order_by("id")),
            "verifications",
            Prefetch(
                "assignments",
                # round by round, the lead (or split) units first: they are created before the assisting ones
                queryset=Assignment.objects.select_related("unit", "answer")
                .order_by("round", "id")
                .prefetch_related(
                    Prefetch("records", queryset=HandlingRecord.objects.order_by("-happened_on", "-id")),
                    Prefetch("reassignment_requests", queryset=ReassignmentRequest.objects.order_by("id")),
                    Prefetch("extension_requests", queryset=ExtensionRequest.objects.order_by("id")),
                ),
            ),
            Prefetch("ratings", queryset=Rating.objects.select_related("deputy").order_by("round", "id")),
            Prefetch("claims", queryset=Claim.objects.select_related("donor__donor_profile").order_by("id")),
            "follow_ups",
            "supervision",
            "documents",
        )
    )


def _pk(value) -> int:
    """A path id; anything but a number is simply not there."""
    try:
        return int(value)
    except (TypeError, ValueError):
        raise Http404 from None


def case_for(actor, pk) -> Case:
    try:
        return case_page_queryset(actor).get(pk=_pk(pk))
    except Case.DoesNotExist:
        raise Http404 from None


def case_response(request, pk, *, code: int = status.HTTP_200_OK) -> Response:
    case = case_for(request.user, pk)
    return Response(S.CaseDetailSerializer(case, context=S.case_context(request, case)).data, status=code)


def _valid(serializer_class, request):
    incoming = serializer_class(data=request.data, context={"request": request})
    incoming.is_valid(raise_exception=True)
    return incoming.validated_data


# --- /api/v1/cases/ ----------------------------------------------------------------------------------------


CASE_FILTERS = [
    OpenApiParameter("kind", str, enum=Case.Kind.values),
    OpenApiParameter("status", str, enum=Case.Status.values),
    OpenApiParameter("congress", int, description="congress id"),
    OpenApiParameter("place", str, description="place code prefix, e.g. 440781 (台山市) or 440781108"),
    OpenApiParameter("unit", int, description="assigned to this unit"),
    OpenApiParameter("deputy", int, description="led or co-signed by this deputy"),
    OpenApiParameter("filed_from", OpenApiTypes.DATE),
    OpenApiParameter("filed_to", OpenApiTypes.DATE),
    OpenApiParameter("overdue", bool, description="assigned and past the answer date"),
    OpenApiParameter("priority", bool, description="重点督办"),
    OpenApiParameter("queue", str, enum=list(QUEUES), description="a staff work queue"),
    OpenApiParameter("q", str, description="full-text search in title and content"),
]


def _action_schema(summary: str, request=None, *, multipart: bool = False):
    body = {"multipart/form-data": request} if multipart and request else request
    return extend_schema(
        summary=summary, request=body, responses={200: S.CaseDetailSerializer, **MOVE_ERRORS}
    )


@extend_schema_view(
    list=extend_schema(
        summary="The caller's cases, filtered; overdue first, then by answer date",
        parameters=CASE_FILTERS,
        responses={200: S.CaseListSerializer(many=True), 400: ERRORS[400], 403: ERRORS[403]},
    ),
    retrieve=extend_schema(
        summary="A case with its co-signers, assignments, ratings, claims, documents, deadlines and the "
        "caller's allowed actions",
        responses={200: S.CaseDetailSerializer, 403: ERRORS[403], 404: ERRORS[404]},
    ),
    create=extend_schema(
        summary="Record a case (draft); a wish with its beneficiary",
        request=S.CaseCreateSerializer,
        responses={201: S.CaseDetailSerializer, **MOVE_ERRORS},
    ),
    partial_update=extend_schema(
        summary="Edit a draft or a returned case",
        request=S.CaseUpdateSerializer,
        responses={200: S.CaseDetailSerializer, **MOVE_ERRORS},
    ),
)
class CaseViewSet(viewsets.GenericViewSet):
    queryset = Case.objects.none()
    serializer_class = S.CaseDetailSerializer
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_permissions(self):
        if self.action == "create":
            return [permissions.IsAuthenticated(), Can.to("cases.create")()]
        return [permissions.IsAuthenticated()]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Case.objects.none()
        data = _valid_query(S.CaseFilterSerializer, self.request)
        return selectors.case_list_for(
            self.request.user,
            kind=data.get("kind", ""),
            status=data.get("status", ""),
            congress_id=data.get("congress"),
            place_prefix=data.get("place", ""),
            unit_id=data.get("unit"),
            deputy_id=data.get("deputy"),
            filed_from=data.get("filed_from"),
            filed_to=data.get("filed_to"),
            overdue=data.get("overdue", False),
            priority=data.get("priority", False),
            queue=data.get("queue", ""),
            q=data.get("q", ""),
        ).select_related("beneficiary")

    def list(self, request):
        page = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response(S.CaseListSerializer(page, many=True).data)

    def retrieve(self, request, pk=None):
        return case_response(request, pk)

    def create(self, request):
        data = _valid(S.CaseCreateSerializer, request)
        case = services.case_create(actor=request.user, **data)
        return case_response(request, case.pk, code=status.HTTP_201_CREATED)

    def partial_update(self, request, pk=None):
        case = case_for(request.user, pk)
        ensure(request.user, "cases.edit", case)
        incoming = S.CaseUpdateSerializer(data=request.data, partial=True, context={"request": request})
        incoming.is_valid(raise_exception=True)
        services.case_update(actor=request.user, case_id=case.pk, **incoming.validated_data)
        return case_response(request, case.pk)

    def _step(self, request, pk, rule: str | None, serializer_class, call) -> Response:
        """Fetch the case in the caller's scope (404), refuse who may not (403) before reading the body, call
        the service with the body, answer with the updated case."""
        case = case_for(request.user, pk)
        if rule:
            ensure(request.user, rule, case)
        data = _valid(serializer_class, request) if serializer_class else {}
        call(case, data)
        return case_response(request, case.pk)

    @_action_schema("入户核实: record the home visit of a wish", S.VerifyInSerializer)
    @action(detail=True, methods=["post"])
    def verify(self, request, pk=None):
        return self._step(
            request,
            pk,
            "cases.verify",
            S.VerifyInSerializer,
            lambda case, d: services.case_verify(actor=request.user, case_id=case.pk, **d),
        )

    @_action_schema("提交: file the case, with optional co-signers (附议)", S.FileInSerializer)
    @action(detail=True, methods=["post"], url_path="file", url_name="file")
    def file_case(self, request, pk=None):
        return self._step(
            request,
            pk,
            "cases.file",
            S.FileInSerializer,
            lambda case, d: services.case_file(actor=request.user, case_id=case.pk, cosigners=d["cosigners"]),
        )

    @_action_schema("撤回: withdraw the case in writing, before it is closed", S.ReasonInSerializer)
    @action(detail=True, methods=["post"])
    def withdraw(self, request, pk=None):
        return self._step(
            request,
            pk,
            "cases.file",
            S.ReasonInSerializer,
            lambda case, d: services.case_withdraw(actor=request.user, case_id=case.pk, **d),
        )

    @_action_schema("立案: accept a filed case")
    @action(detail=True, methods=["post"])
    def accept(self, request, pk=None):
        return self._step(
            request,
            pk,
            "cases.review",
            None,
            lambda case, d: services.case_accept(actor=request.user, case_id=case.pk),
        )

    @_action_schema("不予立案: refuse a filed case with a reason from the list", S.RefuseInSerializer)
    @action(detail=True, methods=["post"])
    def refuse(self, request, pk=None):
        return self._step(
            request,
            pk,
            "cases.review",
            S.RefuseInSerializer,
            lambda case, d: services.case_refuse(actor=request.user, case_id=case.pk, **d),
        )

    @_action_schema("退回修改: return a filed case for revision", S.NoteInSerializer)
    @action(detail=True, methods=["post"], url_path="return", url_name="return")
    def return_case(self, request, pk=None):
        return self._step(
            request,
            pk,
            "cases.review",
            S.NoteInSerializer,
            lambda case, d: services.case_return(actor=request.user, case_id=case.pk, **d),
        )

    @_action_schema(
        "Merge a duplicate into another case; its deputies become co-signers there", S.MergeInSerializer
    )
    @action(detail=True, methods=["post"])
    def merge(self, request, pk=None):
        return self._step(
            request,
            pk,
            "cases.review",
            S.MergeInSerializer,
            lambda case, d: services.case_merge(actor=request.user, case_id=case.pk, into_id=d["into"].pk),
        )

    @_action_schema(
        "交办 (重新交办 after 不满意): assign to a lead unit and assisting units, or split",
        S.AssignInSerializer,
    )
    @action(detail=True, methods=["post"])
    def assign(self, request, pk=None):
        return self._step(
            request,
            pk,
            "cases.review",
            S.AssignInSerializer,
            lambda case, d: services.case_assign(actor=request.user, case_id=case.pk, **d),
        )

    @_action_schema("重点督办: mark (or lift) priority supervision", S.PriorityInSerializer)
    @action(detail=True, methods=["post"])
    def priority(self, request, pk=None):
        return self._step(
            request,
            pk,
            "cases.review",
            S.PriorityInSerializer,
            lambda case, d: services.case_mark_priority(actor=request.user, case_id=case.pk, **d),
        )

    @_action_schema(
        "联名: the deputy named as co-signer confirms (true) or declines (false)", S.CosignInSerializer
    )
    @action(detail=True, methods=["post"])
    def cosign(self, request, pk=None):
        return self._step(
            request,
            pk,
            "cases.cosign_respond",
            S.CosignInSerializer,
            lambda case, d: services.cosign_respond(actor=request.user, case_id=case.pk, **d),
        )

    @extend_schema(
        summary="重点督办 of a year: each decision of a 主任会议 held that year, with its case (staff)",
        parameters=[OpenApiParameter("year", int, description="default: this year")],
        responses={200: S.PriorityListItemSerializer(many=True), 400: ERRORS[400], 403: ERRORS[403]},
    )
    @action(detail=False, methods=["get"], url_path="priority-list", url_name="priority-list")
    def priority_list(self, request):
        ensure(request.user, "cases.view_priority_list")
        data = _valid_query(S.PriorityListFilterSerializer, request)
        decisions = selectors.priority_list_for(request.user, year=data.get("year") or clock.today().year)
        page = self.paginate_queryset(decisions)
        return self.get_paginated_response(S.PriorityListItemSerializer(page, many=True).data)

    @_action_schema("督办: record a chase (催办), a visit or an inquiry", S.SuperviseInSerializer)
    @action(detail=True, methods=["post"])
    def supervise(self, request, pk=None):
        return self._step(
            request,
            pk,
            "cases.review",
            S.SuperviseInSerializer,
            lambda case, d: services.supervision_record(actor=request.user, case_id=case.pk, **d),
        )

    @_action_schema("办结: staff close a case after 不满意 without another round", S.NoteInSerializer)
    @action(detail=True, methods=["post"])
    def close(self, request, pk=None):
        return self._step(
            request,
            pk,
            "cases.review",
            S.NoteInSerializer,
            lambda case, d: services.case_close(actor=request.user, case_id=case.pk, **d),
        )

    @_action_schema(
        "未反馈: staff close an answered case the deputy did not rate by the rating deadline",
        S.OptionalNoteInSerializer,
    )
    @action(detail=True, methods=["post"], url_path="close-unrated")
    def close_unrated(self, request, pk=None):
        return self._step(
            request,
            pk,
            "cases.close_unrated",
            S.OptionalNoteInSerializer,
            lambda case, d: services.case_close_unrated(actor=request.user, case_id=case.pk, **d),
        )

    @_action_schema("公开: publish an answered or closed case's answer on the public site, rated or not")
    @action(detail=True, methods=["post"])
    def publish(self, request, pk=None):
        return self._step(
            request,
            pk,
            "cases.review",
            None,
            lambda case, d: services.case_publish(actor=request.user, case_id=case.pk),
        )

    @_action_schema("Put a verified, accepted wish on the public wish wall", S.PutOnWallInSerializer)
    @action(detail=True, methods=["post"], url_path="put-on-wall")
    def put_on_wall(self, request, pk=None):
        return self._step(
            request,
            pk,
            "cases.review",
            S.PutOnWallInSerializer,
            lambda case, d: services.wish_put_on_wall(actor=request.user, case_id=case.pk, **d),
        )

    @_action_schema("回访: record whether the wish was met", S.FollowUpInSerializer)
    @action(detail=True, methods=["post"], url_path="follow-up")
    def follow_up(self, request, pk=None):
        return self._step(
            request,
            pk,
            "cases.follow_up",
            S.FollowUpInSerializer,
            lambda case, d: services.follow_up_record(actor=request.user, case_id=case.pk, **d),
        )

    @_action_schema(
        "Rate the answer: 满意 / 基本满意 / 不满意 (the lead deputy's rating decides)", S.RateInSerializer
    )
    @action(detail=True, methods=["post"])
    def rate(self, request, pk=None):
        return self._step(
            request,
            pk,
            "cases.rate",
            S.RateInSerializer,
            lambda case, d: services.rating_submit(actor=request.user, case_id=case.pk, **d),
        )

    @_action_schema(
        "Attach a photo or a document (a unit's evidence with its assignment)",
        S.UploadInSerializer,
        multipart=True,
    )
    @action(detail=True, methods=["post"], parser_classes=UPLOAD_PARSERS)
    def upload(self, request, pk=None):
        return self._step(
            request,
            pk,
            None,  # the case's editors, or the handlers of the given assignment: the service decides
            S.UploadInSerializer,
            lambda case, d: services.document_add(
                actor=request.user,
                case_id=case.pk,
                kind=d["kind"],
                upload=d["file"],
                assignment_id=_assignment_of(request.user, case, d["assignment"]),
            ),
        )


def _valid_query(serializer_class, request) -> dict:
    params = serializer_class(data=request.query_params)
    params.is_valid(raise_exception=True)
    return params.validated_data


def _assignment_of(actor, case: Case, assignment_id: int | None) -> int | None:
    """An assignment named in an upload must be one of this case's."""
    if assignment_id is None:
        return None
    if not case.assignments.filter(pk=assignment_id).exists():
        raise DomainError(_("The assignment is not part of this case."), field="assignment")
    return assignment_id


# --- /api/v1/assignments/ ----------------------------------------------------------------------------------


def assignment_scope(actor):
    """Assignments of the cases the caller may see (a unit sees the other units' parts of its cases); none
    for a donor, whose view of a case is the claim (`privacy.reads_handling`)."""
    if not privacy.reads_handling(actor):
        return Assignment.objects.none()
    return Assignment.objects.filter(case__in=selectors.case_scope_for(actor)).select_related(
        "case", "case__congress", "unit"
    )


def _assignment_for(actor, pk) -> Assignment:
    try:
        return assignment_scope(actor).get(pk=_pk(pk))
    except Assignment.DoesNotExist:
        raise Http404 from None


@extend_schema_view(
    list=extend_schema(
        summary="A unit's inbox: its assignments, by answer date (empty for other roles)",
        parameters=[OpenApiParameter("status", str, enum=Assignment.Status.values)],
        responses={200: S.InboxItemSerializer(many=True), 400: ERRORS[400], 403: ERRORS[403]},
    ),
    retrieve=extend_schema(
        summary="One assignment with its records, opinion, answer and the caller's allowed actions",
        responses={200: S.AssignmentSerializer, 403: ERRORS[403], 404: ERRORS[404]},
    ),
)
class AssignmentViewSet(viewsets.GenericViewSet):
    queryset = Assignment.objects.none()
    serializer_class = S.InboxItemSerializer
    permission_classes = [permissions.IsAuthenticated]

    def list(self, request):
        data = _valid_query(S.InboxFilterSerializer, request)
        inbox = selectors.unit_inbox_for(request.user, status=data.get("status", "")).select_related(
            "unit", "case__beneficiary"
        )
        page = self.paginate_queryset(inbox)
        return self.get_paginated_response(S.InboxItemSerializer(page, many=True).data)

    def retrieve(self, request, pk=None):
        assignment = _assignment_for(request.user, pk)
        case = case_for(request.user, assignment.case_id)
        assignment = next(a for a in case.assignments.all() if a.pk == assignment.pk)
        return Response(S.AssignmentSerializer(assignment, context=S.case_context(request, case)).data)

    def _step(self, request, pk, serializer_class, call) -> Response:
        assignment = _assignment_for(request.user, pk)
        ensure(request.user, "cases.handle", assignment)
        data = _valid(serializer_class, request) if serializer_class else {}
        call(assignment, data)
        return case_response(request, assignment.case_id)

    @_action_schema("签收: the unit takes the case")
    @action(detail=True, methods=["post"])
    def acknowledge(self, request, pk=None):
        return self._step(
            request,
            pk,
            None,
            lambda a, d: services.assignment_acknowledge(actor=request.user, assignment_id=a.pk),
        )

    @_action_schema("办理: record progress or a contact with the deputies", S.RecordInSerializer)
    @action(detail=True, methods=["post"])
    def record(self, request, pk=None):
        return self._step(
            request,
            pk,
            S.RecordInSerializer,
            lambda a, d: services.handling_record_add(actor=request.user, assignment_id=a.pk, **d),
        )

    @_action_schema("An assisting unit sends its opinion to the lead unit", S.OpinionInSerializer)
    @action(detail=True, methods=["post"])
    def opinion(self, request, pk=None):
        return self._step(
            request,
            pk,
            S.OpinionInSerializer,
            lambda a, d: services.assisting_opinion_send(actor=request.user, assignment_id=a.pk, **d),
        )

    @_action_schema("申请调整: ask to be relieved of the case (within 7 working days)", S.ReasonInSerializer)
    @action(detail=True, methods=["post"], url_path="request-reassignment")
    def request_reassignment(self, request, pk=None):
        return self._step(
            request,
            pk,
            S.ReasonInSerializer,
            lambda a, d: services.assignment_request_reassignment(
                actor=request.user, assignment_id=a.pk, **d
            ),
        )

    @_action_schema(
        "延期: before the answer deadline, ask for a later one (at most six months from 交办), with reasons",
        S.ExtensionInSerializer,
    )
    @action(detail=True, methods=["post"], url_path="request-extension")
    def request_extension(self, request, pk=None):
        return self._step(
            request,
            pk,
            S.ExtensionInSerializer,
            lambda a, d: services.extension_request(actor=request.user, assignment_id=a.pk, **d),
        )

    @_action_schema(
        "政府兜底: the unit that answers a wish delivered it itself, with 1 to 9 photos (已实现)",
        S.FulfilInSerializer,
        multipart=True,
    )
    @action(detail=True, methods=["post"], url_path="fulfil-wish", parser_classes=UPLOAD_PARSERS)
    def fulfil_wish(self, request, pk=None):
        return self._step(
            request,
            pk,
            S.FulfilInSerializer,
            lambda a, d: services.wish_fulfil_by_unit(actor=request.user, assignment_id=a.pk, **d),
        )

    @_action_schema(
        "答复: answer in writing, signed by the head of the unit, with its class", S.AnswerInSerializer
    )
    @action(detail=True, methods=["post"])
    def answer(self, request, pk=None):
        return self._step(
            request,
            pk,
            S.AnswerInSerializer,
            lambda a, d: services.answer_submit(actor=request.user, assignment_id=a.pk, **d),
        )


# --- /api/v1/reassignment-requests/ and /api/v1/extension-requests/ ----------------------------------------


class _PartRequestViewSet(viewsets.GenericViewSet):
    """A unit's request about its part of a case (申请调整, 延期): those of the caller's cases, newest first,
    filtered by decision; staff decide (`decide`, in each subclass)."""

    model: type[ReassignmentRequest] | type[ExtensionRequest]
    filter_serializer: type[serializers.Serializer]
    permission_classes = [permissions.IsAuthenticated]

    def scope(self):
        if not privacy.reads_handling(self.request.user):
            return self.model.objects.none()
        return (
            self.model.objects.filter(assignment__case__in=selectors.case_scope_for(self.request.user))
            .select_related("assignment__unit", "assignment__case__congress", "assignment__case__beneficiary")
            .order_by("-requested_at", "-id")
        )

    def list(self, request):
        data = _valid_query(self.filter_serializer, request)
        requests = self.scope()
        if data.get("decision"):
            requests = requests.filter(decision=data["decision"])
        page = self.paginate_queryset(requests)
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    def _get(self, request, pk):
        try:
            return self.scope().get(pk=_pk(pk))
        except self.model.DoesNotExist:
            raise Http404 from None

    def retrieve(self, request, pk=None):
        return Response(self.get_serializer(self._get(request, pk)).data)


@extend_schema_view(
    list=extend_schema(
        summary="Reassignment requests of the caller's cases, newest first",
        parameters=[OpenApiParameter("decision", str, enum=ReassignmentRequest.Decision.values)],
        responses={200: S.ReassignmentRequestListSerializer(many=True), 400: ERRORS[400], 403: ERRORS[403]},
    ),
    retrieve=extend_schema(
        summary="One reassignment request",
        responses={200: S.ReassignmentRequestListSerializer, 403: ERRORS[403], 404: ERRORS[404]},
    ),
)
class ReassignmentRequestViewSet(_PartRequestViewSet):
    model = ReassignmentRequest
    filter_serializer = S.ReassignmentFilterSerializer
    queryset = ReassignmentRequest.objects.none()
    serializer_class = S.ReassignmentRequestListSerializer

    @_action_schema(
        "Staff reassign the unit's part to another unit, or confirm the assignment", S.DecideInSerializer
    )
    @action(detail=True, methods=["post"])
    def decide(self, request, pk=None):
        reassignment = self._get(request, pk)
        case = reassignment.assignment.case
        ensure(request.user, "cases.review", case)
        data = _valid(S.DecideInSerializer, request)
        services.reassignment_decide(actor=request.user, request_id=reassignment.pk, **data)
        return case_response(request, case.pk)


@extend_schema_view(
    list=extend_schema(
        summary="延期: extension requests of the caller's cases, newest first",
        parameters=[OpenApiParameter("decision", str, enum=ExtensionRequest.Decision.values)],
        responses={200: S.ExtensionRequestListSerializer(many=True), 400: ERRORS[400], 403: ERRORS[403]},
    ),
    retrieve=extend_schema(
        summary="One extension request",
        responses={200: S.ExtensionRequestListSerializer, 403: ERRORS[403], 404: ERRORS[404]},
    ),
)
class ExtensionRequestViewSet(_PartRequestViewSet):
    model = ExtensionRequest
    filter_serializer = S.ExtensionFilterSerializer
    queryset = ExtensionRequest.objects.none()
    serializer_class = S.ExtensionRequestListSerializer

    @_action_schema(
        "Staff grant the extension (the date asked for, or another within the cap) or refuse it with a note",
        S.ExtensionDecideInSerializer,
    )
    @action(detail=True, methods=["post"])
    def decide(self, request, pk=None):
        extension = self._get(request, pk)
        case = extension.assignment.case
        ensure(request.user, "cases.review", case)
        data = _valid(S.ExtensionDecideInSerializer, request)
        services.extension_decide(actor=request.user, request_id=extension.pk, **data)
        return case_response(request, case.pk)


# --- /api/v1/claims/ ---------------------------------------------------------------------------------------


def claim_scope(actor):
    """A donor's own claims; for the others, the claims on the cases they may see."""
    if has_role(actor, Role.DONOR):
        claims = selectors.claims_of(actor)
    else:
        claims = Claim.objects.filter(case__in=selectors.case_scope_for(actor)).order_by("-created_at")
    return claims.select_related("case", "case__congress", "case__place__parent", "case__beneficiary")


def _claim_for(actor, pk) -> Claim:
    try:
        return claim_scope(actor).get(pk=_pk(pk))
    except Claim.DoesNotExist:
        raise Http404 from None


CLAIM_RESPONSES = {200: S.ClaimDetailSerializer, **MOVE_ERRORS}


@extend_schema_view(
    list=extend_schema(
        summary="A donor's claims and pledges (staff and deputies: those on their cases)",
        parameters=[
            OpenApiParameter("status", str, enum=Claim.Status.values),
            OpenApiParameter("case", int),
        ],
        responses={200: S.ClaimSerializer(many=True), 400: ERRORS[400], 403: ERRORS[403]},
    ),
    retrieve=extend_schema(
        summary="One claim; its donor sees the contact needed to deliver while the claim is live",
        responses={200: S.ClaimDetailSerializer, 403: ERRORS[403], 404: ERRORS[404]},
    ),
    create=extend_schema(
        summary="认领 the whole wish or 认捐 a share (verified donors)",
        request=S.ClaimCreateSerializer,
        responses={201: S.ClaimDetailSerializer, **MOVE_ERRORS},
    ),
)
class ClaimViewSet(viewsets.GenericViewSet):
    queryset = Claim.objects.none()
    serializer_class = S.ClaimSerializer

    def get_permissions(self):
        if self.action == "create":
            return [permissions.IsAuthenticated(), Can.to("accounts.donor_act")()]
        return [permissions.IsAuthenticated()]

    def list(self, request):
        data = _valid_query(S.ClaimFilterSerializer, request)
        claims = claim_scope(request.user)
        if data.get("status"):
            claims = claims.filter(status=data["status"])
        if data.get("case"):
            claims = claims.filter(case_id=data["case"])
        page = self.paginate_queryset(claims)
        return self.get_paginated_response(
            S.ClaimSerializer(page, many=True, context={"request": request}).data
        )

    def _response(self, request, pk, *, code=status.HTTP_200_OK) -> Response:
        claim = _claim_for(request.user, pk)
        return Response(S.ClaimDetailSerializer(claim, context={"request": request}).data, status=code)

    def retrieve(self, request, pk=None):
        return self._response(request, pk)

    def create(self, request):
        data = _valid(S.ClaimCreateSerializer, request)
        claim = services.claim_create(
            actor=request.user, case_id=data["case"].pk, kind=data["kind"], amount=data["amount"]
        )
        return self._response(request, claim.pk, code=status.HTTP_201_CREATED)

    @extend_schema(
        summary="Withdraw a claim before delivery, with the reason; the wish returns to the wall",
        request=S.ReasonInSerializer,
        responses=CLAIM_RESPONSES,
    )
    @action(detail=True, methods=["post"])
    def withdraw(self, request, pk=None):
        claim = _claim_for(request.user, pk)
        data = _valid(S.ReasonInSerializer, request)
        services.claim_withdraw(actor=request.user, claim_id=claim.pk, **data)
        return self._response(request, claim.pk)

    @extend_schema(
        summary="The donor has delivered: 1 to 9 photos of the hand-over",
        request={"multipart/form-data": S.DeliverInSerializer},
        responses=CLAIM_RESPONSES,
    )
    @action(detail=True, methods=["post"], parser_classes=UPLOAD_PARSERS)
    def deliver(self, request, pk=None):
        claim = _claim_for(request.user, pk)
        if claim.donor_id != request.user.pk:
            raise PermissionDenied(_("Only the donor who claimed it records the delivery."))
        data = _valid(S.DeliverInSerializer, request)
        services.claim_deliver(actor=request.user, claim_id=claim.pk, photos=data["photos"])
        return self._response(request, claim.pk)

    @extend_schema(
        summary="Station staff or the deputy confirm the delivery (已实现 once the value is covered)",
        request=None,
        responses=CLAIM_RESPONSES,
    )
    @action(detail=True, methods=["post"])
    def confirm(self, request, pk=None):
        claim = _claim_for(request.user, pk)
        ensure(request.user, "cases.confirm_delivery", claim.case)
        services.claim_confirm(actor=request.user, claim_id=claim.pk)
        return self._response(request, claim.pk)


# --- /api/v1/case-documents/ -------------------------------------------------------------------------------


def _document_for(request, pk) -> Document:
    """A file of a case the caller may open (404 otherwise: a file one may not open does not exist for one)."""
    try:
        document = (
            Document.objects.filter(case__in=selectors.case_scope_for(request.user))
            .select_related("case", "case__congress")
            .get(pk=_pk(pk))
        )
    except Document.DoesNotExist:
        raise Http404 from None
    if not privacy.may_open_document(request.user, document):
        raise Http404
    return document


class DocumentViewSet(viewsets.GenericViewSet):
    """A case's file: who may see the family opens all of them, anyone else what he or she uploaded."""

    queryset = Document.objects.none()
    serializer_class = S.DocumentOutSerializer
    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(
        summary="A file's metadata",
        responses={200: S.DocumentOutSerializer, 403: ERRORS[403], 404: ERRORS[404]},
    )
    def retrieve(self, request, pk=None):
        return Response(
            S.DocumentOutSerializer(_document_for(request, pk), context={"request": request}).data
        )

    @extend_schema(
        summary="Download the file",
        responses={
            (200, "application/octet-stream"): OpenApiTypes.BINARY,
            404: ERRORS[404],
        },
    )
    @action(detail=True, methods=["get"], permission_classes=[permissions.AllowAny])
    @uploads.guarded
    def download(self, request, pk=None):
        document = _document_for(request, pk)
        return uploads.file_response(
            document.file, content_type=document.content_type, filename=document.original_name
        )


# --- public: /api/v1/wall/ and /api/v1/answers/ ------------------------------------------------------------


@extend_schema_view(
    list=extend_schema(
        summary="The public wish wall (no sign-in): nothing that identifies a family",
        parameters=[
            OpenApiParameter(
                "township", str, description="place code prefix of the area (township or county)"
            ),
            OpenApiParameter("category", str, enum=[Case.Category.MATERIAL, Case.Category.SERVICE]),
            OpenApiParameter("group", str, enum=Beneficiary.Group.values),
            OpenApiParameter("state", str, enum=[*WALL_STATES, "all"], description="default: open"),
        ],
        responses={200: S.WallItemSerializer(many=True), 400: ERRORS[400]},
    ),
    retrieve=extend_schema(
        summary="One wish on the wall", responses={200: S.WallItemSerializer, 404: ERRORS[404]}
    ),
)
class WallViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    queryset = Case.objects.none()
    serializer_class = S.WallItemSerializer
    permission_classes = [permissions.AllowAny]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Case.objects.none()
        data = _valid_query(S.WallFilterSerializer, self.request)
        return selectors.wall_list(
            township_code=data.get("township", ""),
            category=data.get("category", ""),
            group=data.get("group", ""),
            state=data.get("state", "open"),
        )

    def retrieve(self, request, pk=None):
        try:
            wish = selectors.wall_list(state="all").get(pk=_pk(pk))
        except Case.DoesNotExist:
            raise Http404 from None
        return Response(S.WallItemSerializer(wish).data)


def published_queryset(**filters):
    return (
        selectors.published_list(**filters)
        .select_related("congress__case_rules", "lead_deputy", "place__parent", "beneficiary")
        .prefetch_related(
            Prefetch(
                "answers",
                queryset=Answer.objects.select_related("assignment__unit").order_by("round", "answered_at"),
            )
        )
    )


def _rules_cache():
    cache: dict[int, R.Rules] = {}

    def rules_of(case: Case) -> R.Rules:
        if case.congress_id not in cache:
            cache[case.congress_id] = R.rules_for(case.congress)
        return cache[case.congress_id]

    return rules_of


@extend_schema_view(
    list=extend_schema(
        summary="Published answers (no sign-in), newest first; identities removed",
        parameters=[
            OpenApiParameter("q", str, description="full-text search in title and content"),
            OpenApiParameter("congress", int),
        ],
        responses={200: S.PublishedCaseSerializer(many=True), 400: ERRORS[400]},
    ),
    retrieve=extend_schema(
        summary="One published answer", responses={200: S.PublishedCaseSerializer, 404: ERRORS[404]}
    ),
)
class PublishedAnswerViewSet(viewsets.GenericViewSet):
    queryset = Case.objects.none()
    serializer_class = S.PublishedCaseSerializer
    permission_classes = [permissions.AllowAny]

    def list(self, request):
        data = _valid_query(S.PublishedFilterSerializer, request)
        cases = published_queryset(q=data.get("q", ""), congress_id=data.get("congress"))
        page = self.paginate_queryset(cases)
        context = {"request": request, "rules_of": _rules_cache()}
        return self.get_paginated_response(S.PublishedCaseSerializer(page, many=True, context=context).data)

    def retrieve(self, request, pk=None):
        try:
            case = published_queryset().get(pk=_pk(pk))
        except Case.DoesNotExist:
            raise Http404 from None
        context = {"request": request, "rules_of": _rules_cache()}
        return Response(S.PublishedCaseSerializer(case, context=context).data)


routes = [
    ("cases", CaseViewSet, "case"),
    ("assignments", AssignmentViewSet, "assignment"),
    ("reassignment-requests", ReassignmentRequestViewSet, "reassignment-request"),
    ("extension-requests", ExtensionRequestViewSet, "extension-request"),
    ("claims", ClaimViewSet, "claim"),
    ("case-documents", DocumentViewSet, "case-document"),
    ("wall", WallViewSet, "wall"),
    ("answers", PublishedAnswerViewSet, "published-answer"),
]
