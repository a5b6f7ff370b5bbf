"""REST API of the duty record (履职档案).

- /api/v1/deputies/<pk>/record/: the deputy's duty record (?year=&congress=): the deputy him/herself, staff
  whose congress covers one of the deputy's seats (`insights.view_duty_record`); `?public=1` gives the public
  version to anyone signed in. minsheng/urls.py puts it before the router, so that the deputies'
  `deputies/<pk>/` does not take it.
- /api/v1/points/<congress_id>/<year>/: the points league table (积分排名) as the page shows it, 50 rows a page
  (`?page=`, `?page_size=`), `?q=` (in the name), `?delegation=`, `?version=` (an older scheme version):
  rank, deputy, delegation, total, adjustments and per kind of duty the count, points and whether capped
  (`insights.view_points`: the congress's staff and the staff above, its own deputies, admins).
"""

from django.shortcuts import get_object_or_404
from django.urls import path
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field
from rest_framework import generics, permissions, serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from minsheng.common import clock
from minsheng.common.api import ERRORS, IdField
from minsheng.common.errors import PermissionDenied
from minsheng.common.permissions import can
from minsheng.congresses.models import Congress
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


class LeagueEntrySerializer(serializers.Serializer):
    kind = serializers.CharField()
    label = serializers.CharField()
    count = serializers.IntegerField()
    points = serializers.DecimalField(max_digits=10, decimal_places=1)
    capped = serializers.BooleanField()


class LeagueDeputySerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()


class LeagueRowSerializer(serializers.Serializer):
    """One row of the league (a `points_league.LeagueRow`): the rank among all the congress's deputies of
    the year, and the numbers behind it — per kind of duty of the scheme, the count, the points (after the
    cap) and whether the cap was reached; the adjustments of upheld contests; the total."""

    rank = serializers.IntegerField()
    deputy = serializers.SerializerMethodField()
    delegation = serializers.CharField()
    total = serializers.DecimalField(max_digits=10, decimal_places=1)
    adjustments = serializers.DecimalField(max_digits=10, decimal_places=1)
    entries = serializers.SerializerMethodField()

    @extend_schema_field(LeagueDeputySerializer)
    def get_deputy(self, row) -> dict:
        return {"id": row.deputy_id, "name": row.name}

    @extend_schema_field(LeagueEntrySerializer(many=True))
    def get_entries(self, row) -> list:
        out = []
        for kind, label in self.context["kinds"]:
            e = row.entries.get(kind)
            out.append(
                {
                    "kind": kind,
                    "label": str(label),
                    "count": e.count if e else 0,
                    "points": str(e.points) if e else "0.0",
                    "capped": bool(e and e.capped),
                }
            )
        return out


class LeagueFilterSerializer(serializers.Serializer):
    q = serializers.CharField(required=False, allow_blank=True, default="", max_length=50)
    delegation = serializers.CharField(required=False, allow_blank=True, default="", max_length=100)
    version = IdField(required=False, allow_null=True, default=None, max_value=32767)


class PointsLeagueView(generics.ListAPIView):
    """The league table of a congress and year, as the page `/points/<congress_id>/<year>/` shows it."""

    permission_classes = [permissions.IsAuthenticated]
    serializer_class = LeagueRowSerializer
    filter_backends: list = []

    def _table(self):
        if not hasattr(self, "_league"):
            congress = get_object_or_404(Congress, pk=self.kwargs["congress_id"])
            if not can(self.request.user, "insights.view_points", congress):
                raise PermissionDenied()
            params = LeagueFilterSerializer(data=self.request.query_params)
            params.is_valid(raise_exception=True)
            f = params.validated_data
            self._league = points_league.league(
                congress,
                self.kwargs["year"],
                version=f["version"],
                q=f["q"].strip(),
                delegation=f["delegation"].strip(),
            )
        return self._league

    def get_queryset(self):
        return self._table().rows

    def get_serializer_context(self):
        context = super().get_serializer_context()
        if getattr(self, "swagger_fake_view", False):
            return {**context, "kinds": []}
        return {**context, "kinds": self._table().kinds}

    @extend_schema(
        summary="A congress's points league table (积分排名) of a year: ranks with the numbers behind them",
        parameters=[
            OpenApiParameter("q", str, description="deputies whose name contains this (ranks unchanged)"),
            OpenApiParameter("delegation", str, description="only this delegation (ranks unchanged)"),
            OpenApiParameter("version", int, description="an older version of the scheme; default: in force"),
        ],
        responses={200: LeagueRowSerializer(many=True), **ERRORS},
    )
    def get(self, request, *args, **kwargs):
        response = self.list(request, *args, **kwargs)
        table = self._table()
        response.data["congress"] = table.congress.pk
        response.data["year"] = table.year
        response.data["scheme_version"] = table.scheme.version if table.scheme else None
        return response


urlpatterns = [
    path("deputies/<int:pk>/record/", DutyRecordView.as_view(), name="deputy-duty-record"),
    path("points/<int:congress_id>/<int:year>/", PointsLeagueView.as_view(), name="points-league"),
]
