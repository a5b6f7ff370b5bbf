"""The printed documents of a case (`/cases/<pk>/print/<document>.pdf`) and the day's list of assignments
(`/cases/stats/assignments.pdf`, `download_urls.py`). Each view asks `cases.print` (permissions.py) and
answers the PDF of `pdf.py` under a Chinese file name; the case page shows a link only where the same rule
allows it (`printouts_for`).
"""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET

from minsheng.common import clock, printing
from minsheng.common.errors import PermissionDenied
from minsheng.common.permissions import can

from .. import pdf
from ..models import Case
from ..permissions import Printout, prime_print_facts
from ..selectors import case_get_for, case_scope_for

# slug in the URL: (the rule's document, the link's label, the file name, the PDF)
CASE_PRINTOUTS = {
    "registration": (
        "registration",
        gettext_lazy("Registration form"),
        gettext_lazy("registration-form-%(number)s.pdf"),
        pdf.registration_pdf,
    ),
    "home-verification": (
        "home_verification",
        gettext_lazy("Home verification form"),
        gettext_lazy("home-verification-form-%(number)s.pdf"),
        pdf.home_verification_pdf,
    ),
    "assignment-notice": (
        "assignment_notice",
        gettext_lazy("Assignment notice"),
        gettext_lazy("assignment-notice-%(number)s.pdf"),
        pdf.assignment_notice_pdf,
    ),
    "supervision-notice": (
        "supervision_notice",
        gettext_lazy("Supervision notice"),
        gettext_lazy("supervision-notice-%(number)s.pdf"),
        pdf.supervision_notice_pdf,
    ),
    "feedback-form": (
        "feedback_form",
        gettext_lazy("Feedback form"),
        gettext_lazy("feedback-form-%(number)s.pdf"),
        pdf.feedback_form_pdf,
    ),
}


def _number(case: Case) -> str:
    return printing.safe_name(case.number or case.pk)


def printouts_for(user, case: Case, *, assignments=None) -> list[dict]:
    """The print links of the case page: those `cases.print` allows `user` (`assignments`: the page's rows of
    every part with its answer, which spare the rule its own queries)."""
    if assignments is not None:
        prime_print_facts(case, assignments, viewer=user)
    return [
        {"slug": slug, "label": label, "url": reverse("cases:print", args=[case.pk, slug])}
        for slug, (document, label, _name, _render) in CASE_PRINTOUTS.items()
        if can(user, "cases.print", Printout(document, case))
    ]


@login_required
@require_GET
def case_print(request, pk: int, document: str):
    try:
        key, _label, filename, render = CASE_PRINTOUTS[document]
    except KeyError:
        raise Http404(_("No such document.")) from None
    case = case_get_for(request.user, pk)  # outside the caller's scope: 404
    if not can(request.user, "cases.print", Printout(key, case)):
        raise PermissionDenied(_("You are not allowed to print this document."))
    content = render(actor=request.user, case=case)
    return printing.pdf_response(content, str(filename) % {"number": _number(case)})


@login_required
@require_GET
def assignment_list(request):
    """交办清单: the parts assigned on `?date=YYYY-MM-DD` (today by default) among the caller's cases."""
    if not can(request.user, "cases.print", Printout("assignment_list")):
        raise PermissionDenied(_("You are not allowed to print this document."))
    raw = request.GET.get("date", "")
    try:
        day = dt.date.fromisoformat(raw) if raw else clock.today()
    except ValueError:
        from django.http import HttpResponseBadRequest

        return HttpResponseBadRequest(
            _("The date is not valid: give it as YYYY-MM-DD."), content_type="text/plain; charset=utf-8"
        )
    context = pdf.assignment_list_context(actor=request.user, cases=case_scope_for(request.user), day=day)
    filename = _("assignment-list-%(date)s.pdf") % {"date": day.isoformat()}
    return printing.pdf_response(pdf.assignment_list_pdf(context=context), filename)
