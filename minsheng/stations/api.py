"""REST API of liaison stations: /api/v1/stations/ (their receptions, /api/v1/receptions/, are in activities).

Reading is public (open stations; a closed one only for those who manage it), with the attached deputies'
names and levels and nothing else about them. Creating needs `stations.create`, editing and attaching or
detaching deputies `stations.manage`.
"""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field, extend_schema_view
from rest_framework import mixins, permissions, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from minsheng.accounts.permissions import staff_scope_prefix
from minsheng.common import validators as checks
from minsheng.common.permissions import can
from minsheng.congresses.models import Congress
from minsheng.deputies.models import Deputy
from minsheng.places.models import Place

from . import selectors, services
from .models import Station


class PublicDeputySerializer(serializers.Serializer):
    """An attached deputy as the public sees it: name and the levels of the seats in office."""

    name = serializers.CharField()
    levels = serializers.ListField(child=serializers.ChoiceField(choices=Congress.Level.choices))


class PlaceBriefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Place
        fields = ["id", "code", "name", "level"]
        read_only_fields = fields


class StationSerializer(serializers.ModelSerializer):
    place = PlaceBriefSerializer(read_only=True)
    deputies = serializers.SerializerMethodField()

    class Meta:
        model = Station
        fields = [
            "id",
            "name",
            "kind",
            "place",
            "congress",
            "address",
            "opening_hours",
            "phone",
            "description",
            "is_active",
            "deputies",
        ]
        read_only_fields = fields

    @extend_schema_field(PublicDeputySerializer(many=True))
    def get_deputies(self, station: Station) -> list[dict]:
        """Loaded for the whole page by the view (`selectors.stations_deputies`): no query per station."""
        rows = self.context["deputies"].get(station.pk, [])
        return [{"name": d.name, "levels": d.levels} for d in rows]


class StationWriteSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=100)
    kind = serializers.ChoiceField(choices=Station.Kind.choices, default=Station.Kind.STATION)
    place = serializers.PrimaryKeyRelatedField(queryset=Place.objects.all())
    address = serializers.CharField(max_length=200)
    opening_hours = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    phone = serializers.CharField(max_length=30, required=False, allow_blank=True, default="")
    description = serializers.CharField(
        required=False, allow_blank=True, default="", max_length=checks.limit(Station, "description")
    )


class StationUpdateSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=100, required=False)
    kind = serializers.ChoiceField(choices=Station.Kind.choices, required=False)
    place = serializers.PrimaryKeyRelatedField(queryset=Place.objects.all(), required=False)
    address = serializers.CharField(max_length=200, required=False)
    opening_hours = serializers.CharField(max_length=200, required=False, allow_blank=True)
    phone = serializers.CharField(max_length=30, required=False, allow_blank=True)
    description = serializers.CharField(
        required=False, allow_blank=True, max_length=checks.limit(Station, "description")
    )
    is_active = serializers.BooleanField(required=False)


class DeputyRefSerializer(serializers.Serializer):
    deputy = serializers.PrimaryKeyRelatedField(
        queryset=Deputy.objects.only("id", "name"), help_text=_("The deputy's id")
    )
    since = serializers.DateField(
        required=False, allow_null=True, default=None, validators=[checks.validate_past_date]
    )


class StationFilterSerializer(serializers.Serializer):
    q = serializers.CharField(required=False, allow_blank=True, max_length=50)
    county = serializers.RegexField(r"^\d{6}$", required=False)
    kind = serializers.ChoiceField(choices=Station.Kind.choices, required=False)


class CanManageStation(permissions.BasePermission):
    """Creating needs congress staff (the service checks the congress); the rest `stations.manage`."""

    def has_permission(self, request, view) -> bool:
        if view.action == "create":
            return staff_scope_prefix(request.user) is not None
        return True

    def has_object_permission(self, request, view, obj) -> bool:
        return can(request.user, "stations.manage", obj)


@extend_schema_view(
    list=extend_schema(
        summary="Open liaison stations with their deputies' names and levels",
        parameters=[
            OpenApiParameter("q", str, description="part of the name, the place or the address"),
            OpenApiParameter("county", str, description="county code, e.g. 440781"),
            OpenApiParameter("kind", str, enum=Station.Kind.values),
        ],
    ),
    retrieve=extend_schema(summary="One station (a closed one only for those who manage it)"),
    create=extend_schema(
        summary="Add a station (congress staff)",
        request=StationWriteSerializer,
        responses={201: StationSerializer},
    ),
    partial_update=extend_schema(
        summary="Edit a station", request=StationUpdateSerializer, responses={200: StationSerializer}
    ),
)
class StationViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    serializer_class = StationSerializer
    queryset = Station.objects.none()
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_permissions(self):
        if self.action in ("list", "retrieve"):
            return [permissions.AllowAny()]
        return [permissions.IsAuthenticated(), CanManageStation()]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Station.objects.none()
        params = StationFilterSerializer(data=self.request.query_params)
        params.is_valid(raise_exception=True)
        return selectors.station_list(self.request.user, **params.validated_data)

    def get_object(self):
        station = selectors.station_get_for(self.request.user, self.kwargs["pk"])
        self.check_object_permissions(self.request, station)
        return station

    def list(self, request, *args, **kwargs):
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        deputies = selectors.stations_deputies([s.pk for s in page])
        serializer = self.get_serializer(page, many=True, context={"request": request, "deputies": deputies})
        return self.get_paginated_response(serializer.data)

    def _one(self, station: Station) -> dict:
        deputies = {station.pk: selectors.station_deputies(station)}
        return StationSerializer(station, context={"request": self.request, "deputies": deputies}).data

    def retrieve(self, request, *args, **kwargs):
        return Response(self._one(self.get_object()))

    def create(self, request, *args, **kwargs):
        incoming = StationWriteSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        station = services.station_create(actor=request.user, **incoming.validated_data)
        return Response(
            self._one(selectors.station_get_for(request.user, station.pk)), status=status.HTTP_201_CREATED
        )

    def partial_update(self, request, *args, **kwargs):
        station = self.get_object()
        incoming = StationUpdateSerializer(data=request.data, partial=True)
        incoming.is_valid(raise_exception=True)
        services.station_update(actor=request.user, station_id=station.pk, **incoming.validated_data)
        return Response(self._one(selectors.station_get_for(request.user, station.pk)))

    @extend_schema(
        summary="Attach a deputy to the station (409 if already attached)",
        request=DeputyRefSerializer,
        responses={200: StationSerializer},
    )
    @action(detail=True, methods=["post"])
    def attach(self, request, pk=None):
        station = self.get_object()
        incoming = DeputyRefSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        services.station_attach_deputy(actor=request.user, station_id=station.pk, **incoming.validated_data)
        return Response(self._one(station))

    @extend_schema(
        summary="Detach a deputy from the station",
        request=DeputyRefSerializer,
        responses={200: StationSerializer},
    )
    @action(detail=True, methods=["post"])
    def detach(self, request, pk=None):
        station = self.get_object()
        incoming = DeputyRefSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        services.station_detach_deputy(
            actor=request.user, station_id=station.pk, deputy_id=incoming.validated_data["deputy"].pk
        )
        return Response(self._one(station))


routes = [("stations", StationViewSet, "station")]
