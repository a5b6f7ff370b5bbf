"""The audit trail: `record(actor, verb, target, **data)` is the only way to write it.

Verbs form a closed list with translated labels; each app adds its own verbs with `register_verbs` in its
AppConfig.ready(). Never put decrypted personal data into `data`.
"""

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _

from .models import AuditRecord

VERBS: dict[str, object] = {
    "user.signed_in": _("signed in"),
    "user.lockout_lifted": _("lifted a sign-in lock-out"),
}


def register_verbs(verbs: dict[str, object]) -> None:
    VERBS.update(verbs)


def record(actor, verb: str, target: models.Model | None = None, **data) -> AuditRecord:
    if verb not in VERBS:
        raise ValueError(f"Unknown audit verb {verb!r}: add it to the closed list first")
    if actor is not None and not getattr(actor, "is_authenticated", False):
        actor = None
    return AuditRecord.objects.create(
        actor=actor,
        verb=verb,
        target_type=ContentType.objects.get_for_model(target) if target is not None else None,
        target_id=str(target.pk) if target is not None else "",
        target_repr=str(target)[:255] if target is not None else "",
        data=data,
    )


def record_many(actor, verb: str, entries: list[tuple[models.Model, dict]], *, batch_size: int = 1000) -> int:
    """`record` for many targets at once (a job that changes thousands of rows): one INSERT per batch.
    Same checks, same rows. Returns the number written."""
    if verb not in VERBS:
        raise ValueError(f"Unknown audit verb {verb!r}: add it to the closed list first")
    if actor is not None and not getattr(actor, "is_authenticated", False):
        actor = None
    rows = [
        AuditRecord(
            actor=actor,
            verb=verb,
            target_type=ContentType.objects.get_for_model(target),
            target_id=str(target.pk),
            target_repr=str(target)[:255],
            data=data,
        )
        for target, data in entries
    ]
    AuditRecord.objects.bulk_create(rows, batch_size=batch_size)
    return len(rows)


def history_of(target: models.Model):
    """The audit records of one object, newest first (for the history shown on its page)."""
    return AuditRecord.objects.filter(
        target_type=ContentType.objects.get_for_model(target), target_id=str(target.pk)
    ).select_related("actor")
