"""Pages of liaison stations: the public list and page of a station, and the staff's pages to add a station,
edit it and attach or detach deputies. The public pages show attached deputies' names and levels only."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from minsheng.accounts.permissions import staff_scope_prefix
from minsheng.common.errors import DomainError, PermissionDenied
from minsheng.common.forms import add_domain_error
from minsheng.common.paging import paginate
from minsheng.common.permissions import can, ensure
from minsheng.congresses.models import Congress
from minsheng.deputies.models import Deputy
from minsheng.places.models import Place

from . import public_blocks, selectors, services
from .forms import AttachForm, DetachForm, StationEditForm, StationFilterForm, StationForm
from .models import Station

PICKER_LIMIT = 20


def places_for(prefix: str, *, villages: bool = False):
    """Places a station may be set at within a region: city, counties and townships (and villages for a
    township congress's stations)."""
    levels = [Place.Level.CITY, Place.Level.COUNTY, Place.Level.TOWNSHIP]
    if villages:
        levels.append(Place.Level.VILLAGE)
    return (
        Place.objects.filter(code__startswith=prefix, level__in=levels)
        .select_related("parent")
        .order_by("code")
    )


@require_GET
def public_list(request):
    """代表联络站: every open station, searchable by name or place, filtered by county and kind."""
    counties = list(selectors.counties())
    form = StationFilterForm(request.GET or None, counties=counties)
    include_closed = request.GET.get("closed") == "1"
    stations = selectors.station_list(request.user, include_closed=include_closed, **form.filters())
    context = paginate(request, stations, per_page=20)
    context.update(
        {
            "form": form,
            "can_create": staff_scope_prefix(request.user) is not None,
            "include_closed": include_closed,
        }
    )
    return render(request, "stations/public_list.html", context)


@require_GET
def public_detail(request, pk: int):
    """A station's public page: where, when, how to call, and which deputies (name and level) meet there."""
    station = selectors.station_get_for(request.user, pk)
    context = {
        "station": station,
        "ancestors": selectors.ancestors_of(station),
        "deputies": selectors.station_deputies(station),
        "can_manage": can(request.user, "stations.manage", station),
        "can_receive": can(request.user, "activities.receive", station),  # a rule of activities
        "receptions_this_year": selectors.station_receptions_this_year(station),
        "public_blocks": public_blocks.blocks_for(station),  # the wings' parts (activities: reception days)
    }
    return render(request, "stations/public_detail.html", context)


def _managed_station(request, pk: int) -> Station:
    station = selectors.station_get_for(request.user, pk)
    ensure(request.user, "stations.manage", station)
    return station


def _edit_initial(station: Station) -> dict:
    return {
        "name": station.name,
        "kind": station.kind,
        "place": station.place_id,
        "address": station.address,
        "opening_hours": station.opening_hours,
        "phone": station.phone,
        "description": station.description,
        "is_active": station.is_active,
    }


def _manage_context(request, station: Station, form: StationEditForm, **extra) -> dict:
    dq = request.GET.get("dq", "").strip()[:50]
    attached = selectors.station_deputies(station)
    candidates = []
    if dq:
        attached_ids = {d.id for d in attached}
        candidates = [
            d
            for d in selectors.deputy_candidates_for(station, q=dq)[: PICKER_LIMIT + len(attached_ids)]
            if d.pk not in attached_ids
        ][:PICKER_LIMIT]
    return {
        "station": station,
        "form": form,
        "attached": attached,
        "dq": dq,
        "candidates": candidates,
        **extra,
    }


def _station_places(station: Station):
    return places_for(
        station.congress.region_prefix, villages=station.congress.level == Congress.Level.TOWNSHIP
    )


@login_required
@require_http_methods(["GET", "POST"])
def manage(request, pk: int):
    """Edit a station and its deputies (staff of the responsible congress or above, the station's staff)."""
    station = _managed_station(request, pk)
    status = 200
    if request.method == "POST":
        form = StationEditForm(request.POST, places=_station_places(station))
        if form.is_valid():
            try:
                services.station_update(actor=request.user, station_id=station.pk, **form.cleaned_data)
            except DomainError as exc:
                add_domain_error(form, exc)
                status = exc.status_code
            else:
                messages.success(request, _("The station has been saved."))
                return redirect("stations:manage", pk=station.pk)
        if form.errors and status == 200:
            status = 400
    else:
        form = StationEditForm(initial=_edit_initial(station), places=_station_places(station))
    return render(request, "stations/manage.html", _manage_context(request, station, form), status=status)


def _redirect_to_manage(station: Station, dq: str = ""):
    response = redirect("stations:manage", pk=station.pk)
    if dq:
        from urllib.parse import urlencode

        response["Location"] += "?" + urlencode({"dq": dq})
    return response


def _refuse(request, station: Station, exc: DomainError):
    form = StationEditForm(initial=_edit_initial(station), places=_station_places(station))
    context = _manage_context(request, station, form, action_error=str(exc.message))
    return render(request, "stations/manage.html", context, status=exc.status_code)


@login_required
@require_POST
def attach(request, pk: int):
    """Attach a deputy chosen in the picker."""
    station = _managed_station(request, pk)
    form = AttachForm(request.POST)
    if not form.is_valid():
        return _refuse(request, station, DomainError(_("Choose a deputy to attach."), field="deputy"))
    deputy = Deputy.objects.filter(pk=form.cleaned_data["deputy"]).only("id", "name").first()
    if deputy is None:
        return _refuse(request, station, DomainError(_("No such deputy."), field="deputy"))
    try:
        services.station_attach_deputy(
            actor=request.user, station_id=station.pk, deputy=deputy, since=form.cleaned_data.get("since")
        )
    except DomainError as exc:
        return _refuse(request, station, exc)
    messages.success(request, _("%(name)s has been attached to the station.") % {"name": deputy.name})
    return _redirect_to_manage(station, request.POST.get("dq", "").strip()[:50])


@login_required
@require_POST
def detach(request, pk: int):
    """Detach a deputy from the station."""
    station = _managed_station(request, pk)
    form = DetachForm(request.POST)
    if not form.is_valid():
        return _refuse(request, station, DomainError(_("Choose a deputy to detach."), field="deputy"))
    try:
        services.station_detach_deputy(
            actor=request.user, station_id=station.pk, deputy_id=form.cleaned_data["deputy"]
        )
    except DomainError as exc:
        return _refuse(request, station, exc)
    messages.success(request, _("The deputy has been detached from the station."))
    return _redirect_to_manage(station)


@login_required
@require_http_methods(["GET", "POST"])
def create(request):
    """Add a station (congress staff, within their region)."""
    prefix = staff_scope_prefix(request.user)
    if prefix is None:
        raise PermissionDenied(_("Only congress staff may add a liaison station."))
    form = StationForm(
        request.POST or None, places=places_for(prefix), initial={"kind": Station.Kind.STATION}
    )
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            station = services.station_create(actor=request.user, **form.cleaned_data)
        except DomainError as exc:
            add_domain_error(form, exc)
            status = exc.status_code
        else:
            messages.success(request, _("The station has been added."))
            return redirect("stations:manage", pk=station.pk)
    if form.errors and status == 200:
        status = 400
    return render(request, "stations/create.html", {"form": form}, status=status)
