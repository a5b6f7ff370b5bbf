"""评比: scored contests (擂台赛) and star gradings (星级评定) run by a congress's staff.

An `Appraisal` holds its rules as rows (`Component`, `Tier`) and a few fields (rounding, ties); `rules_of` in
services turns them into the pure `rules.Rules`, and every computed result is frozen with that snapshot in a
`ResultVersion`. Judges' scores are `Score` rows (one per judge × contestant × component, unique); a direct or
imported component's score is a `Score` without a judge (one per contestant × component). The legal moves of an
appraisal are `Appraisal.TRANSITIONS` (drawn in the README); a `Grade` (a star granted) has its own.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from minsheng.common import validators as checks
from minsheng.common.models import TimeStampedModel, TransitionsMixin

from . import rules

SCORE_DIGITS = {"max_digits": 7, "decimal_places": 2}
MONEY_DIGITS = {"max_digits": 14, "decimal_places": 2}


class Rounding(models.TextChoices):
    HALF_UP = rules.HALF_UP, _("Half up (四舍五入)")
    HALF_EVEN = rules.HALF_EVEN, _("Half to even")
    DOWN = rules.DOWN, _("Truncate")
    UP = rules.UP, _("Up")


class Appraisal(TransitionsMixin, TimeStampedModel):
    """One appraisal of one organiser in one year: a contest with quotas or a grading round with thresholds."""

    class Kind(models.TextChoices):
        CONTEST = rules.CONTEST, _("Contest (ranks and award tiers with quotas)")
        GRADING = rules.GRADING, _("Grading (stars by score thresholds)")

    class Status(models.TextChoices):
        DRAFT = "draft", _("In preparation")
        SCORING = "scoring", _("Scoring")
        CLOSED = "closed", _("Scoring closed")
        COMPUTED = "computed", _("Result computed")
        PUBLISHED = "published", _("Result published")

    TRANSITIONS = {
        Status.DRAFT: {Status.SCORING},
        Status.SCORING: {Status.CLOSED},
        Status.CLOSED: {Status.COMPUTED},
        Status.COMPUTED: {Status.COMPUTED, Status.PUBLISHED},  # computed again after a recorded decision
        Status.PUBLISHED: set(),  # a correction is a new ResultVersion, the appraisal stays published
    }

    class Final(models.TextChoices):
        SHARED = rules.SHARED, _("The tied share the rank")
        DECISION = rules.DECISION, _("The organisers decide the order")

    class Straddle(models.TextChoices):
        ALL_HIGHER = rules.ALL_HIGHER, _("All the tied get the higher tier")
        ALL_LOWER = rules.ALL_LOWER, _("All the tied get the lower tier")
        DECISION = rules.DECISION, _("The organisers decide who takes the seats left")

    congress = models.ForeignKey(
        "congresses.Congress",
        verbose_name=_("organiser"),
        on_delete=models.PROTECT,
        related_name="appraisals",
    )
    title = models.CharField(_("title"), max_length=200)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.CONTEST)
    year = models.PositiveSmallIntegerField(_("year"))
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT, db_index=True
    )
    component_places = models.PositiveSmallIntegerField(_("decimals of a component's score"), default=2)
    component_rounding = models.CharField(
        _("rounding of a component's score"),
        max_length=10,
        choices=Rounding.choices,
        default=Rounding.HALF_UP,
    )
    total_places = models.PositiveSmallIntegerField(_("decimals of the total"), default=2)
    total_rounding = models.CharField(
        _("rounding of the total"), max_length=10, choices=Rounding.choices, default=Rounding.HALF_UP
    )
    # [[kind, component code], ...] in order (rules.TIE_BREAKERS)
    tie_breakers = models.JSONField(_("tie-breakers"), default=list, blank=True)
    tie_final = models.CharField(
        _("an unbroken tie"), max_length=10, choices=Final.choices, default=Final.SHARED
    )
    straddle = models.CharField(
        _("a tie across a quota"), max_length=12, choices=Straddle.choices, default=Straddle.ALL_HIGHER
    )
    excess_reduces_next = models.BooleanField(
        _("seats a tie took beyond a quota come off the next tier"), default=False
    )
    # The organisers' recorded decisions: {"tie_order": {contestant id: position},
    # "straddle": [[group id, tier code, [contestant ids]], ...]}
    decisions = models.JSONField(_("recorded decisions"), default=dict, blank=True)
    objection_ends_on = models.DateField(
        _("objection period ends on"), null=True, blank=True, validators=[checks.validate_planned_date]
    )
    published_at = models.DateTimeField(_("published at"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("appraisal")
        verbose_name_plural = _("appraisals")
        ordering = ["-year", "-created_at"]
        constraints = [
            models.CheckConstraint(name="appraisal_places_at_most_4", condition=Q(component_places__lte=4)),
            models.CheckConstraint(name="appraisal_total_places_at_most_4", condition=Q(total_places__lte=4)),
        ]

    def __str__(self) -> str:
        return self.title


class Group(models.Model):
    """A group of contestants ranked and given tiers on its own (typical towns, typical villages)."""

    class Scoring(models.TextChoices):
        NOT_OPEN = "not_open", _("Not yet open")
        OPEN = "open", _("Open for scoring")
        CLOSED = "closed", pgettext_lazy("scoring", "Closed")

    appraisal = models.ForeignKey(Appraisal, on_delete=models.CASCADE, related_name="groups")
    name = models.CharField(_("name"), max_length=100)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    scoring = models.CharField(_("scoring"), max_length=10, choices=Scoring.choices, default=Scoring.NOT_OPEN)

    class Meta:
        verbose_name = _("group")
        verbose_name_plural = _("groups")
        ordering = ["appraisal", "order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["appraisal", "name"], name="unique_appraisal_group_name")
        ]

    def __str__(self) -> str:
        return self.name


class Contestant(models.Model):
    """One contestant, linked to the place, station, unit or deputy it stands for where there is one."""

    appraisal = models.ForeignKey(Appraisal, on_delete=models.CASCADE, related_name="contestants")
    group = models.ForeignKey(
        Group, verbose_name=_("group"), on_delete=models.PROTECT, related_name="contestants"
    )
    name = models.CharField(_("name"), max_length=200)
    order = models.PositiveIntegerField(_("order"), default=0)
    place = models.ForeignKey(
        "places.Place",
        verbose_name=_("place"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    station = models.ForeignKey(
        "stations.Station",
        verbose_name=_("liaison station"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    unit = models.ForeignKey(
        "units.Unit",
        verbose_name=_("unit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    deputy = models.ForeignKey(
        "deputies.Deputy",
        verbose_name=_("deputy"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    holds = models.CharField(_("grade held"), max_length=20, blank=True)  # grading: a Tier code

    class Meta:
        verbose_name = _("contestant")
        verbose_name_plural = _("contestants")
        ordering = ["group", "order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["group", "name"], name="unique_contestant_name_in_group"),
        ]

    def __str__(self) -> str:
        return self.name


class Component(models.Model):
    """A scored component with its weight (percent) and how its score is made."""

    class Source(models.TextChoices):
        DIRECT = rules.DIRECT, _("Entered by staff")
        IMPORTED = rules.IMPORTED, _("Imported")
        JUDGES = rules.JUDGES, _("Scored by judges")

    appraisal = models.ForeignKey(Appraisal, on_delete=models.CASCADE, related_name="components")
    code = models.SlugField(_("code"), max_length=30)
    name = models.CharField(_("name"), max_length=100)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    weight = models.DecimalField(_("weight (%)"), max_digits=5, decimal_places=2)
    source = models.CharField(_("source"), max_length=10, choices=Source.choices, default=Source.JUDGES)
    low = models.DecimalField(_("lowest score"), default=0, **SCORE_DIGITS)
    high = models.DecimalField(_("highest score"), default=100, **SCORE_DIGITS)
    trim = models.PositiveSmallIntegerField(_("highest and lowest scores dropped (each)"), default=0)
    min_judges = models.PositiveSmallIntegerField(_("fewest judges"), default=1)
    few_judges = models.JSONField(_("rules for few judges"), default=list, blank=True)  # [[n, fallback], ...]
    normalise = models.BooleanField(_("normalise the judges (z-scores)"), default=False)

    class Meta:
        verbose_name = _("component")
        verbose_name_plural = _("components")
        ordering = ["appraisal", "order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["appraisal", "code"], name="unique_component_code"),
            models.CheckConstraint(name="component_range", condition=Q(low__lt=models.F("high"))),
        ]

    def __str__(self) -> str:
        return self.name


class Tier(models.Model):
    """An award tier (一等奖 ...) with its quota, or a grade (三星 ...) with its threshold; best first."""

    appraisal = models.ForeignKey(Appraisal, on_delete=models.CASCADE, related_name="tiers")
    group = models.ForeignKey(
        Group,
        verbose_name=_("only for the group"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="tiers",
    )
    code = models.SlugField(_("code"), max_length=20)
    name = models.CharField(_("name"), max_length=50)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    quota = models.PositiveIntegerField(_("quota (number)"), null=True, blank=True)
    quota_percent = models.DecimalField(_("quota (%)"), max_digits=5, decimal_places=2, null=True, blank=True)
    quota_rounding = models.CharField(
        _("rounding of the quota"), max_length=10, choices=Rounding.choices, default=Rounding.DOWN
    )
    min_total = models.DecimalField(_("least total"), null=True, blank=True, **SCORE_DIGITS)
    award = models.DecimalField(_("award funds (yuan)"), default=0, **MONEY_DIGITS)
    threshold = models.DecimalField(_("threshold score"), null=True, blank=True, **SCORE_DIGITS)
    requires_below = models.BooleanField(_("requires the grade below"), default=False)
    granted_by = models.CharField(_("granted by a body of level"), max_length=10, blank=True)

    class Meta:
        verbose_name = _("tier")
        verbose_name_plural = _("tiers")
        ordering = ["appraisal", "order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["appraisal", "group", "code"], name="unique_tier_code"),
            models.UniqueConstraint(
                fields=["appraisal", "code"], condition=Q(group__isnull=True), name="unique_common_tier_code"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Judge(models.Model):
    """评委: a user who scores the contestants of one group (or of all groups)."""

    appraisal = models.ForeignKey(Appraisal, on_delete=models.CASCADE, related_name="judges")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.PROTECT, related_name="judgings"
    )
    group = models.ForeignKey(
        Group,
        verbose_name=_("group (empty: all)"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="judges",
    )
    label = models.CharField(_("label (评委1 ...)"), max_length=30)

    class Meta:
        verbose_name = _("judge")
        verbose_name_plural = _("judges")
        ordering = ["appraisal", "label", "id"]
        constraints = [
            models.UniqueConstraint(fields=["appraisal", "user"], name="one_judge_per_user_and_appraisal"),
            models.UniqueConstraint(fields=["appraisal", "label"], name="unique_judge_label"),
        ]

    def __str__(self) -> str:
        return self.label

    def judges_group(self, group: Group) -> bool:
        return self.group_id is None or self.group_id == group.pk


class Score(models.Model):
    """One score: a judge's for one contestant and component, or (no judge) a direct or imported score."""

    contestant = models.ForeignKey(Contestant, on_delete=models.CASCADE, related_name="scores")
    component = models.ForeignKey(Component, on_delete=models.CASCADE, related_name="scores")
    judge = models.ForeignKey(Judge, null=True, blank=True, on_delete=models.CASCADE, related_name="scores")
    value = models.DecimalField(_("score"), **SCORE_DIGITS)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    changed_at = models.DateTimeField(_("changed at"), auto_now=True)

    class Meta:
        verbose_name = _("score")
        verbose_name_plural = _("scores")
        constraints = [
            models.UniqueConstraint(
                fields=["judge", "contestant", "component"],
                condition=Q(judge__isnull=False),
                name="one_score_per_judge_contestant_component",
            ),
            models.UniqueConstraint(
                fields=["contestant", "component"],
                condition=Q(judge__isnull=True),
                name="one_entered_score_per_contestant_component",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.contestant} {self.component} {self.value}"


class JudgeSubmission(models.Model):
    """A judge's scores of one group handed in: from then on the judge changes nothing in that group."""

    judge = models.ForeignKey(Judge, on_delete=models.CASCADE, related_name="submissions")
    group = models.ForeignKey(Group, on_delete=models.CASCADE, related_name="submissions")
    submitted_at = models.DateTimeField(_("submitted at"), editable=False)  # the clock

    class Meta:
        verbose_name = _("judge's submission")
        verbose_name_plural = _("judges' submissions")
        constraints = [
            models.UniqueConstraint(fields=["judge", "group"], name="one_submission_per_judge_and_group")
        ]

    def __str__(self) -> str:
        return f"{self.judge} {self.group}"


class ResultVersion(models.Model):
    """A computed result frozen with the rules it was computed by. Publishing freezes the current version; a
    correction adds a new one with its reason and keeps the old one visible."""

    appraisal = models.ForeignKey(Appraisal, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveSmallIntegerField(_("version"))
    rules = models.JSONField(_("rules"))  # rules.rules_to_dict
    inputs = models.JSONField(_("scores and decisions"))  # what compute was given (services.inputs_to_dict)
    result = models.JSONField(_("result"))  # rules.result_to_dict
    reason = models.TextField(_("reason for the correction"), blank=True, max_length=checks.NOTE)
    computed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    computed_at = models.DateTimeField(_("computed at"), editable=False)  # the clock
    published_at = models.DateTimeField(_("published at"), null=True, blank=True, editable=False)
    is_current = models.BooleanField(_("current"), default=True)

    class Meta:
        verbose_name = _("result version")
        verbose_name_plural = _("result versions")
        ordering = ["appraisal", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["appraisal", "number"], name="unique_result_version_number"),
            models.UniqueConstraint(
                fields=["appraisal"], condition=Q(is_current=True), name="one_current_result_version"
            ),
            checks.length_constraint("reason", checks.NOTE, name="result_version_reason_max_length"),
        ]

    def __str__(self) -> str:
        return f"{self.appraisal} v{self.number}"


class Grade(TransitionsMixin, TimeStampedModel):
    """A grade (三星 ...) granted by a grading round, valid for a period; it may be reviewed and withdrawn."""

    class Status(models.TextChoices):
        VALID = "valid", _("Valid")
        UNDER_REVIEW = "under_review", _("Under review")
        WITHDRAWN = "withdrawn", pgettext_lazy("grade", "Withdrawn")

    TRANSITIONS = {
        Status.VALID: {Status.UNDER_REVIEW, Status.WITHDRAWN},
        Status.UNDER_REVIEW: {Status.VALID, Status.WITHDRAWN},
        Status.WITHDRAWN: set(),
    }

    appraisal = models.ForeignKey(Appraisal, on_delete=models.PROTECT, related_name="grades")
    contestant = models.ForeignKey(Contestant, on_delete=models.PROTECT, related_name="grades")
    tier_code = models.SlugField(_("grade"), max_length=20)
    tier_name = models.CharField(_("grade name"), max_length=50)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.VALID)
    valid_from = models.DateField(_("valid from"), validators=[checks.validate_planned_date])
    valid_until = models.DateField(
        _("valid until"), null=True, blank=True, validators=[checks.validate_planned_date]
    )
    reason = models.TextField(_("reason"), blank=True, max_length=checks.NOTE)

    class Meta:
        verbose_name = _("grade")
        verbose_name_plural = _("grades")
        ordering = ["-valid_from", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["appraisal", "contestant"],
                condition=~Q(status="withdrawn"),
                name="one_live_grade_per_contestant_and_round",
            ),
            models.CheckConstraint(
                name="grade_valid_until_after_from",
                condition=Q(valid_until__isnull=True) | Q(valid_until__gte=models.F("valid_from")),
            ),
            checks.length_constraint("reason", checks.NOTE, name="grade_reason_max_length"),
        ]

    def __str__(self) -> str:
        return f"{self.contestant} {self.tier_name}"
