"""民生实事项目 through the year: the projects the deputies chose, their milestones, the lead unit's progress
reports, the deputies' inspections, and the reminders of late milestones.

A project is made from one chosen candidate of a published vote (OneToOne to voting.Candidate) and copies the
candidate's title, description, lead unit, budget and place, which staff may then refine. The satisfaction vote
a year later rates the same candidates (voting.VoteSession kind "satisfaction").
"""

import datetime as dt

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from minsheng.common import validators as checks
from minsheng.common.models import TimeStampedModel, TransitionsMixin
from minsheng.common.reminders import ReminderKind
from minsheng.common.uploads import RandomName


class Project(TransitionsMixin, TimeStampedModel):
    """民生实事项目: one project chosen by the deputies' vote, carried out by its lead unit during the year and
    supervised by a 常委会 (or 主席团) leader and a group of deputies."""

    class Status(models.TextChoices):
        UNDER_WAY = "under_way", _("Under way")
        COMPLETED = "completed", _("Completed")
        TERMINATED = "terminated", _("Terminated")

    # A chosen project is carried out; the congress's standing committee (a town's presidium) may agree to stop
    # it (已终止) on the government's report, with the reason recorded. Both ends are final: the project is then
    # rated in the next year's satisfaction vote (a terminated one is not).
    TRANSITIONS = {
        Status.UNDER_WAY: {Status.COMPLETED, Status.TERMINATED},
        Status.COMPLETED: set(),
        Status.TERMINATED: set(),
    }

    candidate = models.OneToOneField(
        "voting.Candidate",
        verbose_name=_("candidate project"),
        on_delete=models.PROTECT,
        related_name="project",
    )
    congress = models.ForeignKey(
        "congresses.Congress", verbose_name=_("congress"), on_delete=models.PROTECT, related_name="projects"
    )
    year = models.PositiveSmallIntegerField(_("year"), db_index=True)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), max_length=checks.TEXT)
    lead_unit = models.ForeignKey(
        "units.Unit",
        verbose_name=_("lead unit"),
        on_delete=models.PROTECT,
        related_name="livelihood_projects",
    )
    budget = models.DecimalField(_("budget (10,000 yuan)"), max_digits=12, decimal_places=2)
    place = models.ForeignKey(
        "places.Place",
        verbose_name=_("place"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    leader_name = models.CharField(_("responsible leader"), max_length=50, blank=True)
    leader_post = models.CharField(_("leader's post"), max_length=100, blank=True)
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.UNDER_WAY, db_index=True
    )
    completed_on = models.DateField(
        _("completed on"), null=True, blank=True, validators=[checks.validate_past_date]
    )
    termination_reason = models.TextField(_("reason for terminating"), blank=True, max_length=checks.NOTE)
    group = models.ManyToManyField(
        "deputies.Deputy",
        through="GroupMember",
        related_name="supervised_projects",
        verbose_name=_("deputies' supervision group"),
    )

    class Meta:
        verbose_name = _("livelihood project")
        verbose_name_plural = _("livelihood projects")
        ordering = ["-year", "congress__region_prefix", "candidate__number"]
        constraints = [
            checks.length_constraint("description", checks.TEXT, name="project_description_max_length"),
            checks.length_constraint(
                "termination_reason", checks.NOTE, name="project_termination_reason_max_length"
            ),
            models.CheckConstraint(name="project_budget_not_negative", condition=models.Q(budget__gte=0)),
        ]

    def __str__(self) -> str:
        return self.title


class GroupMember(models.Model):
    """A deputy of the project's supervision group (代表督导组); one of them may lead it."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="members")
    deputy = models.ForeignKey(
        "deputies.Deputy", verbose_name=_("deputy"), on_delete=models.PROTECT, related_name="+"
    )
    is_leader = models.BooleanField(_("group leader"), default=False)

    class Meta:
        verbose_name = _("group member")
        verbose_name_plural = _("group members")
        ordering = ["-is_leader", "deputy__name"]
        constraints = [
            models.UniqueConstraint(fields=["project", "deputy"], name="one_membership_per_deputy"),
            models.UniqueConstraint(
                fields=["project"], condition=models.Q(is_leader=True), name="one_group_leader_per_project"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.project_id}:{self.deputy_id}"


class Milestone(TimeStampedModel):
    """A step of the project with its due date and weight (the weights of a project total 100)."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="milestones")
    title = models.CharField(_("title"), max_length=200)
    due_on = models.DateField(_("due on"), db_index=True, validators=[checks.validate_planned_date])
    weight = models.PositiveSmallIntegerField(_("weight (%)"))
    done_on = models.DateField(_("done on"), null=True, blank=True, validators=[checks.validate_past_date])

    class Meta:
        verbose_name = _("milestone")
        verbose_name_plural = _("milestones")
        ordering = ["project", "due_on", "id"]
        constraints = [
            models.CheckConstraint(
                name="milestone_weight_1_to_100", condition=models.Q(weight__gte=1, weight__lte=100)
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def is_late(self, today: dt.date) -> bool:
        return self.done_on is None and self.due_on < today


class ProgressReport(models.Model):
    """The lead unit's report of progress: its own estimate (0–100 %), what was done, up to nine photos."""

    MAX_PHOTOS = 9

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="reports")
    unit = models.ForeignKey("units.Unit", verbose_name=_("unit"), on_delete=models.PROTECT, related_name="+")
    percent = models.PositiveSmallIntegerField(_("progress (%)"))
    narrative = models.TextField(_("what was done"), max_length=checks.LONG_TEXT)
    is_public = models.BooleanField(_("may be shown publicly"), default=False)
    reported_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    reported_at = models.DateTimeField(_("reported at"), auto_now_add=True)

    class Meta:
        verbose_name = _("progress report")
        verbose_name_plural = _("progress reports")
        ordering = ["-reported_at", "-id"]
        constraints = [
            checks.length_constraint("narrative", checks.LONG_TEXT, name="report_narrative_max_length"),
            models.CheckConstraint(name="report_percent_0_to_100", condition=models.Q(percent__lte=100)),
        ]

    def __str__(self) -> str:
        return f"{self.project_id} {self.percent}%"


class ProgressPhoto(models.Model):
    """A photo of a progress report; served through the app (public only with a public report)."""

    report = models.ForeignKey(ProgressReport, on_delete=models.CASCADE, related_name="photos")
    file = models.FileField(_("file"), upload_to=RandomName("projects"), max_length=255)
    original_name = models.CharField(_("file name"), max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()

    class Meta:
        verbose_name = _("photo")
        verbose_name_plural = _("photos")
        ordering = ["id"]

    def __str__(self) -> str:
        return self.original_name


class Inspection(models.Model):
    """视察 / 专题询问 / 调研 of the project by deputies, with what they found and suggested."""

    class Kind(models.TextChoices):
        INSPECTION = "inspection", _("Inspection")
        INQUIRY = "inquiry", _("Inquiry")
        RESEARCH = "research", _("Research")

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="inspections")
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    held_on = models.DateField(_("date"), validators=[checks.validate_past_date])
    deputies = models.ManyToManyField(
        "deputies.Deputy", verbose_name=_("deputies taking part"), related_name="project_inspections"
    )
    findings = models.TextField(_("what was found"), max_length=checks.TEXT)
    suggestions = models.TextField(_("suggestions"), blank=True, max_length=checks.TEXT)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("inspection")
        verbose_name_plural = _("inspections")
        ordering = ["-held_on", "-id"]
        constraints = [
            checks.length_constraint("findings", checks.TEXT, name="inspection_findings_max_length"),
            checks.length_constraint("suggestions", checks.TEXT, name="inspection_suggestions_max_length"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.held_on}"


class MilestoneReminder(models.Model):
    """A late-milestone reminder that went out. The unique key makes a retried job skip what it already sent."""

    Kind = ReminderKind

    milestone = models.ForeignKey(Milestone, on_delete=models.CASCADE, related_name="reminders")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    due_on = models.DateField()
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("milestone reminder")
        verbose_name_plural = _("milestone reminders")
        constraints = [
            models.UniqueConstraint(
                fields=["milestone", "kind", "due_on"], name="one_milestone_reminder_per_due_date"
            )
        ]

    def __str__(self) -> str:
        return f"{self.milestone_id} {self.kind} {self.due_on}"
