"""Campaign pages (集中履职月) under /activities/campaigns/: the list, a new one, edit. The dashboard is the
insights' (`insights:campaign_dashboard`, /campaigns/<pk>/)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from minsheng.common.errors import DomainError, PermissionDenied
from minsheng.common.forms import add_domain_error
from minsheng.common.paging import paginate
from minsheng.common.permissions import can, ensure

from . import campaign_services
from .campaign_forms import CampaignForm
from .campaign_selectors import campaign_get_for, campaigns_for


@login_required
@require_GET
def campaign_list(request):
    if not can(request.user, "activities.view_campaign", None):
        raise PermissionDenied(_("You are not allowed to do this."))
    context = paginate(request, campaigns_for(request.user).order_by("-starts_on", "id"))
    context["can_create"] = can(request.user, "activities.create_campaign", None)
    return render(request, "activities/campaigns/list.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def campaign_new(request):
    congress = getattr(request.user, "congress", None)
    ensure(request.user, "activities.create_campaign", congress)
    if congress is None:
        raise PermissionDenied(_("Only the staff of a congress start its campaigns."))
    form = CampaignForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                campaign = campaign_services.campaign_create(
                    actor=request.user, congress=congress, **form.cleaned_data
                )
            except DomainError as exc:
                add_domain_error(form, exc)
                status = exc.status_code
            else:
                messages.success(request, _("The campaign has been created."))
                return redirect("insights:campaign_dashboard", pk=campaign.pk)
        if form.errors and status == 200:
            status = 400
    return render(request, "activities/campaigns/form.html", {"form": form, "campaign": None}, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def campaign_edit(request, pk: int):
    campaign = campaign_get_for(request.user, pk)
    ensure(request.user, "activities.edit_campaign", campaign)
    form = CampaignForm(request.POST or None, instance=campaign)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                campaign_services.campaign_update(
                    actor=request.user, campaign_id=campaign.pk, **form.cleaned_data
                )
            except DomainError as exc:
                add_domain_error(form, exc)
                status = exc.status_code
            else:
                messages.success(request, _("The campaign has been saved."))
                return redirect("insights:campaign_dashboard", pk=campaign.pk)
        if form.errors and status == 200:
            status = 400
    return render(
        request, "activities/campaigns/form.html", {"form": form, "campaign": campaign}, status=status
    )
