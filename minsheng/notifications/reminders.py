"""The deadline reminders' one loop: for each row with a due date, the reminder due today (if any) sent once.

Each app says which rows have a deadline and how its reminder reads (cases/reminders.py, the rating reminders
of cases/rating_reminders.py, projects/reminders.py); this loop asks `reminder_kind` (common/reminders.py)
which reminder is due today, and `remind_once` writes the app's log row (unique per row, kind and due date)
in the same transaction as its in-app notifications: a job that dies half-way and is retried skips every
reminder it already sent, and a moved due date makes new reminders for the new date.
"""

import datetime as dt
from collections.abc import Callable, Collection, Iterable

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import translation

from minsheng.common.reminders import reminder_kind
from minsheng.common.steps import job_step

from .services import notify


def remind_once(
    *, log: Callable[[], object], users: Callable[[], Iterable], text: str, link: str, sms: bool
) -> bool:
    """One reminder: `log()` writes its row and `notify` the `users()`, in one transaction. False when the
    row exists already (the reminder went out before: the unique key refuses it)."""
    try:
        with transaction.atomic():
            log()
            notify(users(), text=text, link=link, sms=sms)
    except IntegrityError:
        return False
    return True


def reminders_send(
    rows,
    *,
    today: dt.date,
    days_before: int,
    due: Callable[[object], dt.date],
    send: Callable[[object, str], bool],
    step: str,
    kinds: Collection[str] | None = None,
) -> int:
    """For each of `rows` (a queryset, read in chunks) the reminder due today for its date `due(row)`, among
    `kinds` (default every kind), sent by `send(row, kind)` (which returns whether it went out, usually
    through `remind_once`); `job_step("reminder.sent", <step>=row.pk)` after each. Returns how many went out."""
    sent = 0
    # reminders are written once for all their readers, in the installation's language
    with translation.override(settings.LANGUAGE_CODE):
        for row in rows.iterator(chunk_size=500):
            kind = reminder_kind(due(row), today, days_before)
            if kind is None or (kinds is not None and kind not in kinds):
                continue
            if send(row, kind):
                sent += 1
                job_step("reminder.sent", **{step: row.pk})
    return sent
