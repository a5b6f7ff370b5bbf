"""Activities of deputies between sessions (代表活动): receptions (接待) at the liaison stations first; the duty
month (集中履职月) comes here next."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from minsheng.common import validators as checks
from minsheng.common.crypto import EncryptedCharField
from minsheng.common.models import TimeStampedModel


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
