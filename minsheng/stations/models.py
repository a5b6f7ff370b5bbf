from django.db import models
from django.utils.translation import gettext_lazy as _

from minsheng.common import validators as checks
from minsheng.common.models import TimeStampedModel


class Station(TimeStampedModel):
    """代表联络站 / 代表之家 / 联系点: where deputies of any of the five levels meet citizens."""

    class Kind(models.TextChoices):
        STATION = "station", _("Liaison station")
        HOME = "home", _("Deputies' home")
        CONTACT_POINT = "contact_point", _("Contact point")

    name = models.CharField(_("name"), max_length=100)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.STATION)
    place = models.ForeignKey(
        "places.Place", verbose_name=_("place"), on_delete=models.PROTECT, related_name="stations"
    )
    congress = models.ForeignKey(
        "congresses.Congress",
        verbose_name=_("responsible congress"),
        on_delete=models.PROTECT,
        related_name="stations",
        help_text=_(
            "The congress whose staff run the station (a street's station: its county-level congress)."
        ),
    )
    address = models.CharField(_("address"), max_length=200)
    opening_hours = models.CharField(_("opening hours"), max_length=200, blank=True)
    phone = models.CharField(_("station telephone"), max_length=30, blank=True)
    description = models.TextField(_("description"), blank=True, max_length=checks.NOTE)
    is_active = models.BooleanField(_("open"), default=True)
    deputies = models.ManyToManyField(
        "deputies.Deputy", through="StationDeputy", related_name="stations", verbose_name=_("deputies")
    )

    class Meta:
        verbose_name = _("liaison station")
        verbose_name_plural = _("liaison stations")
        ordering = ["place__code", "name"]
        constraints = [
            checks.length_constraint("description", checks.NOTE, name="station_description_max_length"),
            models.UniqueConstraint(fields=["place", "name"], name="unique_station_name_per_place"),
        ]

    def __str__(self) -> str:
        return self.name


class StationDeputy(models.Model):
    """A deputy attached to a station ("五级代表进站")."""

    station = models.ForeignKey(Station, on_delete=models.CASCADE, related_name="attachments")
    deputy = models.ForeignKey(
        "deputies.Deputy", on_delete=models.CASCADE, related_name="station_attachments"
    )
    since = models.DateField(_("since"), null=True, blank=True, validators=[checks.validate_past_date])

    class Meta:
        verbose_name = _("deputy at a station")
        verbose_name_plural = _("deputies at stations")
        constraints = [models.UniqueConstraint(fields=["station", "deputy"], name="unique_station_deputy")]

    def __str__(self) -> str:
        return f"{self.deputy} @ {self.station}"
