"""Recording a case (choosing its kind, the deputy's seat and the place) and editing a draft or a case
returned for revision."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from minsheng.accounts.permissions import Role, has_role
from minsheng.common.errors import DomainError, TransitionNotAllowed
from minsheng.common.permissions import ensure
from minsheng.stations.models import Station

from .. import forms as F
from .. import privacy, selectors, services
from ..models import Case, Document
from .detail import _refused

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
        case_id=case.pk,
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
