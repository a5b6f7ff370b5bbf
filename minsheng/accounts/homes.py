"""The donor's home: it reads accounts only, so it lives here (the other roles' homes read across apps and live
in minsheng/insights/homes.py, which picks this one for donors). `views.donor_resubmit` shows it again with the
form's errors."""

from . import selectors
from .forms import DonorResubmitForm
from .models import DonorProfile, User

DONOR_HOME = "accounts/home_donor.html"


def donor_home_context(user) -> dict:
    """The donor's verification state; a rejected donor gets the form to correct and ask again."""
    context = {"role": User.Role.DONOR, **selectors.home_donor(user)}
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
