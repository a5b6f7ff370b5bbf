"""Pages of cases: the work lists, recording and editing a case, the case page with every step of the workflow,
a unit's inbox, a donor's claims, and — without sign-in — the wish wall and the published answers.

Views translate input and output only: services decide and write (each action below is one service call),
selectors read within the caller's scope (another congress's or unit's case answers 404), and privacy.py alone
decides what of a beneficiary anyone sees. A refused move (TransitionNotAllowed) is shown as a message with
nothing changed (HTTP 409); a refused input is shown on its field (HTTP 400, or 409 for a conflict).
"""

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.db.models import Prefetch, Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from minsheng.accounts.permissions import Role, has_role, staff_scope_prefix
from minsheng.common import audit, clock, uploads
from minsheng.common.errors import DomainError, PermissionDenied, TransitionNotAllowed
from minsheng.common.paging import paginate
from minsheng.common.permissions import can, ensure
from minsheng.places.models import Place
from minsheng.stations.models import Station
from minsheng.units.models import Unit

from . import actions, origins, privacy, selectors, services
from . import forms as F
from .models import (
    Answer,
    Assignment,
    Case,
    Claim,
    Cosigner,
    Document,
    ExtensionRequest,
    HandlingRecord,
    ReassignmentRequest,
)
from .permissions import extension_cap_for, opinions_missing
from .rules import rules_for

PAGE_SIZE = 25
WALL_PAGE_SIZE = 24
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


# --- lists -------------------------------------------------------------------------------------------------


def _units_for_filter(actor):
    """Staff filter by the units their cases may go to: those of their region and those above it."""
    prefix = staff_scope_prefix(actor)
    if prefix is None:
        return None
    units = Unit.objects.only("id", "name").order_by("place__code", "name")
    if prefix == "":
        return units
    above = [prefix[:i] for i in range(len(prefix))]
    return units.filter(Q(congress__region_prefix__startswith=prefix) | Q(congress__region_prefix__in=above))


def _counties_for(actor):
    counties = Place.objects.filter(level=Place.Level.COUNTY, code__startswith=_city_prefix())
    prefix = staff_scope_prefix(actor) or ""
    if len(prefix) >= 6:
        counties = counties.filter(code__startswith=prefix[:6])
    return counties.only("code", "name").order_by("code")


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


@login_required
@require_GET
def priority_list_export(request):
    from minsheng.common.export import xlsx_response

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
    from urllib.parse import quote

    from django.http import HttpResponse

    from . import pdf

    context = priority_list_context(request)
    response = HttpResponse(pdf.priority_list_pdf(context=context), content_type="application/pdf")
    filename = _("priority-cases-%(year)s.pdf") % {"year": context["year"]}
    response["Content-Disposition"] = f"inline; filename*=UTF-8''{quote(filename)}"
    return response


# --- recording and editing ---------------------------------------------------------------------------------


def _kind_from(request) -> str | None:
    kind = request.GET.get("kind") or request.POST.get("kind") or ""
    return kind if kind in Case.Kind.values else None


def _stations_for(actor):
    if has_role(actor, Role.DEPUTY):
        return Station.objects.filter(attachments__deputy_id=actor.deputy_id, is_active=True).order_by("name")
    return None


def _selected_seat(seats: list, raw) -> object | None:
    try:
        wanted = int(raw)
    except (TypeError, ValueError):
        return seats[0] if seats else None
    return next((s for s in seats if s.pk == wanted), seats[0] if seats else None)


@login_required
@require_http_methods(["GET", "POST"])
def case_create(request):
    """Record a case: a deputy as lead deputy, station staff for a deputy of their station, congress staff
    for any deputy of their region. A wish carries its beneficiary and photos."""
    user = request.user
    ensure(user, "cases.create")
    kind = _kind_from(request)
    if kind is None:
        return render(request, "cases/create_choose.html", {"kinds": Case.Kind.choices})
    seats = list(F.seats_for_recording(user))
    seat = _selected_seat(seats, request.POST.get("seat") or request.GET.get("seat"))
    stations = _stations_for(user)
    own_station = user.station if has_role(user, Role.STATION_STAFF) else None
    places = F.places_within([seat.congress.region_prefix] if seat else [])
    default_place = own_station.place_id if own_station else None
    if stations is not None and default_place is None:
        first = stations.first()
        default_place = first.place_id if first else None
    initial = {"seat": seat.pk if seat else None}
    if seat:
        initial["place"] = (
            default_place
            if default_place and any(p.pk == default_place for p in places)
            else seat.congress.place_id
        )
    if stations is not None:
        only = list(stations[:2])
        if len(only) == 1:
            initial["station"] = only[0].pk
    form = F.CaseForm(
        request.POST or None,
        request.FILES or None,
        kind=kind,
        seats=seats,
        stations=stations,
        places=places,
        initial=initial,
        own_seats=has_role(user, Role.DEPUTY),
    )
    form.fields["seat"].widget.attrs.update(
        {"hx-get": reverse("cases:place_options"), "hx-target": "#id_place", "hx-swap": "innerHTML"}
    )
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            try:
                with transaction.atomic():
                    case = services.case_create(
                        actor=user,
                        kind=kind,
                        title=data["title"],
                        content=data["content"],
                        congress=data["seat"].congress,
                        lead_deputy=data["seat"].deputy,
                        place=data["place"],
                        station=own_station or data.get("station"),
                        category=data.get("category", ""),
                        amount=data.get("amount"),
                        beneficiary=form.beneficiary(),
                    )
                    for photo in data.get("photos") or []:
                        services.document_add(
                            actor=user, case_id=case.pk, kind=Document.Kind.PHOTO, upload=photo
                        )
            except DomainError as exc:
                F.add_domain_error(form, exc)
                status = exc.status_code
            else:
                messages.success(request, _("The case is recorded as a draft."))
                return redirect("cases:detail", pk=case.pk)
        if status == 200:
            status = 400
    context = {"form": form, "kind": kind, "kind_label": Case.Kind(kind).label, "no_seat": not seats}
    return render(request, "cases/form.html", context, status=status)


@login_required
@require_GET
def place_options(request):
    """htmx: the places offered for the congress of the chosen seat (the page works without it)."""
    seats = list(F.seats_for_recording(request.user))
    seat = _selected_seat(seats, request.GET.get("seat"))
    if seat is None:
        raise Http404
    places = F.places_within([seat.congress.region_prefix])
    return render(
        request,
        "cases/_place_options.html",
        {"choices": F.place_choices(places), "selected": seat.congress.place_id},
    )


@login_required
@require_http_methods(["GET", "POST"])
def case_edit(request, pk: int):
    """Correct a draft, or a case returned for revision."""
    user = request.user
    case = selectors.case_get_for(user, pk)
    ensure(user, "cases.edit", case)
    if case.status not in (Case.Status.DRAFT, Case.Status.RETURNED):
        return _refused(
            request, case, TransitionNotAllowed(_("Only a draft or a returned case can be edited."))
        )
    initial = {
        "title": case.title,
        "content": case.content,
        "category": case.category,
        "amount": case.amount,
        "place": case.place_id,
    }
    beneficiary = privacy.beneficiary_for(user, case)
    if beneficiary and beneficiary.get("full"):
        b = case.beneficiary
        initial.update(
            {
                "beneficiary_kind": b.kind,
                "beneficiary_group": b.group,
                "beneficiary_name": beneficiary["name"],
                "beneficiary_id_number": beneficiary["id_number"],
                "beneficiary_phone": beneficiary["phone"],
                "beneficiary_address": beneficiary["address"],
            }
        )
    form = F.CaseForm(
        request.POST or None,
        kind=case.kind,
        places=F.places_within([case.congress.region_prefix]),
        editing=True,
        initial=initial,
    )
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            changes = {"title": data["title"], "content": data["content"], "place": data["place"]}
            for name in ("category", "amount"):
                if name in form.fields:
                    changes[name] = data.get(name)
            try:
                services.case_update(actor=user, case_id=case.pk, beneficiary=form.beneficiary(), **changes)
            except TransitionNotAllowed as exc:
                return _refused(request, case, exc)
            except DomainError as exc:
                F.add_domain_error(form, exc)
                status = exc.status_code
            else:
                messages.success(request, _("The case is saved."))
                return redirect("cases:detail", pk=case.pk)
        if status == 200:
            status = 400
    context = {"form": form, "case": case, "kind": case.kind, "kind_label": case.get_kind_display()}
    return render(request, "cases/form.html", context, status=status)


# --- the case page -----------------------------------------------------------------------------------------


@dataclass
class Shown:
    """One action offered on the case page: a form posting to its own URL."""

    name: str
    label: str
    url: str
    form: object = None
    style: str = "outline-danger"
    note: str = ""
    target: object = None
    multipart: bool = False
    extra: dict = field(default_factory=dict)


def _detail_data(user, case: Case) -> dict:
    today = clock.today()
    claimant_only = privacy.sees_claims_only(user)
    assignments = list(
        case.assignments.select_related("unit", "answer", "answer__answered_by")
        .prefetch_related(
            Prefetch("records", queryset=HandlingRecord.objects.select_related("recorded_by")),
            Prefetch(
                "reassignment_requests",
                queryset=ReassignmentRequest.objects.select_related("requested_by", "decided_by"),
            ),
            Prefetch("extension_requests", queryset=ExtensionRequest.objects.order_by("requested_at", "id")),
        )
        .order_by("round", "id")
    )
    # The lead unit (or the split units) first, then the assisting units, round by round.
    assignments.sort(key=lambda a: (a.round, a.role == Assignment.Role.ASSISTING, a.pk))
    sees_family = can(user, "cases.view_beneficiary", case)
    documents = [
        d
        for d in case.documents.select_related("uploaded_by", "claim")
        if privacy.may_open_document(user, d, sees_family=sees_family)
    ]
    claims = case.claims.select_related("donor", "donor__donor_profile").order_by("created_at")
    if claimant_only:
        claims = claims.filter(donor=user)
    ratings = list(case.ratings.select_related("deputy").order_by("round", "rated_at"))
    rules = rules_for(case.congress)
    for assignment in assignments:
        answer = getattr(assignment, "answer", None)
        assignment.the_answer = answer
        if answer is not None:
            answer.class_label = rules.answer_class_label(answer.answer_class)
        assisting = assignment.role == Assignment.Role.ASSISTING
        due = assignment.opinion_due if assisting else assignment.answer_due
        live = assignment.status in Assignment.LIVE
        assignment.clock = _clock(due, today, "opinion" if assisting else "answer") if live else None
        assignment.pending_requests = [
            r
            for r in assignment.reassignment_requests.all()
            if r.decision == ReassignmentRequest.Decision.PENDING
        ]
        assignment.extensions = list(assignment.extension_requests.all())
    history = []
    if not claimant_only:
        history = list(audit.history_of(case)[:200])
    # What of the case's texts the reader may read: privacy.py decides, as for the API. The rows below are
    # this page's own copies, never saved.
    read = privacy.text_for(user, case, sees_family=sees_family)
    verifications = [] if claimant_only else list(case.verifications.select_related("recorded_by"))
    follow_ups = (
        [] if claimant_only else list(case.follow_ups.select_related("recorded_by").order_by("-visited_on"))
    )
    supervision = [] if claimant_only else list(case.supervision.select_related("recorded_by"))
    for assignment in assignments:
        assignment.opinion = read(assignment.opinion)
        for record in assignment.records.all():
            record.note = read(record.note)
        if assignment.the_answer is not None:
            assignment.the_answer.text = read(assignment.the_answer.text)
    for v in verifications:
        v.visitors, v.findings = read(v.visitors), read(v.findings)
    for row in [*follow_ups, *supervision]:
        row.note = read(row.note)
    cosigner_links = list(case.cosigner_links.select_related("deputy").order_by("added_at", "id"))
    return {
        "case": case,
        "today": today,
        "rules": rules,
        "claimant_only": claimant_only,
        "clock": case_clock(case, today),
        # 联名: the case lists only the co-signers who confirmed; the lead deputy and staff also see who has
        # not answered yet; an invited deputy sees his or her own invitation.
        "cosigners": [link for link in cosigner_links if link.status == Cosigner.Status.CONFIRMED],
        "cosigners_invited": [link for link in cosigner_links if link.status == Cosigner.Status.INVITED]
        if can(user, "cases.file", case)
        else [],
        "my_invitation": next(
            (
                link
                for link in cosigner_links
                if link.status == Cosigner.Status.INVITED
                and link.deputy_id == getattr(user, "deputy_id", None)
            ),
            None,
        ),
        "extensions_granted": sum(
            1 for a in assignments for r in a.extensions if r.decision == ExtensionRequest.Decision.GRANTED
        ),
        "beneficiary": privacy.beneficiary_for(user, case),
        "title": read(case.title),
        "content": read(case.content),
        "status_note": read(case.status_note),
        "verifications": verifications,
        "documents": list(documents),
        "assignments": [] if claimant_only else assignments,
        "ratings": [] if claimant_only else ratings,
        "claims": list(claims),
        "follow_ups": follow_ups,
        "supervision": supervision,
        "history": history,
        "merged_into": case.merged_into,
    }


def _offered(user, data: dict, overrides: dict) -> tuple[list[Shown], dict]:
    """The actions the actor may take now, as `actions.py` answers (the API and the services ask the same):
    this only gives each its label, URL and form. Returns the case-level actions and, per assignment /
    request / extension / claim id, their own actions."""
    case: Case = data["case"]
    pk = case.pk
    today = data["today"]
    ask = actions.Ask(user, case, today, parts=data["assignments"] if not data["claimant_only"] else None)
    offers = actions.available(user, case, ask=ask)
    data["offers"] = offers
    shown: list[Shown] = []
    per_object: dict = {}

    def auto(key):
        return f"id_{key}_%s"

    def add(target_list, name, label, url, factory=None, **kw):
        key = kw.pop("key", name)
        form = overrides.get(key) or (factory() if factory else F.EmptyForm(auto_id=auto(key)))
        target_list.append(Shown(name=name, label=label, url=url, form=form, **kw))

    def url(name, *args):
        return reverse(f"cases:{name}", args=[pk, *args])

    reassigning = case.status == Case.Status.DISSATISFIED
    marked = case.is_priority
    case_shown: list[tuple[str, str, Callable | None, dict]] = [
        ("cosign_confirm", _("Confirm co-signing (联名)"), None, {"style": "success"}),
        ("cosign_decline", _("Decline co-signing"), None, {"style": "outline-secondary"}),
        (
            "verify",
            _("Record the home visit (入户核实)"),
            lambda: F.VerifyForm(auto_id=auto("verify"), initial={"visited_on": today, "confirmed": True}),
            {"style": "danger"},
        ),
        (
            "file",
            _("File the case"),
            lambda: F.FileForm(case=case, auto_id=auto("file")),
            {"style": "danger"},
        ),
        ("accept", _("Accept (立案)"), None, {"style": "success"}),
        ("refuse", _("Do not accept"), lambda: F.RefuseForm(auto_id=auto("refuse")), {}),
        ("return", _("Return for revision"), lambda: F.NoteForm(auto_id=auto("return")), {}),
        ("merge", _("Merge into another case"), lambda: F.MergeForm(auto_id=auto("merge")), {}),
        (
            "assign",
            _("Reassign (重新交办)") if reassigning else _("Assign (交办)"),
            lambda: F.AssignForm(case=case, auto_id=auto("assign")),
            {"style": "danger"},
        ),
        ("close", _("Close without another round"), lambda: F.NoteForm(auto_id=auto("close")), {}),
        ("rate", _("Rate the answer"), lambda: F.RatingForm(auto_id=auto("rate")), {"style": "danger"}),
        (
            "put_on_wall",
            _("Put on the wish wall"),
            lambda: F.PutOnWallForm(
                auto_id=auto("put_on_wall"), initial={"public_summary": case.public_summary}
            ),
            {},
        ),
        (
            "close_unrated",
            _("Close as not rated (未反馈)"),
            lambda: F.CloseUnratedForm(auto_id=auto("close_unrated")),
            {
                "note": _("The deputy could rate the answer until %(date)s.")
                % {"date": case.rating_due.isoformat() if case.rating_due else "—"}
            },
        ),
        ("publish", _("Publish the answer"), None, {"style": "success"}),
        (
            "priority",
            _("Lift priority supervision") if marked else _("Mark for priority supervision (重点督办)"),
            lambda: F.PriorityForm(auto_id=auto("priority"), initial={"priority": "0" if marked else "1"}),
            {"style": "outline-secondary"} if marked else {},
        ),
        ("supervise", _("Record supervision (督办)"), lambda: F.SuperviseForm(auto_id=auto("supervise")), {}),
        (
            "follow_up",
            _("Record a follow-up visit (回访)"),
            lambda: F.FollowUpForm(auto_id=auto("follow_up"), initial={"visited_on": today}),
            {},
        ),
    ]
    for name, label, factory, kw in case_shown:
        if offers[name]:
            add(shown, name, label, url(name), factory, **kw)

    # A unit's part: acknowledge, ask for reassignment, record, opinion, answer, deliver, extension.
    part_shown: list[tuple[str, str, Callable, dict]] = [
        ("acknowledge", _("Acknowledge (签收)"), lambda a: None, {"style": "danger"}),
        (
            "request_reassignment",
            _("Ask for reassignment (申请调整)"),
            lambda a: F.ReasonForm(auto_id=auto(f"request_reassignment{a.pk}")),
            {},
        ),
        (
            "record",
            _("Record handling or a contact with the deputy"),
            lambda a: F.HandlingRecordForm(auto_id=auto(f"record{a.pk}"), initial={"happened_on": today}),
            {},
        ),
        (
            "opinion",
            _("Send the opinion to the lead unit"),
            lambda a: F.OpinionForm(auto_id=auto(f"opinion{a.pk}")),
            {"style": "danger"},
        ),
        (
            "answer",
            _("Answer (答复)"),
            lambda a: F.AnswerForm(rules=data["rules"], auto_id=auto(f"answer{a.pk}")),
            {"style": "danger"},
        ),
        (
            "fulfil_wish",
            _("The unit delivered the wish itself (政府兜底)"),
            lambda a: F.FulfilForm(auto_id=auto(f"fulfil_wish{a.pk}")),
            {"multipart": True},
        ),
        (
            "request_extension",
            _("Ask for an extension (延期)"),
            lambda a: F.ExtensionRequestForm(auto_id=auto(f"request_extension{a.pk}")),
            {},
        ),
    ]
    for a in data["assignments"]:
        if a.status not in Assignment.LIVE:
            continue
        part_offers = actions.available_for(user, a, case=case, ask=ask)
        # 协办: the page shows the missing units instead of the answer form.
        a.opinions_missing = (
            opinions_missing(a, today=today)
            if a.answers_the_case and a.status == Assignment.Status.HANDLING and can(user, "cases.handle", a)
            else []
        )
        notes = {
            "request_reassignment": _("Until %(date)s") % {"date": a.reassign_request_due.isoformat()},
            "request_extension": _("Before %(date)s; at the latest until %(cap)s")
            % {"date": a.answer_due.isoformat(), "cap": extension_cap_for(a).isoformat()},
        }
        mine: list[Shown] = []
        for name, label, factory, kw in part_shown:
            if part_offers[name]:
                build = (lambda a=a, factory=factory: factory(a)) if name != "acknowledge" else None
                extra = {**kw, **({"note": notes[name]} if name in notes else {})}
                add(mine, name, label, url(name, a.pk), build, key=f"{name}{a.pk}", **extra)
        if mine:
            per_object[("assignment", a.pk)] = mine
    if offers["upload"]:
        add(
            shown,
            "upload",
            _("Attach a photo or document"),
            url("upload"),
            lambda: F.UploadForm(handler="assignment" in offers["upload"].choices, auto_id=auto("upload")),
            style="outline-secondary",
            multipart=True,
        )
    if offers["withdraw"]:
        add(
            shown,
            "withdraw",
            _("Withdraw the case (撤回)"),
            url("withdraw"),
            lambda: F.WithdrawForm(auto_id=auto("withdraw")),
            style="outline-secondary",
            multipart=True,
        )
    for a in data["assignments"]:
        for request_ in a.pending_requests:
            if actions.available_for(user, request_, case=case, ask=ask)["decide_reassignment"]:
                decide: list[Shown] = []
                add(
                    decide,
                    "decide_reassignment",
                    _("Decide the request"),
                    url("decide_reassignment", request_.pk),
                    lambda r=request_: F.ReassignmentDecideForm(case=case, auto_id=auto(f"decide{r.pk}")),
                    key=f"decide{request_.pk}",
                    style="danger",
                )
                per_object[("request", request_.pk)] = decide
        for ext in a.extensions:
            ext.assignment = a
            if actions.available_for(user, ext, case=case, ask=ask)["decide_extension"]:
                decide_ext: list[Shown] = []
                add(
                    decide_ext,
                    "decide_extension",
                    _("Decide the extension"),
                    url("decide_extension", ext.pk),
                    lambda e=ext: F.ExtensionDecideForm(auto_id=auto(f"decide_extension{e.pk}")),
                    key=f"decide_extension{ext.pk}",
                    style="danger",
                    note=_("At the latest until %(cap)s") % {"cap": extension_cap_for(a).isoformat()},
                )
                per_object[("extension", ext.pk)] = decide_ext
    claim_shown: list[tuple[str, str, Callable | None, dict]] = [
        (
            "claim_withdraw",
            _("Withdraw the claim"),
            lambda c: F.ReasonForm(auto_id=auto(f"claim_withdraw{c.pk}")),
            {"style": "outline-secondary"},
        ),
        (
            "deliver",
            _("Record the delivery with photos"),
            lambda c: F.DeliverForm(auto_id=auto(f"deliver{c.pk}")),
            {"style": "danger", "multipart": True},
        ),
        ("confirm_delivery", _("Confirm the delivery (已实现)"), None, {"style": "success"}),
    ]
    for claim in data["claims"]:
        claim.case = case
        claim_offers = actions.available_for(user, claim, case=case, ask=ask)
        acts: list[Shown] = []
        for name, label, factory, kw in claim_shown:
            if claim_offers[name]:
                build = (lambda c=claim, factory=factory: factory(c)) if factory else None
                add(acts, name, label, url(name, claim.pk), build, key=f"{name}{claim.pk}", **kw)
        per_object[("claim", claim.pk)] = acts
    return shown, per_object


def _render_detail(request, case: Case, *, overrides: dict | None = None, status: int = 200):
    user = request.user
    data = _detail_data(user, case)
    shown, per_object = _offered(user, data, overrides or {})
    for assignment in data["assignments"]:
        assignment.actions = per_object.get(("assignment", assignment.pk), [])
        for request_ in assignment.pending_requests:
            request_.actions = per_object.get(("request", request_.pk), [])
        for ext in assignment.extensions:
            ext.actions = per_object.get(("extension", ext.pk), [])
    for claim in data["claims"]:
        claim.actions = per_object.get(("claim", claim.pk), [])
    data.update(
        {
            "actions": shown,
            "can_edit": data["offers"]["edit"].allowed,
            "on_wall": case.on_wall_at is not None and case.kind == Case.Kind.WISH,
            "origins": origins.origins_for(user, case),  # e.g. the reception it came from (activities)
        }
    )
    return render(request, "cases/detail.html", data, status=status)


@login_required
@require_GET
def case_detail(request, pk: int):
    """The case page: who, what, where, deadlines, beneficiary (as privacy.py allows), documents, the units'
    work, answers, ratings, claims, follow-ups, supervision and the timeline; and the actions the actor may
    take now."""
    case = selectors.case_get_for(request.user, pk)
    return _render_detail(request, case)


def _refused(request, case: Case, exc: TransitionNotAllowed):
    messages.error(request, str(exc.message))
    return _render_detail(request, case, status=exc.status_code)


# --- the actions -------------------------------------------------------------------------------------------


@dataclass
class Action:
    """One POST action of the case page: its form, the service call, the message. Who may take it is
    `actions.py`'s answer, as on the page and in the API."""

    form: Callable  # (request, case, target) -> form
    run: Callable  # (user, case, target, cleaned_data) -> object
    done: str
    target: str = "case"  # or "assignment", "request", "claim"
    file_field: str | None = None


def _form(cls, **fixed):
    def build(request, case, target):
        kwargs = {key: value(case, target) if callable(value) else value for key, value in fixed.items()}
        return cls(request.POST, request.FILES, **kwargs)

    return build


def _upload_assignment(user, case):
    """The live assignment of the actor's unit, when a unit handler attaches evidence."""
    return actions.upload_assignment(user, case)


def _run_withdraw(user, case, target, data):
    with transaction.atomic():  # the letter first: a withdrawn case takes no more files
        if data.get("letter"):
            services.document_add(
                actor=user, case_id=case.pk, kind=Document.Kind.WITHDRAWAL, upload=data["letter"]
            )
        services.case_withdraw(actor=user, case_id=case.pk, reason=data["reason"])


def _run_upload(user, case, target, data):
    assignment = _upload_assignment(user, case)
    return services.document_add(
        actor=user,
        case_id=case.pk,
        kind=data["kind"],
        upload=data["file"],
        assignment_id=assignment.pk if assignment else None,
    )


def _assign_kwargs(data: dict) -> dict:
    if data["mode"] == "split":
        return {"split": list(data["split"]), "hard": data["hard"]}
    return {"lead": data["lead"], "assisting": list(data["assisting"]), "hard": data["hard"]}


def _run_decide(user, case, target, data):
    reassign_to = data["reassign_to"] if data["decision"] == "reassign" else None
    return services.reassignment_decide(
        actor=user, request_id=target.pk, reassign_to=reassign_to, note=data["note"]
    )


ACTIONS: dict[str, Action] = {
    "verify": Action(
        form=_form(F.VerifyForm),
        run=lambda u, c, t, d: services.case_verify(actor=u, case_id=c.pk, **d),
        done=gettext_lazy("The home visit is recorded."),
    ),
    "file": Action(
        form=_form(F.FileForm, case=lambda c, t: c),
        run=lambda u, c, t, d: services.case_file(actor=u, case_id=c.pk, cosigners=list(d["cosigners"])),
        done=gettext_lazy("The case is filed."),
    ),
    "withdraw": Action(
        form=_form(F.WithdrawForm),
        run=_run_withdraw,
        done=gettext_lazy("The case is withdrawn."),
        file_field="letter",
    ),
    "accept": Action(
        form=_form(F.EmptyForm),
        run=lambda u, c, t, d: services.case_accept(actor=u, case_id=c.pk),
        done=gettext_lazy("The case is accepted."),
    ),
    "refuse": Action(
        form=_form(F.RefuseForm),
        run=lambda u, c, t, d: services.case_refuse(
            actor=u, case_id=c.pk, reason=d["reason"], note=d["note"]
        ),
        done=gettext_lazy("The case is not accepted."),
    ),
    "return": Action(
        form=_form(F.NoteForm),
        run=lambda u, c, t, d: services.case_return(actor=u, case_id=c.pk, note=d["note"]),
        done=gettext_lazy("The case is returned to the deputy for revision."),
    ),
    "merge": Action(
        form=lambda r, c, t: F.MergeForm(r.POST, scope=selectors.case_scope_for(r.user).exclude(pk=c.pk)),
        run=lambda u, c, t, d: services.case_merge(actor=u, case_id=c.pk, into_id=d["into"].pk),
        done=gettext_lazy("The case is merged; its deputies are co-signers of the other case."),
    ),
    "assign": Action(
        form=_form(F.AssignForm, case=lambda c, t: c),
        run=lambda u, c, t, d: services.case_assign(actor=u, case_id=c.pk, **_assign_kwargs(d)),
        done=gettext_lazy("The case is assigned; the units are told."),
    ),
    "acknowledge": Action(
        form=_form(F.EmptyForm),
        run=lambda u, c, t, d: services.assignment_acknowledge(actor=u, assignment_id=t.pk),
        done=gettext_lazy("Acknowledged: the case is in your unit's hands."),
        target="assignment",
    ),
    "request_reassignment": Action(
        form=_form(F.ReasonForm),
        run=lambda u, c, t, d: services.assignment_request_reassignment(
            actor=u, assignment_id=t.pk, reason=d["reason"]
        ),
        done=gettext_lazy("The request for reassignment is sent to the congress staff."),
        target="assignment",
    ),
    "decide_reassignment": Action(
        form=_form(F.ReassignmentDecideForm, case=lambda c, t: c),
        run=_run_decide,
        done=gettext_lazy("The request is decided."),
        target="request",
    ),
    "record": Action(
        form=_form(F.HandlingRecordForm),
        run=lambda u, c, t, d: services.handling_record_add(actor=u, assignment_id=t.pk, **d),
        done=gettext_lazy("The handling is recorded."),
        target="assignment",
    ),
    "opinion": Action(
        form=_form(F.OpinionForm),
        run=lambda u, c, t, d: services.assisting_opinion_send(
            actor=u, assignment_id=t.pk, opinion=d["opinion"]
        ),
        done=gettext_lazy("The opinion is sent to the lead unit."),
        target="assignment",
    ),
    "answer": Action(
        form=lambda r, c, t: F.AnswerForm(r.POST, rules=rules_for(c.congress)),
        run=lambda u, c, t, d: services.answer_submit(actor=u, assignment_id=t.pk, **d),
        done=gettext_lazy("The answer is sent to the deputies."),
        target="assignment",
    ),
    "upload": Action(
        form=lambda r, c, t: F.UploadForm(r.POST, r.FILES, handler=_upload_assignment(r.user, c) is not None),
        run=_run_upload,
        done=gettext_lazy("The file is attached."),
        file_field="file",
    ),
    "rate": Action(
        form=_form(F.RatingForm),
        run=lambda u, c, t, d: services.rating_submit(
            actor=u, case_id=c.pk, value=d["value"], comment=d["comment"]
        ),
        done=gettext_lazy("Thank you: your rating is recorded."),
    ),
    "close": Action(
        form=_form(F.NoteForm),
        run=lambda u, c, t, d: services.case_close(actor=u, case_id=c.pk, note=d["note"]),
        done=gettext_lazy("The case is closed."),
    ),
    "close_unrated": Action(
        form=_form(F.CloseUnratedForm),
        run=lambda u, c, t, d: services.case_close_unrated(actor=u, case_id=c.pk, note=d["note"]),
        done=gettext_lazy("The case is closed as not rated (未反馈)."),
    ),
    "follow_up": Action(
        form=_form(F.FollowUpForm),
        run=lambda u, c, t, d: services.follow_up_record(actor=u, case_id=c.pk, **d),
        done=gettext_lazy("The follow-up visit is recorded."),
    ),
    "priority": Action(
        form=_form(F.PriorityForm),
        run=lambda u, c, t, d: services.case_mark_priority(
            actor=u,
            case_id=c.pk,
            priority=d["priority"],
            note=d["note"],
            meeting_date=d["meeting_date"],
            meeting_name=d["meeting_name"],
            proposed_by=d["proposed_by"],
        ),
        done=gettext_lazy("Priority supervision is updated."),
    ),
    "supervise": Action(
        form=_form(F.SuperviseForm),
        run=lambda u, c, t, d: services.supervision_record(
            actor=u, case_id=c.pk, kind=d["kind"], note=d["note"]
        ),
        done=gettext_lazy("The supervision is recorded."),
    ),
    "publish": Action(
        form=_form(F.EmptyForm),
        run=lambda u, c, t, d: services.case_publish(actor=u, case_id=c.pk),
        done=gettext_lazy("The answer is published."),
    ),
    "put_on_wall": Action(
        form=_form(F.PutOnWallForm),
        run=lambda u, c, t, d: services.wish_put_on_wall(
            actor=u, case_id=c.pk, public_summary=d["public_summary"]
        ),
        done=gettext_lazy("The wish is on the wish wall."),
    ),
    "claim_withdraw": Action(
        form=_form(F.ReasonForm),
        run=lambda u, c, t, d: services.claim_withdraw(actor=u, claim_id=t.pk, reason=d["reason"]),
        done=gettext_lazy("The claim is withdrawn; the wish is back on the wall."),
        target="claim",
    ),
    "deliver": Action(
        form=_form(F.DeliverForm),
        run=lambda u, c, t, d: services.claim_deliver(actor=u, claim_id=t.pk, photos=d["photos"]),
        done=gettext_lazy("Thank you: the delivery is recorded and waits for confirmation."),
        target="claim",
        file_field="photos",
    ),
    "confirm_delivery": Action(
        form=_form(F.EmptyForm),
        run=lambda u, c, t, d: services.claim_confirm(actor=u, claim_id=t.pk),
        done=gettext_lazy("The delivery is confirmed."),
        target="claim",
    ),
    "cosign_confirm": Action(
        form=_form(F.EmptyForm),
        run=lambda u, c, t, d: services.cosign_respond(actor=u, case_id=c.pk, confirm=True),
        done=gettext_lazy("You are a co-signer of this case."),
    ),
    "cosign_decline": Action(
        form=_form(F.EmptyForm),
        run=lambda u, c, t, d: services.cosign_respond(actor=u, case_id=c.pk, confirm=False),
        done=gettext_lazy("You declined to co-sign; your name is removed from the case."),
    ),
    "request_extension": Action(
        form=_form(F.ExtensionRequestForm),
        run=lambda u, c, t, d: services.extension_request(
            actor=u, assignment_id=t.pk, requested_due=d["requested_due"], reason=d["reason"]
        ),
        done=gettext_lazy("The request for an extension is sent to the congress staff."),
        target="assignment",
    ),
    "decide_extension": Action(
        form=_form(F.ExtensionDecideForm),
        run=lambda u, c, t, d: services.extension_decide(
            actor=u, request_id=t.pk, grant=d["decision"] == "grant", new_due=d["new_due"], note=d["note"]
        ),
        done=gettext_lazy("The extension is decided."),
        target="extension",
    ),
    "fulfil_wish": Action(
        form=_form(F.FulfilForm),
        run=lambda u, c, t, d: services.wish_fulfil_by_unit(
            actor=u, assignment_id=t.pk, photos=d["photos"], note=d["note"]
        ),
        done=gettext_lazy("The wish is recorded as realised by your unit."),
        target="assignment",
        file_field="photos",
    ),
}


def _target(case: Case, kind: str, obj_id: int | None):
    """The assignment, reassignment request or claim named in the URL, within the case (else 404)."""
    if kind == "case":
        return None
    if kind == "assignment":
        queryset = case.assignments.select_related("unit")
    elif kind == "request":
        queryset = ReassignmentRequest.objects.filter(assignment__case=case)
    elif kind == "extension":
        queryset = ExtensionRequest.objects.filter(assignment__case=case).select_related("assignment")
    else:
        queryset = case.claims.all()
    target = queryset.filter(pk=obj_id).first()
    if target is None:
        raise Http404
    return target


def _override_key(name: str, target) -> str:
    keyed = {
        "acknowledge",
        "request_reassignment",
        "record",
        "opinion",
        "answer",
        "request_extension",
        "fulfil_wish",
        "claim_withdraw",
        "deliver",
        "confirm_delivery",
    }
    if name == "decide_reassignment":
        return f"decide{target.pk}"
    if name == "decide_extension":
        return f"decide_extension{target.pk}"
    return f"{name}{target.pk}" if name in keyed and target is not None else name


def _next_url(request) -> str | None:
    url = request.POST.get("next") or ""
    if url and url_has_allowed_host_and_scheme(
        url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return url
    return None


@login_required
@require_POST
def case_action(request, pk: int, action: str, obj_id: int | None = None):
    """Every step of the workflow on the case page: one URL name per action, one service call each."""
    spec = ACTIONS[action]
    user = request.user
    case = selectors.case_get_for(user, pk)
    target = _target(case, spec.target, obj_id)
    if not actions.offer(user, case, action, target=target).permitted:
        raise PermissionDenied(_("You are not allowed to do this."))
    form = spec.form(request, case, target)
    key = _override_key(action, target)
    form.auto_id = f"id_{key}_%s"
    status = 400
    if form.is_valid():
        try:
            spec.run(user, case, target, form.cleaned_data)
        except TransitionNotAllowed as exc:
            case = selectors.case_get_for(user, pk)
            return _refused(request, case, exc)
        except DomainError as exc:
            F.add_domain_error(form, exc, file_field=spec.file_field)
            status = exc.status_code
        else:
            messages.success(request, str(spec.done))
            return redirect(_next_url(request) or reverse("cases:detail", args=[pk]))
    case = selectors.case_get_for(user, pk)
    messages.error(request, _("The form has errors: see below."))
    return _render_detail(request, case, overrides={key: form}, status=status)


@uploads.guarded
@require_GET
def document(request, pk: int, doc_id: int):
    """A file of a case, to those who may open it (never a public media URL); 404 to anyone else."""
    user = request.user
    case = selectors.case_get_for(user, pk)
    doc = case.documents.filter(pk=doc_id).first()
    if doc is None or not privacy.may_open_document(user, doc):
        raise Http404
    return uploads.file_response(doc.file, content_type=doc.content_type, filename=doc.original_name)


# --- the wish wall and published answers (public) ----------------------------------------------------------


def _townships():
    return (
        Place.objects.filter(
            level=Place.Level.TOWNSHIP, code__startswith=_city_prefix(), is_administrative=True
        )
        .select_related("parent")
        .only("code", "name", "parent__name", "parent_id")
        .order_by("code")
    )


def wall_card(case: Case) -> dict:
    """What the wall shows of a wish — and nothing else: never the title, content, beneficiary, photos, village."""
    township = privacy.township_of(case.place)
    remaining = selectors.open_amount(case)
    if case.realised_at:
        state, state_label = "realised", _("Realised")
    elif remaining <= 0:
        state, state_label = "claimed", _("Claimed")
    else:
        state, state_label = "open", _("Needs help")
    return {
        "pk": case.pk,
        "label": privacy.wall_label(case),
        "summary": privacy.redact(case.public_summary, case),
        "category": case.get_category_display(),
        "township": township.name if township else "",
        "amount": case.amount,
        "open_amount": remaining,
        "state": state,
        "state_label": state_label,
        "on_wall_at": case.on_wall_at,
    }


@require_GET
def wall(request):
    """心愿墙: the verified wishes staff put on the wall, with nothing that identifies a family."""
    form = F.WallFilterForm(request.GET or None, townships=_townships())
    context = paginate(request, selectors.wall_list(**form.filters()), per_page=WALL_PAGE_SIZE)
    context.update({"form": form, "cards": [wall_card(c) for c in context["object_list"]]})
    return render(request, "cases/wall.html", context)


def _wall_case(pk: int) -> Case:
    case = selectors.wall_list(state="").filter(pk=pk).first()
    if case is None:
        raise Http404
    return case


def _render_wall_detail(request, case: Case, *, form=None, status: int = 200):
    user = request.user
    card = wall_card(case)
    context = {
        "card": card,
        "can_claim": can(user, "cases.claim", case),
        "is_donor": has_role(user, Role.DONOR),
        "open_for_claims": card["state"] == "open" and case.is_open,
        "my_claim": (
            selectors.claims_held_by(user).filter(case=case).first() if user.is_authenticated else None
        ),
        "form": form or F.ClaimForm(initial={"amount": card["open_amount"]}),
    }
    return render(request, "cases/wall_detail.html", context, status=status)


@require_GET
def wall_detail(request, pk: int):
    """A wish's public page, with the claim button for verified donors."""
    return _render_wall_detail(request, _wall_case(pk))


@login_required
@require_POST
def claim(request, pk: int):
    """认领 / 认捐 from the wall: a verified donor takes the whole wish or pledges a share."""
    user = request.user
    case = _wall_case(pk)
    ensure(user, "cases.claim", case)
    form = F.ClaimForm(request.POST)
    status = 400
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.claim_create(actor=user, case_id=case.pk, kind=data["kind"], amount=data.get("amount"))
        except TransitionNotAllowed as exc:
            messages.error(request, str(exc.message))
            return _render_wall_detail(request, _wall_case(pk), status=exc.status_code)
        except DomainError as exc:
            F.add_domain_error(form, exc)
            status = exc.status_code
        else:
            messages.success(
                request,
                _("Thank you! The wish is yours to deliver: the family's contact is on your claims page."),
            )
            return redirect("cases:claims")
    return _render_wall_detail(request, _wall_case(pk), form=form, status=status)


def _published():
    return (
        selectors.published_list()
        .select_related("beneficiary")
        .prefetch_related(
            Prefetch(
                "answers",
                queryset=Answer.objects.select_related("assignment__unit").order_by("round", "answered_at"),
            )
        )
    )


def public_answer(case: Case, *, full: bool) -> dict:
    """A published case as the public sees it: identities removed by privacy.redact, no deputy contact."""
    rules = rules_for(case.congress) if full else None
    return {
        "pk": case.pk,
        "number": case.number,
        "kind": case.get_kind_display(),
        "congress": case.congress.name,
        "title": privacy.redact(case.title, case),
        "content": privacy.redact(case.content, case) if full else "",
        "published_at": case.published_at,
        "answers": [
            {
                "unit": a.assignment.unit.name,
                "answer_class": a.answer_class,
                "class_label": rules.answer_class_label(a.answer_class) if rules else "",
                "text": privacy.redact(a.text, case) if full else "",
                "answered_at": a.answered_at,
                "round": a.round,
            }
            for a in case.answers.all()
        ],
    }


@require_GET
def answers(request):
    """Published answers, searchable (segmented full-text search over title and content)."""
    form = F.AnswerSearchForm(request.GET or None)
    q = form.cleaned_data.get("q", "") if form.is_valid() else ""
    cases = _published()
    if q:
        from .search import filter_by_text

        cases = filter_by_text(cases, q)
    context = paginate(request, cases, per_page=PAGE_SIZE)
    context.update({"form": form, "rows": [public_answer(c, full=False) for c in context["object_list"]]})
    return render(request, "cases/answers.html", context)


@require_GET
def answer_public(request, pk: int):
    case = _published().filter(pk=pk).first()
    if case is None:
        raise Http404
    return render(request, "cases/answer_public.html", {"item": public_answer(case, full=True)})


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
