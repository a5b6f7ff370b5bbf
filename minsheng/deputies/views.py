"""Pages of the deputies roster: list and search, Excel export, a deputy's page, add a deputy, add and end
seats. Views translate input and output; services decide and write, selectors read within the caller's scope."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from minsheng.common import audit
from minsheng.common.dbrouter import use_replica
from minsheng.common.errors import DomainError, PermissionDenied
from minsheng.common.export import xlsx_response
from minsheng.common.forms import add_domain_error
from minsheng.common.paging import paginate
from minsheng.common.permissions import can, ensure
from minsheng.congresses.models import Congress

from . import selectors, services
from .forms import DeputyCreateForm, DeputyFilterForm, SeatAddForm, SeatEndForm
from .models import Seat


def _ensure_staff(request) -> None:
    if not can(request.user, "deputies.view_list"):
        raise PermissionDenied(_("Only congress staff may see the roster of deputies."))


def _filter_form(request) -> tuple[DeputyFilterForm, Congress | None]:
    selected = None
    raw = request.GET.get("congress", "")
    if raw.isdigit():
        selected = selectors.congresses_in_scope(request.user).filter(pk=int(raw)).first()
    congresses = selectors.congress_filter_choices(request.user, selected=selected)
    return DeputyFilterForm(request.GET or None, congresses=congresses), selected


@login_required
@require_GET
def deputy_list(request):
    """代表名册: search by name or pinyin prefix, filter by congress, level and seat status."""
    _ensure_staff(request)
    form, selected = _filter_form(request)
    filters = form.filters()
    deputies = selectors.deputy_list_for(request.user, **filters).defer("id_number")
    context = paginate(request, deputies)
    station = None
    if filters["station"]:
        station = selectors.station_named(filters["station"])
    context.update(
        {
            "form": form,
            "filters": filters,
            "selected_congress": selected,
            "station": station,
            "can_export": can(request.user, "deputies.export"),
            "export_query": request.GET.urlencode(),
        }
    )
    return render(request, "deputies/list.html", context)


EXPORT_HEADERS = (
    gettext_lazy("Name"),
    gettext_lazy("Gender"),
    gettext_lazy("Born"),
    gettext_lazy("Ethnicity"),
    gettext_lazy("Political affiliation"),
    gettext_lazy("Work unit and position"),
    gettext_lazy("Seats"),
    gettext_lazy("Delegation or deputy group"),
    gettext_lazy("Constituency or electoral unit"),
    gettext_lazy("ID number"),
    gettext_lazy("Mobile number"),
)


def seat_label(seat: Seat) -> str:
    """'江门市人民代表大会, term 16 · In office' (the term's congress is the seat's: no extra query)."""
    term = _("%(congress)s, term %(number)d") % {"congress": seat.congress.name, "number": seat.term.number}
    return f"{term} · {seat.get_status_display()}"


@use_replica
@login_required
@require_GET
def deputy_export(request):
    """The list as an Excel file, with the list's filters. ID numbers and mobiles are masked unless the
    request asks for them (`personal=1`) and the actor may see each deputy's personal data; audited."""
    ensure(request.user, "deputies.export")
    form, _selected = _filter_form(request)
    filters = form.filters()
    personal = request.GET.get("personal") == "1"
    deputies = selectors.deputy_list_for(request.user, **filters)
    rows = []
    unmasked = 0
    for deputy in deputies.iterator(chunk_size=2000):
        seats = list(deputy.seats.all())
        show = personal and can(request.user, "deputies.view_personal", deputy)
        unmasked += show
        rows.append(
            (
                deputy.name,
                deputy.get_gender_display(),
                deputy.birth_date.strftime("%Y-%m"),
                deputy.ethnicity,
                deputy.party,
                deputy.occupation,
                "; ".join(seat_label(s) for s in seats),
                "; ".join(dict.fromkeys(s.delegation for s in seats if s.delegation)),
                "; ".join(dict.fromkeys(s.constituency for s in seats if s.constituency)),
                deputy.id_number if show else deputy.masked_id_number,
                deputy.mobile if show else deputy.masked_mobile,
            )
        )
    audit.record(
        request.user,
        "deputies.exported",
        None,
        personal=personal,
        rows=len(rows),
        unmasked=unmasked,
        filters={k: v for k, v in filters.items() if v not in (None, "")},
    )
    return xlsx_response(
        [str(h) for h in EXPORT_HEADERS], rows, filename=_("deputies") + ".xlsx", title=_("Deputies")
    )


@login_required
@require_GET
def deputy_detail(request, pk: int):
    """A deputy's page: personal data (masked unless `deputies.view_personal`), seats, stations, history."""
    deputy = selectors.deputy_get_for(request.user, pk)
    seats = [
        {
            "seat": seat,
            "can_end": seat.status == Seat.Status.ACTIVE
            and can(request.user, "deputies.manage", seat.congress),
        }
        for seat in deputy.seats.all()
    ]
    is_staff = can(request.user, "deputies.view_list")
    context = {
        "deputy": deputy,
        "is_staff": is_staff,
        "show_personal": can(request.user, "deputies.view_personal", deputy),
        "seats": seats,
        "attachments": deputy.station_attachments.select_related("station", "station__place").order_by(
            "station__place__code", "station__name"
        ),
        "history": selectors.deputy_history(deputy)[:50] if is_staff else [],
        "can_add_seat": is_staff and selectors.terms_manageable_by(request.user).exists(),
        "can_manage": any(can(request.user, "deputies.manage", s["seat"].congress) for s in seats),
    }
    return render(request, "deputies/detail.html", context)


@login_required
@require_POST
def leading_cadre(request, pk: int):
    """Set or clear the 党员领导干部 flag (the 回选举单位 check lists these deputies)."""
    deputy = selectors.deputy_get_for(request.user, pk)
    try:
        services.deputy_update(
            actor=request.user,
            deputy_id=deputy.pk,
            is_leading_cadre=request.POST.get("is_leading_cadre") == "1",
        )
    except DomainError as exc:
        messages.error(request, str(exc.message))
    return redirect("deputies:detail", pk=deputy.pk)


@login_required
@require_http_methods(["GET", "POST"])
def deputy_create(request):
    """Add a deputy with a first seat."""
    _ensure_staff(request)
    terms = selectors.terms_manageable_by(request.user)
    form = DeputyCreateForm(request.POST or None, terms=terms)
    status = 200
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        term = data["term"]
        try:
            deputy = services.deputy_create(
                actor=request.user,
                congress=term.congress,
                term=term,
                name=data["name"],
                id_number=data["id_number"],
                mobile=data["mobile"],
                ethnicity=data["ethnicity"],
                party=data["party"],
                occupation=data["occupation"],
                is_leading_cadre=data["is_leading_cadre"],
                delegation=data["delegation"],
                constituency=data["constituency"],
                start_date=data["start_date"],
            )
        except DomainError as exc:
            if exc.field == "congress":
                exc.field = "term"
            add_domain_error(form, exc)
            status = exc.status_code
        else:
            return redirect("deputies:detail", pk=deputy.pk)
    if form.errors and status == 200:
        status = 400
    return render(request, "deputies/create.html", {"form": form}, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def seat_add(request, pk: int):
    """Add a seat (another level, or a new term) to a deputy."""
    deputy = selectors.deputy_get_for(request.user, pk)
    _ensure_staff(request)
    form = SeatAddForm(request.POST or None, terms=selectors.terms_manageable_by(request.user))
    status = 200
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.seat_add(
                actor=request.user,
                deputy=deputy,
                term=data["term"],
                delegation=data["delegation"],
                constituency=data["constituency"],
                start_date=data["start_date"],
            )
        except DomainError as exc:
            add_domain_error(form, exc)
            status = exc.status_code
        else:
            return redirect("deputies:detail", pk=deputy.pk)
    if form.errors and status == 200:
        status = 400
    return render(request, "deputies/seat_add.html", {"form": form, "deputy": deputy}, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def seat_end(request, seat_id: int):
    """End a seat (terminated or resigned)."""
    seat = selectors.seat_get_for(request.user, seat_id)
    ensure(request.user, "deputies.manage", seat.congress)
    form = SeatEndForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.seat_end(
                actor=request.user,
                seat_id=seat.pk,
                status=data["status"],
                end_date=data["end_date"],
                reason=data["reason"],
            )
        except DomainError as exc:  # TransitionNotAllowed (409) for a seat that has already ended
            add_domain_error(form, exc)
            status = exc.status_code
        else:
            return redirect("deputies:detail", pk=seat.deputy_id)
    if form.errors and status == 200:
        status = 400
    return render(request, "deputies/seat_end.html", {"form": form, "seat": seat}, status=status)
