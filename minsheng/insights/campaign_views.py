"""The campaign dashboard (/campaigns/<pk>/, `insights:campaign_dashboard`; `?congress=` narrows it to a
congress inside the campaign, `?export=<table>` downloads a table) and its on-demand refresh. It reads the
summary rows only (`campaigns.dashboard_for`)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models.functions import Length
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from minsheng.accounts.permissions import Role, has_role, is_admin
from minsheng.activities.models import Campaign
from minsheng.common.errors import PermissionDenied
from minsheng.common.permissions import can
from minsheng.congresses.models import Congress

from . import campaign_exports, campaigns
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


@login_required
@require_GET
def campaign_dashboard(request, pk: int):
    campaign = _campaign_for(request, pk)
    scope = _scope(request, campaign)
    dash = campaigns.dashboard_for(campaign, scope)
    table = request.GET.get("export")
    if table:
        response = campaign_exports.table_response(dash, table)
        if response is None:
            raise Http404
        return response
    context = {
        "dash": dash,
        "chart": campaigns.chart_data(dash),
        "children": scope_choices(scope),
        "can_refresh": is_admin(request.user) or can(request.user, "activities.edit_campaign", campaign),
        "can_edit": can(request.user, "activities.edit_campaign", campaign),
        "scope_query": f"congress={scope.pk}&" if request.GET.get("congress") else "",
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
