"""/api/v1/assignments/ (the Assignment machine: a unit's inbox and its steps), and the units' requests:
/api/v1/reassignment-requests/ and /api/v1/extension-requests/."""

from django.http import Http404
from drf_spectacular.utils import (
    OpenApiParameter,
    extend_schema,
    extend_schema_view,
)
from rest_framework import permissions, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from minsheng.common.permissions import ensure

from .. import privacy, selectors, services
from .. import serializers as S
from ..models import Assignment, ExtensionRequest, ReassignmentRequest
from ._base import ERRORS, UPLOAD_PARSERS, _action_schema, _pk, _valid, _valid_query, case_for, case_response

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
