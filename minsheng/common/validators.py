"""Input that must make sense, in one place: dates and free-text lengths.

Dates. A date of something that happened (a reception, a home or follow-up visit, an inspection, a handling
record, a milestone done, a progress report...) lies between the earliest date (default 2000-01-01) and today;
a date of something planned (a deadline, a due date, a session, a vote) between the earliest date and a horizon
(default ten years from today). The bounds are settings: `settings.MINSHENG["EARLIEST_DATE"]` (ISO date) and
`settings.MINSHENG["PLANNED_YEARS_AHEAD"]`.

`validate_past_date` / `validate_planned_date` are Django validators: model fields list them, so ModelForms,
the admin and DRF ModelSerializers check them; the hand-written forms and serializers list them too.
`check_past_date` / `check_planned_date` / `check_length` (and `required_text` / `clean_text`, which strip
the text first) are what services call: they raise a DomainError
naming the field, so a command or a job that bypasses the forms is refused the same way.

Free text. Every TextField has a `max_length` (one of the sizes below) and a `length_constraint` in its model's
Meta, so that the database refuses longer text too (SQLite does not enforce a varchar's length).
"""

import datetime as dt

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models.functions import Length
from django.db.models.lookups import LessThanOrEqual
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from . import clock
from .crypto import ciphertext_length
from .errors import DomainError

DEFAULT_EARLIEST_DATE = dt.date(2000, 1, 1)
DEFAULT_PLANNED_YEARS_AHEAD = 10

# How long a free text may be (characters). Each TextField names one of these.
NOTE = 2_000  # a note, a reason, a comment, a decision, a short description
TEXT = 5_000  # a case's content, a matter raised, findings, a description
LONG_TEXT = 10_000  # an answer, a report of what was done
DERIVED_TEXT = 100_000  # text the application derives from the above (the search words of a case)


def earliest_date() -> dt.date:
    value = settings.MINSHENG.get("EARLIEST_DATE", DEFAULT_EARLIEST_DATE)
    return dt.date.fromisoformat(value) if isinstance(value, str) else value


def latest_planned_date() -> dt.date:
    years = int(settings.MINSHENG.get("PLANNED_YEARS_AHEAD", DEFAULT_PLANNED_YEARS_AHEAD))
    today = clock.today()
    try:
        return today.replace(year=today.year + years)
    except ValueError:  # 29 February
        return today.replace(year=today.year + years, day=28)


def _as_date(value) -> dt.date:
    if isinstance(value, dt.datetime):
        return timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
    return value


def _too_early() -> ValidationError:
    return ValidationError(
        _("The date cannot be before %(date)s.") % {"date": formats.date_format(earliest_date())},
        code="date_too_early",
    )


def validate_past_date(value) -> None:
    """A date (or time) of something that happened: not before the earliest date, not after today."""
    if value is None:
        return
    day = _as_date(value)
    if day < earliest_date():
        raise _too_early()
    if day > clock.today():
        raise ValidationError(_("The date cannot be in the future."), code="date_in_future")


def validate_planned_date(value) -> None:
    """A date of something planned: not before the earliest date, not beyond the horizon."""
    if value is None:
        return
    day = _as_date(value)
    if day < earliest_date():
        raise _too_early()
    latest = latest_planned_date()
    if day > latest:
        raise ValidationError(
            _("The date cannot be later than %(date)s.") % {"date": formats.date_format(latest)},
            code="date_too_far",
        )


def _checked(validator, value, field: str):
    try:
        validator(value)
    except ValidationError as exc:
        raise DomainError(exc.messages[0], field=field, code=exc.code or "invalid") from None
    return value


def check_past_date(value, *, field: str):
    """For services: `validate_past_date` as a DomainError on `field`; returns the value."""
    return _checked(validate_past_date, value, field)


def check_planned_date(value, *, field: str):
    """For services: `validate_planned_date` as a DomainError on `field`; returns the value."""
    return _checked(validate_planned_date, value, field)


def length_message(limit: int, count: int) -> str:
    return _("At most %(limit)d characters; this has %(count)d.") % {"limit": limit, "count": count}


def check_length(value, *, field: str, limit: int | None = None, model: type[models.Model] | None = None):
    """For services: refuse a text longer than `limit` (or the `max_length` of `model`'s `field`) with a
    DomainError on `field`; returns the value unchanged."""
    if limit is None:
        limit = model._meta.get_field(field).max_length if model is not None else None
    if value and limit and len(value) > limit:
        raise DomainError(length_message(limit, len(value)), field=field, code="max_length")
    return value


def required_text(value, *, field: str, message=None) -> str:
    """For services: `value` stripped of white space; a DomainError (code "required") on `field` when nothing
    is left (`message`, or "This field is required.")."""
    value = (value or "").strip()
    if not value:
        raise DomainError(message or _("This field is required."), field=field, code="required")
    return value


def clean_text(
    value,
    *,
    field: str,
    required: bool = False,
    message=None,
    limit: int | None = None,
    model: type[models.Model] | None = None,
) -> str:
    """For services: `value` stripped, present when `required` (see `required_text`), and no longer than
    `limit` or the `max_length` of `model`'s `field` (see `check_length`)."""
    value = required_text(value, field=field, message=message) if required else (value or "").strip()
    return check_length(value, field=field, limit=limit, model=model)


def length_constraint(field: str, limit: int, *, name: str) -> models.CheckConstraint:
    """The database's own check that `field` holds at most `limit` characters (both SQLite and PostgreSQL)."""
    return models.CheckConstraint(condition=LessThanOrEqual(Length(field), limit), name=name)


def encrypted_length_constraint(field: str, limit: int, *, name: str) -> models.CheckConstraint:
    """`length_constraint` of an encrypted field (common/crypto.py): the database sees only the ciphertext, so it
    checks the longest ciphertext of `limit` characters; the forms, serializers and services check `limit`."""
    return length_constraint(field, ciphertext_length(limit), name=name)


def limit(model: type[models.Model], field: str) -> int:
    """The `max_length` of a model's field: forms and serializers take their limits from the model."""
    return model._meta.get_field(field).max_length
