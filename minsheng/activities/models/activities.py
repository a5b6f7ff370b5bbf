"""Deputies' activities (代表活动): research (专题调研), inspections, group activities, meetings with a leader,
briefings, training, reports to voters, going back to the electoral unit, tree planting and the kinds a
congress adds; who takes part and who came (signed in by QR code or marked by staff, or on leave)."""

import secrets

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from minsheng.common import validators as checks
from minsheng.common.models import TimeStampedModel, TransitionsMixin
from minsheng.common.uploads import RandomName


def new_checkin_token() -> str:
    return secrets.token_urlsafe(24)


class ActivityKind(models.Model):
    """A kind of activity. The built-in kinds (`congress` empty) have a `code` the duty record and the points
    know; a congress adds its own (code `custom`)."""

    class Code(models.TextChoices):
        RESEARCH = "research", _("Research on a topic")  # 专题调研
        INSPECTION = "inspection", _("Inspection")  # 集中视察
        GROUP = "group", _("Deputy group activity")  # 代表小组活动
        MEET_LEADER = "meet_leader", _("Meeting with the mayor or another leader")  # 约见市长
        BRIEFING = "briefing", _("Briefing by the government, court and procuratorate")  # 政情通报会
        TRAINING = "training", _("Training")  # 培训
        REPORT = "report", _("Report to voters")  # 述职
        ELECTORAL_UNIT = "electoral_unit", _("Going back to the electoral unit")  # 回选举单位
        PLANTING = "planting", _("Tree planting (deputies' forest)")  # 植树 / 人大代表林
        CUSTOM = "custom", _("Another kind")

    code = models.CharField(_("code"), max_length=20, choices=Code.choices, db_index=True)
    name = models.CharField(_("name"), max_length=50)
    congress = models.ForeignKey(
        "congresses.Congress",
        verbose_name=_("added by congress"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="activity_kinds",
    )
    position = models.PositiveSmallIntegerField(default=100)

    class Meta:
        verbose_name = _("kind of activity")
        verbose_name_plural = _("kinds of activity")
        ordering = ["position", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["code"],
                condition=models.Q(congress__isnull=True),
                name="unique_builtin_activity_kind",
            ),
            models.UniqueConstraint(
                fields=["congress", "name"], name="unique_activity_kind_name_per_congress"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Activity(TransitionsMixin, TimeStampedModel):
    """代表活动: one activity a congress organises, with its participants and outcomes."""

    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        HELD = "held", _("Held")
        CANCELLED = "cancelled", _("Cancelled")

    TRANSITIONS = {
        Status.PLANNED: {Status.HELD, Status.CANCELLED},
        Status.HELD: set(),
        Status.CANCELLED: set(),
    }

    kind = models.ForeignKey(ActivityKind, verbose_name=_("kind"), on_delete=models.PROTECT, related_name="+")
    title = models.CharField(_("title"), max_length=200)
    topic = models.TextField(_("topic"), blank=True, max_length=checks.NOTE)
    congress = models.ForeignKey(
        "congresses.Congress",
        verbose_name=_("organising congress"),
        on_delete=models.PROTECT,
        related_name="activities",
    )
    place = models.ForeignKey(
        "places.Place", verbose_name=_("place"), on_delete=models.PROTECT, related_name="activities"
    )
    location = models.CharField(_("where"), max_length=200)
    station = models.ForeignKey(
        "stations.Station",
        verbose_name=_("liaison station"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="activities",
    )
    starts_at = models.DateTimeField(_("starts at"), db_index=True, validators=[checks.validate_planned_date])
    ends_at = models.DateTimeField(_("ends at"), validators=[checks.validate_planned_date])
    leader = models.CharField(_("leader met"), max_length=100, blank=True)  # 约见市长: whom
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PLANNED, db_index=True
    )
    minutes = models.TextField(_("minutes"), blank=True, max_length=checks.TEXT)
    report = models.FileField(
        _("report"), upload_to=RandomName("activities"), max_length=255, blank=True, default=""
    )
    report_name = models.CharField(max_length=255, blank=True, default="")
    checkin_token = models.CharField(max_length=64, unique=True, default=new_checkin_token, editable=False)
    # Deputies of the organising congress and the congresses below may sign up themselves while this is on.
    signup_open = models.BooleanField(_("open for sign-up"), default=False)
    cases = models.ManyToManyField(
        "cases.Case", blank=True, related_name="activities", verbose_name=_("cases it concerns")
    )
    # The suggestions the activity produced (created from it through `cases.services.case_create`): apart
    # from the cases it concerns, which existed before.
    produced = models.ManyToManyField(
        "cases.Case",
        blank=True,
        related_name="produced_by_activities",
        verbose_name=_("suggestions it produced"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("created by"), on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("activity")
        verbose_name_plural = _("activities")
        ordering = ["-starts_at", "-id"]
        indexes = [models.Index(fields=["congress", "starts_at"], name="activity_congress_time_idx")]
        constraints = [
            models.CheckConstraint(
                name="activity_ends_after_start", condition=models.Q(ends_at__gt=models.F("starts_at"))
            ),
            checks.length_constraint("minutes", checks.TEXT, name="activity_minutes_max_length"),
            checks.length_constraint("topic", checks.NOTE, name="activity_topic_max_length"),
        ]

    def __str__(self) -> str:
        return f"{self.title} {timezone.localtime(self.starts_at):%Y-%m-%d}"


class Participation(TimeStampedModel):
    """A deputy in an activity: invited by staff or signed up, then present (by QR code on a phone, or marked
    by staff), on leave (请假, with a reason) or absent. One row per deputy and activity: a deputy with seats at
    two levels takes part once."""

    class Status(models.TextChoices):
        INVITED = "invited", _("Invited")
        SIGNED_UP = "signed_up", _("Signed up")
        PRESENT = "present", _("Present")
        LEAVE = "leave", _("On leave")
        ABSENT = "absent", _("Absent")

    class Method(models.TextChoices):
        QR = "qr", _("Signed in by QR code")
        STAFF = "staff", _("Marked by staff")

    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="participations")
    deputy = models.ForeignKey("deputies.Deputy", on_delete=models.PROTECT, related_name="participations")
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.INVITED, db_index=True
    )
    checked_in_at = models.DateTimeField(_("signed in at"), null=True, blank=True)
    method = models.CharField(_("how attendance was taken"), max_length=5, choices=Method.choices, blank=True)
    leave_reason = models.CharField(_("reason for leave"), max_length=200, blank=True)
    # 培训: attended in full or in part (the points give 10 or 5).
    in_full = models.BooleanField(_("attended in full"), default=True)

    class Meta:
        verbose_name = _("participation")
        verbose_name_plural = _("participations")
        ordering = ["activity", "deputy__name_sort"]
        constraints = [
            models.UniqueConstraint(fields=["activity", "deputy"], name="one_participation_per_deputy"),
            models.CheckConstraint(
                name="participation_leave_has_reason",
                condition=~models.Q(status="leave") | ~models.Q(leave_reason=""),
            ),
        ]
        indexes = [models.Index(fields=["deputy", "status"], name="participation_deputy_idx")]

    def __str__(self) -> str:
        return f"{self.deputy} @ {self.activity}"


class ActivityPhoto(models.Model):
    """A photo of an activity, re-encoded by `common.uploads`; `sha256` of the stored bytes finds the same
    photo used for different activities."""

    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="photos")
    file = models.FileField(_("photo"), upload_to=RandomName("activities"), max_length=255)
    original_name = models.CharField(max_length=255, blank=True)
    sha256 = models.CharField(max_length=64, db_index=True)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("photo")
        verbose_name_plural = _("photos")
        ordering = ["activity", "id"]
        constraints = [models.UniqueConstraint(fields=["activity", "sha256"], name="unique_activity_photo")]

    def __str__(self) -> str:
        return self.original_name or self.file.name


class ActivityConcern(models.Model):
    """What else an activity concerns besides cases (a livelihood project): a generic link, because this wing
    may not import `projects` (the floors); `insights` reads both."""

    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="concerns")
    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE)
    object_id = models.PositiveBigIntegerField()
    target = GenericForeignKey("content_type", "object_id")

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["activity", "content_type", "object_id"], name="unique_activity_concern"
            )
        ]

    def __str__(self) -> str:
        return f"{self.activity_id} → {self.content_type_id}:{self.object_id}"
