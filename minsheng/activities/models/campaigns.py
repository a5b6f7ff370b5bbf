"""集中履职月: a campaign of concentrated deputy activity ("集中一个月，履职贯全年"). It gathers the receptions,
activities, cases and social funds of its period in its congress and every congress below it."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from minsheng.common import validators as checks
from minsheng.common.models import TimeStampedModel


class Campaign(TimeStampedModel):
    name = models.CharField(_("name"), max_length=100)
    slogan = models.CharField(_("slogan"), max_length=100, blank=True)
    theme = models.TextField(_("theme"), blank=True, max_length=checks.NOTE)
    congress = models.ForeignKey(
        "congresses.Congress",
        verbose_name=_("organising congress"),
        on_delete=models.PROTECT,
        related_name="campaigns",
        help_text=_("The campaign includes every congress below it (a city's: its counties' and towns')."),
    )
    starts_on = models.DateField(_("from"), validators=[checks.validate_planned_date])
    ends_on = models.DateField(_("until"), validators=[checks.validate_planned_date])
    # Targets (目标): empty when the campaign sets none.
    target_receptions_per_station = models.PositiveSmallIntegerField(
        _("receptions per station"), null=True, blank=True
    )
    target_participation_percent = models.PositiveSmallIntegerField(
        _("share of deputies taking part (%)"), null=True, blank=True
    )
    target_wishes = models.PositiveIntegerField(_("wishes collected"), null=True, blank=True)
    target_funds = models.DecimalField(
        _("social funds raised (yuan)"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("created by"), on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("campaign")
        verbose_name_plural = _("campaigns")
        ordering = ["-starts_on", "id"]
        constraints = [
            models.CheckConstraint(
                name="campaign_ends_after_start", condition=models.Q(ends_on__gte=models.F("starts_on"))
            ),
            models.CheckConstraint(
                name="campaign_participation_percent",
                condition=models.Q(target_participation_percent__isnull=True)
                | models.Q(target_participation_percent__lte=100),
            ),
            checks.length_constraint("theme", checks.NOTE, name="campaign_theme_max_length"),
        ]

    def __str__(self) -> str:
        return self.name
