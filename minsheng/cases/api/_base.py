"""What the cases API's viewsets share: the error responses, reading one case with everything the case
page shows, and checking input."""

from django.db.models import Prefetch
from django.http import Http404
from drf_spectacular.utils import (
    OpenApiResponse,
    extend_schema,
)
from rest_framework import status
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response

from .. import selectors
from .. import serializers as S
from ..models import (
    Assignment,
    Case,
    Claim,
    Cosigner,
    ExtensionRequest,
    HandlingRecord,
    Rating,
    ReassignmentRequest,
)

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


def _action_schema(summary: str, request=None, *, multipart: bool = False):
    body = {"multipart/form-data": request} if multipart and request else request
    return extend_schema(
        summary=summary, request=body, responses={200: S.CaseDetailSerializer, **MOVE_ERRORS}
    )


def _valid_query(serializer_class, request) -> dict:
    params = serializer_class(data=request.query_params)
    params.is_valid(raise_exception=True)
    return params.validated_data
