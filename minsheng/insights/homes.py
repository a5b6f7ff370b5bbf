"""The home page of each role: which template, with what on it. Each home reads through one selector
(a bounded number of queries: see the query-budget tests)."""

from minsheng.accounts.homes import DONOR_HOME, donor_home_context
from minsheng.accounts.models import User

from . import selectors
from .next_steps import next_steps_for

Role = User.Role

HOMES = {
    Role.ADMIN: ("insights/home_admin.html", selectors.home_admin),
    Role.CONGRESS_STAFF: ("insights/home_congress_staff.html", selectors.home_congress_staff),
    Role.DEPUTY: ("insights/home_deputy.html", selectors.home_deputy),
    Role.STATION_STAFF: ("insights/home_station_staff.html", selectors.home_station_staff),
    Role.UNIT_HANDLER: ("insights/home_unit_handler.html", selectors.home_unit_handler),
}


def home_context(request) -> tuple[str, dict]:
    user = request.user
    role = Role.ADMIN if getattr(user, "is_admin", False) else getattr(user, "role", "")
    if user.is_authenticated and role == Role.DONOR:
        return DONOR_HOME, donor_home_context(user)
    if not user.is_authenticated or role not in HOMES:
        return "insights/home_public.html", selectors.home_public()
    template, build = HOMES[role]
    # What to do next comes first on every working home (issue 12): insights/next_steps.py.
    return template, {"role": role, "next_steps": next_steps_for(user), **build(user)}
