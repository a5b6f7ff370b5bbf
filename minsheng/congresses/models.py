from django.db import models
from django.utils.translation import gettext_lazy as _

from minsheng.common import validators as checks
from minsheng.common.models import TimeStampedModel


class Congress(models.Model):
    """人民代表大会: the people's congress of one place (or of the nation)."""

    class Level(models.TextChoices):
        NATIONAL = "national", _("National")
        PROVINCIAL = "provincial", _("Provincial")
        CITY = "city", _("City")
        COUNTY = "county", _("County")
        TOWNSHIP = "township", _("Township")

    LEVEL_OF_PLACE = {"province": "provincial", "city": "city", "county": "county", "township": "township"}
    LOCAL_LEVELS = (Level.CITY, Level.COUNTY, Level.TOWNSHIP)

    level = models.CharField(_("level"), max_length=12, choices=Level.choices, db_index=True)
    place = models.OneToOneField(
        "places.Place",
        verbose_name=_("place"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="congress",
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("congress above"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    name = models.CharField(_("name"), max_length=100)
    # The place prefix of the region the congress covers ('' for the national congress): a congress's
    # scope is every place whose code starts with it.
    region_prefix = models.CharField(max_length=12, db_index=True, blank=True)

    class Meta:
        verbose_name = _("congress")
        verbose_name_plural = _("congresses")
        ordering = ["region_prefix"]
        constraints = [
            models.UniqueConstraint(
                fields=["level"], condition=models.Q(level="national"), name="one_national_congress"
            ),
            models.CheckConstraint(
                name="local_congress_has_place",
                condition=models.Q(level="national") | models.Q(place__isnull=False),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def body_name(self) -> str:
        """The body that acts between sessions: the standing committee, or a town congress's presidium."""
        return str(_("presidium") if self.level == self.Level.TOWNSHIP else _("standing committee"))

    def covers(self, other: "Congress") -> bool:
        """Whether `other` lies within this congress's region (itself included)."""
        return other.region_prefix.startswith(self.region_prefix)

    @property
    def current_term(self):
        return self.terms.order_by("-number").first()


class Term(TimeStampedModel):
    """届: a congress's term, e.g. 江门市第十六届人民代表大会 (2022–2027)."""

    congress = models.ForeignKey(
        Congress, verbose_name=_("congress"), on_delete=models.CASCADE, related_name="terms"
    )
    number = models.PositiveSmallIntegerField(_("term number"))
    start_date = models.DateField(_("start date"), validators=[checks.validate_planned_date])
    end_date = models.DateField(
        _("end date"), null=True, blank=True, validators=[checks.validate_planned_date]
    )

    class Meta:
        verbose_name = _("term")
        verbose_name_plural = _("terms")
        ordering = ["congress", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["congress", "number"], name="unique_term_number"),
            models.CheckConstraint(
                name="term_ends_after_start",
                condition=models.Q(end_date__isnull=True) | models.Q(end_date__gt=models.F("start_date")),
            ),
        ]

    def __str__(self) -> str:
        return _("%(congress)s, term %(number)d") % {"congress": self.congress.name, "number": self.number}

    def is_current(self, day) -> bool:
        return self.start_date <= day and (self.end_date is None or day <= self.end_date)


class Session(TimeStampedModel):
    """次会议: a plenary session of a term, e.g. 第四次会议."""

    term = models.ForeignKey(Term, verbose_name=_("term"), on_delete=models.CASCADE, related_name="sessions")
    number = models.PositiveSmallIntegerField(_("session number"))
    start_date = models.DateField(_("start date"), validators=[checks.validate_planned_date])
    end_date = models.DateField(_("end date"), validators=[checks.validate_planned_date])

    class Meta:
        verbose_name = _("session")
        verbose_name_plural = _("sessions")
        ordering = ["term", "number"]
        constraints = [
            models.UniqueConstraint(fields=["term", "number"], name="unique_session_number"),
            models.CheckConstraint(
                name="session_ends_after_start", condition=models.Q(end_date__gte=models.F("start_date"))
            ),
        ]

    def __str__(self) -> str:
        return _("%(term)s, session %(number)d") % {"term": self.term, "number": self.number}
