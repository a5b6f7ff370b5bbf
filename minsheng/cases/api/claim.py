"""/api/v1/claims/ (the Claim machine: a donor's claims and pledges) and the public wish wall
(/api/v1/wall/)."""

from django.http import Http404
from django.utils.translation import gettext as _
from drf_spectacular.utils import (
    OpenApiParameter,
    extend_schema,
    extend_schema_view,
)
from rest_framework import mixins, permissions, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from minsheng.accounts.permissions import Role, has_role
from minsheng.common.api import Can
from minsheng.common.errors import PermissionDenied
from minsheng.common.permissions import ensure

from .. import selectors, services
from .. import serializers as S
from ..models import Beneficiary, Case, Claim
from ..selectors import WALL_STATES
from ._base import ERRORS, MOVE_ERRORS, UPLOAD_PARSERS, _pk, _valid, _valid_query

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


# --- public: /api/v1/wall/ -----------------------------------------------------------------------------------


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
