"""/api/v1/units/: handling units. Public to read; staff add (POST) and change (PATCH) units of the congresses
they cover. A unit's handlers are included only for those `units.view_handlers` allows."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, permissions, serializers, status, viewsets
from rest_framework.response import Response

from minsheng.accounts.models import User
from minsheng.common.api import IdField
from minsheng.common.permissions import can
from minsheng.common.schema import may_omit
from minsheng.places.models import Place

from . import selectors, services
from .models import Unit


class HandlerSerializer(serializers.ModelSerializer):
    name = serializers.CharField(source="__str__", read_only=True)
    mobile = serializers.CharField(source="masked_mobile", read_only=True, help_text=_("Masked."))

    class Meta:
        model = User
        fields = ["id", "name", "mobile"]


class UnitSerializer(serializers.ModelSerializer):
    place = serializers.SlugRelatedField(slug_field="code", read_only=True)
    place_name = serializers.CharField(source="place.name", read_only=True)
    congress_name = serializers.CharField(source="congress.name", read_only=True)

    class Meta:
        model = Unit
        fields = [
            "id",
            "name",
            "short_name",
            "kind",
            "level",
            "place",
            "place_name",
            "congress",
            "congress_name",
            "parent",
            "is_active",
        ]
        read_only_fields = fields


@may_omit("handlers")
class UnitDetailSerializer(UnitSerializer):
    handlers = serializers.SerializerMethodField(
        help_text=_("Only for the unit's handlers and the staff who cover its congress; otherwise absent.")
    )

    class Meta(UnitSerializer.Meta):
        fields = [*UnitSerializer.Meta.fields, "handlers"]
        read_only_fields = fields

    def get_handlers(self, unit) -> list[dict] | None:
        request = self.context.get("request")
        if not (request and can(request.user, "units.view_handlers", unit)):
            return None
        return HandlerSerializer(selectors.unit_handlers(unit), many=True).data

    def to_representation(self, unit):
        data = super().to_representation(unit)
        if data.get("handlers") is None:
            data.pop("handlers", None)  # absent rather than empty: an empty list would say "no handlers"
        return data


class UnitQuerySerializer(serializers.Serializer):
    level = serializers.ChoiceField(choices=Unit.Level.choices, required=False)
    kind = serializers.ChoiceField(choices=Unit.Kind.choices, required=False)
    congress = IdField(required=False)
    region = serializers.RegexField(r"^[0-9]{2,12}$", required=False, help_text=_("A place code prefix."))
    parent = IdField(required=False)
    q = serializers.CharField(required=False)
    active = serializers.BooleanField(required=False, allow_null=True, default=None)


class UnitWriteSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=200)
    short_name = serializers.CharField(max_length=200, required=False, allow_blank=True)
    kind = serializers.ChoiceField(choices=Unit.Kind.choices)
    place = serializers.SlugRelatedField(slug_field="code", queryset=Place.objects.all())
    parent = serializers.PrimaryKeyRelatedField(queryset=Unit.objects.all(), required=False, allow_null=True)
    # allow_null: a form-encoded request that leaves the box out means "unchanged", not False.
    is_active = serializers.BooleanField(required=False, allow_null=True)

    def service_kwargs(self) -> dict:
        return {k: v for k, v in self.validated_data.items() if v is not None or k == "parent"}


@extend_schema_view(
    list=extend_schema(parameters=[UnitQuerySerializer]),
    retrieve=extend_schema(responses=UnitDetailSerializer),
    create=extend_schema(
        request=UnitWriteSerializer, responses={201: UnitDetailSerializer, 400: None, 409: None}
    ),
    partial_update=extend_schema(
        request=UnitWriteSerializer, responses={200: UnitDetailSerializer, 400: None, 403: None, 409: None}
    ),
)
class UnitViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    serializer_class = UnitSerializer
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_permissions(self):
        if self.action in ("list", "retrieve"):
            return [permissions.AllowAny()]
        return [permissions.IsAuthenticated()]

    def get_serializer_class(self):
        return UnitSerializer if self.action == "list" else UnitDetailSerializer

    def get_queryset(self):
        if self.action != "list":
            return selectors.unit_list()
        query = UnitQuerySerializer(data=self.request.query_params)
        query.is_valid(raise_exception=True)
        p = query.validated_data
        return selectors.unit_list(
            level=p.get("level", ""),
            kind=p.get("kind", ""),
            congress_id=p.get("congress"),
            region=p.get("region", ""),
            parent_id=p.get("parent"),
            q=p.get("q", ""),
            active=p.get("active"),
        )

    def _detail(self, unit: Unit, code: int = status.HTTP_200_OK) -> Response:
        unit = selectors.unit_get(unit_id=unit.pk)
        return Response(UnitDetailSerializer(unit, context=self.get_serializer_context()).data, status=code)

    def create(self, request, *args, **kwargs):
        data = UnitWriteSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        unit = services.unit_create(actor=request.user, **data.service_kwargs())
        return self._detail(unit, status.HTTP_201_CREATED)

    def partial_update(self, request, *args, **kwargs):
        unit = self.get_object()
        data = UnitWriteSerializer(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        unit = services.unit_update(actor=request.user, unit_id=unit.pk, **data.service_kwargs())
        return self._detail(unit)


routes = [("units", UnitViewSet, "unit")]
