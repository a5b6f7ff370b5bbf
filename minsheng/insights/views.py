"""Pages that read across the wings: the role homes, the case statistics (and their Excel export), the
three-level vote dashboard. Views read the filters, ask the selectors, and answer."""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import QueryDict
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from minsheng.cases.models import Case
from minsheng.common.dbrouter import use_replica
from minsheng.common.errors import PermissionDenied
from minsheng.common.paging import PAGE_SIZE
from minsheng.common.permissions import can
from minsheng.congresses.models import Congress
from minsheng.voting.models import VoteSession

from . import exports, selectors, stats
from .forms import StatsFilterForm
from .homes import home_context


def _require(request, action: str, obj=None) -> None:
    if not can(request.user, action, obj):
        raise PermissionDenied(_("You are not allowed to do this."))


@never_cache
def home(request):
    """The home page of the visitor's role (the public home for anonymous visitors)."""
    template, context = home_context(request)
    return render(request, template, context)


# --- the statistics of cases (/cases/stats/) ------------------------------------------------------------


# The page's big tables, each paged on its own (`<name>_page` in the query); the Excel export keeps every row.
TABLES = (("county", "by_county"), ("congress", "by_congress"), ("unit", "by_unit"))
TABLE_ROWS = PAGE_SIZE


def _table_pages(request, figures: stats.Stats) -> dict:
    """A page of each big table, in the statistics' order (most cases first); the links to the other pages
    keep the filters and the other tables' pages."""
    pages = {}
    for name, attr in TABLES:
        param = f"{name}_page"
        page_obj = Paginator(getattr(figures, attr), TABLE_ROWS).get_page(request.GET.get(param))
        params = request.GET.copy()
        params.pop(param, None)
        pages[name] = {
            "page_obj": page_obj,
            "rows": page_obj.object_list,
            "param": param,
            "querystring": params.urlencode(),
        }
    return pages


@use_replica
@login_required
@require_GET
def stats_index(request):
    """Cases by status and kind, 办复率, 满意率, A–D, overdue and the wishes' donations: per congress, county
    and unit, with charts."""
    _require(request, "cases.view_stats")
    form = StatsFilterForm(request.GET or None, actor=request.user)
    filters = form.filters()
    figures = stats.stats_for(request.user, **filters)
    statuses = [(s, Case.Status(s).label) for s in stats.STATUSES]
    kinds = [(k, Case.Kind(k).label) for k in stats.KINDS]
    query = request.GET.copy()
    for name, _attr in TABLES:
        query.pop(f"{name}_page", None)
    context = {
        "form": form,
        "stats": figures,
        "pages": _table_pages(request, figures),
        "statuses": statuses,
        "kinds": kinds,
        "chart_data": stats.chart_data(figures),
        "query": query.urlencode(),
        "case_query": _case_export_query(filters),
    }
    return render(request, "insights/stats/index.html", context)


def _case_export_query(filters: dict) -> str:
    """The statistics' filters as the case export's (the year becomes a range of filing dates)."""
    params = QueryDict(mutable=True)
    if filters["year"]:
        params["filed_from"] = f"{filters['year']}-01-01"
        params["filed_to"] = f"{filters['year']}-12-31"
    if filters["kind"]:
        params["kind"] = filters["kind"]
    if filters["congress_id"]:
        params["congress_id"] = str(filters["congress_id"])
    return params.urlencode()


@use_replica
@login_required
@require_GET
def stats_export(request):
    """The statistics as an Excel workbook: by congress, by county, by unit."""
    _require(request, "cases.view_stats")
    form = StatsFilterForm(request.GET or None, actor=request.user)
    return exports.stats_response(stats.stats_for(request.user, **form.filters()))


# --- the three-level vote dashboard (三级人大同步, /votes/dashboard/) ----------------------------------------


def dashboard_chart(dash: dict) -> dict:
    """The chart's figures: turnout of each congress's latest vote of the year, with its chosen of N."""
    names, turnout, chosen, seats = [], [], [], []
    for row in dash["rows"]:
        if not row["votes"]:
            continue
        vote = row["votes"][-1]
        names.append(row["name"])
        turnout.append(vote["turnout"] or 0)
        chosen.append(vote["chosen"])
        seats.append(vote["seats"])
    return {
        "names": names,
        "turnout": turnout,
        "chosen": chosen,
        "seats": seats,
        "labels": {"turnout": _("Turnout (%)"), "chosen": _("Chosen"), "seats": _("Projects to choose (N)")},
    }


@use_replica
@login_required
def vote_dashboard(request):
    """Staff: every congress in scope, its solicitation and votes of the year (htmx refreshes the figures
    every 15 s while a vote is open); ?format=xlsx exports them."""
    query = selectors.dashboard_query(request.GET)
    dash = selectors.dashboard_for(request.user, **query)
    if request.GET.get("format") == "xlsx":
        return exports.vote_dashboard_response(dash)
    context = {
        "dash": dash,
        "chart": dashboard_chart(dash),
        "levels": [(k, v) for k, v in Congress.Level.choices if k in selectors.LEVEL_DEPTH],
        "states": [*VoteSession.Status.choices, ("none", _("No vote yet"))],
        "query_string": request.GET.urlencode(),
    }
    template = "insights/_vote_dashboard_figures.html" if request.htmx else "insights/vote_dashboard.html"
    return render(request, template, context)
