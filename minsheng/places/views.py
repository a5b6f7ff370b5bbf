"""Pages of places: the public drill-down from the province to the villages, and staff forms to add and
rename places. Out-of-scope places answer 403 (the divisions are public; only changing them is not)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from minsheng.common.errors import DomainError
from minsheng.common.forms import add_domain_error
from minsheng.common.paging import paginate
from minsheng.common.permissions import can

from . import selectors, services
from .forms import PlaceCreateForm, PlaceFilterForm, PlaceRenameForm
from .models import Place


def _get_place(code: str) -> Place:
    try:
        return selectors.place_get(code=code)
    except Place.DoesNotExist:
        raise Http404(_("No such place.")) from None


@require_GET
def place_list(request):
    """Browse the divisions: the children of a place (the province by default), or search beneath it."""
    form = PlaceFilterForm(request.GET)
    form.is_valid()
    filters = form.cleaned_data  # the fields that are valid; a bad filter is shown on the form and ignored
    parent_code = filters.get("parent") or ""
    parent = _get_place(parent_code) if parent_code else selectors.place_root()
    searching = bool(filters.get("q") or filters.get("level") or filters.get("kind"))
    places = selectors.place_list(
        parent=parent,
        children_only=not searching,
        level=filters.get("level", ""),
        kind=filters.get("kind", ""),
        q=filters.get("q", ""),
    )
    context = {
        "form": form,
        "parent": parent,
        "trail": [*selectors.place_ancestors(parent), parent] if parent else [],
        "searching": searching,
        **paginate(request, places),
    }
    return render(request, "places/place_list.html", context)


@require_GET
def place_detail(request, code: str):
    place = _get_place(code)
    congress = getattr(place, "congress", None)
    context = {
        "place": place,
        "trail": [*selectors.place_ancestors(place), place],
        "congress": congress,
        "covering_congress": None if congress else selectors.congress_covering_place(place),
        "can_create": place.child_level is not None and can(request.user, "places.create", place),
        "can_rename": can(request.user, "places.rename", place),
        **paginate(request, selectors.place_list(parent=place)),
    }
    return render(request, "places/place_detail.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def place_create(request, code: str):
    """Add a place below `code` (staff who cover it)."""
    parent = _get_place(code)
    if parent.child_level is None:
        raise Http404(_("A village has no places below it."))
    if not can(request.user, "places.create", parent):
        raise PermissionDenied
    form = PlaceCreateForm(request.POST or None, parent=parent)
    if request.method == "POST" and form.is_valid():
        try:
            place = services.place_create(actor=request.user, parent=parent, **form.cleaned_data)
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, _("%(name)s was added.") % {"name": place.name})
            return redirect("places:detail", code=place.code)
    context = {"form": form, "parent": parent, "trail": [*selectors.place_ancestors(parent), parent]}
    return render(request, "places/place_create.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def place_rename(request, code: str):
    """Rename a place (staff who cover it); its code stays."""
    place = _get_place(code)
    if not can(request.user, "places.rename", place):
        raise PermissionDenied
    form = PlaceRenameForm(request.POST or None, initial={"name": place.name})
    if request.method == "POST" and form.is_valid():
        try:
            place = services.place_rename(
                actor=request.user, place_id=place.pk, name=form.cleaned_data["name"]
            )
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, _("The place is now called %(name)s.") % {"name": place.name})
            return redirect("places:detail", code=place.code)
    context = {"form": form, "place": place, "trail": [*selectors.place_ancestors(place), place]}
    return render(request, "places/place_rename.html", context)
