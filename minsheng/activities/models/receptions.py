"""Receptions (接待) at the liaison stations: the days a station schedules (接待日), the receptions held, and
each matter raised followed to an answer and the visitor told ("登记、交办、办理、答复四到位")."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from minsheng.common import validators as checks
from minsheng.common.crypto import EncryptedCharField
from minsheng.common.models import TimeStampedModel, TransitionsMixin


class Reception(TimeStampedModel):
    """接待: deputies meet citizens at a liaison station between sessions. The contact visitor's name and phone
    are personal data: encrypted at rest and shown only through `selectors.visitor_contact` (full to those
    allowed by `activities.view_visitor`, masked to the other readers of the log, never in exports or public
    pages)."""

    class Category(models.TextChoices):
        SOCIAL_SECURITY = "social_security", _("Social security")
        URBAN_RURAL = "urban_rural", _("Urban and rural construction")
        EDUCATION = "education", _("Education")
        HEALTH = "health", _("Health care")
        TRANSPORT = "transport", _("Transport")
        ENVIRONMENT = "environment", _("Environment")
        OTHER = "other", _("Other")

    class Outcome(models.TextChoices):
        ANSWERED = "answered", _("Answered on the spot")
        REFERRED = "referred", _("Referred to a unit")
        CASE = "case", _("Recorded as a case")
        NONE = "none", _("Nothing further")

    station = models.ForeignKey(
        "stations.Station",
        verbose_name=_("liaison station"),
        on_delete=models.PROTECT,
        related_name="receptions",
    )
    received_at = models.DateTimeField(
        _("received at"), db_index=True, validators=[checks.validate_past_date]
    )
    deputies = models.ManyToManyField(
        "deputies.Deputy",
        related_name="receptions",
        verbose_name=_("deputies who received"),
        db_table="stations_reception_deputies",  # the table it had in stations
    )
    visitor_count = models.PositiveSmallIntegerField(_("number of visitors"), default=1)
    contact_name = EncryptedCharField(_("contact visitor's name"), blank=True, default="", max_length=50)
    contact_phone = EncryptedCharField(_("contact visitor's phone"), blank=True, default="", max_length=20)
    matter = models.TextField(_("matter"), max_length=checks.TEXT)
    category = models.CharField(_("category"), max_length=20, choices=Category.choices)
    outcome = models.CharField(_("how it was dealt with"), max_length=10, choices=Outcome.choices)
    referred_to = models.ForeignKey(
        "units.Unit",
        verbose_name=_("referred to"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    outcome_note = models.TextField(_("note on how it was dealt with"), blank=True, max_length=checks.NOTE)
    case = models.ForeignKey(
        "cases.Case",
        verbose_name=_("the case it became"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="receptions",
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("recorded by"), on_delete=models.PROTECT, related_name="+"
    )
    reception_day = models.ForeignKey(
        "activities.ReceptionDay",
        verbose_name=_("reception day"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="receptions",
    )
    archived_at = models.DateTimeField(_("archived at"), null=True, blank=True, db_index=True)

    class Meta:
        db_table = "stations_reception"  # the table it had when receptions lived in stations
        verbose_name = _("reception")
        verbose_name_plural = _("receptions")
        ordering = ["-received_at", "-id"]
        indexes = [models.Index(fields=["station", "received_at"], name="reception_station_time_idx")]
        constraints = [
            checks.encrypted_length_constraint("contact_name", 50, name="reception_contact_name_max_length"),
            checks.encrypted_length_constraint(
                "contact_phone", 20, name="reception_contact_phone_max_length"
            ),
            checks.length_constraint("matter", checks.TEXT, name="reception_matter_max_length"),
            checks.length_constraint("outcome_note", checks.NOTE, name="reception_outcome_note_max_length"),
            models.CheckConstraint(name="reception_has_visitors", condition=models.Q(visitor_count__gte=1)),
            models.CheckConstraint(
                name="reception_referred_has_unit",
                condition=(models.Q(outcome="referred") & models.Q(referred_to__isnull=False))
                | (~models.Q(outcome="referred") & models.Q(referred_to__isnull=True)),
            ),
        ]

    def __str__(self) -> str:
        # Never the visitor: this is what the audit trail stores as the target's name.
        return f"{self.station} {timezone.localtime(self.received_at):%Y-%m-%d %H:%M}"


class ReceptionDay(TimeStampedModel):
    """接待日: a day (and hours) a station receives citizens with the deputies on duty, scheduled ahead and
    published on the station's public page (`settings.MINSHENG_RECEPTION_DAY_NOTICE_DAYS` ahead at least)."""

    station = models.ForeignKey(
        "stations.Station",
        verbose_name=_("liaison station"),
        on_delete=models.PROTECT,
        related_name="reception_days",
    )
    day = models.DateField(_("day"), db_index=True, validators=[checks.validate_planned_date])
    starts_at = models.TimeField(_("from"))
    ends_at = models.TimeField(_("until"))
    deputies = models.ManyToManyField(
        "deputies.Deputy", related_name="reception_duties", verbose_name=_("deputies on duty")
    )
    note = models.CharField(_("note"), max_length=200, blank=True)
    is_cancelled = models.BooleanField(_("cancelled"), default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("scheduled by"), on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("reception day")
        verbose_name_plural = _("reception days")
        ordering = ["day", "starts_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["station", "day", "starts_at"], name="unique_reception_day_slot"),
            models.CheckConstraint(
                name="reception_day_ends_after_start", condition=models.Q(ends_at__gt=models.F("starts_at"))
            ),
        ]

    def __str__(self) -> str:
        return f"{self.station} {self.day:%Y-%m-%d} {self.starts_at:%H:%M}"


class ReceptionMatter(TransitionsMixin, TimeStampedModel):
    """One matter a visitor raised at a reception (反映事项), how it was dealt with (处置), and, when it was sent
    on, its answer and the feedback to the visitor. The reception is archived when every matter is closed."""

    class Disposal(models.TextChoices):
        ANSWERED = "answered", _("Answered on the spot")
        TOWN = "town", _("Sent to the town or street")
        HIGHER = "higher", _("Sent to a higher authority")
        SUGGESTION = "suggestion", _("Turned into a deputy's suggestion")
        WISH = "wish", _("Turned into a small wish")

    class Status(models.TextChoices):
        OPEN = "open", _("Awaiting an answer")
        ANSWERED = "answered", _("Answered, visitor not yet told")
        CLOSED = "closed", _("Answered and visitor told")

    class FeedbackHow(models.TextChoices):
        PHONE = "phone", _("By telephone")
        SMS = "sms", _("By text message")
        VISIT = "visit", _("In a visit")
        LETTER = "letter", _("By letter")
        IN_PERSON = "in_person", _("In person at the station")

    TRANSITIONS = {
        Status.OPEN: {Status.ANSWERED, Status.CLOSED},
        Status.ANSWERED: {Status.CLOSED},
        Status.CLOSED: set(),
    }

    reception = models.ForeignKey(
        Reception, verbose_name=_("reception"), on_delete=models.CASCADE, related_name="matters"
    )
    position = models.PositiveSmallIntegerField(_("number"), default=1)
    text = models.TextField(_("matter"), max_length=checks.TEXT)
    category = models.CharField(_("category"), max_length=20, choices=Reception.Category.choices)
    disposal = models.CharField(_("how it is dealt with"), max_length=12, choices=Disposal.choices)
    referred_to = models.ForeignKey(
        "units.Unit",
        verbose_name=_("sent to"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    referred_to_name = models.CharField(_("authority sent to"), max_length=100, blank=True)
    case = models.ForeignKey(
        "cases.Case",
        verbose_name=_("the case it became"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="reception_matters",
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.OPEN, db_index=True
    )
    answer_due = models.DateField(_("answer by"), null=True, blank=True, db_index=True)
    answer = models.TextField(_("answer"), blank=True, max_length=checks.NOTE)
    answered_at = models.DateTimeField(
        _("answered at"), null=True, blank=True, validators=[checks.validate_past_date]
    )
    feedback_at = models.DateTimeField(
        _("visitor told at"), null=True, blank=True, validators=[checks.validate_past_date]
    )
    feedback_how = models.CharField(
        _("how the visitor was told"), max_length=10, choices=FeedbackHow.choices, blank=True
    )
    feedback_note = models.CharField(_("note on the feedback"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("matter raised")
        verbose_name_plural = _("matters raised")
        ordering = ["reception", "position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["reception", "position"], name="unique_matter_position"),
            checks.length_constraint("text", checks.TEXT, name="reception_matter_text_max_length"),
            checks.length_constraint("answer", checks.NOTE, name="reception_matter_answer_max_length"),
        ]
        indexes = [models.Index(fields=["status", "answer_due"], name="reception_matter_due_idx")]

    def __str__(self) -> str:
        return f"{self.reception} #{self.position}"
