"""The home page of each role: which template, with what on it. Each home reads through one selector
(a bounded number of queries: see the query-budget tests)."""

from . import selectors
from .forms import DonorResubmitForm
from .models import DonorProfile, User

Role = User.Role


def _donor(user) -> dict:
    context = selectors.home_donor(user)
    profile = context["profile"]
    if profile is not None and profile.status == DonorProfile.Status.REJECTED:
        context["resubmit_form"] = DonorResubmitForm(
            initial={
                "name": profile.name,
                "credit_code": profile.credit_code,
                "contact_name": profile.contact_name,
            }
        )
    return context


BUILDERS = {
    Role.ADMIN: selectors.home_admin,
    Role.CONGRESS_STAFF: selectors.home_congress_staff,
    Role.DEPUTY: selectors.home_deputy,
    Role.STATION_STAFF: selectors.home_station_staff,
    Role.UNIT_HANDLER: selectors.home_unit_handler,
    Role.DONOR: _donor,
}


def home_context(request) -> tuple[str, dict]:
    user = request.user
    role = Role.ADMIN if getattr(user, "is_admin", False) else getattr(user, "role", "")
    if not user.is_authenticated or role not in BUILDERS:
        return "accounts/home_public.html", selectors.home_public()
    return f"accounts/home_{role}.html", {"role": role, **BUILDERS[role](user)}
