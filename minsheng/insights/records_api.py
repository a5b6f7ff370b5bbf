"""REST API of the duty record (履职档案).

- /api/v1/deputies/<pk>/record/: the deputy's duty record (?year=&congress=): the deputy him/herself, staff
  whose congress covers one of the deputy's seats (`insights.view_duty_record`); `?public=1` gives the public
  version to anyone signed in. minsheng/urls.py puts it before the router, so that the deputies'
  `deputies/<pk>/` does not take it.
"""

from django.shortcuts import get_object_or_404
from django.urls import path
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import permissions, serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from minsheng.common import clock
from minsheng.common.api import ERRORS, IdField
from minsheng.common.errors import PermissionDenied
from minsheng.common.permissions import can
from minsheng.deputies.models import Deputy

from . import duty_record as DR
from . import points_league


def record_data(record: dict) -> dict:
    """The record as plain JSON values (dates as ISO strings)."""
    deputy = record["deputy"]
    return {
        "deputy": {"id": deputy.pk, "name": deputy.name},
        "public": record["public"],
        "year": record["year"],
        "congress": record["congress_id"],
        "seats": [
            {
                "congress": s.congress_id,
                "congress_name": s.congress.name,
                "term": s.term.number,
                "delegation": s.delegation,
                "status": s.status,
            }
            for s in record["seats"]
        ],
        "counts": {row["kind"]: row["count"] for row in record["counts"]},
        "as_of": record["as_of"].isoformat() if record["as_of"] else None,
        "led": [{k: (str(v) if k == "filed_on" else v) for k, v in r.items()} for r in record["led"]],
        "cosigned": [
            {k: (str(v) if k == "filed_on" else v) for k, v in r.items()} for r in record["cosigned"]
        ],
        "receptions": [{**r, "day": str(r["day"])} for r in record["receptions"]],
        "activities": [{**r, "day": str(r["day"])} for r in record["activities"]],
        "leave": [{**r, "day": str(r["day"])} for r in record["leave"]],
        "sessions": [{**r, "day": str(r["day"])} for r in record["sessions"]],
        "awards": [{**r, "awarded_on": str(r["awarded_on"])} for r in record["awards"]],
    }


class RecordFilterSerializer(serializers.Serializer):
    """The API says what is wrong with a filter (the page falls back to every year / every congress)."""

    year = serializers.IntegerField(required=False, min_value=2000, max_value=9999)
    congress = IdField(required=False)
    public = serializers.CharField(required=False)


class DutyRecordView(APIView):
    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(
        summary="A deputy's duty record (履职档案): seats, counts per kind of duty, and the lists behind them",
        parameters=[
            OpenApiParameter("year", int, description="a year; default: every year"),
            OpenApiParameter("congress", int, description="only the duties of this congress"),
            OpenApiParameter("public", bool, description="the public version (no personal data)"),
        ],
        responses={200: OpenApiTypes.OBJECT, **ERRORS},
    )
    def get(self, request, pk: int):
        deputy = get_object_or_404(Deputy, pk=pk)
        public = request.query_params.get("public") in ("1", "true")
        action = "insights.view_public_duty_record" if public else "insights.view_duty_record"
        if not can(request.user, action, deputy):
            raise PermissionDenied()
        params = RecordFilterSerializer(data=request.query_params)
        params.is_valid(raise_exception=True)
        filters = DR.record_filters(params.validated_data)
        record = DR.duty_record_as_of(deputy, public=public, **filters)
        data = record_data(record)
        if not public:  # the points of the year (default: this year) under each seat's congress's scheme
            year = filters["year"] or clock.today().year
            data["points"] = [
                {
                    "congress": p.congress.pk,
                    "year": year,
                    "scheme_version": p.scheme.version,
                    "total": str(p.total),
                    "entries": [
                        {"kind": e.kind, "count": e.count, "points": str(e.points), "capped": e.capped}
                        for _label, e in p.entries
                    ],
                    "adjustments": [
                        {"kind": a.kind, "delta": str(a.delta), "reason": a.reason} for _l, a in p.adjustments
                    ],
                }
                for p in points_league.points_for_deputy(deputy, year, record["congresses"])
            ]
        return Response(data)


urlpatterns = [
    path("deputies/<int:pk>/record/", DutyRecordView.as_view(), name="deputy-duty-record"),
]
