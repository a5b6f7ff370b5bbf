"""REST API of the livelihood projects through the year.

- /api/v1/projects/: the caller's projects (staff by region, a unit those it leads, a deputy those whose
  supervision group he or she is in); GET one for its group, milestones, reports, inspections and satisfaction
  result. Staff: PATCH particulars, POST from-vote/ (idempotent), satisfaction-vote/, {id}/group/,
  {id}/milestones/, {id}/complete/, {id}/terminate/; GET summary/?year= (the dashboard's figures). The lead unit:
  POST {id}/reports/ (multipart, photos[]). A group deputy or staff: POST {id}/inspections/.
- /api/v1/project-milestones/{id}/: staff change a milestone (PUT) and mark it done (POST done/).
- /api/v1/public-projects/: everyone: progress, milestones, public reports, satisfaction once published.

Errors: 400 bad input, 403 not allowed, 404 outside the caller's scope, 409 an illegal move; nothing changed.
"""

from django.db.models import Prefetch
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, permissions, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response

from minsheng.accounts.permissions import staff_scope_prefix
from minsheng.common.api import ERRORS
from minsheng.common.errors import PermissionDenied
from minsheng.congresses.models import Congress, Session
from minsheng.places.models import Place
from minsheng.units.models import Unit
from minsheng.voting.models import VoteSession
from minsheng.voting.serializers import VoteSerializer

from . import selectors, services
from . import serializers as S
from .models import Milestone, ProgressReport, Project


def _staff_congress(user, pk) -> Congress:
    prefix = staff_scope_prefix(user)
    if prefix is None:
        raise PermissionDenied()
    return get_object_or_404(Congress, pk=pk, region_prefix__startswith=prefix)


@extend_schema_view(
    list=extend_schema(
        summary="The caller's projects: staff by region, a lead unit its own, a deputy his or her groups'"
    ),
    retrieve=extend_schema(
        summary="One project with its group, milestones, reports, inspections and satisfaction"
    ),
)
class ProjectViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    permission_classes = [permissions.IsAuthenticated]

    def get_serializer_class(self):
        return S.ProjectDetailSerializer if self.action == "retrieve" else S.ProjectSerializer

    def get_queryset(self):
        qs = selectors.with_progress(selectors.projects_for(self.request.user)).select_related(
            "congress", "lead_unit"
        )
        if self.action == "retrieve":
            qs = qs.prefetch_related(
                "members__deputy",
                "milestones",
                Prefetch("reports", queryset=ProgressReport.objects.prefetch_related("photos")),
                "inspections__deputies",
            )
        return qs.order_by("-year", "congress__region_prefix", "candidate__number")

    def _detail(self, project_id, code=status.HTTP_200_OK):
        project = get_object_or_404(
            selectors.with_progress(selectors.projects_for(self.request.user)).prefetch_related(
                "members__deputy", "milestones", "reports__photos", "inspections__deputies"
            ),
            pk=project_id,
        )
        context = self.get_serializer_context()
        return Response(S.ProjectDetailSerializer(project, context=context).data, status=code)

    @extend_schema(
        summary="Change a project's particulars (staff)",
        request=S.ProjectUpdateSerializer,
        responses={200: S.ProjectDetailSerializer, **ERRORS},
    )
    def partial_update(self, request, pk=None):
        project = self.get_object()
        data = S.ProjectUpdateSerializer(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        changes = dict(data.validated_data)
        if "lead_unit" in changes:
            changes["lead_unit"] = get_object_or_404(Unit, pk=changes["lead_unit"])
        if "place" in changes:
            changes["place"] = get_object_or_404(Place, pk=changes["place"]) if changes["place"] else None
        services.project_update(actor=request.user, project_id=project.pk, **changes)
        return self._detail(project.pk)

    @extend_schema(
        summary="Create the projects of a published vote's chosen candidates (staff; idempotent)",
        request=S.FromVoteSerializer,
        responses={201: S.ProjectSerializer(many=True), **ERRORS},
    )
    @action(detail=False, methods=["post"], url_path="from-vote", pagination_class=None)  # a plain list
    def from_vote(self, request):
        data = S.FromVoteSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        prefix = staff_scope_prefix(request.user)
        if prefix is None:
            raise PermissionDenied()
        vote = get_object_or_404(
            VoteSession, pk=data.validated_data["vote"], congress__region_prefix__startswith=prefix
        )
        created = services.projects_create_for_vote(actor=request.user, vote_id=vote.pk)
        rows = selectors.with_progress(Project.objects.filter(pk__in=[p.pk for p in created])).select_related(
            "congress", "lead_unit"
        )
        return Response(S.ProjectSerializer(rows, many=True).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        summary="Prepare the satisfaction vote on a year's projects at a later session (staff)",
        request=S.SatisfactionVoteSerializer,
        responses={201: VoteSerializer, **ERRORS},
    )
    @action(detail=False, methods=["post"], url_path="satisfaction-vote")
    def satisfaction_vote(self, request):
        data = S.SatisfactionVoteSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        congress = _staff_congress(request.user, values["congress"])
        session = get_object_or_404(Session, pk=values["session"])
        vote = services.satisfaction_vote_create(
            actor=request.user, congress=congress, session=session, year=values["year"]
        )
        return Response(VoteSerializer(vote).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        summary="Per congress in the caller's scope: projects, completed, average progress, late milestones (staff)",
        parameters=[OpenApiParameter("year", int, required=True)],
        responses={200: S.SummarySerializer(many=True), **ERRORS},
    )
    @action(detail=False, methods=["get"], pagination_class=None)  # a plain list, one row per congress
    def summary(self, request):
        query = S.SummaryQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        prefix = staff_scope_prefix(request.user)
        if prefix is None:
            raise PermissionDenied()
        ids = Congress.objects.filter(region_prefix__startswith=prefix).values_list("pk", flat=True)
        summary = selectors.progress_summary(ids, query.validated_data["year"])
        rows = [{"congress": cid, **row} for cid, row in sorted(summary.items())]
        return Response(S.SummarySerializer(rows, many=True).data)

    @extend_schema(
        summary="Set the deputies' supervision group (staff)",
        request=S.GroupSerializer,
        responses={200: S.ProjectDetailSerializer, **ERRORS},
    )
    @action(detail=True, methods=["post"])
    def group(self, request, pk=None):
        project = self.get_object()
        data = S.GroupSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        services.group_set(
            actor=request.user,
            project_id=project.pk,
            deputy_ids=data.validated_data["deputies"],
            leader_id=data.validated_data.get("leader"),
        )
        return self._detail(project.pk)

    @extend_schema(
        summary="Add a milestone (staff); the weights may not exceed 100 in total",
        request=S.MilestoneInSerializer,
        responses={201: S.MilestoneSerializer, **ERRORS},
    )
    @action(detail=True, methods=["post"])
    def milestones(self, request, pk=None):
        project = self.get_object()
        data = S.MilestoneInSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        milestone = services.milestone_add(actor=request.user, project_id=project.pk, **data.validated_data)
        return Response(S.MilestoneSerializer(milestone).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        summary="Mark the project completed: every milestone of a full plan done (staff)",
        request=S.CompleteSerializer,
        responses={200: S.ProjectDetailSerializer, **ERRORS},
    )
    @action(detail=True, methods=["post"])
    def complete(self, request, pk=None):
        project = self.get_object()
        data = S.CompleteSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        services.project_complete(
            actor=request.user, project_id=project.pk, completed_on=data.validated_data.get("completed_on")
        )
        return self._detail(project.pk)

    @extend_schema(
        summary="Terminate the project with the reason (staff)",
        request=S.TerminateSerializer,
        responses={200: S.ProjectDetailSerializer, **ERRORS},
    )
    @action(detail=True, methods=["post"])
    def terminate(self, request, pk=None):
        project = self.get_object()
        data = S.TerminateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        services.project_terminate(actor=request.user, project_id=project.pk, **data.validated_data)
        return self._detail(project.pk)

    @extend_schema(
        summary="Report progress with 0–9 photos (the lead unit's handlers)",
        request={"multipart/form-data": S.ReportInSerializer, "application/json": S.ReportInSerializer},
        responses={201: S.ReportSerializer, **ERRORS},
    )
    @action(detail=True, methods=["post"], parser_classes=[MultiPartParser, FormParser, JSONParser])
    def reports(self, request, pk=None):
        project = self.get_object()
        data = S.ReportInSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        report = services.progress_report_add(
            actor=request.user, project_id=project.pk, **data.validated_data
        )
        return Response(S.ReportSerializer(report).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        summary="Record an inspection, inquiry or research visit (a group deputy or staff)",
        request=S.InspectionInSerializer,
        responses={201: S.InspectionSerializer, **ERRORS},
    )
    @action(detail=True, methods=["post"])
    def inspections(self, request, pk=None):
        project = self.get_object()
        data = S.InspectionInSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        values["deputy_ids"] = values.pop("deputies")
        inspection = services.inspection_record(actor=request.user, project_id=project.pk, **values)
        return Response(S.InspectionSerializer(inspection).data, status=status.HTTP_201_CREATED)


class MilestoneViewSet(mixins.UpdateModelMixin, viewsets.GenericViewSet):
    permission_classes = [permissions.IsAuthenticated]
    serializer_class = S.MilestoneSerializer
    http_method_names = ["put", "post", "options"]

    def get_queryset(self):
        return Milestone.objects.filter(project__in=selectors.projects_for(self.request.user)).order_by("pk")

    @extend_schema(
        summary="Change a milestone not yet done (staff)",
        request=S.MilestoneInSerializer,
        responses={200: S.MilestoneSerializer, **ERRORS},
    )
    def update(self, request, pk=None, **kwargs):
        milestone = self.get_object()
        data = S.MilestoneInSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        milestone = services.milestone_update(
            actor=request.user, milestone_id=milestone.pk, **data.validated_data
        )
        return Response(S.MilestoneSerializer(milestone).data)

    @extend_schema(
        summary="Mark a milestone done (staff); the plan's weights must total 100",
        request=S.DoneSerializer,
        responses={200: S.MilestoneSerializer, **ERRORS},
    )
    @action(detail=True, methods=["post"])
    def done(self, request, pk=None):
        milestone = self.get_object()
        data = S.DoneSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        milestone = services.milestone_complete(
            actor=request.user, milestone_id=milestone.pk, done_on=data.validated_data.get("done_on")
        )
        return Response(S.MilestoneSerializer(milestone).data)


@extend_schema_view(
    list=extend_schema(
        summary="Every livelihood project's progress (public)",
        parameters=[OpenApiParameter("congress", int), OpenApiParameter("year", int)],
    ),
    retrieve=extend_schema(summary="One project's public page"),
)
class PublicProjectViewSet(viewsets.ReadOnlyModelViewSet):
    permission_classes = [permissions.AllowAny]
    serializer_class = S.PublicProjectSerializer

    def get_queryset(self):
        query = S.PublicQuerySerializer(data=self.request.query_params)
        query.is_valid(raise_exception=True)
        congress = query.validated_data.get("congress")
        qs = selectors.public_projects(year=query.validated_data.get("year"))
        if congress:
            qs = qs.filter(congress_id=congress)
        return qs.prefetch_related(
            "milestones", Prefetch("reports", queryset=ProgressReport.objects.prefetch_related("photos"))
        )

    def list(self, request, *args, **kwargs):
        page = self.paginate_queryset(self.get_queryset())
        rows = list(page) if page is not None else list(self.get_queryset())
        context = {**self.get_serializer_context(), "satisfaction": selectors.satisfaction_of(rows)}
        data = S.PublicProjectSerializer(rows, many=True, context=context).data
        return self.get_paginated_response(data) if page is not None else Response(data)

    def retrieve(self, request, *args, **kwargs):
        project = self.get_object()
        context = {**self.get_serializer_context(), "satisfaction": selectors.satisfaction_of([project])}
        return Response(S.PublicProjectSerializer(project, context=context).data)


routes = [
    ("projects", ProjectViewSet, "project"),
    ("project-milestones", MilestoneViewSet, "project-milestone"),
    ("public-projects", PublicProjectViewSet, "public-project"),
]
