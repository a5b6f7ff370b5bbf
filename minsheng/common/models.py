from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _


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

    def move_to(self, status: str) -> None:
        if not self.can_move_to(status):
            from .errors import TransitionNotAllowed

            labels = dict(self._meta.get_field("status").choices)
            raise TransitionNotAllowed(
                _("A %(model)s that is “%(current)s” cannot become “%(target)s”.")
                % {
                    "model": self._meta.verbose_name,
                    "current": labels.get(self.status, self.status),
                    "target": labels.get(status, status),
                }
            )
        self.status = status
