"""/api/v1/congresses/, /api/v1/terms/, /api/v1/sessions/: the structure is public; staff who cover a
congress add its terms and sessions through the services."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, permissions, serializers, status, viewsets
from rest_framework.response import Response

from minsheng.common import validators as checks
from minsheng.common.api import IdField

from . import selectors, services
from .models import Congress, Session, Term


class SessionSerializer(serializers.ModelSerializer):
    class Meta:
        model = Session
        fields = ["id", "term", "number", "start_date", "end_date"]


class NestedSessionSerializer(serializers.ModelSerializer):
    class Meta:
        model = Session
        fields = ["id", "number", "start_date", "end_date"]


class TermSerializer(serializers.ModelSerializer):
    session_count = serializers.IntegerField(read_only=True)

    class Meta:
        model = Term
        fields = ["id", "congress", "number", "start_date", "end_date", "session_count"]


class NestedTermSerializer(serializers.ModelSerializer):
    sessions = NestedSessionSerializer(many=True, read_only=True)

    class Meta:
        model = Term
        fields = ["id", "number", "start_date", "end_date", "sessions"]


class CongressSerializer(serializers.ModelSerializer):
    place = serializers.SlugRelatedField(slug_field="code", read_only=True)
    place_name = serializers.CharField(source="place.name", read_only=True, default=None)
    body_name = serializers.CharField(read_only=True)
    active_seats = serializers.IntegerField(read_only=True)

    class Meta:
        model = Congress
        fields = [
            "id",
            "name",
            "level",
            "place",
            "place_name",
            "parent",
            "region_prefix",
            "body_name",
            "active_seats",
        ]


class CongressDetailSerializer(CongressSerializer):
    terms = NestedTermSerializer(many=True, read_only=True)

    class Meta(CongressSerializer.Meta):
        fields = [*CongressSerializer.Meta.fields, "terms"]


class CongressQuerySerializer(serializers.Serializer):
    level = serializers.ChoiceField(choices=Congress.Level.choices, required=False)
    region = serializers.CharField(required=False, help_text=_("A place code prefix, e.g. 4407 for 江门."))
    parent = IdField(required=False, help_text=_("The id of the congress above."))
    q = serializers.CharField(required=False)


class TermQuerySerializer(serializers.Serializer):
    congress = IdField(required=False)
    region = serializers.CharField(required=False)


class SessionQuerySerializer(serializers.Serializer):
    term = IdField(required=False)
    congress = IdField(required=False)
    region = serializers.CharField(required=False)


class TermCreateSerializer(serializers.Serializer):
    congress = serializers.PrimaryKeyRelatedField(queryset=Congress.objects.all())
    number = serializers.IntegerField(min_value=1, max_value=999)
    start_date = serializers.DateField(validators=[checks.validate_planned_date])
    end_date = serializers.DateField(
        required=False, allow_null=True, default=None, validators=[checks.validate_planned_date]
    )


class SessionCreateSerializer(serializers.Serializer):
    term = serializers.PrimaryKeyRelatedField(queryset=Term.objects.select_related("congress"))
    number = serializers.IntegerField(min_value=1, max_value=999)
    start_date = serializers.DateField(validators=[checks.validate_planned_date])
    end_date = serializers.DateField(validators=[checks.validate_planned_date])


def _query(serializer_class, request) -> dict:
    query = serializer_class(data=request.query_params)
    query.is_valid(raise_exception=True)
    return query.validated_data


@extend_schema_view(
    list=extend_schema(parameters=[CongressQuerySerializer]),
    retrieve=extend_schema(responses=CongressDetailSerializer),
)
class CongressViewSet(viewsets.ReadOnlyModelViewSet):
    """The people's congresses in tree order (public). A congress's page nests its terms and sessions."""

    serializer_class = CongressSerializer
    permission_classes = [permissions.AllowAny]

    def get_serializer_class(self):
        return CongressDetailSerializer if self.action == "retrieve" else CongressSerializer

    def get_queryset(self):
        if self.action != "list":
            return selectors.congress_list().prefetch_related("terms__sessions")
        params = _query(CongressQuerySerializer, self.request)
        return selectors.congress_list(
            level=params.get("level", ""),
            region=params.get("region", ""),
            parent_id=params.get("parent"),
            q=params.get("q", ""),
        )


class _CreateForStaff:
    def get_permissions(self):
        if self.action in ("list", "retrieve"):
            return [permissions.AllowAny()]
        return [permissions.IsAuthenticated()]


@extend_schema_view(
    list=extend_schema(parameters=[TermQuerySerializer]),
    create=extend_schema(request=TermCreateSerializer, responses={201: TermSerializer, 400: None, 409: None}),
)
class TermViewSet(
    _CreateForStaff,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    """Terms (届). Public to read; staff who cover the congress add one (POST)."""

    serializer_class = TermSerializer

    def get_queryset(self):
        if self.action != "list":
            return selectors.term_list()
        params = _query(TermQuerySerializer, self.request)
        return selectors.term_list(congress_id=params.get("congress"), region=params.get("region", ""))

    def create(self, request, *args, **kwargs):
        data = TermCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        term = services.term_create(actor=request.user, **data.validated_data)
        term = selectors.term_list().get(pk=term.pk)
        return Response(TermSerializer(term).data, status=status.HTTP_201_CREATED)


@extend_schema_view(
    list=extend_schema(parameters=[SessionQuerySerializer]),
    create=extend_schema(
        request=SessionCreateSerializer, responses={201: SessionSerializer, 400: None, 409: None}
    ),
)
class SessionViewSet(
    _CreateForStaff,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    """Sessions (次会议). Public to read; staff who cover the congress add one (POST)."""

    serializer_class = SessionSerializer

    def get_queryset(self):
        if self.action != "list":
            return selectors.session_list()
        params = _query(SessionQuerySerializer, self.request)
        return selectors.session_list(
            term_id=params.get("term"), congress_id=params.get("congress"), region=params.get("region", "")
        )

    def create(self, request, *args, **kwargs):
        data = SessionCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        session = services.session_create(actor=request.user, **data.validated_data)
        return Response(SessionSerializer(session).data, status=status.HTTP_201_CREATED)


routes = [
    ("congresses", CongressViewSet, "congress"),
    ("terms", TermViewSet, "term"),
    ("sessions", SessionViewSet, "session"),
]
