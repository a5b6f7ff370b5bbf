"""REST API of deputies and seats: /api/v1/deputies/ and /api/v1/seats/.

Lists are for congress staff and admins, scoped like the pages. ID number and mobile are masked unless the
`deputies.view_personal` rule allows them for that deputy (decided per object on prefetched seats: no
query per row). Writes go through the services; a refused transition answers 409.
"""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field, extend_schema_view
from rest_framework import mixins, permissions, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from minsheng.common import validators as checks
from minsheng.common.api import Can, IdField
from minsheng.common.permissions import can
from minsheng.congresses.models import Congress, Term

from . import selectors, services
from .models import Deputy, Seat

# --- serializers -------------------------------------------------------------------------------------------


class SeatSerializer(serializers.ModelSerializer):
    congress_name = serializers.CharField(source="congress.name", read_only=True)
    level = serializers.ChoiceField(source="congress.level", choices=Congress.Level.choices, read_only=True)
    term_number = serializers.IntegerField(source="term.number", read_only=True)

    class Meta:
        model = Seat
        fields = [
            "id",
            "deputy",
            "congress",
            "congress_name",
            "level",
            "term",
            "term_number",
            "delegation",
            "constituency",
            "start_date",
            "end_date",
            "status",
            "end_reason",
        ]
        read_only_fields = fields


class DeputySerializer(serializers.ModelSerializer):
    """A deputy as the caller may see it: `personal_data_visible` says whether `id_number` and `mobile` are
    the real values or masked ones."""

    personal_data_visible = serializers.SerializerMethodField()
    id_number = serializers.SerializerMethodField()
    mobile = serializers.SerializerMethodField()
    birth_date = serializers.SerializerMethodField()
    levels = serializers.SerializerMethodField()
    seats = SeatSerializer(many=True, read_only=True)

    class Meta:
        model = Deputy
        fields = [
            "id",
            "name",
            "name_sort",
            "gender",
            "birth_date",
            "ethnicity",
            "party",
            "occupation",
            "is_leading_cadre",
            "personal_data_visible",
            "id_number",
            "mobile",
            "levels",
            "seats",
        ]
        read_only_fields = fields

    def _visible(self, deputy: Deputy) -> bool:
        cache = self.context.setdefault("_personal", {})
        if deputy.pk not in cache:
            cache[deputy.pk] = can(self.context["request"].user, "deputies.view_personal", deputy)
        return cache[deputy.pk]

    def get_personal_data_visible(self, deputy: Deputy) -> bool:
        return self._visible(deputy)

    def get_id_number(self, deputy: Deputy) -> str:
        return deputy.id_number if self._visible(deputy) else deputy.masked_id_number

    def get_mobile(self, deputy: Deputy) -> str:
        return deputy.mobile if self._visible(deputy) else deputy.masked_mobile

    @extend_schema_field(OpenApiTypes.DATE)
    def get_birth_date(self, deputy: Deputy):
        """The full date only with the personal data; otherwise the first of the month."""
        if self._visible(deputy):
            return deputy.birth_date
        return deputy.birth_date.replace(day=1)

    @extend_schema_field(serializers.ListField(child=serializers.ChoiceField(choices=Congress.Level.choices)))
    def get_levels(self, deputy: Deputy) -> list[str]:
        """The levels of the seats in office (五级: national … township)."""
        return list(
            dict.fromkeys(s.congress.level for s in deputy.seats.all() if s.status == Seat.Status.ACTIVE)
        )


class DeputyCreateSerializer(serializers.Serializer):
    congress = serializers.PrimaryKeyRelatedField(queryset=Congress.objects.all())
    term = serializers.PrimaryKeyRelatedField(
        queryset=Term.objects.all(),
        required=False,
        allow_null=True,
        help_text=_("Default: the current term."),
    )
    name = serializers.CharField(max_length=50)
    id_number = serializers.CharField(max_length=30)
    mobile = serializers.CharField(max_length=20, required=False, allow_blank=True, default="")
    ethnicity = serializers.CharField(max_length=20, required=False, allow_blank=True, default="")
    party = serializers.CharField(max_length=30, required=False, allow_blank=True, default="")
    occupation = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    is_leading_cadre = serializers.BooleanField(required=False, default=False)
    delegation = serializers.CharField(max_length=100, required=False, allow_blank=True, default="")
    constituency = serializers.CharField(max_length=100, required=False, allow_blank=True, default="")
    start_date = serializers.DateField(
        required=False, allow_null=True, default=None, validators=[checks.validate_planned_date]
    )


class DeputyFilterSerializer(serializers.Serializer):
    congress = IdField(required=False)
    level = serializers.ChoiceField(choices=Congress.Level.choices, required=False)
    status = serializers.ChoiceField(choices=Seat.Status.choices, required=False)
    name = serializers.CharField(required=False, allow_blank=True, max_length=50)
    station = IdField(required=False)


class SeatCreateSerializer(serializers.Serializer):
    deputy = serializers.PrimaryKeyRelatedField(queryset=Deputy.objects.only("id", "name"))
    term = serializers.PrimaryKeyRelatedField(queryset=Term.objects.select_related("congress"))
    delegation = serializers.CharField(max_length=100, required=False, allow_blank=True, default="")
    constituency = serializers.CharField(max_length=100, required=False, allow_blank=True, default="")
    start_date = serializers.DateField(
        required=False, allow_null=True, default=None, validators=[checks.validate_planned_date]
    )

    def validate_deputy(self, deputy):
        # A deputy the caller cannot see is not there for them (same answer as for an unknown id).
        if not can(self.context["request"].user, "deputies.view", deputy):
            raise serializers.ValidationError(_("No such deputy."))
        return deputy


class SeatEndSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=[Seat.Status.ENDED, Seat.Status.RESIGNED])
    end_date = serializers.DateField(validators=[checks.validate_past_date])
    reason = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")


class SeatFilterSerializer(serializers.Serializer):
    congress = IdField(required=False)
    deputy = IdField(required=False)
    term = IdField(required=False)
    status = serializers.ChoiceField(choices=Seat.Status.choices, required=False)


# --- viewsets ----------------------------------------------------------------------------------------------

STAFF = Can.to("deputies.view_list")


@extend_schema_view(
    list=extend_schema(
        summary="Deputies in the caller's scope, in pinyin order",
        parameters=[
            OpenApiParameter("congress", int, description="a seat in this congress"),
            OpenApiParameter("level", str, enum=Congress.Level.values, description="a seat at this level"),
            OpenApiParameter("status", str, enum=Seat.Status.values, description="a seat with this status"),
            OpenApiParameter(
                "name", str, description="name prefix (曾丽) or pinyin prefix (zengli, zeng li)"
            ),
            OpenApiParameter("station", int, description="attached to this liaison station"),
        ],
    ),
    retrieve=extend_schema(summary="One deputy (404 outside the caller's scope)"),
    create=extend_schema(
        summary="Add a deputy with a first seat",
        request=DeputyCreateSerializer,
        responses={201: DeputySerializer},
    ),
)
class DeputyViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    serializer_class = DeputySerializer
    queryset = Deputy.objects.none()

    def get_permissions(self):
        if self.action == "retrieve":
            return [permissions.IsAuthenticated()]
        return [STAFF()]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Deputy.objects.none()
        params = DeputyFilterSerializer(data=self.request.query_params)
        params.is_valid(raise_exception=True)
        data = params.validated_data
        return selectors.deputy_list_for(
            self.request.user,
            congress=data.get("congress"),
            level=data.get("level"),
            status=data.get("status"),
            q=data.get("name", ""),
            station=data.get("station"),
        )

    def get_object(self):
        deputy = selectors.deputy_get_for(self.request.user, self.kwargs["pk"])
        self.check_object_permissions(self.request, deputy)
        return deputy

    def create(self, request, *args, **kwargs):
        incoming = DeputyCreateSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        data = incoming.validated_data
        deputy = services.deputy_create(actor=request.user, **data)
        deputy = selectors.deputy_get_for(request.user, deputy.pk)
        return Response(self.get_serializer(deputy).data, status=status.HTTP_201_CREATED)


@extend_schema_view(
    list=extend_schema(
        summary="Seats in the caller's region",
        parameters=[
            OpenApiParameter("congress", int),
            OpenApiParameter("deputy", int),
            OpenApiParameter("term", int),
            OpenApiParameter("status", str, enum=Seat.Status.values),
        ],
    ),
    retrieve=extend_schema(summary="One seat (404 if its deputy is outside the caller's scope)"),
    create=extend_schema(
        summary="Add a seat to a deputy", request=SeatCreateSerializer, responses={201: SeatSerializer}
    ),
)
class SeatViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    serializer_class = SeatSerializer
    queryset = Seat.objects.none()

    def get_permissions(self):
        if self.action == "retrieve":
            return [permissions.IsAuthenticated()]
        return [STAFF()]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Seat.objects.none()
        params = SeatFilterSerializer(data=self.request.query_params)
        params.is_valid(raise_exception=True)
        return selectors.seat_list_for(self.request.user, **params.validated_data)

    def get_object(self):
        seat = selectors.seat_get_for(self.request.user, self.kwargs["pk"])
        self.check_object_permissions(self.request, seat)
        return seat

    def create(self, request, *args, **kwargs):
        incoming = SeatCreateSerializer(data=request.data, context={"request": request})
        incoming.is_valid(raise_exception=True)
        seat = services.seat_add(actor=request.user, **incoming.validated_data)
        seat = selectors.seat_get_for(request.user, seat.pk)
        return Response(SeatSerializer(seat).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        summary="End a seat (terminated or resigned); 409 if it has already ended",
        request=SeatEndSerializer,
        responses={200: SeatSerializer},
    )
    @action(detail=True, methods=["post"])
    def end(self, request, pk=None):
        seat = self.get_object()
        incoming = SeatEndSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        services.seat_end(actor=request.user, seat_id=seat.pk, **incoming.validated_data)
        return Response(SeatSerializer(selectors.seat_get_for(request.user, seat.pk)).data)


routes = [
    ("deputies", DeputyViewSet, "deputy"),
    ("seats", SeatViewSet, "seat"),
]
