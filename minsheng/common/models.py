from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _

from . import validators


class TimeStampedModel(models.Model):
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        abstract = True


class AuditRecord(models.Model):
    """One append-only line of the audit trail. Written only through `minsheng.common.audit.record`."""

    at = models.DateTimeField(_("time"), auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("actor"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    verb = models.CharField(_("action"), max_length=64, db_index=True)
    target_type = models.ForeignKey(
        ContentType, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    target_id = models.CharField(max_length=64, blank=True)
    target_repr = models.CharField(_("object"), max_length=255, blank=True)
    data = models.JSONField(_("details"), default=dict, blank=True)

    class Meta:
        verbose_name = _("audit record")
        verbose_name_plural = _("audit records")
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["target_type", "target_id", "at"], name="audit_target_idx")]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.verb} {self.target_repr}"

    def save(self, *args, **kwargs):
        if self.pk:
            raise RuntimeError("Audit records are append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise RuntimeError("Audit records are append-only.")

    @property
    def verb_label(self) -> str:
        from .audit import VERBS

        return str(VERBS.get(self.verb, self.verb))


class TransitionsMixin:
    """The legal moves of a model's `status` as a table: `TRANSITIONS = {state: {next states}}`.

    `move_to` is the only place a status changes; it raises TransitionNotAllowed with the reason in words."""

    TRANSITIONS: dict = {}

    def can_move_to(self, status: str) -> bool:
        return status in self.TRANSITIONS.get(self.status, ())

    def move_refusal(self, status: str):
        """The TransitionNotAllowed `move_to(status)` would raise, or None when the move is legal."""
        if self.can_move_to(status):
            return None
        from .errors import TransitionNotAllowed

        labels = dict(self._meta.get_field("status").choices)
        return TransitionNotAllowed(
            _("A %(model)s that is “%(current)s” cannot become “%(target)s”.")
            % {
                "model": self._meta.verbose_name,
                "current": labels.get(self.status, self.status),
                "target": labels.get(status, status),
            }
        )

    def move_to(self, status: str) -> None:
        refusal = self.move_refusal(status)
        if refusal is not None:
            raise refusal
        self.status = status


class WorkCalendarYear(models.Model):
    """The official 放假安排 of one year (the State Council's notice): its days off and 调休 working weekends are
    its `days`. A year without a row is provisional (`minsheng.common.workdays`)."""

    class Source(models.TextChoices):
        LIBRARY = "library", _("Loaded from the chinese-calendar package")
        OFFICE = "office", _("Entered by the office")

    year = models.PositiveSmallIntegerField(_("year"), unique=True)
    notice_number = models.CharField(_("notice number (文号)"), max_length=100, blank=True)
    notice_date = models.DateField(
        _("notice date"), null=True, blank=True, validators=[validators.validate_past_date]
    )
    source = models.CharField(_("source"), max_length=10, choices=Source.choices, default=Source.OFFICE)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("entered by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    changed_at = models.DateTimeField(_("changed at"), auto_now=True)

    class Meta:
        verbose_name = _("official holiday schedule")
        verbose_name_plural = _("official holiday schedules")
        ordering = ["year"]

    def __str__(self) -> str:
        return str(self.year)


class WorkCalendarDay(models.Model):
    """One exception to "Monday to Friday" in an official schedule: a day off (of a festival) or a 调休 working
    weekend."""

    calendar = models.ForeignKey(WorkCalendarYear, on_delete=models.CASCADE, related_name="days")
    day = models.DateField(_("day"), unique=True, validators=[validators.validate_planned_date])
    kind = models.CharField(
        _("kind"), max_length=4, choices=[("off", _("Day off")), ("work", _("Working day"))]
    )
    festival = models.CharField(_("festival"), max_length=12, blank=True)

    class Meta:
        verbose_name = _("day of an official schedule")
        verbose_name_plural = _("days of an official schedule")
        ordering = ["day"]
        constraints = [
            models.CheckConstraint(name="calendar_day_kind", condition=models.Q(kind__in=["off", "work"])),
        ]

    def __str__(self) -> str:
        return f"{self.day} {self.kind}"


class JobRun(models.Model):
    """One run of a periodic job on one day (or one slot of a day): the scheduler enqueues a job only if it can
    create this row, and enqueues it again while the run has not finished (its task failed, or vanished)."""

    class Status(models.TextChoices):
        ENQUEUED = "enqueued", _("Enqueued")
        RUNNING = "running", _("Running")
        SUCCEEDED = "succeeded", _("Succeeded")
        FAILED = "failed", _("Failed")

    name = models.CharField(max_length=100)
    day = models.DateField()
    enqueued_at = models.DateTimeField(auto_now_add=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.ENQUEUED)
    task_id = models.CharField(_("task result"), max_length=64, blank=True, db_index=True)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=1)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("periodic job run")
        verbose_name_plural = _("periodic job runs")
        db_table = (
            "notifications_jobrun"  # the table kept its name when the model moved here from notifications
        )
        constraints = [models.UniqueConstraint(fields=["name", "day"], name="one_job_run_per_day")]

    def __str__(self) -> str:
        return f"{self.name} {self.day}"


class TaskHeartbeat(models.Model):
    """The sign of life of a task a worker is running (`jobs.py`): written when the task starts and every
    TASK_HEARTBEAT_SECONDS while it runs, deleted when it ends. A RUNNING task whose heartbeat is older than
    TASK_LEASE_SECONDS lost its worker and is run again."""

    task_id = models.CharField(max_length=64, unique=True)
    worker_id = models.CharField(max_length=64)
    beat_at = models.DateTimeField(editable=False)

    class Meta:
        verbose_name = _("task heartbeat")
        verbose_name_plural = _("task heartbeats")
        db_table = "notifications_taskheartbeat"

    def __str__(self) -> str:
        return f"{self.task_id} {self.worker_id}"
