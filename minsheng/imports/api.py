"""REST API of roster imports: start one (multipart upload → 202), list and read them, fetch the error report."""

import json

from django.http import Http404
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_field, extend_schema_view
from rest_framework import mixins, renderers, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response

from minsheng.common import uploads
from minsheng.common.api import Can
from minsheng.common.export import XLSX
from minsheng.common.permissions import can
from minsheng.congresses.models import Congress

from . import services
from .models import ImportJob
from .reports import error_report_filename
from .selectors import import_list_for

ERRORS_SHOWN = 50


class ImportErrorSerializer(serializers.Serializer):
    row = serializers.IntegerField()
    column = serializers.CharField()
    field = serializers.CharField()
    value = serializers.CharField(help_text="ID numbers and mobile numbers are masked.")
    message = serializers.CharField()


class ImportJobSerializer(serializers.ModelSerializer):
    kind_display = serializers.CharField(source="get_kind_display", read_only=True)
    status_display = serializers.CharField(source="get_status_display", read_only=True)
    congress_name = serializers.CharField(source="congress.name", read_only=True)
    created_by_name = serializers.CharField(source="created_by.__str__", read_only=True)
    progress_percent = serializers.IntegerField(read_only=True)
    is_finished = serializers.BooleanField(read_only=True)
    error_report_url = serializers.SerializerMethodField()

    class Meta:
        model = ImportJob
        fields = [
            "id",
            "kind",
            "kind_display",
            "congress",
            "congress_name",
            "original_name",
            "status",
            "status_display",
            "is_finished",
            "total_rows",
            "processed_rows",
            "progress_percent",
            "created_count",
            "updated_count",
            "unchanged_count",
            "error_count",
            "message",
            "error_report_url",
            "created_by_name",
            "created_at",
            "started_at",
            "finished_at",
        ]
        read_only_fields = fields

    def get_error_report_url(self, job) -> str | None:
        if not job.error_report:
            return None
        request = self.context.get("request")
        path = f"/api/v1/imports/{job.pk}/error-report/"
        return request.build_absolute_uri(path) if request else path


class ImportJobDetailSerializer(ImportJobSerializer):
    errors = serializers.SerializerMethodField(help_text="The first 50 errors of a refused import.")

    class Meta(ImportJobSerializer.Meta):
        fields = [*ImportJobSerializer.Meta.fields, "errors"]
        read_only_fields = fields

    @extend_schema_field(ImportErrorSerializer(many=True))
    def get_errors(self, job) -> list[dict]:
        return job.errors[:ERRORS_SHOWN]


class ImportCreateSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=ImportJob.Kind.choices)
    congress = serializers.PrimaryKeyRelatedField(queryset=Congress.objects.all())
    file = serializers.FileField(help_text="The roster, an .xlsx file of the roster's template.")


class XlsxRenderer(renderers.BaseRenderer):
    """Lets a client ask for the report with `Accept: <xlsx>`; errors are still written as JSON."""

    media_type = XLSX
    format = "xlsx"
    charset = None
    render_style = "binary"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        if isinstance(data, bytes):
            return data
        return json.dumps(data).encode()


@extend_schema_view(
    list=extend_schema(summary="Roster imports the caller may see (filter by status, kind, congress)"),
    retrieve=extend_schema(summary="One import: status, progress, counts and the first errors"),
)
class ImportJobViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet
):
    permission_classes = [IsAuthenticated, Can.to("imports.view_list")]
    parser_classes = [MultiPartParser, FormParser]
    filterset_fields = ["status", "kind", "congress"]
    queryset = ImportJob.objects.none()

    def get_queryset(self):
        return import_list_for(self.request.user)

    def get_serializer_class(self):
        if self.action == "create":
            return ImportCreateSerializer
        if self.action == "retrieve":
            return ImportJobDetailSerializer
        return ImportJobSerializer

    @extend_schema(
        summary="Start a roster import (multipart: kind, congress, file)",
        request={"multipart/form-data": ImportCreateSerializer},
        responses={202: ImportJobDetailSerializer, 400: OpenApiResponse(description="A bad file or field")},
    )
    def create(self, request, *args, **kwargs):
        serializer = ImportCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        job = services.import_create(
            actor=request.user,
            kind=serializer.validated_data["kind"],
            congress=serializer.validated_data["congress"],
            upload=serializer.validated_data["file"],
        )
        job.refresh_from_db()
        body = ImportJobDetailSerializer(job, context=self.get_serializer_context()).data
        return Response(body, status=status.HTTP_202_ACCEPTED)

    @extend_schema(
        summary="The error report of a refused import (.xlsx; ID numbers and mobiles masked)",
        responses={
            (200, XLSX): OpenApiTypes.BINARY,
            404: OpenApiResponse(description="No such import, no report, or not the caller's to see"),
        },
    )
    @action(
        detail=True,
        methods=["get"],
        url_path="error-report",
        renderer_classes=[renderers.JSONRenderer, XlsxRenderer],
        permission_classes=[AllowAny],  # uploads.guarded answers 404 to whoever may not have the file
    )
    @uploads.guarded
    def error_report(self, request, pk=None):
        if not can(request.user, "imports.view_list"):
            raise Http404
        job = self.get_object()
        if not job.error_report:
            raise Http404(_("This import has no error report."))
        return uploads.file_response(
            job.error_report, content_type=uploads.XLSX, filename=error_report_filename(job)
        )


routes = [("imports", ImportJobViewSet, "imports")]
