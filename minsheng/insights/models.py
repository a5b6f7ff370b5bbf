"""The statistics' summary table of cases (`rollup.py`) and its state. Both tables keep the names they had in
`cases` (`db_table`): the models moved here in issue 10 without moving any data."""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from minsheng.cases.models import Case
from minsheng.common import validators as checks
from minsheng.common.models import TransitionsMixin

ZERO = Decimal("0")


class CaseStatsRollup(models.Model):
    """One cell of the statistics' summary table (`rollup.py`): the figures of the filed cases of one congress,
    county, year of filing and kind — of the cases themselves (`unit` empty), or of one handling unit's part
    in them (per congress, year and kind: `county` empty). A row with an `answer_class` holds only the number
    of answers of that class (`answers`); every other figure is on the row without one. Written only by
    `rollup.rollup_refresh`. The year, not the month: the page filters by year, and a month's grain made
    the table ten times bigger (1.5 million rows at 1 million cases) for the page to sum."""

    congress = models.ForeignKey("congresses.Congress", on_delete=models.CASCADE, related_name="+")
    county = models.CharField(max_length=6, null=True, blank=True)  # the place code's first 6 digits
    unit = models.ForeignKey("units.Unit", on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    year = models.PositiveSmallIntegerField()  # of filing, local time
    kind = models.CharField(max_length=16, choices=Case.Kind.choices)
    answer_class = models.CharField(max_length=4, blank=True, default="")
    cases = models.PositiveIntegerField(default=0)
    status_filed = models.PositiveIntegerField(default=0)
    status_returned = models.PositiveIntegerField(default=0)
    status_refused = models.PositiveIntegerField(default=0)
    status_accepted = models.PositiveIntegerField(default=0)
    status_assigned = models.PositiveIntegerField(default=0)
    status_answered = models.PositiveIntegerField(default=0)
    status_dissatisfied = models.PositiveIntegerField(default=0)
    status_closed = models.PositiveIntegerField(default=0)
    status_withdrawn = models.PositiveIntegerField(default=0)
    overdue = models.PositiveIntegerField(default=0)  # on `CaseStatsRefresh.overdue_day`
    wishes_realised = models.PositiveIntegerField(default=0)
    answers_due = models.PositiveIntegerField(default=0)
    answered_on_time = models.PositiveIntegerField(default=0)
    answers = models.PositiveIntegerField(default=0)
    rated_satisfied = models.PositiveIntegerField(default=0)
    rated_mostly = models.PositiveIntegerField(default=0)
    rated_dissatisfied = models.PositiveIntegerField(default=0)
    value_donated = models.DecimalField(max_digits=14, decimal_places=2, default=ZERO)
    parts_assigned = models.PositiveIntegerField(default=0)  # 办复率's denominator
    parts_answered = models.PositiveIntegerField(default=0)  # 办复率's numerator
    answers_met = models.PositiveIntegerField(default=0)  # 见面率's numerator (over `answers`)
    answers_implemented = models.PositiveIntegerField(default=0)  # 落实率's numerator (over `answers`)
    closed_unrated = models.PositiveIntegerField(default=0)  # 未反馈

    class Meta:
        db_table = "cases_casestatsrollup"  # the table of cases.CaseStatsRollup, before it moved here
        verbose_name = _("statistics summary row")
        verbose_name_plural = _("statistics summary rows")
        indexes = [models.Index(fields=["congress", "year"], name="case_rollup_congress_idx")]

    def __str__(self) -> str:
        return f"{self.congress_id} {self.county} {self.unit_id} {self.year} {self.kind}"


class CaseStatsRefresh(models.Model):
    """The state of the summary table: one row, locked by each refresh (so two never run at once)."""

    as_of = models.DateTimeField(null=True, blank=True)  # every change committed before it is counted
    overdue_day = models.DateField(null=True, blank=True)  # the day "overdue" was counted for
    full_at = models.DateTimeField(null=True, blank=True)  # the last full rebuild
    congresses = models.PositiveIntegerField(default=0)  # refreshed by the last run
    seconds = models.FloatField(default=0)  # the last run's duration

    class Meta:
        db_table = "cases_casestatsrefresh"  # the table of cases.CaseStatsRefresh, before it moved here
        verbose_name = _("statistics summary state")
        verbose_name_plural = _("statistics summary state")

    def __str__(self) -> str:
        return f"{self.as_of}"


# --- the duty record (履职档案) and the duty points (履职积分): duty_record.py, points.py, points_services.py ---


class DutyAward(models.Model):
    """A distinction a deputy received (履职表彰): kept by staff, shown on the duty record (and its public
    version) and counted by the points (kind `award`). The appraisals wing (issue 14) may later feed it."""

    deputy = models.ForeignKey(
        "deputies.Deputy", verbose_name=_("deputy"), on_delete=models.CASCADE, related_name="duty_awards"
    )
    congress = models.ForeignKey(
        "congresses.Congress", verbose_name=_("congress"), on_delete=models.PROTECT, related_name="+"
    )
    title = models.CharField(_("title of the award"), max_length=200)
    awarded_on = models.DateField(_("awarded on"), validators=[checks.validate_past_date])
    awarded_by = models.CharField(_("awarding body"), max_length=200)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    # An edit changes `updated_at`; a withdrawal (撤销, with a reason) takes the award off the record and out
    # of the points, and is kept: both times are read by `duty_record.changed_deputies`.
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    withdrawal_reason = models.TextField(_("reason for the withdrawal"), blank=True, max_length=checks.NOTE)

    class Meta:
        verbose_name = _("award")
        verbose_name_plural = _("awards")
        ordering = ["-awarded_on", "-id"]
        constraints = [
            checks.length_constraint(
                "withdrawal_reason", checks.NOTE, name="duty_award_withdrawal_reason_max_length"
            ),
        ]

    def __str__(self) -> str:
        return self.title


class DutySummary(models.Model):
    """One deputy's duties of one year that belong to one congress (the case's, the activity's organiser, the
    reception's station's), counted per kind of duty (`counts`: {kind: n}, kinds of `duty_record.KINDS`).
    Written only by `duty_record.refresh_duty_summaries`; the duty record page sums a deputy's few rows."""

    deputy = models.ForeignKey("deputies.Deputy", on_delete=models.CASCADE, related_name="+")
    congress = models.ForeignKey("congresses.Congress", on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField()
    counts = models.JSONField(default=dict)
    refreshed_at = models.DateTimeField()

    class Meta:
        verbose_name = _("duty summary row")
        verbose_name_plural = _("duty summary rows")
        constraints = [
            models.UniqueConstraint(fields=["deputy", "year", "congress"], name="one_duty_summary_per_cell")
        ]
        indexes = [models.Index(fields=["year", "congress"], name="duty_summary_year_idx")]

    def __str__(self) -> str:
        return f"{self.deputy_id} {self.year} {self.congress_id}"


class DutySummaryRefresh(models.Model):
    """The state of the duty summary table: one row, locked by each refresh (so two never run at once)."""

    as_of = models.DateTimeField(null=True, blank=True)  # every change committed before it is counted
    full_at = models.DateTimeField(null=True, blank=True)  # the last full rewrite
    deputies = models.PositiveIntegerField(default=0)  # refreshed by the last run
    seconds = models.FloatField(default=0)  # the last run's duration

    class Meta:
        verbose_name = _("duty summary state")
        verbose_name_plural = _("duty summary state")

    def __str__(self) -> str:
        return f"{self.as_of}"


class PointsScheme(models.Model):
    """积分方案: the points a congress gives for each kind of duty in one year. Versioned: a new version
    supersedes the one before (`superseded_at`), which is kept and stays readable; bulletins name the version
    they were computed under."""

    congress = models.ForeignKey(
        "congresses.Congress", verbose_name=_("congress"), on_delete=models.PROTECT, related_name="+"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    version = models.PositiveSmallIntegerField(_("version"))
    note = models.CharField(_("note"), max_length=200, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    superseded_at = models.DateTimeField(_("superseded at"), null=True, blank=True)
    computed_at = models.DateTimeField(_("points computed at"), null=True, blank=True)
    standings_at = models.DateTimeField(_("ranks computed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("points scheme")
        verbose_name_plural = _("points schemes")
        ordering = ["congress", "-year", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["congress", "year", "version"], name="unique_points_scheme_version"
            )
        ]

    def __str__(self) -> str:
        return f"{self.congress} {self.year} v{self.version}"


class PointsRule(models.Model):
    """One kind of duty in a scheme: `base` points for the first occurrence, `increment` for each further one,
    at most `cap` in all (none of them negative)."""

    scheme = models.ForeignKey(PointsScheme, on_delete=models.CASCADE, related_name="rules")
    kind = models.CharField(_("kind of duty"), max_length=32)
    base = models.DecimalField(_("base score"), max_digits=7, decimal_places=1)
    increment = models.DecimalField(_("per further occurrence"), max_digits=7, decimal_places=1)
    cap = models.DecimalField(_("cap"), max_digits=7, decimal_places=1)

    class Meta:
        verbose_name = _("points rule")
        verbose_name_plural = _("points rules")
        constraints = [
            models.UniqueConstraint(fields=["scheme", "kind"], name="one_points_rule_per_kind"),
            models.CheckConstraint(
                name="points_rule_not_negative",
                condition=models.Q(base__gte=0) & models.Q(increment__gte=0) & models.Q(cap__gte=0),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.scheme_id} {self.kind}"


class PointsEntry(models.Model):
    """A deputy's computed points for one kind of duty under one scheme version (`points_services`)."""

    scheme = models.ForeignKey(PointsScheme, on_delete=models.CASCADE, related_name="entries")
    deputy = models.ForeignKey("deputies.Deputy", on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=32)
    count = models.PositiveIntegerField(default=0)
    points = models.DecimalField(max_digits=9, decimal_places=1)
    capped = models.BooleanField(default=False)

    class Meta:
        verbose_name = _("points entry")
        verbose_name_plural = _("points entries")
        constraints = [
            models.UniqueConstraint(fields=["scheme", "deputy", "kind"], name="one_points_entry_per_kind")
        ]
        indexes = [models.Index(fields=["scheme", "deputy"], name="points_entry_deputy_idx")]

    def __str__(self) -> str:
        return f"{self.scheme_id} {self.deputy_id} {self.kind} {self.points}"


class PointsStanding(models.Model):
    """A deputy's place in the league of a scheme version (积分排名): the total of the entries and of the
    adjustments of the congress and year, and the competition rank (1, 2, 2, 4) among every deputy of the
    congress that year. Written only by `points_services.points_standings_write`, whenever the scheme's
    entries or the adjustments change, so that the league page reads one page of ranked rows."""

    scheme = models.ForeignKey(PointsScheme, on_delete=models.CASCADE, related_name="standings")
    deputy = models.ForeignKey("deputies.Deputy", on_delete=models.CASCADE, related_name="+")
    delegation = models.CharField(max_length=100, blank=True)
    total = models.DecimalField(max_digits=9, decimal_places=1)
    rank = models.PositiveIntegerField()

    class Meta:
        verbose_name = _("points standing")
        verbose_name_plural = _("points standings")
        constraints = [
            models.UniqueConstraint(fields=["scheme", "deputy"], name="one_points_standing_per_deputy")
        ]
        indexes = [models.Index(fields=["scheme", "rank"], name="points_standing_rank_idx")]

    def __str__(self) -> str:
        return f"{self.scheme_id} {self.deputy_id} #{self.rank} {self.total}"


class PointsBulletin(models.Model):
    """积分通报: the points of a congress's deputies for a year up to the end of a quarter, frozen when staff
    publish it (`rows`: one dict per deputy, with the per-kind figures and the adjustments). Deputies may
    contest an entry within `MINSHENG["POINTS_CONTEST_DAYS"]` days of `published_at`."""

    congress = models.ForeignKey(
        "congresses.Congress", verbose_name=_("congress"), on_delete=models.PROTECT, related_name="+"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    quarter = models.PositiveSmallIntegerField(_("quarter"))
    scheme = models.ForeignKey(PointsScheme, on_delete=models.PROTECT, related_name="bulletins")
    until = models.DateField(_("duties up to"))
    rows = models.JSONField(default=list)
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    published_at = models.DateTimeField(_("published at"))
    contest_until = models.DateTimeField(_("contests accepted until"))

    class Meta:
        verbose_name = _("points bulletin")
        verbose_name_plural = _("points bulletins")
        ordering = ["-year", "-quarter"]
        constraints = [
            models.UniqueConstraint(
                fields=["congress", "year", "quarter"], name="one_points_bulletin_per_quarter"
            ),
            models.CheckConstraint(name="points_bulletin_quarter", condition=models.Q(quarter__range=(1, 4))),
        ]

    def __str__(self) -> str:
        return _("%(congress)s, quarter %(quarter)s of %(year)s") % {
            "congress": self.congress,
            "quarter": self.quarter,
            "year": self.year,
        }


class PointsContest(TransitionsMixin, models.Model):
    """错重漏: a deputy says an entry of a bulletin is wrong, counted twice or missing; staff uphold it (with
    an adjustment of the points) or reject it, with a reason."""

    class Ground(models.TextChoices):
        WRONG = "wrong", _("Wrong")
        DUPLICATE = "duplicate", _("Counted twice")
        MISSING = "missing", _("Missing")

    class Status(models.TextChoices):
        PENDING = "pending", _("Awaiting a decision")
        UPHELD = "upheld", _("Upheld")
        REJECTED = "rejected", _("Rejected")

    TRANSITIONS = {
        Status.PENDING: {Status.UPHELD, Status.REJECTED},
        Status.UPHELD: set(),
        Status.REJECTED: set(),
    }

    bulletin = models.ForeignKey(PointsBulletin, on_delete=models.CASCADE, related_name="contests")
    deputy = models.ForeignKey("deputies.Deputy", on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(_("kind of duty"), max_length=32)
    ground = models.CharField(_("ground"), max_length=10, choices=Ground.choices)
    reason = models.TextField(_("reason"), max_length=checks.NOTE)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING, db_index=True
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField()
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_reason = models.TextField(_("reason for the decision"), blank=True, max_length=checks.NOTE)

    class Meta:
        verbose_name = _("points contest")
        verbose_name_plural = _("points contests")
        ordering = ["-created_at", "-id"]
        constraints = [
            checks.length_constraint("reason", checks.NOTE, name="points_contest_reason_max_length"),
            checks.length_constraint(
                "decision_reason", checks.NOTE, name="points_contest_decision_max_length"
            ),
        ]

    def __str__(self) -> str:
        from .duty_record import KINDS

        return f"{self.bulletin} · {KINDS.get(self.kind, self.kind)}"


class PointsAdjustment(models.Model):
    """A change of a deputy's points of a congress and year that a contest upheld (`delta` may be negative: a
    duty counted twice). Added to the computed points under every scheme version, shown on the duty record,
    the league table and the next bulletin."""

    congress = models.ForeignKey("congresses.Congress", on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField()
    deputy = models.ForeignKey("deputies.Deputy", on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=32)
    delta = models.DecimalField(max_digits=7, decimal_places=1)
    contest = models.OneToOneField(PointsContest, on_delete=models.PROTECT, related_name="adjustment")
    reason = models.TextField(max_length=checks.NOTE)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField()

    class Meta:
        verbose_name = _("points adjustment")
        verbose_name_plural = _("points adjustments")
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["congress", "year", "deputy"], name="points_adjustment_idx")]
        constraints = [
            checks.length_constraint("reason", checks.NOTE, name="points_adjustment_reason_max_length")
        ]

    def __str__(self) -> str:
        return f"{self.deputy_id} {self.kind} {self.delta}"


# The social funds ledger and the campaign dashboard's summary (issue 11), in their own module.
from .campaign_models import CampaignFigure, CampaignSummary, Contribution  # noqa: E402, F401
