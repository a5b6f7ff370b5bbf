"""Serializers of the votes API. Nothing here names who voted how: electors carry only counts."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from minsheng.common import validators as checks
from minsheng.units.models import Unit

from .models import BallotChoice, Candidate, CandidateResult, Proposal, Solicitation, VoteSession


class SolicitationSerializer(serializers.ModelSerializer):
    congress_name = serializers.CharField(source="congress.name", read_only=True)

    class Meta:
        model = Solicitation
        fields = ["id", "congress", "congress_name", "year", "title", "opens_on", "closes_on", "status"]
        read_only_fields = fields


class ProposalSerializer(serializers.ModelSerializer):
    class Meta:
        model = Proposal
        fields = [
            "id",
            "solicitation",
            "source",
            "title",
            "description",
            "place",
            "status",
            "reject_reason",
            "screening_note",
            "created_at",
        ]
        read_only_fields = ["source", "status", "reject_reason", "screening_note", "created_at"]


class ProposalCreateSerializer(serializers.Serializer):
    """The public's (or a deputy's) proposal. `website` must stay empty (a honeypot for bots)."""

    solicitation = serializers.IntegerField()
    title = serializers.CharField(max_length=200)
    description = serializers.CharField(max_length=checks.limit(Proposal, "description"))
    place = serializers.IntegerField(required=False, allow_null=True)
    website = serializers.CharField(required=False, allow_blank=True, write_only=True)


class ScreenSerializer(serializers.Serializer):
    accept = serializers.BooleanField()
    reason = serializers.ChoiceField(choices=Proposal.RejectReason.choices, required=False, allow_blank=True)
    note = serializers.CharField(
        required=False, allow_blank=True, max_length=checks.limit(Proposal, "screening_note")
    )


class CandidateSerializer(serializers.ModelSerializer):
    lead_unit_name = serializers.CharField(source="lead_unit.name", read_only=True)

    class Meta:
        model = Candidate
        fields = [
            "id",
            "solicitation",
            "number",
            "title",
            "description",
            "lead_unit",
            "lead_unit_name",
            "budget",
            "place",
            "proposal",
        ]
        read_only_fields = fields


class CandidateCreateSerializer(serializers.Serializer):
    solicitation = serializers.IntegerField()
    title = serializers.CharField(max_length=200)
    description = serializers.CharField(max_length=checks.limit(Candidate, "description"))
    lead_unit = serializers.PrimaryKeyRelatedField(queryset=Unit.objects.all())
    budget = serializers.DecimalField(max_digits=12, decimal_places=2, min_value=0)
    place = serializers.IntegerField(required=False, allow_null=True)


class VoteSerializer(serializers.ModelSerializer):
    congress_name = serializers.CharField(source="congress.name", read_only=True)
    candidates = serializers.PrimaryKeyRelatedField(many=True, read_only=True)

    class Meta:
        model = VoteSession
        fields = [
            "id",
            "congress",
            "congress_name",
            "session",
            "solicitation",
            "kind",
            "parent",
            "title",
            "seats",
            "quorum",
            "tie_rule",
            "candidates",
            "status",
            "electorate",
            "opened_at",
            "closed_at",
            "published_at",
            "presidium_decision",
            "shortfall",
        ]
        read_only_fields = fields


class DeputySerializer(serializers.Serializer):
    deputy = serializers.IntegerField()


class ChoicesField(serializers.DictField):
    """{candidate id: mark}."""

    child = serializers.ChoiceField(choices=BallotChoice.Choice.choices)

    def to_internal_value(self, data):
        value = super().to_internal_value(data)
        try:
            return {int(key): mark for key, mark in value.items()}
        except (TypeError, ValueError):
            raise serializers.ValidationError(_("Keys must be candidate ids.")) from None


class BallotSerializer(serializers.Serializer):
    choices = ChoicesField()


class PaperEntrySerializer(serializers.Serializer):
    serial = serializers.CharField(max_length=20)
    choices = ChoicesField()


class PaperEntryResultSerializer(serializers.Serializer):
    matched = serializers.BooleanField()
    detail = serializers.CharField()


class ReceiptSerializer(serializers.Serializer):
    receipt = serializers.CharField()


class ReceiptCheckSerializer(serializers.Serializer):
    counted = serializers.BooleanField(
        help_text="The ballot is counted, or is in the sealed box of a vote still open and is counted at closing."
    )
    status = serializers.ChoiceField(
        choices=[("counted", "counted"), ("sealed", "sealed"), ("unknown", "unknown")],
        help_text="counted: in the count of a closed vote; sealed: in the sealed box of an open vote; unknown.",
    )


class RunoffSerializer(serializers.Serializer):
    hold = serializers.BooleanField()
    note = serializers.CharField(max_length=checks.limit(VoteSession, "presidium_decision"))


class CandidateResultSerializer(serializers.ModelSerializer):
    number = serializers.IntegerField(source="candidate.number", read_only=True)
    title = serializers.CharField(source="candidate.title", read_only=True)

    class Meta:
        model = CandidateResult
        fields = [
            "candidate",
            "number",
            "title",
            "votes_for",
            "votes_against",
            "abstentions",
            "satisfied",
            "mostly",
            "dissatisfied",
            "outcome",
            "rank",
        ]
        read_only_fields = fields


class ResultSheetSerializer(serializers.Serializer):
    vote = serializers.IntegerField()
    kind = serializers.CharField(help_text="selection, runoff or satisfaction")
    status = serializers.CharField()
    electorate = serializers.IntegerField(help_text="应到: all the congress's deputies")
    present = serializers.IntegerField(help_text="实到: checked in, or voted")
    quorum = serializers.CharField(help_text="the share of all deputies that had to be present, e.g. 2/3")
    quorum_required = serializers.IntegerField(help_text="the fewest present for the ballot to be counted")
    ballots = serializers.IntegerField()
    seats = serializers.IntegerField()
    threshold = serializers.IntegerField(
        help_text="the fewest 赞成 that pass: more than half of all deputies"
    )
    tie_rule = serializers.CharField(help_text="further_ballot or leave_empty")
    tied = serializers.ListField(
        child=serializers.IntegerField(), help_text="candidates tied for the last seat"
    )
    further_ballot_required = serializers.BooleanField(
        help_text="a tie for the last seat under the rule further_ballot, not yet decided"
    )
    shortfall = serializers.IntegerField(help_text="seats left empty (空缺) that a later session may fill")
    decisions = serializers.ListField(
        child=serializers.CharField(),
        help_text="what the presidium may still decide (runoff-decision/): hold (a further ballot) and/or "
        "leave_empty",
    )
    presidium_decision = serializers.CharField()
    results = CandidateResultSerializer(many=True)


class TurnoutSerializer(serializers.Serializer):
    expected = serializers.IntegerField(help_text="应到")
    present = serializers.IntegerField(help_text="实到: checked in, or voted")
    voted = serializers.IntegerField()
    paper = serializers.IntegerField()
    ballots = serializers.IntegerField()
    quorum = serializers.CharField(help_text="the share of all deputies that must be present, e.g. 2/3")
    required = serializers.IntegerField(help_text="the fewest present for the ballot to be closed")
    quorum_met = serializers.BooleanField()


# --- what the caller may do now (actions.py): the detail serializers -----------------------------------------


class AvailableActionSerializer(serializers.Serializer):
    """One action the caller may do with the object now, by the name the pages and services use."""

    name = serializers.CharField()
    choices = serializers.DictField(
        help_text="what the action may be done with: ids of units, places (a code prefix), sessions, "
        "candidates, deputies; marks; the most 赞成 (max_for); the presidium's decisions (hold)"
    )


class AvailableActionsMixin(serializers.Serializer):
    """`available_actions` of `actions.available_actions(request.user, obj)`."""

    available_actions = serializers.SerializerMethodField()

    @extend_schema_field(AvailableActionSerializer(many=True))
    def get_available_actions(self, obj) -> list:
        from . import actions

        request = self.context.get("request")
        return actions.available_actions(getattr(request, "user", None), obj)


class SolicitationDetailSerializer(AvailableActionsMixin, SolicitationSerializer):
    class Meta(SolicitationSerializer.Meta):
        fields = [*SolicitationSerializer.Meta.fields, "available_actions"]
        read_only_fields = fields


class ProposalDetailSerializer(AvailableActionsMixin, ProposalSerializer):
    class Meta(ProposalSerializer.Meta):
        fields = [*ProposalSerializer.Meta.fields, "available_actions"]


class VoteDetailSerializer(AvailableActionsMixin, VoteSerializer):
    class Meta(VoteSerializer.Meta):
        fields = [*VoteSerializer.Meta.fields, "available_actions"]
        read_only_fields = fields
