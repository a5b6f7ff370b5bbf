"""What the case pages share: the page size, the city, and the clock of a case (what it waits for and by
when)."""

import datetime as dt

from django.conf import settings

from ..models import Case

PAGE_SIZE = 25


def _city_prefix() -> str:
    return settings.MINSHENG["DEFAULT_CITY_CODE"][:4]


# --- the clock ---------------------------------------------------------------------------------------------


def case_clock(case: Case, today: dt.date) -> dict | None:
    """What the case waits for and by when: assigning (5 working days from filing) or answering."""
    if case.status in (Case.Status.FILED, Case.Status.ACCEPTED) and case.assign_due:
        due, what = case.assign_due, "assign"
    elif case.status == Case.Status.ASSIGNED and case.answer_due:
        due, what = case.answer_due, "answer"
    else:
        return None
    return _clock(due, today, what)


def _clock(due: dt.date | None, today: dt.date, what: str) -> dict | None:
    if due is None:
        return None
    days = (due - today).days
    return {
        "what": what,
        "due": due,
        "days": days,
        "late_by": -days,
        "late": days < 0,
        "soon": 0 <= days <= 7,
    }
