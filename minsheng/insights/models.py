"""The statistics' summary table of cases (`rollup.py`) and its state. Both tables keep the names they had in
`cases` (`db_table`): the models moved here in issue 10 without moving any data."""

from decimal import Decimal

from django.db import models
from django.utils.translation import gettext_lazy as _

from minsheng.cases.models import Case

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


# The social funds ledger and the campaign dashboard's summary (issue 11), in their own module.
from .campaign_models import CampaignFigure, CampaignSummary, Contribution  # noqa: E402, F401
