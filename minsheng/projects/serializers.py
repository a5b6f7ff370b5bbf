"""Serializers of the projects API. The public ones carry no findings, no reporters and no contact details."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from minsheng.common import clock
from minsheng.common import validators as checks
from minsheng.common.api import IdField
from minsheng.voting.serializers import AvailableActionSerializer

from . import selectors
from .models import GroupMember, Inspection, Milestone, ProgressReport, Project


class MilestoneSerializer(serializers.ModelSerializer):
    late = serializers.SerializerMethodField()

    class Meta:
        model = Milestone
        fields = ["id", "project", "title", "due_on", "weight", "done_on", "late"]
        read_only_fields = fields

    def get_late(self, obj) -> bool:
        return obj.is_late(clock.today())


class PublicMilestoneSerializer(MilestoneSerializer):
    class Meta(MilestoneSerializer.Meta):
        fields = ["title", "due_on", "weight", "done_on", "late"]
        read_only_fields = fields


class GroupMemberSerializer(serializers.ModelSerializer):
    name = serializers.CharField(source="deputy.name", read_only=True)

    class Meta:
        model = GroupMember
        fields = ["deputy", "name", "is_leader"]
        read_only_fields = fields


class SatisfactionSerializer(serializers.Serializer):
    vote = serializers.IntegerField(source="vote_id")
    satisfied = serializers.IntegerField()
    mostly = serializers.IntegerField()
    dissatisfied = serializers.IntegerField()
    rate = serializers.FloatField(source="percent", allow_null=True, help_text=_("满意率 in per cent"))


class ProjectSerializer(serializers.ModelSerializer):
    congress_name = serializers.CharField(source="congress.name", read_only=True)
    lead_unit_name = serializers.CharField(source="lead_unit.name", read_only=True)
    progress = serializers.SerializerMethodField(help_text=_("Weighted share of milestones done, 0–100"))
    latest_percent = serializers.IntegerField(read_only=True, allow_null=True)
    late_milestones = serializers.IntegerField(source="late_count", read_only=True)

    class Meta:
        model = Project
        fields = [
            "id",
            "candidate",
            "congress",
            "congress_name",
            "year",
            "title",
            "description",
            "lead_unit",
            "lead_unit_name",
            "budget",
            "place",
            "leader_name",
            "leader_post",
            "status",
            "completed_on",
            "termination_reason",
            "progress",
            "latest_percent",
            "late_milestones",
        ]
        read_only_fields = fields

    def get_progress(self, obj) -> int:
        return selectors.progress_of(obj.done_weight, obj.total_weight)


class ReportSerializer(serializers.ModelSerializer):
    photos = serializers.SerializerMethodField()

    class Meta:
        model = ProgressReport
        fields = ["id", "percent", "narrative", "is_public", "reported_at", "photos"]
        read_only_fields = fields

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_photos(self, obj) -> list[str]:
        return [reverse("projects:photo", args=[p.pk]) for p in obj.photos.all()]


class PublicReportSerializer(ReportSerializer):
    class Meta(ReportSerializer.Meta):
        fields = ["percent", "narrative", "reported_at", "photos"]
        read_only_fields = fields

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_photos(self, obj) -> list[str]:
        return [reverse("projects:public_photo", args=[p.pk]) for p in obj.photos.all()]


class InspectionSerializer(serializers.ModelSerializer):
    class Meta:
        model = Inspection
        fields = ["id", "kind", "held_on", "deputies", "findings", "suggestions", "recorded_at"]
        read_only_fields = fields


class ProjectDetailSerializer(ProjectSerializer):
    group = GroupMemberSerializer(source="members", many=True, read_only=True)
    milestones = MilestoneSerializer(many=True, read_only=True)
    reports = ReportSerializer(many=True, read_only=True)
    inspections = InspectionSerializer(many=True, read_only=True)
    satisfaction = serializers.SerializerMethodField()
    available_actions = serializers.SerializerMethodField()

    class Meta(ProjectSerializer.Meta):
        fields = [
            *ProjectSerializer.Meta.fields,
            "group",
            "milestones",
            "reports",
            "inspections",
            "satisfaction",
            "available_actions",
        ]
        read_only_fields = fields

    @extend_schema_field(AvailableActionSerializer(many=True))
    def get_available_actions(self, obj) -> list:
        """What the caller may do with the project now (actions.py: the rule the pages and services ask)."""
        from . import actions

        request = self.context.get("request")
        return actions.available_actions(getattr(request, "user", None), obj)

    @extend_schema_field(SatisfactionSerializer(allow_null=True))
    def get_satisfaction(self, obj):
        result = selectors.satisfaction_of([obj]).get(obj.pk)
        return SatisfactionSerializer(result).data if result else None


class PublicProjectSerializer(serializers.ModelSerializer):
    congress_name = serializers.CharField(source="congress.name", read_only=True)
    lead_unit_name = serializers.CharField(source="lead_unit.name", read_only=True)
    place_name = serializers.CharField(source="place.name", read_only=True, allow_null=True)
    progress = serializers.SerializerMethodField()
    milestones = PublicMilestoneSerializer(many=True, read_only=True)
    reports = serializers.SerializerMethodField()
    satisfaction = serializers.SerializerMethodField()

    class Meta:
        model = Project
        fields = [
            "id",
            "congress",
            "congress_name",
            "year",
            "title",
            "description",
            "lead_unit_name",
            "budget",
            "place_name",
            "leader_name",
            "leader_post",
            "status",
            "completed_on",
            "progress",
            "milestones",
            "reports",
            "satisfaction",
        ]
        read_only_fields = fields

    def get_progress(self, obj) -> int:
        return selectors.progress_of(obj.done_weight, obj.total_weight)

    @extend_schema_field(PublicReportSerializer(many=True))
    def get_reports(self, obj):
        return PublicReportSerializer([r for r in obj.reports.all() if r.is_public], many=True).data

    @extend_schema_field(SatisfactionSerializer(allow_null=True))
    def get_satisfaction(self, obj):
        result = self.context.get("satisfaction", {}).get(obj.pk)
        return SatisfactionSerializer(result).data if result else None


# --- input ------------------------------------------------------------------------------------------------


class FromVoteSerializer(serializers.Serializer):
    vote = IdField(help_text=_("A published selection vote or further ballot"))


class ProjectUpdateSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=200, required=False)
    description = serializers.CharField(required=False, max_length=checks.limit(Project, "description"))
    lead_unit = IdField(required=False)
    budget = serializers.DecimalField(max_digits=12, decimal_places=2, required=False)
    place = IdField(required=False, allow_null=True)
    leader_name = serializers.CharField(max_length=50, required=False, allow_blank=True)
    leader_post = serializers.CharField(max_length=100, required=False, allow_blank=True)


class GroupSerializer(serializers.Serializer):
    deputies = serializers.ListField(child=IdField(), allow_empty=True)
    leader = IdField(required=False, allow_null=True)


class MilestoneInSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=200)
    due_on = serializers.DateField(validators=[checks.validate_planned_date])
    weight = serializers.IntegerField(min_value=1, max_value=100)


class DoneSerializer(serializers.Serializer):
    done_on = serializers.DateField(required=False, allow_null=True, validators=[checks.validate_past_date])


class CompleteSerializer(serializers.Serializer):
    completed_on = serializers.DateField(
        required=False, allow_null=True, validators=[checks.validate_past_date]
    )


class TerminateSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=checks.limit(Project, "termination_reason"))


class ReportInSerializer(serializers.Serializer):
    percent = serializers.IntegerField(min_value=0, max_value=100)
    narrative = serializers.CharField(max_length=checks.limit(ProgressReport, "narrative"))
    is_public = serializers.BooleanField(required=False, default=False)
    photos = serializers.ListField(
        child=serializers.FileField(),
        required=False,
        allow_empty=True,
        write_only=True,
        help_text=_("0 to 9 photos (JPEG, PNG, WebP), at most 10 MB each"),
    )


class InspectionInSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=Inspection.Kind.choices)
    held_on = serializers.DateField(validators=[checks.validate_past_date])
    deputies = serializers.ListField(child=IdField(), allow_empty=False)
    findings = serializers.CharField(max_length=checks.limit(Inspection, "findings"))
    suggestions = serializers.CharField(
        required=False, allow_blank=True, default="", max_length=checks.limit(Inspection, "suggestions")
    )


class SatisfactionVoteSerializer(serializers.Serializer):
    congress = IdField()
    year = serializers.IntegerField(min_value=2000, max_value=2100)
    session = IdField(help_text=_("A session of a later year"))


class SummarySerializer(serializers.Serializer):
    congress = serializers.IntegerField()
    projects = serializers.IntegerField()
    completed = serializers.IntegerField()
    terminated = serializers.IntegerField()
    average_progress = serializers.IntegerField()
    late_milestones = serializers.IntegerField()


class SummaryQuerySerializer(serializers.Serializer):
    year = serializers.IntegerField(min_value=2000, max_value=2100)


class PublicQuerySerializer(serializers.Serializer):
    congress = IdField(required=False)
    year = serializers.IntegerField(required=False, min_value=2000, max_value=2100)
