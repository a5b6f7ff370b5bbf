"""/api/v1/cases/ (the Case machine: every step of a case, the priority list), /api/v1/case-documents/ and
the published answers (/api/v1/answers/)."""

from django.db.models import Prefetch
from django.http import Http404
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    extend_schema,
    extend_schema_view,
)
from rest_framework import permissions, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from minsheng.common import clock, uploads
from minsheng.common.api import Can
from minsheng.common.errors import DomainError
from minsheng.common.permissions import ensure

from .. import privacy, selectors, services
from .. import rules as R
from .. import serializers as S
from ..models import Answer, Case, Document
from ..selectors import QUEUES
from ._base import (
    ERRORS,
    MOVE_ERRORS,
    UPLOAD_PARSERS,
    _action_schema,
    _pk,
    _valid,
    _valid_query,
    case_for,
    case_response,
)

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


def _assignment_of(actor, case: Case, assignment_id: int | None) -> int | None:
    """An assignment named in an upload must be one of this case's."""
    if assignment_id is None:
        return None
    if not case.assignments.filter(pk=assignment_id).exists():
        raise DomainError(_("The assignment is not part of this case."), field="assignment")
    return assignment_id


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


# --- public: /api/v1/answers/ --------------------------------------------------------------------------------


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
