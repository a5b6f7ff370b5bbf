"""Pages of handling units: the public list (with an Excel export) and a unit's page; staff add and change
units of the congresses they cover. Units are public, so a unit outside a staff member's region answers 403
on the edit form; its handlers are shown only where `units.view_handlers` allows."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from minsheng.common import audit
from minsheng.common.dbrouter import use_replica
from minsheng.common.errors import DomainError
from minsheng.common.export import xlsx_response
from minsheng.common.forms import add_domain_error
from minsheng.common.paging import paginate
from minsheng.common.permissions import can

from . import selectors, services
from .forms import UnitFilterForm, UnitForm
from .models import Unit

EXPORT_LIMIT = 20000


def _get_unit(unit_id: int) -> Unit:
    try:
        return selectors.unit_get(unit_id=unit_id)
    except Unit.DoesNotExist:
        raise Http404(_("No such unit.")) from None


@require_GET
def unit_list(request):
    form = UnitFilterForm(request.GET)
    units = selectors.unit_list(**form.filters())
    context = {
        "form": form,
        "can_create": can(request.user, "units.create"),
        "export_query": request.GET.urlencode(),
        **paginate(request, units),
    }
    return render(request, "units/unit_list.html", context)


@use_replica
@require_GET
def unit_export(request):
    """The filtered list as an Excel file (public information only: no handlers)."""
    form = UnitFilterForm(request.GET)
    units = selectors.unit_list(**form.filters())[:EXPORT_LIMIT]
    headers = [
        _("Full name"),
        _("Short name"),
        _("Kind"),
        _("Level"),
        _("Place code"),
        _("Place"),
        _("Supervising congress"),
        _("Parent unit"),
        _("Active"),
    ]
    rows = (
        [
            u.name,
            u.short_name,
            u.get_kind_display(),
            u.get_level_display(),
            u.place.code,
            u.place.name,
            u.congress.name,
            u.parent.name if u.parent else "",
            _("yes") if u.is_active else _("no"),
        ]
        for u in units
    )
    filename = _("handling-units-%(date)s.xlsx") % {"date": timezone.localdate().isoformat()}
    return xlsx_response(headers, rows, filename=filename, title=_("Handling units"))


@require_GET
def unit_detail(request, unit_id: int):
    unit = _get_unit(unit_id)
    can_view_handlers = can(request.user, "units.view_handlers", unit)
    can_update = can(request.user, "units.update", unit)
    context = {
        "unit": unit,
        "children": selectors.unit_children(unit),
        "can_view_handlers": can_view_handlers,
        "handlers": selectors.unit_handlers(unit) if can_view_handlers else [],
        "can_update": can_update,
        "history": audit.history_of(unit)[:20] if can_update else [],
    }
    return render(request, "units/unit_detail.html", context)


def _unit_kwargs(data: dict) -> dict:
    return {
        "name": data["name"],
        "short_name": data["short_name"],
        "kind": data["kind"],
        "place": data["place"],
        "parent": data["parent"],
        "is_active": data["is_active"],
    }


@login_required
@require_http_methods(["GET", "POST"])
def unit_create(request):
    """Add a handling unit (staff, within the congresses they cover)."""
    if not can(request.user, "units.create"):
        raise PermissionDenied
    initial = {"is_active": True}
    parent_id = request.GET.get("parent", "")
    if parent_id.isdigit():
        initial["parent"] = int(parent_id)
    form = UnitForm(request.POST or None, actor=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            unit = services.unit_create(actor=request.user, **_unit_kwargs(form.cleaned_data))
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, _("%(name)s was added.") % {"name": unit.name})
            return redirect("units:detail", unit_id=unit.pk)
    return render(request, "units/unit_form.html", {"form": form, "unit": None})


@login_required
@require_http_methods(["GET", "POST"])
def unit_update(request, unit_id: int):
    """Change a handling unit (staff who cover its congress)."""
    unit = _get_unit(unit_id)
    if not can(request.user, "units.update", unit):
        raise PermissionDenied
    form = UnitForm(request.POST or None, actor=request.user, unit=unit)
    if request.method == "POST" and form.is_valid():
        try:
            unit = services.unit_update(
                actor=request.user, unit_id=unit.pk, **_unit_kwargs(form.cleaned_data)
            )
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, _("%(name)s was saved.") % {"name": unit.name})
            return redirect("units:detail", unit_id=unit.pk)
    return render(request, "units/unit_form.html", {"form": form, "unit": unit})
