"""Cases: 微心愿 (wish), 民生微实事 (micro-project) and 代表建议 (suggestion) share one workflow.

The legal moves of a case are `Case.TRANSITIONS`; kind-specific rules (a wish needs a home verification before it is
filed, a wish may go on the wall, caps) are `KIND_RULES` and the congress's `CaseRules`, never copies of the code.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from minsheng.common import validators as checks
from minsheng.common.crypto import EncryptedCharField
from minsheng.common.models import TimeStampedModel, TransitionsMixin
from minsheng.common.privacy import mask_id_number, mask_mobile, mask_name
from minsheng.common.reminders import ReminderKind
from minsheng.common.uploads import RandomName


class CaseRules(models.Model):
    """A congress's own rules for cases. Missing fields fall back to settings.MINSHENG["CASE_RULES"]; the law's
    defaults are there (5 working days to assign, 3/6 months to answer, ...)."""

    congress = models.OneToOneField(
        "congresses.Congress", verbose_name=_("congress"), on_delete=models.CASCADE, related_name="case_rules"
    )
    wish_cap = models.DecimalField(
        _("cap per wish (yuan)"), max_digits=10, decimal_places=2, null=True, blank=True
    )
    one_open_wish_per_household = models.BooleanField(_("one open wish per household"), null=True, blank=True)
    micro_project_cap = models.DecimalField(
        _("cap per micro-project (yuan)"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    assign_working_days = models.PositiveSmallIntegerField(_("working days to assign"), null=True, blank=True)
    answer_months = models.PositiveSmallIntegerField(_("months to answer"), null=True, blank=True)
    hard_answer_months = models.PositiveSmallIntegerField(
        _("months to answer a hard case"), null=True, blank=True
    )
    assisting_opinion_months = models.PositiveSmallIntegerField(
        _("months for an assisting unit's opinion"), null=True, blank=True
    )
    reassign_request_working_days = models.PositiveSmallIntegerField(
        _("working days to ask for reassignment"), null=True, blank=True
    )
    reanswer_months = models.PositiveSmallIntegerField(_("months to answer again"), null=True, blank=True)
    publish_working_days = models.PositiveSmallIntegerField(
        _("working days to publish"), null=True, blank=True
    )
    answer_classes = models.JSONField(_("answer classes"), null=True, blank=True)
    rating_months = models.PositiveSmallIntegerField(
        _("months for the deputy to rate"), null=True, blank=True
    )
    implemented_classes = models.JSONField(
        _("answer classes that count as implemented (落实)"), null=True, blank=True
    )

    class Meta:
        verbose_name = _("case rules")
        verbose_name_plural = _("case rules")

    def __str__(self) -> str:
        return str(self.congress)


class Case(TransitionsMixin, TimeStampedModel):
    class Kind(models.TextChoices):
        WISH = "wish", _("Micro-wish")
        MICRO_PROJECT = "micro_project", _("Micro-project")
        SUGGESTION = "suggestion", _("Suggestion")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        FILED = "filed", _("Filed")
        RETURNED = "returned", _("Returned for revision")
        REFUSED = "refused", _("Not accepted")
        ACCEPTED = "accepted", _("Accepted")
        ASSIGNED = "assigned", _("Assigned")
        ANSWERED = "answered", _("Answered")
        DISSATISFIED = "dissatisfied", _("Dissatisfied: to reassign")
        CLOSED = "closed", _("Closed")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    class Category(models.TextChoices):
        NONE = "", _("—")
        MATERIAL = "material", _("Material")
        SERVICE = "service", _("Service or spiritual")

    class RefuseReason(models.TextChoices):
        OUT_OF_REMIT = "out_of_remit", _("Outside the congress's remit")
        LITIGATION = "litigation", _("In litigation, arbitration or administrative review")
        PETITION = "petition", _("A petition (信访) or complaint matter")
        PERSONAL = "personal", _("The deputy's personal matter")
        NO_CONTENT = "no_content", _("No concrete content")
        DUPLICATE = "duplicate", _("Duplicate")

    S = Status
    TRANSITIONS = {
        S.DRAFT: {S.FILED, S.WITHDRAWN},
        S.FILED: {S.ACCEPTED, S.REFUSED, S.RETURNED, S.WITHDRAWN},
        S.RETURNED: {S.FILED, S.WITHDRAWN},
        S.ACCEPTED: {S.ASSIGNED, S.WITHDRAWN},
        S.ASSIGNED: {S.ANSWERED, S.WITHDRAWN},
        S.ANSWERED: {S.CLOSED, S.DISSATISFIED, S.WITHDRAWN},
        S.DISSATISFIED: {S.ASSIGNED, S.CLOSED, S.WITHDRAWN},
        S.REFUSED: set(),
        S.CLOSED: set(),
        S.WITHDRAWN: set(),
    }
    OPEN_STATUSES = (S.DRAFT, S.FILED, S.RETURNED, S.ACCEPTED, S.ASSIGNED, S.ANSWERED, S.DISSATISFIED)

    number = models.CharField(_("case number"), max_length=20, unique=True, null=True, blank=True)
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices, db_index=True)
    title = models.CharField(_("title"), max_length=200)
    content = models.TextField(_("content"), max_length=checks.TEXT)
    category = models.CharField(
        _("category"), max_length=10, choices=Category.choices, blank=True, default=""
    )
    amount = models.DecimalField(
        _("estimated value or budget (yuan)"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    congress = models.ForeignKey(
        "congresses.Congress", verbose_name=_("congress"), on_delete=models.PROTECT, related_name="cases"
    )
    lead_deputy = models.ForeignKey(
        "deputies.Deputy", verbose_name=_("lead deputy"), on_delete=models.PROTECT, related_name="led_cases"
    )
    cosigners = models.ManyToManyField(
        "deputies.Deputy", through="Cosigner", related_name="cosigned_cases", verbose_name=_("co-signers")
    )
    place = models.ForeignKey(
        "places.Place", verbose_name=_("place"), on_delete=models.PROTECT, related_name="+"
    )
    station = models.ForeignKey(
        "stations.Station",
        verbose_name=_("collected at"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="cases",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("recorded by"), on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField(
        _("status"), max_length=14, choices=Status.choices, default=Status.DRAFT, db_index=True
    )
    round = models.PositiveSmallIntegerField(_("handling round"), default=1)
    is_hard = models.BooleanField(_("broad or hard"), default=False)
    is_priority = models.BooleanField(_("priority supervision"), default=False, db_index=True)
    refuse_reason = models.CharField(
        _("reason for not accepting"), max_length=20, choices=RefuseReason.choices, blank=True
    )
    status_note = models.TextField(_("note on the last decision"), blank=True, max_length=checks.NOTE)
    merged_into = models.ForeignKey(
        "self",
        verbose_name=_("merged into"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="merged",
    )
    verified_at = models.DateTimeField(_("verified at"), null=True, blank=True)
    filed_at = models.DateTimeField(_("filed at"), null=True, blank=True, db_index=True)
    assign_due = models.DateField(_("assign by"), null=True, blank=True)
    # A working-day deadline counted on a provisional year's calendar (minsheng.common.workdays): marked where
    # shown, recomputed when the year's official schedule is entered (minsheng.cases.deadlines).
    assign_due_provisional = models.BooleanField(_("assign-by date is provisional"), default=False)
    assigned_at = models.DateTimeField(_("assigned at"), null=True, blank=True)
    answer_due = models.DateField(_("answer by"), null=True, blank=True, db_index=True)
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    publish_due = models.DateField(_("publish by"), null=True, blank=True)
    publish_due_provisional = models.BooleanField(_("publish-by date is provisional"), default=False)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    public_summary = models.CharField(
        _("what the wish wall shows"),
        max_length=200,
        blank=True,
        help_text=_("The need in a few words, without anything that identifies the family."),
    )
    on_wall_at = models.DateTimeField(_("on the wish wall since"), null=True, blank=True)
    realised_at = models.DateTimeField(_("realised at"), null=True, blank=True)
    realised_by_unit = models.ForeignKey(
        "units.Unit",
        verbose_name=_("realised by the unit (政府兜底)"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    search_text = models.TextField(editable=False, blank=True, default="", max_length=checks.DERIVED_TEXT)
    rating_due = models.DateField(_("rate by"), null=True, blank=True)
    closed_unrated = models.BooleanField(_("closed as not rated (未反馈)"), default=False)

    class Meta:
        verbose_name = _("case")
        verbose_name_plural = _("cases")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["congress", "status"], name="case_congress_status_idx"),
            models.Index(fields=["status", "answer_due"], name="case_status_due_idx"),
            models.Index(fields=["kind", "on_wall_at"], name="case_wall_idx"),
            # The published answers (/cases/answers/, selectors.published_list), newest first: a partial index
            # of the few published cases, in the page's order, so the page reads 25 entries of it and counts
            # the rest from it, instead of a parallel scan of every case (2.8 s at 1,000,000 cases, issue 13).
            models.Index(
                fields=["-published_at", "-id"],
                name="case_published_idx",
                condition=models.Q(published_at__isnull=False),
            ),
        ]
        constraints = [
            checks.length_constraint("content", checks.TEXT, name="case_content_max_length"),
            checks.length_constraint("status_note", checks.NOTE, name="case_status_note_max_length"),
            checks.length_constraint("search_text", checks.DERIVED_TEXT, name="case_search_text_max_length"),
            models.CheckConstraint(name="case_amount_not_negative", condition=models.Q(amount__gte=0)),
        ]

    def __str__(self) -> str:
        return f"{self.number or _('(draft)')} {self.title}"

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN_STATUSES

    @property
    def rules(self) -> "KindRules":
        return KIND_RULES[self.kind]

    def rating_overdue(self, today) -> bool:
        """Answered, the lead deputy has not rated, and the rating deadline is before `today`: staff may
        close the case as 未反馈 (`services.case_close_unrated`)."""
        return self.status == self.Status.ANSWERED and self.rating_due is not None and self.rating_due < today


class KindRules:
    """What differs between the kinds of case: configuration, read by the services."""

    def __init__(
        self, *, has_beneficiary: bool, needs_verification: bool, claimable: bool, cap_rule: str | None
    ):
        self.has_beneficiary = has_beneficiary
        self.needs_verification = needs_verification
        self.claimable = claimable
        self.cap_rule = cap_rule


KIND_RULES = {
    Case.Kind.WISH: KindRules(
        has_beneficiary=True, needs_verification=True, claimable=True, cap_rule="wish_cap"
    ),
    Case.Kind.MICRO_PROJECT: KindRules(
        has_beneficiary=False, needs_verification=False, claimable=False, cap_rule="micro_project_cap"
    ),
    Case.Kind.SUGGESTION: KindRules(
        has_beneficiary=False, needs_verification=False, claimable=False, cap_rule=None
    ),
}


class Cosigner(models.Model):
    """附议代表: a deputy named as co-signer confirms (or declines); once confirmed, he or she is answered and
    asked for a rating like the lead deputy. A declined name stays as a row (status declined, with the time)
    and no longer counts as a co-signer anywhere."""

    class Status(models.TextChoices):
        INVITED = "invited", _("Invited, not yet confirmed")
        CONFIRMED = "confirmed", _("Confirmed")
        DECLINED = "declined", _("Declined")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="cosigner_links")
    deputy = models.ForeignKey("deputies.Deputy", on_delete=models.PROTECT, related_name="+")
    added_at = models.DateTimeField(auto_now_add=True)
    status = models.CharField(
        _("co-signing"), max_length=10, choices=Status.choices, default=Status.INVITED, db_index=True
    )
    responded_at = models.DateTimeField(_("confirmed or declined at"), null=True, blank=True)

    class Meta:
        verbose_name = _("co-signer")
        verbose_name_plural = _("co-signers")
        constraints = [models.UniqueConstraint(fields=["case", "deputy"], name="unique_case_cosigner")]

    def __str__(self) -> str:
        return str(self.deputy)


class Beneficiary(models.Model):
    """受助对象 of a wish: a household or an individual. Everything that identifies them is encrypted and shown
    only through `minsheng.cases.privacy`."""

    class Kind(models.TextChoices):
        HOUSEHOLD = "household", _("Household")
        INDIVIDUAL = "individual", _("Individual")

    class Group(models.TextChoices):
        SUBSISTENCE = "subsistence", _("Subsistence allowance or extreme poverty (低保/特困)")
        ELDERLY_ALONE = "elderly_alone", _("Elderly person living alone")
        CHILD = "child", _("Left-behind or vulnerable child")
        DISABLED = "disabled", _("Person with a disability")
        OTHER = "other", _("Other hardship")

    case = models.OneToOneField(Case, on_delete=models.CASCADE, related_name="beneficiary")
    kind = models.CharField(_("beneficiary"), max_length=10, choices=Kind.choices)
    group = models.CharField(_("group"), max_length=14, choices=Group.choices)
    name = EncryptedCharField(_("name"), max_length=50)
    id_number = EncryptedCharField(_("ID number"), blank=True, default="", max_length=30)
    household_index = models.CharField(max_length=64, db_index=True, blank=True, editable=False)
    phone = EncryptedCharField(_("phone"), blank=True, default="", max_length=20)
    address = EncryptedCharField(_("address"), max_length=200)

    class Meta:
        verbose_name = _("beneficiary")
        verbose_name_plural = _("beneficiaries")
        constraints = [
            checks.encrypted_length_constraint("name", 50, name="beneficiary_name_max_length"),
            checks.encrypted_length_constraint("id_number", 30, name="beneficiary_id_number_max_length"),
            checks.encrypted_length_constraint("phone", 20, name="beneficiary_phone_max_length"),
            checks.encrypted_length_constraint("address", 200, name="beneficiary_address_max_length"),
        ]

    def __str__(self) -> str:
        return mask_name(self.name)

    @property
    def masked(self) -> dict:
        return {
            "name": mask_name(self.name),
            "id_number": mask_id_number(self.id_number),
            "phone": mask_mobile(self.phone),
            "address": "***",
        }


class HomeVerification(models.Model):
    """入户核实: the home visit that confirms a wish."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="verifications")
    visited_on = models.DateField(_("visited on"), validators=[checks.validate_past_date])
    visitors = models.CharField(_("who visited"), max_length=200)
    findings = models.TextField(_("findings"), max_length=checks.TEXT)
    confirmed = models.BooleanField(_("need confirmed"))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("home verification")
        verbose_name_plural = _("home verifications")
        ordering = ["-recorded_at"]
        constraints = [
            checks.length_constraint("findings", checks.TEXT, name="homeverification_findings_max_length")
        ]

    def __str__(self) -> str:
        return f"{self.case_id} {self.visited_on}"


class Assignment(TransitionsMixin, TimeStampedModel):
    """交办: one unit's part of a case in one handling round (主办, 协办 or 分办)."""

    class Role(models.TextChoices):
        LEAD = "lead", _("Lead unit")
        ASSISTING = "assisting", _("Assisting unit")
        SPLIT = "split", _("Split handling")

    class Status(models.TextChoices):
        PENDING = "pending", _("Awaiting acknowledgement")
        HANDLING = "handling", _("Handling")
        REASSIGN_REQUESTED = "reassign_requested", _("Reassignment requested")
        ANSWERED = "answered", _("Answered")
        REMOVED = "removed", _("Reassigned away")

    A = Status
    TRANSITIONS = {
        A.PENDING: {A.HANDLING, A.REASSIGN_REQUESTED, A.REMOVED},
        A.HANDLING: {A.ANSWERED, A.REASSIGN_REQUESTED, A.REMOVED},
        A.REASSIGN_REQUESTED: {A.HANDLING, A.REMOVED},
        A.ANSWERED: set(),
        A.REMOVED: set(),
    }
    LIVE = (A.PENDING, A.HANDLING, A.REASSIGN_REQUESTED)

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="assignments")
    unit = models.ForeignKey(
        "units.Unit", verbose_name=_("unit"), on_delete=models.PROTECT, related_name="assignments"
    )
    role = models.CharField(_("role"), max_length=10, choices=Role.choices)
    round = models.PositiveSmallIntegerField(_("handling round"), default=1)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.PENDING, db_index=True
    )
    answer_due = models.DateField(_("answer by"), db_index=True)
    opinion_due = models.DateField(_("opinion to the lead unit by"), null=True, blank=True)
    reassign_request_due = models.DateField(_("reassignment may be asked until"))
    reassign_request_due_provisional = models.BooleanField(
        _("reassignment date is provisional"), default=False
    )
    acknowledged_at = models.DateTimeField(_("acknowledged at"), null=True, blank=True)
    opinion = models.TextField(_("assisting opinion"), blank=True, max_length=checks.TEXT)
    opinion_at = models.DateTimeField(_("opinion sent at"), null=True, blank=True)

    class Meta:
        verbose_name = _("assignment")
        verbose_name_plural = _("assignments")
        ordering = ["case", "round", "role", "id"]
        constraints = [
            checks.length_constraint("opinion", checks.TEXT, name="assignment_opinion_max_length"),
            models.UniqueConstraint(fields=["case", "unit", "round"], name="unique_assignment_per_round"),
            models.UniqueConstraint(
                fields=["case", "round"],
                condition=models.Q(role="lead") & ~models.Q(status="removed"),
                name="one_lead_unit_per_round",
            ),
        ]
        indexes = [
            models.Index(fields=["unit", "status"], name="assignment_unit_status_idx"),
            # The unit's inbox, in its order (answer_due, id): a range scan of the unit's parts instead of a
            # walk of every unit's answer dates (366 ms → 6 ms for a status filter's 12th page at 1 M cases).
            models.Index(fields=["unit", "answer_due", "id"], name="assignment_unit_due_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.case_id} → {self.unit}"

    @property
    def answers_the_case(self) -> bool:
        """The lead unit answers the case; under split handling each unit answers its own part."""
        return self.role in (self.Role.LEAD, self.Role.SPLIT)


class ReassignmentRequest(models.Model):
    """申请调整: a unit says the case is not its business; staff reassign or confirm."""

    class Decision(models.TextChoices):
        PENDING = "pending", _("Pending")
        REASSIGNED = "reassigned", _("Reassigned")
        CONFIRMED = "confirmed", _("Assignment confirmed")

    assignment = models.ForeignKey(Assignment, on_delete=models.CASCADE, related_name="reassignment_requests")
    reason = models.TextField(_("reason"), max_length=checks.NOTE)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField(auto_now_add=True)
    decision = models.CharField(
        _("decision"), max_length=12, choices=Decision.choices, default=Decision.PENDING
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.TextField(_("note"), blank=True, max_length=checks.NOTE)

    class Meta:
        verbose_name = _("reassignment request")
        verbose_name_plural = _("reassignment requests")
        ordering = ["-requested_at"]
        constraints = [
            checks.length_constraint("reason", checks.NOTE, name="reassignment_reason_max_length"),
            checks.length_constraint(
                "decision_note", checks.NOTE, name="reassignment_decision_note_max_length"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.assignment} ({self.get_decision_display()})"


class ExtensionRequest(models.Model):
    """延期: a unit asks, before its answer deadline and with reasons, for a later one; staff grant (possibly
    another date within the cap of `rules.extension_cap`) or refuse, with a note. One pending request per
    assignment (database constraint)."""

    class Decision(models.TextChoices):
        PENDING = "pending", _("Pending")
        GRANTED = "granted", _("Granted")
        REFUSED = "refused", _("Refused")

    assignment = models.ForeignKey(Assignment, on_delete=models.CASCADE, related_name="extension_requests")
    reason = models.TextField(_("reasons"), max_length=checks.NOTE)
    previous_due = models.DateField(_("answer was due"))
    requested_due = models.DateField(
        _("new answer date asked for"), validators=[checks.validate_planned_date]
    )
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField(auto_now_add=True)
    decision = models.CharField(
        _("decision"), max_length=10, choices=Decision.choices, default=Decision.PENDING, db_index=True
    )
    granted_due = models.DateField(
        _("new answer date granted"), null=True, blank=True, validators=[checks.validate_planned_date]
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.TextField(_("note"), blank=True, max_length=checks.NOTE)

    class Meta:
        verbose_name = _("extension request")
        verbose_name_plural = _("extension requests")
        ordering = ["-requested_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["assignment"],
                condition=models.Q(decision="pending"),
                name="one_pending_extension_per_assignment",
            ),
            checks.length_constraint("reason", checks.NOTE, name="extension_reason_max_length"),
            checks.length_constraint("decision_note", checks.NOTE, name="extension_decision_note_max_length"),
        ]

    def __str__(self) -> str:
        return f"{self.assignment} → {self.requested_due} ({self.get_decision_display()})"


class HandlingRecord(models.Model):
    """办理: a unit's progress note or contact with the deputies (见面 / 电话 / 座谈)."""

    class Kind(models.TextChoices):
        PROGRESS = "progress", _("Progress")
        MEETING = "meeting", _("Met the deputy")
        PHONE = "phone", _("Phoned the deputy")
        FORUM = "forum", _("Forum with deputies")

    assignment = models.ForeignKey(Assignment, on_delete=models.CASCADE, related_name="records")
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    happened_on = models.DateField(_("date"), validators=[checks.validate_past_date])
    note = models.TextField(_("note"), max_length=checks.NOTE)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("handling record")
        verbose_name_plural = _("handling records")
        ordering = ["-happened_on", "-id"]
        constraints = [checks.length_constraint("note", checks.NOTE, name="handlingrecord_note_max_length")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.happened_on}"


class Document(models.Model):
    """A file of a case: photos taken when collecting, evidence of handling, hand-over photos. Never public:
    files may show faces and addresses."""

    class Kind(models.TextChoices):
        PHOTO = "photo", _("Photo")
        EVIDENCE = "evidence", _("Evidence of handling")
        HANDOVER = "handover", _("Hand-over photo")
        WITHDRAWAL = "withdrawal", _("Written withdrawal")
        OTHER = "other", _("Other")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="documents")
    assignment = models.ForeignKey(
        Assignment, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    claim = models.ForeignKey(
        "Claim", null=True, blank=True, on_delete=models.SET_NULL, related_name="photos"
    )
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    file = models.FileField(_("file"), upload_to=RandomName("cases"), max_length=255)
    original_name = models.CharField(_("file name"), max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("document")
        verbose_name_plural = _("documents")
        ordering = ["uploaded_at", "id"]

    def __str__(self) -> str:
        return self.original_name


class Answer(models.Model):
    """答复: a unit's written answer, signed by its head (签发人), with its class (A–D by default), and what
    the printed answer letter (答复函) carries besides: the unit's document number (文号), whether the
    answer is published (公开属性) and whom the deputies call about it (联系人, 联系电话)."""

    class Disclosure(models.TextChoices):
        ACTIVE = "active", _("Published on the unit's initiative (主动公开)")
        ON_REQUEST = "on_request", _("Disclosed on request (依申请公开)")
        NOT_PUBLIC = "not_public", _("Not disclosed (不予公开)")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="answers")
    assignment = models.OneToOneField(Assignment, on_delete=models.PROTECT, related_name="answer")
    round = models.PositiveSmallIntegerField(_("handling round"))
    answer_class = models.CharField(_("answer class"), max_length=4)
    text = models.TextField(_("answer"), max_length=checks.LONG_TEXT)
    signed_by = models.CharField(_("signed by (head of the unit)"), max_length=50)
    document_number = models.CharField(_("document number (文号)"), max_length=50, blank=True, default="")
    disclosure = models.CharField(
        _("disclosure (公开属性)"), max_length=12, choices=Disclosure.choices, default=Disclosure.ACTIVE
    )
    contact_name = models.CharField(_("contact person"), max_length=50, blank=True, default="")
    contact_phone = models.CharField(_("contact telephone"), max_length=30, blank=True, default="")
    answered_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    answered_at = models.DateTimeField(_("answered at"))
    on_time = models.BooleanField(_("answered on time"))

    class Meta:
        verbose_name = _("answer")
        verbose_name_plural = _("answers")
        ordering = ["round", "answered_at"]
        constraints = [checks.length_constraint("text", checks.LONG_TEXT, name="answer_text_max_length")]

    def __str__(self) -> str:
        return f"{self.case_id} {self.answer_class}"


class Rating(models.Model):
    """A deputy's view of the answer of one round: 满意 / 基本满意 / 不满意."""

    class Value(models.TextChoices):
        SATISFIED = "satisfied", _("Satisfied")
        MOSTLY_SATISFIED = "mostly", _("Mostly satisfied")
        DISSATISFIED = "dissatisfied", _("Dissatisfied")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="ratings")
    deputy = models.ForeignKey("deputies.Deputy", on_delete=models.PROTECT, related_name="+")
    round = models.PositiveSmallIntegerField(_("handling round"))
    value = models.CharField(_("rating"), max_length=12, choices=Value.choices)
    comment = models.TextField(_("comment"), blank=True, max_length=checks.NOTE)
    rated_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("rating")
        verbose_name_plural = _("ratings")
        constraints = [
            checks.length_constraint("comment", checks.NOTE, name="rating_comment_max_length"),
            models.UniqueConstraint(
                fields=["case", "deputy", "round"], name="one_rating_per_deputy_and_round"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.case_id} {self.get_value_display()}"


class FollowUpVisit(models.Model):
    """回访: asking the family whether the wish was met."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="follow_ups")
    visited_on = models.DateField(_("visited on"), validators=[checks.validate_past_date])
    wish_met = models.BooleanField(_("wish met"))
    note = models.TextField(_("note"), blank=True, max_length=checks.NOTE)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("follow-up visit")
        verbose_name_plural = _("follow-up visits")
        constraints = [checks.length_constraint("note", checks.NOTE, name="followup_note_max_length")]

    def __str__(self) -> str:
        return f"{self.case_id} {self.visited_on}"


class SupervisionAction(models.Model):
    """督办: what staff did to push a case (催办, a visit, a 专题询问, marking it 重点督办)."""

    class Kind(models.TextChoices):
        CHASE = "chase", _("Chase")
        VISIT = "visit", _("Visit")
        INQUIRY = "inquiry", _("Inquiry")
        PRIORITY = "priority", _("Marked for priority supervision")
        LIFTED = "lifted", _("Priority supervision lifted")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="supervision")
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    note = models.TextField(_("note"), blank=True, max_length=checks.NOTE)
    # 重点督办 is decided by the 主任会议: the meeting (date and name) and who proposed it, on a PRIORITY row.
    meeting_date = models.DateField(
        _("date of the meeting"), null=True, blank=True, db_index=True, validators=[checks.validate_past_date]
    )
    meeting_name = models.CharField(_("meeting"), max_length=100, blank=True)
    proposed_by = models.CharField(_("proposed by"), max_length=200, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("supervision action")
        verbose_name_plural = _("supervision actions")
        ordering = ["-recorded_at"]
        constraints = [checks.length_constraint("note", checks.NOTE, name="supervision_note_max_length")]

    def __str__(self) -> str:
        return f"{self.case_id} {self.get_kind_display()}"


class Claim(TransitionsMixin, TimeStampedModel):
    """认领 / 认捐: a verified donor takes a wish whole, or pledges a share of its value."""

    class Kind(models.TextChoices):
        WHOLE = "whole", _("Whole wish")
        SHARE = "share", _("Pledged share")

    class Status(models.TextChoices):
        LIVE = "live", _("Claimed")
        DELIVERED = "delivered", _("Delivered")
        CONFIRMED = "confirmed", _("Delivery confirmed")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    C = Status
    TRANSITIONS = {
        C.LIVE: {C.DELIVERED, C.WITHDRAWN},
        C.DELIVERED: {C.CONFIRMED},
        C.CONFIRMED: set(),
        C.WITHDRAWN: set(),
    }
    HOLDING = (C.LIVE, C.DELIVERED, C.CONFIRMED)

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="claims")
    donor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="claims")
    kind = models.CharField(_("kind"), max_length=6, choices=Kind.choices)
    amount = models.DecimalField(_("amount (yuan)"), max_digits=10, decimal_places=2)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.LIVE, db_index=True
    )
    withdraw_reason = models.TextField(_("reason for withdrawing"), blank=True, max_length=checks.NOTE)
    delivered_at = models.DateTimeField(_("delivered at"), null=True, blank=True)
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("claim")
        verbose_name_plural = _("claims")
        ordering = ["-created_at"]
        constraints = [
            checks.length_constraint("withdraw_reason", checks.NOTE, name="claim_withdraw_reason_max_length"),
            # One live whole claim per wish, whatever the application does.
            models.UniqueConstraint(
                fields=["case"],
                condition=models.Q(kind="whole", status__in=["live", "delivered", "confirmed"]),
                name="one_live_whole_claim_per_wish",
            ),
            models.CheckConstraint(name="claim_amount_positive", condition=models.Q(amount__gt=0)),
        ]

    def __str__(self) -> str:
        return f"{self.case_id} {self.get_kind_display()} {self.amount}"


class ReminderLog(models.Model):
    """A reminder that went out. The unique key makes a retried job skip what it already sent."""

    Kind = ReminderKind

    assignment = models.ForeignKey(Assignment, on_delete=models.CASCADE, related_name="reminders")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    due_date = models.DateField()
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("reminder")
        verbose_name_plural = _("reminders")
        constraints = [
            models.UniqueConstraint(
                fields=["assignment", "kind", "due_date"], name="one_reminder_per_due_date"
            )
        ]

    def __str__(self) -> str:
        return f"{self.assignment_id} {self.kind} {self.due_date}"


class RatingReminderLog(models.Model):
    """A reminder to the deputies to rate an answer (T−7 and on the day of `Case.rating_due`). The unique
    key makes a retried job skip what it already sent."""

    Kind = ReminderKind

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="rating_reminders")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    due_date = models.DateField()
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("rating reminder")
        verbose_name_plural = _("rating reminders")
        constraints = [
            models.UniqueConstraint(
                fields=["case", "kind", "due_date"], name="one_rating_reminder_per_due_date"
            )
        ]

    def __str__(self) -> str:
        return f"{self.case_id} {self.kind} {self.due_date}"
