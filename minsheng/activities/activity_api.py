"""REST API of activities (代表活动): /api/v1/activities/ (signed in), scoped like the pages, with each
activity's participations (`…/participations/`), sign-up, attendance, sign-in by the QR code's token and the
links to a project (`…/concerns/`, a kind of the `concerns` registry)."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, permissions, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from minsheng.common.api import IdField
from minsheng.common.permissions import can
from minsheng.congresses.models import Congress
from minsheng.deputies.models import Deputy
from minsheng.places.models import Place
from minsheng.stations.models import Station

from . import activity_selectors as selectors
from . import activity_services as services
from .models import Activity, ActivityKind, Participation


class RefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()


class KindSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    code = serializers.CharField()
    name = serializers.CharField()


class ActivitySerializer(serializers.ModelSerializer):
    kind = KindSerializer(read_only=True)
    congress = RefSerializer(read_only=True)
    place = RefSerializer(read_only=True)
    station = RefSerializer(read_only=True, allow_null=True)
    cases = serializers.PrimaryKeyRelatedField(many=True, read_only=True)
    produced = serializers.PrimaryKeyRelatedField(many=True, read_only=True)
    may_edit = serializers.SerializerMethodField()

    class Meta:
        model = Activity
        fields = [
            "id",
            "kind",
            "title",
            "topic",
            "congress",
            "place",
            "location",
            "station",
            "starts_at",
            "ends_at",
            "leader",
            "status",
            "signup_open",
            "minutes",
            "cases",
            "produced",
            "may_edit",
        ]
        read_only_fields = fields

    def get_may_edit(self, activity) -> bool:
        request = self.context.get("request")
        return bool(request and can(request.user, "activities.edit_activity", activity))


class ActivityWriteSerializer(serializers.Serializer):
    kind = serializers.PrimaryKeyRelatedField(queryset=ActivityKind.objects.all())
    title = serializers.CharField(max_length=200)
    congress = serializers.PrimaryKeyRelatedField(queryset=Congress.objects.all())
    place = serializers.PrimaryKeyRelatedField(queryset=Place.objects.all())
    location = serializers.CharField(max_length=200)
    station = serializers.PrimaryKeyRelatedField(
        queryset=Station.objects.all(), required=False, allow_null=True, default=None
    )
    starts_at = serializers.DateTimeField()
    ends_at = serializers.DateTimeField()
    topic = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")
    leader = serializers.CharField(max_length=100, required=False, allow_blank=True, default="")
    signup_open = serializers.BooleanField(required=False, default=False)


class ParticipationSerializer(serializers.ModelSerializer):
    deputy = RefSerializer(read_only=True)

    class Meta:
        model = Participation
        fields = ["id", "deputy", "status", "checked_in_at", "method", "leave_reason", "in_full"]
        read_only_fields = fields


class AttendanceSerializer(serializers.Serializer):
    deputy = serializers.PrimaryKeyRelatedField(queryset=Deputy.objects.all())
    status = serializers.ChoiceField(choices=services.ATTENDANCE_STATUSES)
    leave_reason = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    in_full = serializers.BooleanField(required=False, default=True)


class InviteSerializer(serializers.Serializer):
    deputies = serializers.PrimaryKeyRelatedField(queryset=Deputy.objects.all(), many=True)


class CheckinSerializer(serializers.Serializer):
    token = serializers.CharField(max_length=64, help_text=_("The token of the QR code's sign-in link"))


class ConcernSerializer(serializers.Serializer):
    kind = serializers.CharField(max_length=20, help_text=_("What is linked, e.g. project"))
    object_id = IdField()


class ActivityFilterSerializer(serializers.Serializer):
    q = serializers.CharField(required=False, allow_blank=True, max_length=100, default="")
    kind = serializers.PrimaryKeyRelatedField(queryset=ActivityKind.objects.all(), required=False)
    congress = serializers.PrimaryKeyRelatedField(queryset=Congress.objects.all(), required=False)
    date_from = serializers.DateField(required=False)
    date_to = serializers.DateField(required=False)
    status = serializers.ChoiceField(choices=Activity.Status.choices, required=False)


@extend_schema_view(
    list=extend_schema(
        summary="Activities the caller may see",
        parameters=[
            OpenApiParameter("q", str),
            OpenApiParameter("kind", int),
            OpenApiParameter("congress", int, description="organised by this congress or one below it"),
            OpenApiParameter("date_from", OpenApiTypes.DATE),
            OpenApiParameter("date_to", OpenApiTypes.DATE),
            OpenApiParameter("status", str, enum=Activity.Status.values),
        ],
    ),
    retrieve=extend_schema(summary="One activity"),
    create=extend_schema(
        summary="Plan an activity (the organising congress's staff)",
        request=ActivityWriteSerializer,
        responses={201: ActivitySerializer},
    ),
)
class ActivityViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    serializer_class = ActivitySerializer
    queryset = Activity.objects.none()
    permission_classes = [permissions.IsAuthenticated]
    http_method_names = ["get", "post", "head", "options"]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Activity.objects.none()
        params = ActivityFilterSerializer(data=self.request.query_params)
        params.is_valid(raise_exception=True)
        data = dict(params.validated_data)
        return selectors.activity_list(self.request.user, **data).prefetch_related("cases", "produced")

    def get_object(self):
        return selectors.activity_get_for(self.request.user, self.kwargs["pk"])

    def _one(self, pk: int) -> dict:
        return ActivitySerializer(
            selectors.activity_get_for(self.request.user, pk), context={"request": self.request}
        ).data

    def create(self, request, *args, **kwargs):
        incoming = ActivityWriteSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        activity = services.activity_create(actor=request.user, **incoming.validated_data)
        return Response(self._one(activity.pk), status=status.HTTP_201_CREATED)

    @extend_schema(summary="The activity's participants", responses=ParticipationSerializer(many=True))
    @action(detail=True, methods=["get"])
    def participations(self, request, pk=None):
        activity = self.get_object()
        rows = selectors.activity_participations(activity)
        return Response(ParticipationSerializer(rows, many=True).data)

    @extend_schema(
        summary="Sign up (an eligible deputy)", request=None, responses={201: ParticipationSerializer}
    )
    @action(detail=True, methods=["post"])
    def signup(self, request, pk=None):
        activity = self.get_object()
        participation = services.activity_signup(actor=request.user, activity_id=activity.pk)
        return Response(ParticipationSerializer(participation).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        summary="Record attendance or leave (staff)",
        request=AttendanceSerializer,
        responses=ParticipationSerializer,
    )
    @action(detail=True, methods=["post"])
    def attendance(self, request, pk=None):
        activity = self.get_object()
        incoming = AttendanceSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        participation = services.attendance_mark(
            actor=request.user, activity_id=activity.pk, **incoming.validated_data
        )
        return Response(ParticipationSerializer(participation).data)

    @extend_schema(
        summary="Link a project (or another registered kind)", request=ConcernSerializer, responses=None
    )
    @action(detail=True, methods=["post"])
    def concerns(self, request, pk=None):
        activity = self.get_object()
        incoming = ConcernSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        services.activity_concern_add(actor=request.user, activity_id=activity.pk, **incoming.validated_data)
        return Response(self._one(activity.pk), status=status.HTTP_201_CREATED)

    @extend_schema(
        summary="Sign in by the QR code's token (a deputy, within the window, once)",
        request=CheckinSerializer,
        responses={201: ParticipationSerializer},
    )
    @action(detail=False, methods=["post"])
    def checkin(self, request):
        incoming = CheckinSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        participation = services.activity_checkin(actor=request.user, token=incoming.validated_data["token"])
        return Response(ParticipationSerializer(participation).data, status=status.HTTP_201_CREATED)


routes = [("activities", ActivityViewSet, "activity")]
