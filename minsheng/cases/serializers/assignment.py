"""Serializers of a unit's part (the Assignment machine): the part on the case page, its records,
answers, requests (调整, 延期), the inbox, and the inputs of 交办 and of the unit's steps."""

import datetime as dt

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from minsheng.common import clock
from minsheng.common import validators as checks
from minsheng.units.models import Unit

from ..models import Answer, Assignment, Case, ExtensionRequest, HandlingRecord, ReassignmentRequest
from ..permissions import extension_cap_for, opinions_missing
from ..privacy import redact
from ._base import CongressRefSerializer, UnitRefSerializer, _redacted, target_actions

# --- an assignment on the case page -------------------------------------------------------------------------


class HandlingRecordSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    kind = serializers.ChoiceField(choices=HandlingRecord.Kind.choices)
    happened_on = serializers.DateField()
    note = serializers.SerializerMethodField()
    recorded_at = serializers.DateTimeField()

    def get_note(self, record) -> str:
        return _redacted(self.context, self.context["case"], record.note)


class AnswerOutSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    round = serializers.IntegerField()
    answer_class = serializers.CharField()
    answer_class_label = serializers.SerializerMethodField()
    text = serializers.SerializerMethodField()
    signed_by = serializers.CharField()
    document_number = serializers.CharField()
    disclosure = serializers.ChoiceField(choices=Answer.Disclosure.choices)
    contact_name = serializers.CharField()
    contact_phone = serializers.CharField()
    answered_at = serializers.DateTimeField()
    on_time = serializers.BooleanField()

    def get_answer_class_label(self, answer: Answer) -> str:
        return self.context["case_rules"].answer_class_label(answer.answer_class)

    def get_text(self, answer: Answer) -> str:
        return _redacted(self.context, self.context["case"], answer.text)


class ReassignmentRequestOutSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    reason = serializers.CharField()
    requested_at = serializers.DateTimeField()
    decision = serializers.ChoiceField(choices=ReassignmentRequest.Decision.choices)
    decided_at = serializers.DateTimeField(allow_null=True)
    decision_note = serializers.CharField()
    allowed_actions = serializers.SerializerMethodField()
    available_actions = serializers.SerializerMethodField()

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_allowed_actions(self, request: ReassignmentRequest) -> list[str]:
        """decide (on /api/v1/reassignment-requests/{id}/)."""
        return target_actions(self.context, request)[1]

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_available_actions(self, obj) -> list[str]:
        """The actions the caller may take now, by the case page's names (`cases/actions.py`)."""
        return target_actions(self.context, obj)[0]


class ExtensionRequestOutSerializer(serializers.Serializer):
    """延期: a unit's request for a later answer date and the staff's decision."""

    id = serializers.IntegerField()
    reason = serializers.CharField()
    previous_due = serializers.DateField()
    requested_due = serializers.DateField()
    requested_at = serializers.DateTimeField()
    decision = serializers.ChoiceField(choices=ExtensionRequest.Decision.choices)
    granted_due = serializers.DateField(allow_null=True)
    decided_at = serializers.DateTimeField(allow_null=True)
    decision_note = serializers.CharField()
    allowed_actions = serializers.SerializerMethodField()
    available_actions = serializers.SerializerMethodField()

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_allowed_actions(self, request: ExtensionRequest) -> list[str]:
        """decide (on /api/v1/extension-requests/{id}/)."""
        return target_actions(self.context, request)[1]

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_available_actions(self, obj) -> list[str]:
        """The actions the caller may take now, by the case page's names (`cases/actions.py`)."""
        return target_actions(self.context, obj)[0]


class MissingOpinionSerializer(serializers.Serializer):
    assignment = serializers.IntegerField(source="pk")
    unit = UnitRefSerializer()
    opinion_due = serializers.DateField(allow_null=True)


class AssignmentSerializer(serializers.Serializer):
    """A unit's part of the case in one round, with its handling records, opinion and answer."""

    id = serializers.IntegerField()
    unit = UnitRefSerializer()
    role = serializers.ChoiceField(choices=Assignment.Role.choices)
    round = serializers.IntegerField()
    status = serializers.ChoiceField(choices=Assignment.Status.choices)
    answer_due = serializers.DateField()
    opinion_due = serializers.DateField(allow_null=True)
    reassign_request_due = serializers.DateField()
    reassign_request_due_provisional = serializers.BooleanField(
        help_text=_(
            "Counted on a provisional year's calendar: recomputed when its official schedule is entered"
        )
    )
    acknowledged_at = serializers.DateTimeField(allow_null=True)
    opinion = serializers.SerializerMethodField()
    opinion_at = serializers.DateTimeField(allow_null=True)
    records = HandlingRecordSerializer(many=True)
    answer = serializers.SerializerMethodField()
    reassignment_requests = ReassignmentRequestOutSerializer(many=True)
    extension_requests = ExtensionRequestOutSerializer(many=True)
    extension_cap = serializers.SerializerMethodField()
    missing_opinions = serializers.SerializerMethodField()
    allowed_actions = serializers.SerializerMethodField()
    available_actions = serializers.SerializerMethodField()

    def get_extension_cap(self, assignment: Assignment) -> dt.date:
        """The latest answer date an extension may give (rules.extension_cap)."""
        return extension_cap_for(assignment)

    @extend_schema_field(MissingOpinionSerializer(many=True))
    def get_missing_opinions(self, assignment: Assignment) -> list:
        """协办: the assisting opinions the lead unit's answer still waits for (empty: it may answer)."""
        if not assignment.answers_the_case or assignment.status not in Assignment.LIVE:
            return []
        return MissingOpinionSerializer(
            opinions_missing(assignment, today=self.context["today"]), many=True
        ).data

    def get_opinion(self, assignment: Assignment) -> str:
        return _redacted(self.context, self.context["case"], assignment.opinion)

    @extend_schema_field(AnswerOutSerializer(allow_null=True))
    def get_answer(self, assignment: Assignment):
        try:
            answer = assignment.answer
        except Answer.DoesNotExist:
            return None
        return AnswerOutSerializer(answer, context=self.context).data

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_allowed_actions(self, assignment: Assignment) -> list[str]:
        """acknowledge, record, opinion, answer, fulfil-wish, request-reassignment, request-extension, upload."""
        return target_actions(self.context, assignment)[1]

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_available_actions(self, obj) -> list[str]:
        """The actions the caller may take now, by the case page's names (`cases/actions.py`)."""
        return target_actions(self.context, obj)[0]


# --- input --------------------------------------------------------------------------------------------------


class AssignInSerializer(serializers.Serializer):
    """交办 (or 重新交办 after 不满意): a lead unit with optional assisting units, or split handling."""

    lead = serializers.PrimaryKeyRelatedField(
        queryset=Unit.objects.all(), required=False, allow_null=True, default=None, write_only=True
    )
    assisting = serializers.ListField(
        child=serializers.PrimaryKeyRelatedField(queryset=Unit.objects.all()),
        required=False,
        default=list,
        write_only=True,
    )
    split = serializers.ListField(
        child=serializers.PrimaryKeyRelatedField(queryset=Unit.objects.all()),
        required=False,
        default=list,
        write_only=True,
    )
    hard = serializers.BooleanField(
        required=False,
        allow_null=True,
        default=None,
        write_only=True,
        help_text=_("Broad or hard: 6 months to answer instead of 3"),
    )


class ExtensionInSerializer(serializers.Serializer):
    requested_due = serializers.DateField(write_only=True, help_text=_("The new answer date asked for"))
    reason = serializers.CharField(allow_blank=True, max_length=2000, write_only=True)


class ExtensionDecideInSerializer(serializers.Serializer):
    grant = serializers.BooleanField(write_only=True)
    new_due = serializers.DateField(
        required=False,
        allow_null=True,
        default=None,
        write_only=True,
        help_text=_("Granting: another date within the cap; empty for the date asked for"),
    )
    note = serializers.CharField(
        required=False, allow_blank=True, default="", max_length=2000, write_only=True
    )


class ExtensionRequestListSerializer(ExtensionRequestOutSerializer):
    assignment = serializers.IntegerField(source="assignment_id")
    case = serializers.SerializerMethodField()
    unit = UnitRefSerializer(source="assignment.unit")

    @extend_schema_field(serializers.DictField())
    def get_case(self, request: ExtensionRequest) -> dict:
        return CaseBriefSerializer(request.assignment.case).data


class ExtensionFilterSerializer(serializers.Serializer):
    decision = serializers.ChoiceField(choices=ExtensionRequest.Decision.choices, required=False)


class FulfilInSerializer(serializers.Serializer):
    photos = serializers.ListField(
        child=serializers.FileField(),
        allow_empty=True,
        write_only=True,
        help_text=_("1 to 9 photos of the hand-over (JPEG, PNG, WebP)"),
    )
    note = serializers.CharField(
        required=False, allow_blank=True, default="", max_length=2000, write_only=True
    )


# --- assignments --------------------------------------------------------------------------------------------


class CaseBriefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    number = serializers.CharField(allow_null=True)
    kind = serializers.ChoiceField(choices=Case.Kind.choices)
    title = serializers.SerializerMethodField()
    status = serializers.ChoiceField(choices=Case.Status.choices)
    congress = CongressRefSerializer()

    def get_title(self, case: Case) -> str:
        return redact(case.title, case)


class InboxItemSerializer(serializers.Serializer):
    """A row of a unit's inbox."""

    id = serializers.IntegerField()
    case = CaseBriefSerializer()
    unit = UnitRefSerializer()
    role = serializers.ChoiceField(choices=Assignment.Role.choices)
    round = serializers.IntegerField()
    status = serializers.ChoiceField(choices=Assignment.Status.choices)
    answer_due = serializers.DateField()
    opinion_due = serializers.DateField(allow_null=True)
    reassign_request_due = serializers.DateField()
    reassign_request_due_provisional = serializers.BooleanField(
        help_text=_(
            "Counted on a provisional year's calendar: recomputed when its official schedule is entered"
        )
    )
    acknowledged_at = serializers.DateTimeField(allow_null=True)
    overdue = serializers.SerializerMethodField()

    def get_overdue(self, assignment: Assignment) -> bool:
        return assignment.status in Assignment.LIVE and assignment.answer_due < clock.today()


class InboxFilterSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=Assignment.Status.choices, required=False)


class RecordInSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=HandlingRecord.Kind.choices, write_only=True)
    happened_on = serializers.DateField(write_only=True, validators=[checks.validate_past_date])
    note = serializers.CharField(
        allow_blank=True, write_only=True, max_length=checks.limit(HandlingRecord, "note")
    )


class OpinionInSerializer(serializers.Serializer):
    opinion = serializers.CharField(
        allow_blank=True, write_only=True, max_length=checks.limit(Assignment, "opinion")
    )


class AnswerInSerializer(serializers.Serializer):
    answer_class = serializers.CharField(
        max_length=4, write_only=True, help_text=_("A, B, C or D by default")
    )
    text = serializers.CharField(allow_blank=True, write_only=True, max_length=checks.limit(Answer, "text"))
    signed_by = serializers.CharField(
        max_length=50, allow_blank=True, write_only=True, help_text=_("The head of the unit")
    )
    document_number = serializers.CharField(
        max_length=checks.limit(Answer, "document_number"), allow_blank=True, required=False, write_only=True
    )
    disclosure = serializers.CharField(
        max_length=12, required=False, write_only=True, help_text=_("active, on_request or not_public")
    )
    contact_name = serializers.CharField(
        max_length=checks.limit(Answer, "contact_name"), allow_blank=True, required=False, write_only=True
    )
    contact_phone = serializers.CharField(
        max_length=checks.limit(Answer, "contact_phone"), allow_blank=True, required=False, write_only=True
    )


class ReassignmentRequestListSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    assignment = serializers.IntegerField(source="assignment_id")
    case = CaseBriefSerializer(source="assignment.case")
    unit = UnitRefSerializer(source="assignment.unit")
    reason = serializers.CharField()
    requested_at = serializers.DateTimeField()
    decision = serializers.ChoiceField(choices=ReassignmentRequest.Decision.choices)
    decided_at = serializers.DateTimeField(allow_null=True)
    decision_note = serializers.CharField()


class ReassignmentFilterSerializer(serializers.Serializer):
    decision = serializers.ChoiceField(choices=ReassignmentRequest.Decision.choices, required=False)


class DecideInSerializer(serializers.Serializer):
    reassign_to = serializers.PrimaryKeyRelatedField(
        queryset=Unit.objects.all(),
        required=False,
        allow_null=True,
        default=None,
        write_only=True,
        help_text=_("The unit that takes the part over; empty to confirm the assignment"),
    )
    note = serializers.CharField(
        required=False,
        allow_blank=True,
        default="",
        write_only=True,
        max_length=checks.limit(ReassignmentRequest, "decision_note"),
    )
