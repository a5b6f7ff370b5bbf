"""The work lists: staff's, a deputy's and a unit's (their queues and search), a unit's inbox, a donor's
claims, a deputy's co-signings, the year's list of priority cases (page, print, PDF, Excel) and the "my work"
block of the home pages."""

from collections import namedtuple

from django.contrib.auth.decorators import login_required
from django.db.models import Prefetch, Q
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET

from minsheng.accounts.permissions import Role, has_role, staff_scope_prefix
from minsheng.common import clock, pagecache
from minsheng.common.dbrouter import use_replica
from minsheng.common.errors import PermissionDenied
from minsheng.common.export import xlsx_response
from minsheng.common.paging import paginate
from minsheng.common.permissions import can, ensure
from minsheng.places.models import Place
from minsheng.units.models import Unit

from .. import forms as F
from .. import pages, privacy, selectors
from ..models import Assignment, Case, Claim
from ._base import PAGE_SIZE, _city_prefix, _clock, case_clock

STAFF_QUEUES = (
    ("to_review", gettext_lazy("To review")),
    ("to_assign", gettext_lazy("To assign")),
    ("late_assign", gettext_lazy("Late to assign")),
    ("due_soon", gettext_lazy("Due in 7 days")),
    ("overdue", gettext_lazy("Overdue")),
    ("priority", gettext_lazy("Priority (重点)")),
    ("to_publish", gettext_lazy("To publish")),
    ("rating_overdue", gettext_lazy("Not rated in time (未反馈)")),
)
DEPUTY_QUEUES = (("to_rate", gettext_lazy("To rate")),)


# --- lists -------------------------------------------------------------------------------------------------


# The drop-downs are the same for every staff member of a region and change only with the units and places
# (a signal bumps their versions: cases/apps.py), so they are kept between requests (issue 13).
FILTER_SECONDS = 600
UnitChoice = namedtuple("UnitChoice", "pk name")
CountyChoice = namedtuple("CountyChoice", "code name")


def _units_for_filter(actor):
    """Staff filter by the units their cases may go to: those of their region and those above it."""
    prefix = staff_scope_prefix(actor)
    if prefix is None:
        return None

    def units():
        units = Unit.objects.only("id", "name").order_by("place__code", "name")
        if prefix:
            above = [prefix[:i] for i in range(len(prefix))]
            units = units.filter(
                Q(congress__region_prefix__startswith=prefix) | Q(congress__region_prefix__in=above)
            )
        return [UnitChoice(u.pk, u.name) for u in units]

    return pagecache.versioned(pages.FILTER_UNITS, None, units, seconds=FILTER_SECONDS, part=prefix)


def _counties_for(actor):
    prefix = (staff_scope_prefix(actor) or "")[:6]

    def counties():
        counties = Place.objects.filter(level=Place.Level.COUNTY, code__startswith=_city_prefix())
        if len(prefix) >= 6:
            counties = counties.filter(code__startswith=prefix)
        return [CountyChoice(p.code, p.name) for p in counties.only("code", "name").order_by("code")]

    part = f"{_city_prefix()}:{prefix}"
    return pagecache.versioned(pages.FILTER_PLACES, None, counties, seconds=FILTER_SECONDS, part=part)


@login_required
@require_GET
def case_list(request):
    """The actor's cases with filters; staff get their work queues as tabs with counts."""
    user = request.user
    is_staff = staff_scope_prefix(user) is not None
    form = F.CaseFilterForm(
        request.GET or None,
        counties=_counties_for(user),
        units=_units_for_filter(user) if is_staff else None,
    )
    filters = form.filters()
    queues = STAFF_QUEUES if is_staff else DEPUTY_QUEUES if has_role(user, Role.DEPUTY) else ()
    queue = request.GET.get("queue", "")
    if queue not in {q for q, _label in queues}:
        queue = ""
    cases = selectors.case_list_for(user, queue=queue, **filters)
    context = paginate(request, cases, per_page=PAGE_SIZE)
    today = clock.today()
    for case in context["object_list"]:
        case.clock = case_clock(case, today)
    if is_staff:
        counts = selectors.queue_counts_for(user, today=today)
    elif queues:
        scope = selectors.case_scope_for(user)
        counts = {q: selectors.apply_queue(scope, q, today=today).count() for q, _label in queues}
    else:
        counts = {}
    params = request.GET.copy()
    for key in ("queue", "page"):
        params.pop(key, None)
    context.update(
        {
            "form": form,
            "queue": queue,
            "queues": [(q, label, counts.get(q, 0)) for q, label in queues],
            "filter_query": params.urlencode(),
            "can_create": can(user, "cases.create"),
            "kinds": Case.Kind.choices,
            "can_priority_list": can(user, "cases.view_priority_list"),
            "can_cosign": has_role(user, Role.DEPUTY),
        }
    )
    return render(request, "cases/list.html", context)


@login_required
@require_GET
def inbox(request):
    """A unit's inbox: its assignments, the live ones first by due date, overdue in red."""
    user = request.user
    if not has_role(user, Role.UNIT_HANDLER):
        raise PermissionDenied(_("The inbox is for the handlers of a unit."))
    form = F.InboxFilterForm(request.GET or None)
    status = form.cleaned_data.get("status", "") if form.is_valid() else ""
    context = paginate(request, selectors.unit_inbox_for(user, status=status), per_page=PAGE_SIZE)
    today = clock.today()
    for assignment in context["object_list"]:
        assisting = assignment.role == Assignment.Role.ASSISTING
        due = assignment.opinion_due if assisting else assignment.answer_due
        live = assignment.status in Assignment.LIVE
        assignment.clock = _clock(due, today, "opinion" if assisting else "answer") if live else None
    context.update({"form": form, "unit": user.unit})
    return render(request, "cases/inbox.html", context)


@login_required
@require_GET
def claims(request):
    """A donor's claims, their state and, while a claim is live, the contact needed to deliver."""
    user = request.user
    if not has_role(user, Role.DONOR):
        raise PermissionDenied(_("This page is for donors."))
    claims_ = selectors.claims_of(user).select_related("case__place__parent", "case__beneficiary")
    context = paginate(request, claims_, per_page=PAGE_SIZE)
    for claim in context["object_list"]:
        claim.contact = (
            privacy.beneficiary_for(user, claim.case) if claim.status == Claim.Status.LIVE else None
        )
        claim.label = privacy.wall_label(claim.case)
        claim.withdraw_form = F.ReasonForm(auto_id=f"id_withdraw{claim.pk}_%s")
        claim.deliver_form = F.DeliverForm(auto_id=f"id_deliver{claim.pk}_%s")
    context["next"] = request.get_full_path()
    return render(request, "cases/claims.html", context)


@login_required
@require_GET
def cosignings(request):
    """联名: the cases a deputy is named on as co-signer and has yet to confirm or decline."""
    user = request.user
    if not has_role(user, Role.DEPUTY):
        raise PermissionDenied(_("This page is for deputies."))
    context = paginate(request, selectors.cosignings_pending_for(user), per_page=PAGE_SIZE)
    for case in context["object_list"]:
        case.shown_title = privacy.redact(case.title, case)
    return render(request, "cases/cosignings.html", context)


# --- 重点督办: the year's list of priority cases (page, print, PDF, Excel) -----------------------------------


def priority_list_context(request) -> dict:
    """The rows of the year's 重点督办 list in the caller's scope, and the year chosen (default: the latest
    year with a decision, else this year)."""
    user = request.user
    ensure(user, "cases.view_priority_list")
    years = selectors.priority_years_for(user)
    form = F.PriorityListForm(request.GET or None)
    year = (form.cleaned_data.get("year") if form.is_valid() else None) or (
        years[0] if years else clock.today().year
    )
    decisions = selectors.priority_list_for(user, year=year).prefetch_related(
        Prefetch(
            "case__assignments",
            queryset=Assignment.objects.exclude(status=Assignment.Status.REMOVED)
            .select_related("unit")
            .order_by("round", "role", "id"),
        )
    )
    rows = []
    for decision in decisions:
        case = decision.case
        current = [a for a in case.assignments.all() if a.round == case.round]
        rows.append(
            {
                "pk": case.pk,
                "meeting_date": decision.meeting_date,
                "meeting_name": decision.meeting_name,
                "proposed_by": decision.proposed_by,
                "note": decision.note,
                "number": case.number or "",
                "kind": case.get_kind_display(),
                "title": privacy.redact(case.title, case),
                "congress": case.congress.name,
                "lead_deputy": case.lead_deputy.name,
                "units": "；".join(f"{a.unit.name}（{a.get_role_display()}）" for a in current),
                "status": case.get_status_display(),
                "answer_due": case.answer_due,
                "still_priority": case.is_priority,
            }
        )
    return {"form": form, "year": year, "years": years, "rows": rows, "printed_at": clock.now()}


PRIORITY_HEADERS = (
    gettext_lazy("Date of the meeting"),
    gettext_lazy("Meeting"),
    gettext_lazy("Case number"),
    gettext_lazy("Kind"),
    gettext_lazy("Title"),
    gettext_lazy("Congress"),
    gettext_lazy("Lead deputy"),
    gettext_lazy("Handling units"),
    gettext_lazy("Proposed by"),
    gettext_lazy("Status"),
    gettext_lazy("Answer by"),
    gettext_lazy("Still under priority supervision"),
)


@login_required
@require_GET
def priority_list(request):
    """重点督办 of a year, decided by the 主任会议: a page that prints as the list (print CSS)."""
    return render(request, "cases/priority_list.html", priority_list_context(request))


@use_replica
@login_required
@require_GET
def priority_list_export(request):
    context = priority_list_context(request)
    rows = (
        [
            r["meeting_date"],
            r["meeting_name"],
            r["number"],
            r["kind"],
            r["title"],
            r["congress"],
            r["lead_deputy"],
            r["units"],
            r["proposed_by"],
            r["status"],
            r["answer_due"] or "",
            _("yes") if r["still_priority"] else _("lifted"),
        ]
        for r in context["rows"]
    )
    filename = _("priority-cases-%(year)s.xlsx") % {"year": context["year"]}
    return xlsx_response(
        [str(h) for h in PRIORITY_HEADERS], rows, filename=filename, title=_("Priority supervision")
    )


@login_required
@require_GET
def priority_list_pdf(request):
    from minsheng.common import printing

    from .. import pdf

    context = priority_list_context(request)
    filename = _("priority-cases-%(year)s.pdf") % {"year": context["year"]}
    return printing.pdf_response(pdf.priority_list_pdf(context=context), filename)


# --- the "my work" block of the home pages (htmx) ----------------------------------------------------------


@login_required
@require_GET
def my_work(request):
    """The counts of the home page's "my work" block, loaded by htmx so the home page itself stays cheap."""
    user = request.user
    today = clock.today()
    rows: list[tuple[str, int, str]] = []
    list_url = reverse("cases:list")
    if staff_scope_prefix(user) is not None:
        counts = selectors.queue_counts_for(user, today=today)
        rows = [(label, counts.get(q, 0), f"{list_url}?queue={q}") for q, label in STAFF_QUEUES]
    elif has_role(user, Role.DEPUTY):
        scope = selectors.case_scope_for(user)
        rows = [
            (_("Open cases"), scope.filter(status__in=Case.OPEN_STATUSES).count(), list_url),
            (
                _("To rate"),
                selectors.apply_queue(scope, "to_rate", today=today).count(),
                f"{list_url}?queue=to_rate",
            ),
            (
                _("Co-signings to confirm"),
                selectors.cosignings_pending_for(user).count(),
                reverse("cases:cosignings"),
            ),
        ]
    elif has_role(user, Role.STATION_STAFF):
        scope = selectors.case_scope_for(user)
        to_verify = scope.filter(kind=Case.Kind.WISH, verified_at=None, status__in=Case.OPEN_STATUSES)
        delivered = Claim.objects.filter(case__in=scope, status=Claim.Status.DELIVERED)
        rows = [
            (_("Open cases"), scope.filter(status__in=Case.OPEN_STATUSES).count(), list_url),
            (_("Wishes to verify at home"), to_verify.count(), f"{list_url}?kind=wish&status=draft"),
            (_("Deliveries to confirm"), delivered.count(), list_url),
        ]
    elif has_role(user, Role.UNIT_HANDLER):
        inbox_url = reverse("cases:inbox")
        mine = selectors.unit_inbox_for(user)
        rows = [
            (
                _("To acknowledge"),
                mine.filter(status=Assignment.Status.PENDING).count(),
                f"{inbox_url}?status=pending",
            ),
            (
                _("Handling"),
                mine.filter(status=Assignment.Status.HANDLING).count(),
                f"{inbox_url}?status=handling",
            ),
            (
                _("Overdue"),
                mine.filter(status__in=Assignment.LIVE, answer_due__lt=today).count(),
                inbox_url,
            ),
        ]
    elif has_role(user, Role.DONOR):
        mine = selectors.claims_of(user)
        rows = [
            (_("Claims to deliver"), mine.filter(status=Claim.Status.LIVE).count(), reverse("cases:claims")),
            (
                _("Delivered, awaiting confirmation"),
                mine.filter(status=Claim.Status.DELIVERED).count(),
                reverse("cases:claims"),
            ),
        ]
    return render(request, "cases/_my_work.html", {"rows": rows})
