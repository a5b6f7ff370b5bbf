"""Serializers of the insights API: the three-level vote dashboard (the names are those it had in voting, so
the schema's components keep theirs)."""

from rest_framework import serializers


class DashboardVoteSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    kind = serializers.CharField(help_text="selection, runoff or satisfaction")
    kind_label = serializers.CharField()
    status = serializers.CharField(help_text="draft, open, closed or published")
    status_label = serializers.CharField()
    electorate = serializers.IntegerField(help_text="应到")
    present = serializers.IntegerField(help_text="实到: checked in, or voted")
    voted = serializers.IntegerField()
    turnout = serializers.FloatField(allow_null=True, help_text="voted / electorate, in %")
    seats = serializers.IntegerField(help_text="N")
    chosen = serializers.IntegerField()
    published = serializers.BooleanField()


class DashboardSolicitationSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    status = serializers.CharField(help_text="draft, open or closed")
    status_label = serializers.CharField()
    proposals = serializers.IntegerField()
    accepted = serializers.IntegerField()
    candidates = serializers.IntegerField()


class DashboardRowSerializer(serializers.Serializer):
    id = serializers.IntegerField(help_text="the congress")
    name = serializers.CharField()
    level = serializers.CharField()
    level_label = serializers.CharField()
    depth = serializers.IntegerField(help_text="0 city, 1 county, 2 town")
    parent = serializers.IntegerField(allow_null=True)
    solicitation = DashboardSolicitationSerializer(allow_null=True)
    votes = DashboardVoteSerializer(many=True)
    progress = serializers.DictField(help_text="progress of the chosen projects (empty until supervision)")


class DashboardTotalsSerializer(serializers.Serializer):
    congresses = serializers.IntegerField()
    by_level = serializers.DictField(child=serializers.IntegerField())
    solicitations = serializers.IntegerField()
    proposals = serializers.IntegerField()
    accepted = serializers.IntegerField()
    candidates = serializers.IntegerField()
    votes = serializers.IntegerField()
    by_state = serializers.DictField(child=serializers.IntegerField())
    electorate = serializers.IntegerField()
    present = serializers.IntegerField()
    voted = serializers.IntegerField()
    turnout = serializers.FloatField(allow_null=True)
    seats = serializers.IntegerField()
    chosen = serializers.IntegerField()


class DashboardSerializer(serializers.Serializer):
    year = serializers.IntegerField()
    level = serializers.CharField()
    state = serializers.CharField()
    rows = DashboardRowSerializer(many=True)
    totals = DashboardTotalsSerializer()
    any_open = serializers.BooleanField()
    has_progress = serializers.BooleanField()
