"""REST API of receptions (接待): /api/v1/receptions/ (signed in), scoped like the pages; the list never carries
the contact visitor, a reception's own answer carries it as `activities.view_visitor` allows."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field, extend_schema_view
from rest_framework import mixins, permissions, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from minsheng.accounts.permissions import Role, has_role
from minsheng.cases.models import Beneficiary, Case
from minsheng.cases.privacy import reception_matter
from minsheng.common import validators as checks
from minsheng.common.api import IdField
from minsheng.common.idcard import parse_id_number
from minsheng.common.permissions import can, ensure
from minsheng.common.phones import normalize_mobile
from minsheng.deputies.models import Deputy
from minsheng.stations.models import Station
from minsheng.stations.selectors import station_get_for
from minsheng.units.models import Unit

from . import selectors, services
from .models import Reception, ReceptionDay, ReceptionMatter


class NamedRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()


class CaseRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    number = serializers.CharField(allow_null=True)
    title = serializers.CharField()
    status = serializers.CharField()


class VisitorSerializer(serializers.Serializer):
    """The contact visitor: in full for those who may (`activities.view_visitor`), masked for the others."""

    name = serializers.CharField()
    phone = serializers.CharField()
    masked = serializers.BooleanField()


class ReceptionSerializer(serializers.ModelSerializer):
    """A reception in a list: never the visitor's name or phone."""

    station = NamedRefSerializer(read_only=True)
    deputies = NamedRefSerializer(many=True, read_only=True)
    referred_to = NamedRefSerializer(read_only=True, allow_null=True)
    case = CaseRefSerializer(read_only=True, allow_null=True)

    class Meta:
        model = Reception
        fields = [
            "id",
            "station",
            "received_at",
            "deputies",
            "visitor_count",
            "matter",
            "category",
            "outcome",
            "referred_to",
            "outcome_note",
            "case",
        ]
        read_only_fields = fields

    def to_representation(self, reception):
        data = super().to_representation(reception)
        request = self.context.get("request")
        data["matter"] = reception_matter(
            request.user if request else None, reception
        )  # as on the log's page
        return data


class MatterSerializer(serializers.ModelSerializer):
    """A matter raised (反映事项): its text as the reader may read it, and what the reader may do now."""

    referred_to = NamedRefSerializer(read_only=True, allow_null=True)
    case = CaseRefSerializer(read_only=True, allow_null=True)
    available_actions = serializers.SerializerMethodField()

    class Meta:
        model = ReceptionMatter
        fields = [
            "id",
            "reception",
            "position",
            "text",
            "category",
            "disposal",
            "referred_to",
            "referred_to_name",
            "case",
            "status",
            "answer_due",
            "answer",
            "answered_at",
            "feedback_at",
            "feedback_how",
            "feedback_note",
            "available_actions",
        ]
        read_only_fields = fields

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_available_actions(self, matter) -> list[str]:
        return selectors.matter_actions(self.context["request"].user, matter)

    def to_representation(self, matter):
        data = super().to_representation(matter)
        data["text"] = reception_matter(self.context["request"].user, matter.reception, text=matter.text)
        return data


class ReceptionDetailSerializer(ReceptionSerializer):
    contact = serializers.SerializerMethodField()
    matters = serializers.SerializerMethodField()

    class Meta(ReceptionSerializer.Meta):
        fields = [*ReceptionSerializer.Meta.fields, "contact", "reception_day", "archived_at", "matters"]
        read_only_fields = fields

    @extend_schema_field(MatterSerializer(many=True))
    def get_matters(self, reception: Reception) -> list:
        return MatterSerializer(
            selectors.reception_matters_of(reception), many=True, context=self.context
        ).data

    @extend_schema_field(VisitorSerializer(allow_null=True))
    def get_contact(self, reception: Reception) -> dict | None:
        if not (reception.contact_name or reception.contact_phone):
            return None
        contact = selectors.visitor_contact(self.context["request"].user, reception)
        return {"name": contact.name, "phone": contact.phone, "masked": contact.masked}


class BeneficiarySerializer(serializers.Serializer):
    """A wish's beneficiary (受助对象): it goes only into the case (`cases.privacy` decides who reads it)."""

    kind = serializers.ChoiceField(choices=Beneficiary.Kind.choices, required=False, default="household")
    group = serializers.ChoiceField(choices=Beneficiary.Group.choices, required=False, default="other")
    name = serializers.CharField(
        max_length=50,
        required=False,
        allow_blank=True,
        default="",
        help_text=_("Default: the reception's contact visitor"),
    )
    id_number = serializers.CharField(max_length=30, required=False, allow_blank=True, default="")
    phone = serializers.CharField(max_length=20, required=False, allow_blank=True, default="")
    address = serializers.CharField(max_length=200)

    def validate_id_number(self, value: str) -> str:
        return parse_id_number(value).number if value.strip() else ""

    def validate_phone(self, value: str) -> str:
        return normalize_mobile(value) if value.strip() else ""


class MatterWriteSerializer(serializers.Serializer):
    text = serializers.CharField(max_length=checks.limit(ReceptionMatter, "text"))
    category = serializers.ChoiceField(choices=Reception.Category.choices)
    disposal = serializers.ChoiceField(choices=ReceptionMatter.Disposal.choices)
    referred_to = serializers.PrimaryKeyRelatedField(
        queryset=Unit.objects.only("id", "name"), required=False, allow_null=True, default=None
    )
    referred_to_name = serializers.CharField(max_length=100, required=False, allow_blank=True, default="")
    note = serializers.CharField(
        max_length=checks.limit(ReceptionMatter, "answer"), required=False, allow_blank=True, default=""
    )
    amount = serializers.DecimalField(max_digits=12, decimal_places=2, required=False, allow_null=True)
    case_category = serializers.ChoiceField(choices=Case.Category.choices, required=False, allow_blank=True)
    beneficiary = BeneficiarySerializer(required=False)


class ReceptionWriteSerializer(serializers.Serializer):
    station = serializers.PrimaryKeyRelatedField(queryset=Station.objects.all())
    received_at = serializers.DateTimeField(validators=[checks.validate_past_date])
    deputies = serializers.PrimaryKeyRelatedField(
        queryset=Deputy.objects.only("id", "name"),
        many=True,
        help_text=_("The ids of the deputies who received"),
    )
    visitor_count = serializers.IntegerField(min_value=1, max_value=9999, default=1)
    contact_name = serializers.CharField(max_length=50, required=False, allow_blank=True, default="")
    contact_phone = serializers.CharField(max_length=20, required=False, allow_blank=True, default="")
    matter = serializers.CharField(
        max_length=checks.limit(Reception, "matter"), required=False, default="", allow_blank=True
    )
    category = serializers.ChoiceField(choices=Reception.Category.choices, required=False, default="")
    outcome = serializers.ChoiceField(choices=Reception.Outcome.choices, required=False, default="")
    referred_to = serializers.PrimaryKeyRelatedField(
        queryset=Unit.objects.only("id", "name"), required=False, allow_null=True, default=None
    )
    outcome_note = serializers.CharField(
        required=False, allow_blank=True, default="", max_length=checks.limit(Reception, "outcome_note")
    )
    matters = MatterWriteSerializer(
        many=True,
        required=False,
        help_text=_(
            "The matters raised (one or more), recorded with the reception in one call; else `matter`"
        ),
    )
    reception_day = serializers.IntegerField(required=False, allow_null=True, default=None)

    def validate(self, attrs):
        if not attrs.get("matters") and not attrs.get("matter"):
            raise serializers.ValidationError(
                {"matters": _("Describe at least one matter the visitors raised.")}
            )
        return attrs


class ReceptionUpdateSerializer(serializers.Serializer):
    received_at = serializers.DateTimeField(required=False, validators=[checks.validate_past_date])
    deputies = serializers.PrimaryKeyRelatedField(
        queryset=Deputy.objects.only("id", "name"), many=True, required=False
    )
    visitor_count = serializers.IntegerField(min_value=1, max_value=9999, required=False)
    contact_name = serializers.CharField(max_length=50, required=False, allow_blank=True)
    contact_phone = serializers.CharField(max_length=20, required=False, allow_blank=True)
    matter = serializers.CharField(required=False, max_length=checks.limit(Reception, "matter"))
    category = serializers.ChoiceField(choices=Reception.Category.choices, required=False)
    outcome = serializers.ChoiceField(choices=Reception.Outcome.choices, required=False)
    referred_to = serializers.PrimaryKeyRelatedField(
        queryset=Unit.objects.only("id", "name"), required=False, allow_null=True
    )
    outcome_note = serializers.CharField(
        required=False, allow_blank=True, max_length=checks.limit(Reception, "outcome_note")
    )


class ReceptionToCaseSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(
        choices=[(k, label) for k, label in Case.Kind.choices if k in services.CASE_KINDS_FROM_RECEPTION],
        default=Case.Kind.SUGGESTION,
        help_text=_("suggestion, wish (with its beneficiary) or micro_project"),
    )
    deputy = serializers.PrimaryKeyRelatedField(
        queryset=Deputy.objects.only("id", "name"),
        required=False,
        allow_null=True,
        default=None,
        help_text=_("The lead deputy: one of those who received (default: the caller, or the first of them)"),
    )
    title = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    amount = serializers.DecimalField(
        max_digits=12,
        decimal_places=2,
        min_value=0,
        required=False,
        allow_null=True,
        default=None,
        help_text=_("The estimated value of a wish, the budget of a micro-project"),
    )
    category = serializers.ChoiceField(
        choices=[(c, label) for c, label in Case.Category.choices if c in ("material", "service")],
        required=False,
        allow_blank=True,
        default="",
        help_text=_("A wish: material or service (default service)"),
    )
    matter = IdField(
        required=False,
        allow_null=True,
        default=None,
        help_text=_("The matter of the reception to record (default: the first without a case)"),
    )
    beneficiary = BeneficiarySerializer(
        required=False,
        allow_null=True,
        default=None,
        help_text=_("A wish's beneficiary (required for a wish)"),
    )

    def validate(self, attrs):
        kind = attrs["kind"]
        errors = {}
        if kind in (Case.Kind.WISH, Case.Kind.MICRO_PROJECT) and attrs.get("amount") is None:
            errors["amount"] = [
                _("Enter the estimated value of the wish.")
                if kind == Case.Kind.WISH
                else _("Enter the budget of the micro-project.")
            ]
        if kind == Case.Kind.WISH:
            beneficiary = attrs.get("beneficiary")
            if not beneficiary:
                errors["beneficiary"] = {"address": [_("Enter the beneficiary's address.")]}
            elif not beneficiary.get("name") and not self.context.get("contact_name"):
                errors["beneficiary"] = {"name": [_("Enter the beneficiary's name.")]}
        else:
            attrs["beneficiary"], attrs["category"] = None, ""
        if errors:
            raise serializers.ValidationError(errors)
        return attrs


class ReceptionLinkSerializer(serializers.Serializer):
    case = IdField(help_text=_("The id of a case the caller may see"))


class ReceptionCaseCreatedSerializer(serializers.Serializer):
    case = CaseRefSerializer()
    reception = ReceptionDetailSerializer()


class ReceptionFilterSerializer(serializers.Serializer):
    station = IdField(required=False)
    date_from = serializers.DateField(required=False)
    date_to = serializers.DateField(required=False)
    deputy = IdField(required=False)
    category = serializers.ChoiceField(choices=Reception.Category.choices, required=False)
    outcome = serializers.ChoiceField(choices=Reception.Outcome.choices, required=False)
    linked = serializers.BooleanField(required=False, allow_null=True, default=None)
    mine = serializers.BooleanField(required=False, default=False)


@extend_schema_view(
    list=extend_schema(
        summary="Receptions the caller may see (never the visitor's name or phone)",
        parameters=[
            OpenApiParameter("station", int),
            OpenApiParameter("date_from", OpenApiTypes.DATE),
            OpenApiParameter("date_to", OpenApiTypes.DATE),
            OpenApiParameter("deputy", int, description="a deputy who received"),
            OpenApiParameter("category", str, enum=Reception.Category.values),
            OpenApiParameter("outcome", str, enum=Reception.Outcome.values),
            OpenApiParameter("linked", bool, description="linked to a case or not"),
            OpenApiParameter("mine", bool, description="a deputy's own receptions, at every station"),
        ],
    ),
    retrieve=extend_schema(
        summary="One reception, with the contact visitor (masked unless the caller may see it)",
        responses=ReceptionDetailSerializer,
    ),
    create=extend_schema(
        summary="Record a reception (the station's staff and deputies, congress staff covering its place)",
        request=ReceptionWriteSerializer,
        responses={201: ReceptionDetailSerializer},
    ),
    partial_update=extend_schema(
        summary="Correct a reception",
        request=ReceptionUpdateSerializer,
        responses={200: ReceptionDetailSerializer},
    ),
)
class ReceptionViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    serializer_class = ReceptionSerializer
    queryset = Reception.objects.none()
    permission_classes = [permissions.IsAuthenticated]
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Reception.objects.none()
        params = ReceptionFilterSerializer(data=self.request.query_params)
        params.is_valid(raise_exception=True)
        data = dict(params.validated_data)
        user = self.request.user
        if data.pop("mine", False):
            if not has_role(user, Role.DEPUTY) or not user.deputy_id:
                return Reception.objects.none()
            data["deputy"] = user.deputy_id
        station_id = data.pop("station", None)
        receptions = selectors.reception_list(user, **data)
        return receptions.filter(station_id=station_id) if station_id else receptions

    def get_object(self):
        return selectors.reception_get_for(self.request.user, self.kwargs["pk"])

    def _one(self, reception_id: int) -> dict:
        reception = selectors.reception_get_for(self.request.user, reception_id)
        return ReceptionDetailSerializer(reception, context={"request": self.request}).data

    def retrieve(self, request, *args, **kwargs):
        return Response(self._one(self.get_object().pk))

    def create(self, request, *args, **kwargs):
        incoming = ReceptionWriteSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        data = dict(incoming.validated_data)
        station = data.pop("station")
        data["reception_day_id"] = data.pop("reception_day", None)
        data["matters"] = [dict(m) for m in data.get("matters") or []] or None
        reception = services.reception_record(actor=request.user, station_id=station.pk, **data)
        return Response(self._one(reception.pk), status=status.HTTP_201_CREATED)

    def partial_update(self, request, *args, **kwargs):
        reception = self.get_object()
        incoming = ReceptionUpdateSerializer(data=request.data, partial=True)
        incoming.is_valid(raise_exception=True)
        services.reception_update(actor=request.user, reception_id=reception.pk, **incoming.validated_data)
        return Response(self._one(reception.pk))

    @extend_schema(
        summary="Record the reception (or one of its matters) as a draft case and link it: a suggestion, a "
        "micro-project, or a wish with its beneficiary (400 with the fields' errors; 409 if already linked)",
        request=ReceptionToCaseSerializer,
        responses={201: ReceptionCaseCreatedSerializer},
    )
    @action(detail=True, methods=["post"], url_path="to-case")
    def to_case(self, request, pk=None):
        reception = self.get_object()
        incoming = ReceptionToCaseSerializer(
            data=request.data, context={"contact_name": reception.contact_name}
        )
        incoming.is_valid(raise_exception=True)
        data = dict(incoming.validated_data)
        data["matter_id"] = data.pop("matter")
        if data["beneficiary"] is not None:
            data["beneficiary"] = dict(data["beneficiary"])
        case = services.reception_to_case(actor=request.user, reception_id=reception.pk, **data)
        body = {
            "case": {"id": case.pk, "number": case.number, "title": case.title, "status": case.status},
            "reception": self._one(reception.pk),
        }
        return Response(body, status=status.HTTP_201_CREATED)

    @extend_schema(
        summary="Link the reception to an existing case the caller may see (409 if already linked)",
        request=ReceptionLinkSerializer,
        responses={200: ReceptionDetailSerializer},
    )
    @action(detail=True, methods=["post"], url_path="link-case")
    def link_case(self, request, pk=None):
        reception = self.get_object()
        incoming = ReceptionLinkSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        services.reception_link_case(
            actor=request.user, reception_id=reception.pk, case_id=incoming.validated_data["case"]
        )
        return Response(self._one(reception.pk))

    @extend_schema(
        summary="Remove the link to a case (409 if not linked)",
        request=None,
        responses={200: ReceptionDetailSerializer},
    )
    @action(detail=True, methods=["post"])
    def unlink(self, request, pk=None):
        reception = self.get_object()
        services.reception_unlink(actor=request.user, reception_id=reception.pk)
        return Response(self._one(reception.pk))


# Reception days (接待日) and matters (反映事项), issue 11 ----------------------------------------------------


class ReceptionDaySerializer(serializers.ModelSerializer):
    station = NamedRefSerializer(read_only=True)
    deputies = NamedRefSerializer(many=True, read_only=True)
    available_actions = serializers.SerializerMethodField()

    class Meta:
        model = ReceptionDay
        fields = [
            "id",
            "station",
            "day",
            "starts_at",
            "ends_at",
            "deputies",
            "note",
            "is_cancelled",
            "available_actions",
        ]
        read_only_fields = fields

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_available_actions(self, reception_day) -> list[str]:
        user = self.context["request"].user
        if reception_day.is_cancelled or not can(user, "activities.schedule_days", reception_day.station):
            return []
        return ["change", "cancel"]


class ReceptionDayWriteSerializer(serializers.Serializer):
    station = serializers.PrimaryKeyRelatedField(queryset=Station.objects.all())
    day = serializers.DateField(validators=[checks.validate_planned_date])
    starts_at = serializers.TimeField()
    ends_at = serializers.TimeField()
    deputies = serializers.PrimaryKeyRelatedField(queryset=Deputy.objects.only("id", "name"), many=True)
    note = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")


class ReceptionDayUpdateSerializer(serializers.Serializer):
    day = serializers.DateField(required=False, validators=[checks.validate_planned_date])
    starts_at = serializers.TimeField(required=False)
    ends_at = serializers.TimeField(required=False)
    deputies = serializers.PrimaryKeyRelatedField(
        queryset=Deputy.objects.only("id", "name"), many=True, required=False
    )
    note = serializers.CharField(max_length=200, required=False, allow_blank=True)


class ReceptionDayFilterSerializer(serializers.Serializer):
    station = IdField()
    month = serializers.DateField(required=False, input_formats=["%Y-%m"])


@extend_schema_view(
    list=extend_schema(
        summary="A station's reception days (a month's with ?month=YYYY-MM)",
        parameters=[
            OpenApiParameter("station", OpenApiTypes.INT, required=True),
            OpenApiParameter("month", OpenApiTypes.STR, description="YYYY-MM"),
        ],
    ),
    create=extend_schema(
        summary="Schedule a reception day (at least the notice days ahead)",
        request=ReceptionDayWriteSerializer,
        responses={201: ReceptionDaySerializer},
    ),
    partial_update=extend_schema(
        summary="Change a reception day",
        request=ReceptionDayUpdateSerializer,
        responses={200: ReceptionDaySerializer},
    ),
)
class ReceptionDayViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    serializer_class = ReceptionDaySerializer
    queryset = ReceptionDay.objects.none()
    permission_classes = [permissions.IsAuthenticated]
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return ReceptionDay.objects.none()
        params = ReceptionDayFilterSerializer(data=self.request.query_params)
        params.is_valid(raise_exception=True)
        station = station_get_for(self.request.user, params.validated_data["station"])
        ensure(self.request.user, "activities.view_days", station)
        return selectors.reception_days_for_station(
            station, month=params.validated_data.get("month")
        ).select_related("station")

    def get_object(self):
        return selectors.reception_day_get_for(self.request.user, self.kwargs["pk"])

    def _one(self, pk) -> dict:
        return ReceptionDaySerializer(
            selectors.reception_day_get_for(self.request.user, pk), context={"request": self.request}
        ).data

    def retrieve(self, request, *args, **kwargs):
        return Response(self._one(self.get_object().pk))

    def create(self, request, *args, **kwargs):
        incoming = ReceptionDayWriteSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        data = dict(incoming.validated_data)
        station = data.pop("station")
        reception_day = services.reception_day_schedule(actor=request.user, station_id=station.pk, **data)
        return Response(self._one(reception_day.pk), status=status.HTTP_201_CREATED)

    def partial_update(self, request, *args, **kwargs):
        reception_day = self.get_object()
        incoming = ReceptionDayUpdateSerializer(data=request.data, partial=True)
        incoming.is_valid(raise_exception=True)
        services.reception_day_change(actor=request.user, day_id=reception_day.pk, **incoming.validated_data)
        return Response(self._one(reception_day.pk))

    @extend_schema(summary="Cancel a reception day", request=None, responses={200: ReceptionDaySerializer})
    @action(detail=True, methods=["post"])
    def cancel(self, request, pk=None):
        reception_day = self.get_object()
        services.reception_day_cancel(actor=request.user, day_id=reception_day.pk)
        return Response(self._one(reception_day.pk))


class MatterAnswerSerializer(serializers.Serializer):
    answer = serializers.CharField(max_length=checks.limit(ReceptionMatter, "answer"))
    answered_on = serializers.DateField(validators=[checks.validate_past_date])


class MatterFeedbackSerializer(serializers.Serializer):
    feedback_on = serializers.DateField(validators=[checks.validate_past_date])
    how = serializers.ChoiceField(choices=ReceptionMatter.FeedbackHow.choices)
    note = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")


class MatterFilterSerializer(serializers.Serializer):
    station = IdField()
    status = serializers.ChoiceField(choices=ReceptionMatter.Status.choices, required=False)
    overdue = serializers.BooleanField(required=False, default=False)
    disposal = serializers.ChoiceField(choices=ReceptionMatter.Disposal.choices, required=False)
    category = serializers.ChoiceField(choices=Reception.Category.choices, required=False)
    date_from = serializers.DateField(required=False)
    date_to = serializers.DateField(required=False)


@extend_schema_view(
    list=extend_schema(
        summary="A station's matters raised (the queue)",
        parameters=[
            OpenApiParameter("station", OpenApiTypes.INT, required=True),
            OpenApiParameter("status", OpenApiTypes.STR),
            OpenApiParameter("overdue", OpenApiTypes.BOOL),
            OpenApiParameter("disposal", OpenApiTypes.STR),
            OpenApiParameter("category", OpenApiTypes.STR),
            OpenApiParameter("date_from", OpenApiTypes.DATE),
            OpenApiParameter("date_to", OpenApiTypes.DATE),
        ],
    ),
)
class ReceptionMatterViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    serializer_class = MatterSerializer
    queryset = ReceptionMatter.objects.none()
    permission_classes = [permissions.IsAuthenticated]
    http_method_names = ["get", "post", "head", "options"]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return ReceptionMatter.objects.none()
        params = MatterFilterSerializer(data=self.request.query_params)
        params.is_valid(raise_exception=True)
        data = dict(params.validated_data)
        station = station_get_for(self.request.user, data.pop("station"))
        ensure(self.request.user, "activities.view_matters", station)
        return selectors.matter_list(self.request.user, station=station, **data)

    def get_object(self):
        return selectors.matter_get_for(self.request.user, self.kwargs["pk"])

    def _one(self, pk) -> dict:
        return MatterSerializer(
            selectors.matter_get_for(self.request.user, pk), context={"request": self.request}
        ).data

    def retrieve(self, request, *args, **kwargs):
        return Response(self._one(self.get_object().pk))

    @extend_schema(
        summary="Record the answer to a matter sent on",
        request=MatterAnswerSerializer,
        responses={200: MatterSerializer},
    )
    @action(detail=True, methods=["post"])
    def answer(self, request, pk=None):
        matter = self.get_object()
        incoming = MatterAnswerSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        services.matter_answer(actor=request.user, matter_id=matter.pk, **incoming.validated_data)
        return Response(self._one(matter.pk))

    @extend_schema(
        summary="Record that the visitor was told (archives the reception when every matter is closed)",
        request=MatterFeedbackSerializer,
        responses={200: MatterSerializer},
    )
    @action(detail=True, methods=["post"])
    def feedback(self, request, pk=None):
        matter = self.get_object()
        incoming = MatterFeedbackSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        services.matter_feedback(actor=request.user, matter_id=matter.pk, **incoming.validated_data)
        return Response(self._one(matter.pk))


routes = [
    ("receptions", ReceptionViewSet, "reception"),
    ("reception-days", ReceptionDayViewSet, "reception-day"),
    ("reception-matters", ReceptionMatterViewSet, "reception-matter"),
]
