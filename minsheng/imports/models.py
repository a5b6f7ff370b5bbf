from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from minsheng.common.models import TimeStampedModel, TransitionsMixin
from minsheng.common.uploads import RandomName


class ImportJob(TransitionsMixin, TimeStampedModel):
    """One upload of an Excel roster. Validated in full first; applied in one transaction only if every row
    is right, otherwise refused with a per-row error report. Runs in the background with progress."""

    class Kind(models.TextChoices):
        DEPUTIES = "deputies", _("Deputies and seats")
        STATIONS = "stations", _("Liaison stations")
        UNITS = "units", _("Handling units")

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        VALIDATING = "validating", _("Validating")
        APPLYING = "applying", _("Importing")
        SUCCEEDED = "succeeded", _("Imported")
        REFUSED = "refused", _("Refused: errors in the file")
        FAILED = "failed", _("Failed")

    TRANSITIONS = {
        Status.QUEUED: {Status.VALIDATING, Status.FAILED},
        Status.VALIDATING: {Status.APPLYING, Status.REFUSED, Status.FAILED},
        Status.APPLYING: {Status.SUCCEEDED, Status.FAILED},
        Status.SUCCEEDED: set(),
        Status.REFUSED: set(),
        Status.FAILED: set(),
    }

    kind = models.CharField(_("roster"), max_length=10, choices=Kind.choices)
    congress = models.ForeignKey(
        "congresses.Congress", verbose_name=_("congress"), on_delete=models.PROTECT, related_name="imports"
    )
    file = models.FileField(_("file"), upload_to=RandomName("imports"), max_length=255)
    original_name = models.CharField(_("file name"), max_length=255)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.QUEUED)
    total_rows = models.PositiveIntegerField(_("rows"), default=0)
    processed_rows = models.PositiveIntegerField(_("rows processed"), default=0)
    created_count = models.PositiveIntegerField(_("created"), default=0)
    updated_count = models.PositiveIntegerField(_("updated"), default=0)
    unchanged_count = models.PositiveIntegerField(_("unchanged"), default=0)
    error_count = models.PositiveIntegerField(_("errors"), default=0)
    errors = models.JSONField(_("errors"), default=list, blank=True)
    error_report = models.FileField(
        _("error report"), upload_to=RandomName("imports/reports"), max_length=255, blank=True
    )
    message = models.CharField(_("message"), max_length=500, blank=True)
    # The uploader's language: the task runs without a request, and the errors and the report must be in it.
    language = models.CharField(_("language"), max_length=10, blank=True, default="")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("uploaded by"), on_delete=models.PROTECT, related_name="+"
    )
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        verbose_name = _("roster import")
        verbose_name_plural = _("roster imports")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.original_name}"

    @property
    def progress_percent(self) -> int:
        if self.status in (self.Status.SUCCEEDED, self.Status.REFUSED):
            return 100
        return int(100 * self.processed_rows / self.total_rows) if self.total_rows else 0

    @property
    def is_finished(self) -> bool:
        return self.status in (self.Status.SUCCEEDED, self.Status.REFUSED, self.Status.FAILED)
