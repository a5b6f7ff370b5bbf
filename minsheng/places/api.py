"""/api/v1/places/: the divisions (public), and adding and renaming places for staff through the services."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, permissions, serializers, status, viewsets
from rest_framework.exceptions import NotFound
from rest_framework.response import Response

from . import selectors, services
from .models import Place


class PlaceSerializer(serializers.ModelSerializer):
    parent = serializers.SlugRelatedField(slug_field="code", read_only=True)
    congress = serializers.SerializerMethodField(help_text=_("The id of the place's own congress, if any."))

    class Meta:
        model = Place
        fields = ["code", "name", "level", "kind", "is_administrative", "parent", "congress"]

    def get_congress(self, place) -> int | None:
        congress = getattr(place, "congress", None)
        return congress.pk if congress else None


class PlaceQuerySerializer(serializers.Serializer):
    parent = serializers.CharField(required=False, help_text=_("Only the places directly below this code."))
    level = serializers.ChoiceField(choices=Place.Level.choices, required=False)
    kind = serializers.ChoiceField(choices=Place.Kind.choices, required=False)
    q = serializers.CharField(required=False, help_text=_("A code prefix, or part of the name."))


class PlaceCreateSerializer(serializers.Serializer):
    parent = serializers.CharField(help_text=_("The code of the place above the new one."))
    code = serializers.CharField(max_length=20)
    name = serializers.CharField(max_length=200)
    kind = serializers.ChoiceField(choices=Place.Kind.choices, required=False, default="")


class PlaceRenameSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=200)


@extend_schema_view(
    list=extend_schema(parameters=[PlaceQuerySerializer]),
    create=extend_schema(
        request=PlaceCreateSerializer,
        responses={201: PlaceSerializer, 400: OpenApiResponse(description="Bad input"), 409: None},
    ),
    partial_update=extend_schema(
        request=PlaceRenameSerializer, responses={200: PlaceSerializer, 400: None, 403: None}
    ),
)
class PlaceViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Places by code. Anyone may read; staff add places within their region (POST) and rename (PATCH)."""

    serializer_class = PlaceSerializer
    lookup_field = "code"
    lookup_value_regex = r"[0-9]{6,12}"
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_permissions(self):
        if self.action in ("list", "retrieve"):
            return [permissions.AllowAny()]
        return [permissions.IsAuthenticated()]

    def get_queryset(self):
        if self.action != "list":
            return Place.objects.select_related("congress", "parent")
        query = PlaceQuerySerializer(data=self.request.query_params)
        query.is_valid(raise_exception=True)
        params = query.validated_data
        parent = None
        if params.get("parent"):
            parent = Place.objects.filter(code=params["parent"]).first()
            if parent is None:
                raise NotFound(_("No such place."))
        return selectors.place_list(
            parent=parent,
            children_only=parent is not None,
            level=params.get("level", ""),
            kind=params.get("kind", ""),
            q=params.get("q", ""),
        ).select_related("parent")

    def create(self, request, *args, **kwargs):
        data = PlaceCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        parent = Place.objects.filter(code=data.validated_data["parent"]).first()
        if parent is None:
            raise serializers.ValidationError({"parent": [_("No such place.")]})
        place = services.place_create(
            actor=request.user,
            parent=parent,
            code=data.validated_data["code"],
            name=data.validated_data["name"],
            kind=data.validated_data["kind"],
        )
        return Response(
            PlaceSerializer(selectors.place_get(code=place.code)).data, status=status.HTTP_201_CREATED
        )

    def partial_update(self, request, *args, **kwargs):
        place = self.get_object()
        data = PlaceRenameSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        services.place_rename(actor=request.user, place_id=place.pk, name=data.validated_data["name"])
        return Response(PlaceSerializer(selectors.place_get(code=place.code)).data)


routes = [("places", PlaceViewSet, "place")]
