"""The social funds ledger's pages (/funds/): the list with filters, search, pages, totals and an Excel
export; a new gift; a gift with its receipt, marked received or cancelled."""

import mimetypes

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from minsheng.activities.models import Campaign
from minsheng.cases.models import Case, Claim
from minsheng.common import uploads
from minsheng.common.errors import DomainError, PermissionDenied
from minsheng.common.export import xlsx_response
from minsheng.common.forms import add_domain_error
from minsheng.common.paging import paginate
from minsheng.common.permissions import can, ensure
from minsheng.projects.models import Project

from . import contribution_selectors as selectors
from . import contribution_services as services
from .contribution_forms import ContributionFilterForm, ContributionForm, ContributionReceiveForm
from .funds import public_donor_name


def _require(request, action: str, obj=None) -> None:
    if not can(request.user, action, obj):
        raise PermissionDenied(_("You are not allowed to do this."))


def _get(request, pk: int):
    contribution = selectors.contributions_for(request.user).filter(pk=pk).first()
    if contribution is None:
        raise Http404
    return contribution


@login_required
@require_GET
def contribution_list(request):
    _require(request, "insights.view_contributions")
    form = ContributionFilterForm(request.GET or None)
    filters = form.filters()
    rows = selectors.contribution_list(request.user, **filters)
    if request.GET.get("format") == "xlsx":
        return _export(rows)
    context = paginate(request, rows)
    context["rows"] = [(c, selectors.donor_label(c, staff=True)) for c in context["object_list"]]
    context["form"] = form
    context["totals"] = selectors.ledger_totals(request.user, campaign_id=filters.get("campaign_id"))
    context["can_record"] = can(request.user, "insights.record_contribution", None)
    context["query"] = request.GET.urlencode()
    return render(request, "insights/contributions/list.html", context)


def _export(rows):
    """The ledger in Excel: never an individual donor's name (personal data leaves with a file)."""
    headers = [
        _("Number"),
        _("Donor"),
        _("Donor type"),
        _("Money or goods"),
        _("Goods"),
        _("Amount or value (yuan)"),
    ]
    headers += [_("Purpose"), _("Area"), _("Status"), _("Pledged on"), _("Received on")]
    out = []
    for c in rows[:50000]:
        profile = getattr(c.donor, "donor_profile", None) if c.donor_id else None
        kind = profile.kind if profile else c.donor_kind
        name = public_donor_name(kind=kind, name=profile.name if profile else c.donor_name)
        out.append(
            [c.pk, name, c.get_donor_kind_display(), c.get_form_display(), c.goods, float(c.amount)]
            + [c.get_purpose_display(), c.place.name, c.get_status_display(), c.pledged_on, c.received_on]
        )
    stamp = timezone.localdate().isoformat()
    return xlsx_response(
        headers, out, filename=_("social-funds-%(date)s.xlsx") % {"date": stamp}, title=_("Social funds")
    )


def _resolve(model, pk):
    if not pk:
        return None
    obj = model.objects.filter(pk=pk).first()
    if obj is None:
        raise DomainError(_("No such record: %(pk)s.") % {"pk": pk}, code="not_found")
    return obj


@login_required
@require_http_methods(["GET", "POST"])
def contribution_new(request):
    _require(request, "insights.record_contribution")
    form = ContributionForm(
        request.POST or None, request.FILES or None, initial={"pledged_on": timezone.localdate()}
    )
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            try:
                contribution = services.contribution_record(
                    actor=request.user,
                    donor=data["donor"],
                    donor_kind=data["donor_kind"],
                    donor_name=data["donor_name"],
                    form=data["form"],
                    amount=data["amount"],
                    goods=data["goods"],
                    purpose=data["purpose"],
                    campaign=_resolve(Campaign, data["campaign"]),
                    case=_resolve(Case, data["case"]),
                    project=_resolve(Project, data["project"]),
                    pledged_on=data["pledged_on"],
                    note=data["note"],
                    receipt=data["receipt"],
                )
            except DomainError as exc:
                add_domain_error(form, exc)
                status = exc.status_code
            else:
                messages.success(request, _("The gift has been entered in the ledger."))
                return redirect("insights:contribution", pk=contribution.pk)
        if form.errors and status == 200:
            status = 400
    return render(request, "insights/contributions/form.html", {"form": form}, status=status)


@login_required
@require_GET
def contribution_detail(request, pk: int):
    contribution = _get(request, pk)
    context = {
        "c": contribution,
        "donor": selectors.donor_label(contribution, staff=True),
        "can_edit": can(request.user, "insights.edit_contribution", contribution),
        "receive_form": ContributionReceiveForm(initial={"received_on": timezone.localdate()}),
        "claim_status": Claim.Status,
    }
    return render(request, "insights/contributions/detail.html", context)


@login_required
@require_POST
def contribution_receive(request, pk: int):
    contribution = _get(request, pk)
    ensure(request.user, "insights.edit_contribution", contribution)
    form = ContributionReceiveForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, _("Enter the day it was received."))
        return redirect("insights:contribution", pk=pk)
    try:
        services.contribution_receive(
            actor=request.user,
            contribution_id=pk,
            received_on=form.cleaned_data["received_on"],
            receipt=form.cleaned_data["receipt"],
        )
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("The gift is recorded as received."))
    return redirect("insights:contribution", pk=pk)


@login_required
@require_POST
def contribution_cancel(request, pk: int):
    contribution = _get(request, pk)
    ensure(request.user, "insights.edit_contribution", contribution)
    try:
        services.contribution_cancel(
            actor=request.user, contribution_id=pk, reason=request.POST.get("reason", "")
        )
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("The pledge has been cancelled."))
    return redirect("insights:contribution", pk=pk)


@login_required
@uploads.guarded
def contribution_receipt(request, pk: int):
    contribution = _get(request, pk)
    if not contribution.receipt:
        raise Http404
    return uploads.file_response(
        contribution.receipt,
        content_type=mimetypes.guess_type(contribution.receipt.name)[0] or "",
        filename=contribution.receipt_name or "receipt",
    )
