"""The campaign dashboard (/campaigns/<pk>/, `insights:campaign_dashboard`; `?congress=` narrows it to a
congress inside the campaign, `?export=<table>` downloads a table) and its on-demand refresh. It reads the
summary rows only (`campaigns.dashboard_for`), and the rendered figures are cached until the next refresh."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.db.models.functions import Length
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from minsheng.accounts.permissions import Role, has_role, is_admin
from minsheng.activities.models import Campaign
from minsheng.common.errors import PermissionDenied
from minsheng.common.permissions import can
from minsheng.congresses.models import Congress

from . import campaign_exports, campaigns
from .campaign_models import CampaignSummary
from .tasks import refresh_campaign_figures


def _campaign_for(request, pk: int) -> Campaign:
    campaign = get_object_or_404(Campaign.objects.select_related("congress"), pk=pk)
    if not can(request.user, "insights.view_campaign_dashboard", campaign):
        raise PermissionDenied(_("You are not allowed to do this."))
    return campaign


def _scope(request, campaign: Campaign) -> Congress:
    """The congress the figures are for: `?congress=` if it lies within both the campaign and the viewer's
    region, else the campaign's (or, for staff of a congress inside it, their own)."""
    user = request.user
    own = campaign.congress
    if has_role(user, Role.CONGRESS_STAFF) and not user.congress.covers(own):
        own = user.congress
    raw = request.GET.get("congress")
    if not raw:
        return own
    try:
        scope = Congress.objects.get(pk=int(raw))
    except (ValueError, Congress.DoesNotExist):
        raise Http404 from None
    if not own.covers(scope):
        raise Http404
    return scope


def scope_choices(scope: Congress) -> list[Congress]:
    """The congresses one may narrow to from here: those of the next level down (a city's counties, a
    county's towns)."""
    want = 6 if len(scope.region_prefix) < 6 else 9
    below = (
        Congress.objects.filter(region_prefix__startswith=scope.region_prefix)
        .annotate(depth=Length("region_prefix"))
        .filter(depth=want)
        .exclude(pk=scope.pk)
        .order_by("region_prefix")
    )
    return list(below[:400])


# How long a rendered dashboard is kept: its key changes with every refresh of the summary (every 10 minutes
# while a campaign runs), so this only bounds what an ended campaign's scopes keep in the cache.
FIGURES_SECONDS = 24 * 3600


def _figures_key(campaign: Campaign, scope: Congress, as_of, scope_query: str) -> str:
    """The rendered figures of a scope: the same for everyone allowed to see them, until the summary is
    refreshed (`as_of`) or the campaign edited (its targets are figures too), in the page's language."""
    stamp = as_of.timestamp() if as_of else 0
    edited = campaign.updated_at.timestamp() if campaign.updated_at else 0
    narrowed = 1 if scope_query else 0
    return f"insights:campaign:{campaign.pk}:{edited}:{scope.pk}:{narrowed}:{stamp}:{get_language()}"


@login_required
@require_GET
def campaign_dashboard(request, pk: int):
    """The figures part of the page is rendered once per summary refresh and scope and then read from the
    cache (the header, with what the viewer may do, is rendered each time); exports read the rows."""
    campaign = _campaign_for(request, pk)
    scope = _scope(request, campaign)
    table = request.GET.get("export")
    if table:
        response = campaign_exports.table_response(campaigns.dashboard_for(campaign, scope), table)
        if response is None:
            raise Http404
        return response
    as_of = CampaignSummary.objects.filter(campaign=campaign).values_list("as_of", flat=True).first()
    scope_query = f"congress={scope.pk}&" if request.GET.get("congress") else ""
    key = _figures_key(campaign, scope, as_of, scope_query)
    figures = cache.get(key)
    if figures is None:
        dash = campaigns.dashboard_for(campaign, scope)
        figures = render_to_string(
            "insights/_campaign_figures.html",
            {
                "dash": dash,
                "chart": campaigns.chart_data(dash),
                "children": scope_choices(scope),
                "scope_query": scope_query,
            },
        )
        cache.set(key, figures, FIGURES_SECONDS)
    context = {
        "dash": {"campaign": campaign, "scope": scope, "as_of": as_of},
        "figures": mark_safe(figures),  # noqa: S308 - rendered by our own template, autoescaped
        "can_refresh": is_admin(request.user) or can(request.user, "activities.edit_campaign", campaign),
        "can_edit": can(request.user, "activities.edit_campaign", campaign),
    }
    return render(request, "insights/campaign_dashboard.html", context)


@login_required
@require_POST
def campaign_refresh(request, pk: int):
    """Refresh the figures now (the worker does it every 10 minutes)."""
    campaign = _campaign_for(request, pk)
    if not (is_admin(request.user) or can(request.user, "activities.edit_campaign", campaign)):
        raise PermissionDenied(_("You are not allowed to do this."))
    refresh_campaign_figures.enqueue(campaign_id=campaign.pk)
    messages.success(request, _("The figures are being refreshed."))
    return redirect("insights:campaign_dashboard", pk=campaign.pk)
