"""Serializers of a case (the Case machine): the lists, the case page, the inputs of its steps, the priority
list and the published answers."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from minsheng.common import clock
from minsheng.common import validators as checks
from minsheng.common.api import IdField
from minsheng.congresses.models import Congress
from minsheng.deputies.models import Deputy
from minsheng.places.models import Place
from minsheng.stations.models import Station

from ..models import (
    Answer,
    Beneficiary,
    Case,
    Cosigner,
    Document,
    ExtensionRequest,
    FollowUpVisit,
    HomeVerification,
    Rating,
    SupervisionAction,
)
from ..privacy import beneficiary_for, claims_seen_by, may_open_document, redact, township_of, wall_label
from ..selectors import QUEUES, open_amount
from ._base import (
    BeneficiaryOutSerializer,
    CongressRefSerializer,
    DeputyRefSerializer,
    DocumentOutSerializer,
    PlaceRefSerializer,
    StationRefSerializer,
    UnitRefSerializer,
    _redacted,
    case_actions,
)
from .assignment import AssignmentSerializer
from .claim import ClaimOnCaseSerializer

# --- cases: lists ------------------------------------------------------------------------------------------


class CaseListSerializer(serializers.ModelSerializer):
    """A row of a case list. The title is redacted for everyone here (it is shown whole on the case itself
    to those who may see the family): a list never decides per row who sees what."""

    title = serializers.SerializerMethodField()
    congress = CongressRefSerializer(read_only=True)
    lead_deputy = DeputyRefSerializer(read_only=True)
    place = PlaceRefSerializer(read_only=True)
    overdue = serializers.SerializerMethodField()

    class Meta:
        model = Case
        fields = [
            "id",
            "number",
            "kind",
            "title",
            "status",
            "category",
            "amount",
            "congress",
            "lead_deputy",
            "place",
            "round",
            "is_hard",
            "is_priority",
            "filed_at",
            "assign_due",
            "assign_due_provisional",
            "answer_due",
            "overdue",
            "on_wall_at",
            "realised_at",
            "published_at",
            "closed_unrated",
            "created_at",
        ]
        read_only_fields = fields

    def get_title(self, case: Case) -> str:
        return redact(case.title, case)

    def get_overdue(self, case: Case) -> bool:
        """Assigned and past its answer date."""
        return bool(
            case.status == Case.Status.ASSIGNED and case.answer_due and case.answer_due < clock.today()
        )


# --- cases: the case page ----------------------------------------------------------------------------------


class VerificationSerializer(serializers.Serializer):
    visited_on = serializers.DateField()
    visitors = serializers.SerializerMethodField()
    findings = serializers.SerializerMethodField()
    confirmed = serializers.BooleanField()
    recorded_at = serializers.DateTimeField()

    def get_visitors(self, v) -> str:
        return _redacted(self.context, self.context["case"], v.visitors)

    def get_findings(self, v) -> str:
        return _redacted(self.context, self.context["case"], v.findings)


class RatingOutSerializer(serializers.Serializer):
    deputy = DeputyRefSerializer()
    round = serializers.IntegerField()
    value = serializers.ChoiceField(choices=Rating.Value.choices)
    comment = serializers.CharField()
    rated_at = serializers.DateTimeField()


class FollowUpSerializer(serializers.Serializer):
    visited_on = serializers.DateField()
    wish_met = serializers.BooleanField()
    note = serializers.SerializerMethodField()
    recorded_at = serializers.DateTimeField()

    def get_note(self, visit) -> str:
        return _redacted(self.context, self.context["case"], visit.note)


class SupervisionOutSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=SupervisionAction.Kind.choices)
    note = serializers.SerializerMethodField()
    meeting_date = serializers.DateField(allow_null=True, help_text=_("重点督办: the 主任会议's date"))
    meeting_name = serializers.CharField()
    proposed_by = serializers.CharField()
    recorded_at = serializers.DateTimeField()

    def get_note(self, action) -> str:
        return _redacted(self.context, self.context["case"], action.note)


class DeadlinesSerializer(serializers.Serializer):
    assign_due = serializers.DateField(allow_null=True, help_text=_("交办 within 5 working days of filing"))
    assign_due_provisional = serializers.BooleanField(
        help_text=_(
            "Counted on a provisional year's calendar: recomputed when its official schedule is entered"
        )
    )
    assign_late = serializers.BooleanField()
    answer_due = serializers.DateField(allow_null=True)
    answer_overdue = serializers.BooleanField()
    publish_due = serializers.DateField(
        allow_null=True, help_text=_("公开 within 20 working days of the answer, rated or not")
    )
    publish_due_provisional = serializers.BooleanField()
    publish_late = serializers.BooleanField()
    rating_due = serializers.DateField(
        allow_null=True, help_text=_("the deputy rates within a month of the answer; then 未反馈")
    )
    rating_overdue = serializers.BooleanField(help_text=_("answered, not rated, past the rating deadline"))


class CaseDetailSerializer(serializers.ModelSerializer):
    """The case page as JSON. Texts are whole for who may see the family and redacted for the others."""

    title = serializers.SerializerMethodField()
    content = serializers.SerializerMethodField()
    status_note = serializers.SerializerMethodField()
    congress = CongressRefSerializer(read_only=True)
    lead_deputy = DeputyRefSerializer(read_only=True)
    place = PlaceRefSerializer(read_only=True)
    station = StationRefSerializer(read_only=True, allow_null=True)
    cosigners = serializers.SerializerMethodField()
    beneficiary = serializers.SerializerMethodField()
    wall_label = serializers.SerializerMethodField()
    open_amount = serializers.SerializerMethodField()
    verifications = serializers.SerializerMethodField()
    assignments = serializers.SerializerMethodField()
    ratings = serializers.SerializerMethodField()
    claims = serializers.SerializerMethodField()
    follow_ups = serializers.SerializerMethodField()
    supervision_actions = serializers.SerializerMethodField()
    documents = serializers.SerializerMethodField()
    deadlines = serializers.SerializerMethodField()
    allowed_actions = serializers.SerializerMethodField()
    available_actions = serializers.SerializerMethodField()
    cosigning = serializers.SerializerMethodField()
    extensions_granted = serializers.SerializerMethodField()
    realised_by_unit = UnitRefSerializer(read_only=True, allow_null=True)

    class Meta:
        model = Case
        fields = [
            "id",
            "number",
            "kind",
            "title",
            "content",
            "category",
            "amount",
            "open_amount",
            "status",
            "status_note",
            "refuse_reason",
            "merged_into",
            "round",
            "is_hard",
            "is_priority",
            "congress",
            "lead_deputy",
            "cosigners",
            "place",
            "station",
            "beneficiary",
            "wall_label",
            "public_summary",
            "verified_at",
            "filed_at",
            "assigned_at",
            "answered_at",
            "closed_at",
            "closed_unrated",
            "published_at",
            "on_wall_at",
            "realised_at",
            "realised_by_unit",
            "cosigning",
            "extensions_granted",
            "created_at",
            "updated_at",
            "deadlines",
            "verifications",
            "assignments",
            "ratings",
            "claims",
            "follow_ups",
            "supervision_actions",
            "documents",
            "allowed_actions",
            "available_actions",
        ]
        read_only_fields = fields

    def get_title(self, case: Case) -> str:
        return _redacted(self.context, case, case.title)

    def get_content(self, case: Case) -> str:
        return _redacted(self.context, case, case.content)

    def get_status_note(self, case: Case) -> str:
        return _redacted(self.context, case, case.status_note)

    @extend_schema_field(DeputyRefSerializer(many=True))
    def get_cosigners(self, case: Case) -> list[dict]:
        """联名: only the co-signers who confirmed."""
        return [
            {"id": link.deputy_id, "name": link.deputy.name}
            for link in case.cosigner_links.all()
            if link.status == Cosigner.Status.CONFIRMED
        ]

    @extend_schema_field(serializers.ChoiceField(choices=Cosigner.Status.choices, allow_null=True))
    def get_cosigning(self, case: Case) -> str | None:
        """The caller's own co-signing of the case (invited, confirmed, declined), or null."""
        deputy_id = getattr(self.context["request"].user, "deputy_id", None)
        if deputy_id is None:
            return None
        return next((link.status for link in case.cosigner_links.all() if link.deputy_id == deputy_id), None)

    def get_extensions_granted(self, case: Case) -> int:
        """延期: how many extensions of an answer deadline were granted on the case."""
        return sum(
            1
            for a in case.assignments.all()
            for r in a.extension_requests.all()
            if r.decision == ExtensionRequest.Decision.GRANTED
        )

    @extend_schema_field(BeneficiaryOutSerializer(allow_null=True))
    def get_beneficiary(self, case: Case) -> dict | None:
        """From `privacy.beneficiary_for`: null, masked, the delivery contact, or everything."""
        return beneficiary_for(self.context["request"].user, case)

    def get_wall_label(self, case: Case) -> str:
        return wall_label(case) if case.rules.claimable else ""

    @extend_schema_field(serializers.DecimalField(max_digits=12, decimal_places=2, allow_null=True))
    def get_open_amount(self, case: Case):
        """What is still open to claim or pledge (wishes)."""
        return str(open_amount(case)) if case.rules.claimable else None

    # A donor sees a case only through a claim (as on the case page): the claim and its delivery, no
    # verifications, handling, ratings, follow-ups or supervision.

    @extend_schema_field(VerificationSerializer(many=True))
    def get_verifications(self, case: Case) -> list:
        if self.context["claimant_only"]:
            return []
        return VerificationSerializer(case.verifications.all(), many=True, context=self.context).data

    @extend_schema_field(AssignmentSerializer(many=True))
    def get_assignments(self, case: Case) -> list:
        if self.context["claimant_only"]:
            return []
        return AssignmentSerializer(case.assignments.all(), many=True, context=self.context).data

    @extend_schema_field(RatingOutSerializer(many=True))
    def get_ratings(self, case: Case) -> list:
        if self.context["claimant_only"]:
            return []
        return RatingOutSerializer(case.ratings.all(), many=True).data

    @extend_schema_field(ClaimOnCaseSerializer(many=True))
    def get_claims(self, case: Case) -> list:
        """Every claim for those who run the case; a donor sees only his or her own."""
        user = self.context["request"].user
        claims = (
            claims_seen_by(user, case.claims.all()) if self.context["claimant_only"] else case.claims.all()
        )
        return ClaimOnCaseSerializer(claims, many=True, context=self.context).data

    @extend_schema_field(FollowUpSerializer(many=True))
    def get_follow_ups(self, case: Case) -> list:
        if self.context["claimant_only"]:
            return []
        return FollowUpSerializer(case.follow_ups.all(), many=True, context=self.context).data

    @extend_schema_field(SupervisionOutSerializer(many=True))
    def get_supervision_actions(self, case: Case) -> list:
        if self.context["claimant_only"]:
            return []
        return SupervisionOutSerializer(case.supervision.all(), many=True, context=self.context).data

    @extend_schema_field(DocumentOutSerializer(many=True))
    def get_documents(self, case: Case) -> list:
        """The files the caller may open: all of them for who may see the family, else their own uploads."""
        user = self.context["request"].user
        sees_family = self.context["rules"]["cases.view_beneficiary"]
        documents = [d for d in case.documents.all() if may_open_document(user, d, sees_family=sees_family)]
        return DocumentOutSerializer(documents, many=True, context=self.context).data

    @extend_schema_field(DeadlinesSerializer)
    def get_deadlines(self, case: Case) -> dict:
        today, S = self.context["today"], Case.Status
        return {
            "assign_due": case.assign_due,
            "assign_due_provisional": case.assign_due_provisional,
            "assign_late": bool(
                case.status in (S.FILED, S.ACCEPTED) and case.assign_due and case.assign_due < today
            ),
            "answer_due": case.answer_due,
            "answer_overdue": bool(case.status == S.ASSIGNED and case.answer_due and case.answer_due < today),
            "publish_due": case.publish_due,
            "publish_due_provisional": case.publish_due_provisional,
            "publish_late": bool(
                case.status in (S.ANSWERED, S.CLOSED)
                and case.published_at is None
                and case.publish_due
                and case.publish_due < today
            ),
            "rating_due": case.rating_due,
            "rating_overdue": case.rating_overdue(today),
        }

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_allowed_actions(self, case: Case) -> list[str]:
        """The case's sub-routes the caller may POST to now (`update` = PATCH); assignments and claims
        carry their own."""
        return case_actions(self.context, case)[1]

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_available_actions(self, obj) -> list[str]:
        """The actions the caller may take now, by the case page's names (`cases/actions.py`)."""
        return case_actions(self.context, obj)[0]


# --- cases: input -------------------------------------------------------------------------------------------


class BeneficiaryInSerializer(serializers.Serializer):
    """受助对象 of a wish. Stored encrypted; checked by the service (ID number, mobile, one open wish per
    household)."""

    kind = serializers.ChoiceField(choices=Beneficiary.Kind.choices, default=Beneficiary.Kind.HOUSEHOLD)
    group = serializers.ChoiceField(choices=Beneficiary.Group.choices, default=Beneficiary.Group.OTHER)
    name = serializers.CharField(max_length=50, write_only=True)
    id_number = serializers.CharField(max_length=30, required=False, allow_blank=True, write_only=True)
    phone = serializers.CharField(max_length=20, required=False, allow_blank=True, write_only=True)
    address = serializers.CharField(max_length=200, write_only=True)


class CaseCreateSerializer(serializers.Serializer):
    """A new case (draft). A wish needs `category`, `amount` (estimated value) and `beneficiary`; a
    micro-project its budget in `amount`."""

    kind = serializers.ChoiceField(choices=Case.Kind.choices, write_only=True)
    title = serializers.CharField(max_length=200, write_only=True)
    content = serializers.CharField(write_only=True, max_length=checks.limit(Case, "content"))
    congress = serializers.PrimaryKeyRelatedField(
        queryset=Congress.objects.all(),
        write_only=True,
        help_text=_("The congress of the lead deputy's seat"),
    )
    lead_deputy = serializers.PrimaryKeyRelatedField(
        queryset=Deputy.objects.only("id", "name"),
        required=False,
        write_only=True,
        help_text=_("Default: the calling deputy"),
    )
    place = serializers.PrimaryKeyRelatedField(queryset=Place.objects.all(), write_only=True)
    station = serializers.PrimaryKeyRelatedField(
        queryset=Station.objects.all(), required=False, allow_null=True, default=None, write_only=True
    )
    category = serializers.ChoiceField(
        choices=Case.Category.choices, required=False, allow_blank=True, default="", write_only=True
    )
    amount = serializers.DecimalField(
        max_digits=12, decimal_places=2, required=False, allow_null=True, default=None, write_only=True
    )
    beneficiary = BeneficiaryInSerializer(required=False, allow_null=True, default=None, write_only=True)

    def validate(self, data):
        if "lead_deputy" not in data:
            deputy = getattr(self.context["request"].user, "deputy", None)
            if deputy is None:
                raise serializers.ValidationError({"lead_deputy": _("Choose the lead deputy.")})
            data["lead_deputy"] = deputy
        return data


class CaseUpdateSerializer(serializers.Serializer):
    """Changes to a draft or a returned case: only the fields sent are changed."""

    title = serializers.CharField(max_length=200, required=False, write_only=True)
    content = serializers.CharField(required=False, write_only=True, max_length=checks.limit(Case, "content"))
    category = serializers.ChoiceField(
        choices=Case.Category.choices, required=False, allow_blank=True, write_only=True
    )
    amount = serializers.DecimalField(
        max_digits=12, decimal_places=2, required=False, allow_null=True, write_only=True
    )
    place = serializers.PrimaryKeyRelatedField(queryset=Place.objects.all(), required=False, write_only=True)
    station = serializers.PrimaryKeyRelatedField(
        queryset=Station.objects.all(), required=False, allow_null=True, write_only=True
    )
    beneficiary = BeneficiaryInSerializer(required=False, write_only=True)


class CaseFilterSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=Case.Kind.choices, required=False)
    status = serializers.ChoiceField(choices=Case.Status.choices, required=False)
    congress = IdField(required=False)
    place = serializers.RegexField(r"^\d{2,12}$", required=False)
    unit = IdField(required=False)
    deputy = IdField(required=False)
    filed_from = serializers.DateField(required=False)
    filed_to = serializers.DateField(required=False)
    overdue = serializers.BooleanField(required=False, default=False)
    priority = serializers.BooleanField(required=False, default=False)
    queue = serializers.ChoiceField(choices=[(q, q) for q in QUEUES], required=False)
    q = serializers.CharField(required=False, allow_blank=True, max_length=100)


class VerifyInSerializer(serializers.Serializer):
    """入户核实."""

    visited_on = serializers.DateField(write_only=True, validators=[checks.validate_past_date])
    visitors = serializers.CharField(max_length=200, allow_blank=True, write_only=True)
    findings = serializers.CharField(
        allow_blank=True, write_only=True, max_length=checks.limit(HomeVerification, "findings")
    )
    confirmed = serializers.BooleanField(write_only=True, help_text=_("Whether the visit confirmed the need"))


class CaseScopedField(serializers.PrimaryKeyRelatedField):
    """A case id the caller may see; any other id is "not found"."""

    def get_queryset(self):
        from ..selectors import case_scope_for

        return case_scope_for(self.context["request"].user)


class FileInSerializer(serializers.Serializer):
    cosigners = serializers.ListField(
        child=serializers.PrimaryKeyRelatedField(queryset=Deputy.objects.only("id", "name")),
        required=False,
        default=list,
        write_only=True,
        help_text=_("Co-signing deputies (附议), with a seat in the same congress"),
    )


class ReasonInSerializer(serializers.Serializer):
    reason = serializers.CharField(allow_blank=True, write_only=True, max_length=checks.NOTE)


class RefuseInSerializer(serializers.Serializer):
    reason = serializers.ChoiceField(choices=Case.RefuseReason.choices, write_only=True)
    note = serializers.CharField(
        required=False,
        allow_blank=True,
        default="",
        write_only=True,
        max_length=checks.limit(Case, "status_note"),
    )


class NoteInSerializer(serializers.Serializer):
    note = serializers.CharField(allow_blank=True, write_only=True, max_length=checks.NOTE)


class OptionalNoteInSerializer(serializers.Serializer):
    note = serializers.CharField(allow_blank=True, required=False, default="", write_only=True)


class MergeInSerializer(serializers.Serializer):
    into = CaseScopedField(
        queryset=Case.objects.none(), write_only=True, help_text=_("The case it duplicates")
    )


class PriorityInSerializer(serializers.Serializer):
    """重点督办: marking needs the 主任会议 (date, name) and who proposed it; lifting needs a note."""

    priority = serializers.BooleanField(default=True, write_only=True)
    note = serializers.CharField(
        required=False,
        allow_blank=True,
        default="",
        write_only=True,
        max_length=checks.limit(SupervisionAction, "note"),
    )
    meeting_date = serializers.DateField(required=False, allow_null=True, default=None, write_only=True)
    meeting_name = serializers.CharField(
        required=False,
        allow_blank=True,
        default="",
        max_length=100,
        write_only=True,
        help_text=_("e.g. 第5次主任会议"),
    )
    proposed_by = serializers.CharField(
        required=False, allow_blank=True, default="", max_length=200, write_only=True
    )


class CosignInSerializer(serializers.Serializer):
    confirm = serializers.BooleanField(write_only=True, help_text=_("true: confirm; false: decline"))


class PriorityListItemSerializer(serializers.Serializer):
    """A row of the year's 重点督办 list: the decision of the 主任会议 and its case."""

    case = serializers.IntegerField(source="case_id")
    number = serializers.CharField(source="case.number", allow_null=True)
    kind = serializers.ChoiceField(source="case.kind", choices=Case.Kind.choices)
    title = serializers.SerializerMethodField()
    congress = CongressRefSerializer(source="case.congress")
    lead_deputy = DeputyRefSerializer(source="case.lead_deputy")
    status = serializers.ChoiceField(source="case.status", choices=Case.Status.choices)
    is_priority = serializers.BooleanField(source="case.is_priority")
    meeting_date = serializers.DateField()
    meeting_name = serializers.CharField()
    proposed_by = serializers.CharField()
    note = serializers.CharField()
    answer_due = serializers.DateField(source="case.answer_due", allow_null=True)

    def get_title(self, decision: SupervisionAction) -> str:
        return redact(decision.case.title, decision.case)


class PriorityListFilterSerializer(serializers.Serializer):
    year = serializers.IntegerField(min_value=2000, max_value=2100, required=False)


class SuperviseInSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(
        choices=SupervisionAction.Kind.choices,
        write_only=True,
        help_text=_("chase, visit or inquiry (priority has its own route)"),
    )
    note = serializers.CharField(
        allow_blank=True, write_only=True, max_length=checks.limit(SupervisionAction, "note")
    )


class FollowUpInSerializer(serializers.Serializer):
    visited_on = serializers.DateField(write_only=True, validators=[checks.validate_past_date])
    wish_met = serializers.BooleanField(write_only=True)
    note = serializers.CharField(
        required=False,
        allow_blank=True,
        default="",
        write_only=True,
        max_length=checks.limit(FollowUpVisit, "note"),
    )


class RateInSerializer(serializers.Serializer):
    value = serializers.ChoiceField(choices=Rating.Value.choices, write_only=True)
    comment = serializers.CharField(
        required=False,
        allow_blank=True,
        default="",
        write_only=True,
        help_text=_("Required when dissatisfied"),
        max_length=checks.limit(Rating, "comment"),
    )


class UploadInSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(
        choices=Document.Kind.choices,
        write_only=True,
        help_text=_("Not handover: hand-over photos come with the delivery of a claim"),
    )
    file = serializers.FileField(write_only=True, help_text=_("JPEG, PNG, WebP or PDF, at most 10 MB"))
    assignment = serializers.IntegerField(
        required=False,
        allow_null=True,
        default=None,
        min_value=1,
        write_only=True,
        help_text=_("A unit's evidence: its assignment on this case"),
    )


# --- public: the published answers --------------------------------------------------------------------------


class PublicAnswerSerializer(serializers.Serializer):
    unit = serializers.CharField(source="assignment.unit.name")
    round = serializers.IntegerField()
    answer_class = serializers.CharField()
    answer_class_label = serializers.SerializerMethodField()
    text = serializers.SerializerMethodField()
    answered_at = serializers.DateTimeField()

    def get_answer_class_label(self, answer: Answer) -> str:
        return self.context["rules_of"](answer.case).answer_class_label(answer.answer_class)

    def get_text(self, answer: Answer) -> str:
        return redact(answer.text, answer.case)


class PublishedCaseSerializer(serializers.Serializer):
    """A published answer: identities removed from every text, no deputy contact, no beneficiary."""

    id = serializers.IntegerField()
    number = serializers.CharField(allow_null=True)
    kind = serializers.ChoiceField(choices=Case.Kind.choices)
    title = serializers.SerializerMethodField()
    content = serializers.SerializerMethodField()
    congress = serializers.CharField(source="congress.name")
    area = serializers.SerializerMethodField()
    lead_deputy = serializers.CharField(source="lead_deputy.name")
    filed_at = serializers.DateTimeField(allow_null=True)
    closed_at = serializers.DateTimeField(allow_null=True)
    published_at = serializers.DateTimeField()
    answers = serializers.SerializerMethodField()

    def get_title(self, case: Case) -> str:
        return redact(case.title, case)

    def get_content(self, case: Case) -> str:
        return redact(case.content, case)

    def get_area(self, case: Case) -> str:
        """The township (never the village)."""
        township = township_of(case.place)
        return township.name if township else ""

    @extend_schema_field(PublicAnswerSerializer(many=True))
    def get_answers(self, case: Case) -> list:
        answers = list(case.answers.all())
        for answer in answers:
            answer.case = case  # the prefetched answers point back to this case without a query
        return PublicAnswerSerializer(answers, many=True, context=self.context).data


class PublishedFilterSerializer(serializers.Serializer):
    q = serializers.CharField(required=False, allow_blank=True, max_length=100)
    congress = IdField(required=False)
