"""Pages of congresses: the public tree of congresses and a congress's page; staff add terms and sessions.

Congresses are public, so a congress outside a staff member's region answers 403 on the staff forms."""

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
from .forms import CongressFilterForm, SessionForm, TermForm
from .models import Congress, Term

DEPTH = {level: depth for depth, level in enumerate(Congress.Level.values)}


def _get_congress(congress_id: int) -> Congress:
    try:
        return selectors.congress_get(congress_id=congress_id)
    except Congress.DoesNotExist:
        raise Http404(_("No such congress.")) from None


@require_GET
def congress_list(request):
    """The tree of congresses of the default city (江门) or of every region, filtered by level or a search."""
    form = CongressFilterForm(request.GET)
    form.is_valid()
    filters = form.cleaned_data
    region = "" if filters.get("all") else selectors.default_region()
    congresses = selectors.congress_list(
        level=filters.get("level", ""), region=region, q=filters.get("q", "")
    )
    context = {"form": form, "region": region, **paginate(request, congresses)}
    rows = list(context["object_list"])
    top = min((DEPTH[c.level] for c in rows), default=0)
    for c in rows:
        c.indent = "\u3000" * (DEPTH[c.level] - top)
        terms = list(c.terms.all())
        c.latest_term = terms[0] if terms else None
    context["rows"] = rows
    return render(request, "congresses/congress_list.html", context)


@require_GET
def congress_detail(request, congress_id: int):
    congress = _get_congress(congress_id)
    context = {
        "congress": congress,
        "children": selectors.congress_children(congress),
        "streets": selectors.congress_streets(congress),
        "active_seats": selectors.congress_active_seat_count(congress),
        "terms": congress.terms.all(),
        "can_manage": can(request.user, "congresses.manage", congress),
    }
    return render(request, "congresses/congress_detail.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def term_create(request, congress_id: int):
    """Add a term (届) to a congress (staff who cover it)."""
    congress = _get_congress(congress_id)
    if not can(request.user, "congresses.manage", congress):
        raise PermissionDenied
    form = TermForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            term = services.term_create(actor=request.user, congress=congress, **form.cleaned_data)
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, _("Term %(n)d was added.") % {"n": term.number})
            return redirect("congresses:detail", congress_id=congress.pk)
    return render(request, "congresses/term_form.html", {"form": form, "congress": congress})


@login_required
@require_http_methods(["GET", "POST"])
def session_create(request, congress_id: int, term_id: int):
    """Add a session (次会议) to a term of a congress (staff who cover it)."""
    congress = _get_congress(congress_id)
    try:
        term = congress.terms.get(pk=term_id)
    except Term.DoesNotExist:
        raise Http404(_("No such term.")) from None
    if not can(request.user, "congresses.manage", congress):
        raise PermissionDenied
    form = SessionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            session = services.session_create(actor=request.user, term=term, **form.cleaned_data)
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, _("Session %(n)d was added.") % {"n": session.number})
            return redirect("congresses:detail", congress_id=congress.pk)
    context = {"form": form, "congress": congress, "term": term}
    return render(request, "congresses/session_form.html", context)
