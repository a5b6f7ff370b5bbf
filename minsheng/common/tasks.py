"""Background jobs of the common floor, run by `manage.py db_worker`."""

import logging

from django_tasks import task

from . import audit, workdays
from .forms import kept_uploads_sweep

log = logging.getLogger(__name__)


@task()
def deadlines_recompute(*, year: int) -> dict:
    """After the official schedule of `year` is entered: every app that keeps working-day deadlines computes its
    open ones again (`workdays.on_schedule_entered`). Safe to run twice: a second run finds nothing to change."""
    workdays.invalidate()  # this worker may hold the calendar from before the schedule was entered
    result = {}
    for name, recompute in sorted(workdays.recomputers().items()):
        result[name] = recompute(year)
        log.info("deadlines of %s recomputed for %s: %s", name, year, result[name])
    audit.record(None, "calendar.deadlines_recomputed", None, year=year, result=result)
    return result


@task()
def sweep_kept_uploads() -> int:
    """Daily: the uploads kept for forms that were never sent again (`forms.kept_uploads_sweep`)."""
    removed = kept_uploads_sweep()
    log.info("kept uploads swept: %s files", removed)
    return removed
