"""Pages of receptions (接待) at the liaison stations: a station's log and its Excel export (never the visitor),
the phone form, a reception's page with "record as a case" and "link a case", and a deputy's own receptions.
The paths stay under /stations/ (`activities:` URL names)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from minsheng.accounts.permissions import Role, has_role
from minsheng.cases.privacy import reception_matter, reception_matters
from minsheng.cases.selectors import case_scope_for
from minsheng.common import clock
from minsheng.common.errors import DomainError, PermissionDenied
from minsheng.common.export import xlsx_response
from minsheng.common.forms import add_domain_error
from minsheng.common.paging import paginate
from minsheng.common.permissions import can, ensure
from minsheng.deputies.models import Deputy
from minsheng.stations.models import Station
from minsheng.stations.selectors import area_congress_prefixes, station_get_for
from minsheng.units.models import Unit

from . import selectors, services
from .forms import ReceptionFilterForm, ReceptionForm, ReceptionLinkForm, ReceptionToCaseForm
from .models import Reception


def _receiving_station(request, pk: int) -> Station:
    station = station_get_for(request.user, pk)
    ensure(request.user, "activities.receive", station)
    return station


def _reception_filters(request, station: Station | None, deputies) -> tuple[ReceptionFilterForm, dict]:
    form = ReceptionFilterForm(request.GET or None, deputies=deputies)
    return form, form.filters()


EXPORT_HEADERS = (
    _lazy("Date and time"),
    _lazy("Liaison station"),
    _lazy("Deputies who received"),
    _lazy("Number of visitors"),
    _lazy("Category"),
    _lazy("Matter"),
    _lazy("How it was dealt with"),
    _lazy("Referred to"),
    _lazy("Note on how it was dealt with"),
    _lazy("Case"),
)


def _readable(actor, receptions) -> list:
    """The rows of a log with each matter as the reader may read it (`cases.privacy.reception_matters`: the
    station's other deputies read it without the visitor's or a beneficiary's identity)."""
    return reception_matters(actor, receptions)


def _export_row(reception) -> list:
    """One line of the Excel log: never the visitor's name or phone (the matter as `_readable` leaves it)."""
    case = reception.case
    return [
        timezone.localtime(reception.received_at).strftime("%Y-%m-%d %H:%M"),
        reception.station.name,
        "、".join(d.name for d in reception.deputies.all()),
        reception.visitor_count,
        reception.get_category_display(),
        reception.matter,
        reception.get_outcome_display(),
        reception.referred_to.name if reception.referred_to else "",
        reception.outcome_note,
        (case.number or f"#{case.pk}") if case else "",
    ]


@login_required
@require_GET
def reception_log(request, pk: int):
    """A station's reception log (接待记录): filters, 50 a page, Excel export without the visitors."""
    station = _receiving_station(request, pk)
    deputies = list(selectors.reception_deputy_choices(station))
    form, filters = _reception_filters(request, station, deputies)
    receptions = selectors.reception_list(request.user, station=station, **filters)
    context = paginate(request, receptions)
    context["object_list"] = _readable(request.user, context["object_list"])
    context.update({"station": station, "form": form})
    return render(request, "activities/reception_log.html", context)


@login_required
@require_GET
def reception_export(request, pk: int):
    """The filtered log as Excel: date, deputies, count, category, matter, outcome, unit, case. No visitor."""
    station = _receiving_station(request, pk)
    deputies = list(selectors.reception_deputy_choices(station))
    _form, filters = _reception_filters(request, station, deputies)
    receptions = selectors.reception_list(request.user, station=station, **filters)
    filename = f"{station.name}-{_('receptions')}-{clock.today():%Y%m%d}.xlsx"
    return xlsx_response(
        EXPORT_HEADERS,
        (_export_row(r) for r in _readable(request.user, receptions)),
        filename=filename,
        title=_("Receptions"),
    )


def _units(station: Station):
    """The units a matter may be referred to: those supervised by a congress above the station's place or
    within its responsible congress's region (a short list on a phone)."""
    return (
        Unit.objects.filter(is_active=True)
        .filter(
            Q(congress__region_prefix__in=area_congress_prefixes(station))
            | Q(congress__region_prefix__startswith=station.congress.region_prefix)
        )
        .only("id", "name")
        .order_by("name")
    )


def _reception_form(data, station: Station, **kwargs) -> ReceptionForm:
    return ReceptionForm(
        data, deputies=selectors.reception_deputy_choices(station), units=_units(station), **kwargs
    )


@login_required
@require_http_methods(["GET", "POST"])
def reception_new(request, pk: int):
    """Record a reception (a form to fill on a phone, during or right after it)."""
    station = _receiving_station(request, pk)
    initial = {
        "received_at": timezone.localtime(clock.now()).replace(second=0, microsecond=0),
        "visitor_count": 1,
        "outcome": Reception.Outcome.ANSWERED,
    }
    if getattr(request.user, "deputy_id", None):
        initial["deputies"] = [request.user.deputy_id]
    form = _reception_form(request.POST or None, station, initial=initial)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                reception = services.reception_record(
                    actor=request.user,
                    station_id=station.pk,
                    deputies=list(form.cleaned_data.pop("deputies")),
                    **form.cleaned_data,
                )
            except DomainError as exc:
                add_domain_error(form, exc)
                status = exc.status_code
            else:
                messages.success(request, _("The reception has been recorded."))
                return redirect("activities:reception_detail", pk=reception.pk)
        if form.errors and status == 200:
            status = 400
    context = {"station": station, "form": form, "reception": None}
    return render(request, "activities/reception_form.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def reception_edit(request, pk: int):
    """Correct a reception."""
    reception = selectors.reception_get_for(request.user, pk)
    ensure(request.user, "activities.edit_reception", reception)
    station = reception.station
    initial = {
        "received_at": timezone.localtime(reception.received_at),
        "deputies": [d.pk for d in reception.deputies.all()],
        "visitor_count": reception.visitor_count,
        "contact_name": reception.contact_name,
        "contact_phone": reception.contact_phone,
        "matter": reception.matter,
        "category": reception.category,
        "outcome": reception.outcome,
        "referred_to": reception.referred_to_id,
        "outcome_note": reception.outcome_note,
    }
    # Deputies detached since stay choosable on their own reception.
    deputies = Deputy.objects.filter(
        Q(station_attachments__station=station) | Q(pk__in=initial["deputies"])
    ).distinct()
    form = ReceptionForm(
        request.POST or None,
        deputies=deputies.only("id", "name", "name_sort").order_by("name_sort", "id"),
        units=_units(station),
        initial=initial,
    )
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.reception_update(
                    actor=request.user,
                    reception_id=reception.pk,
                    deputies=list(form.cleaned_data.pop("deputies")),
                    **form.cleaned_data,
                )
            except DomainError as exc:
                add_domain_error(form, exc)
                status = exc.status_code
            else:
                messages.success(request, _("The reception has been saved."))
                return redirect("activities:reception_detail", pk=reception.pk)
        if form.errors and status == 200:
            status = 400
    context = {"station": station, "form": form, "reception": reception}
    return render(request, "activities/reception_form.html", context, status=status)


def _reception_context(request, reception, **extra) -> dict:
    can_edit = can(request.user, "activities.edit_reception", reception)
    deputies = list(reception.deputies.all())
    return {
        "reception": reception,
        "station": reception.station,
        "deputies": deputies,
        "visitor": selectors.visitor_contact(request.user, reception),
        "matter": reception_matter(request.user, reception),
        "can_edit": can_edit,
        "to_case_form": ReceptionToCaseForm(deputies=reception.deputies.all()) if can_edit else None,
        "link_form": ReceptionLinkForm() if can_edit else None,
        **extra,
    }


@login_required
@require_GET
def reception_detail(request, pk: int):
    """A reception, with "record as a case" and "link an existing case" for those who may."""
    reception = selectors.reception_get_for(request.user, pk)
    return render(request, "activities/reception_detail.html", _reception_context(request, reception))


def _editable_reception(request, pk: int):
    reception = selectors.reception_get_for(request.user, pk)
    ensure(request.user, "activities.edit_reception", reception)
    return reception


def _refuse_on_reception(request, reception, exc: DomainError, **forms_):
    context = _reception_context(request, reception, action_error=str(exc.message), **forms_)
    return render(request, "activities/reception_detail.html", context, status=exc.status_code)


@login_required
@require_POST
def reception_to_case(request, pk: int):
    """Record the reception as a draft case, then go to the case to complete and file it."""
    reception = _editable_reception(request, pk)
    form = ReceptionToCaseForm(request.POST, deputies=reception.deputies.all())
    if not form.is_valid():
        exc = DomainError(_("Check the kind, deputy and budget of the case."), code="invalid")
        return _refuse_on_reception(request, reception, exc, to_case_form=form)
    try:
        case = services.reception_to_case(actor=request.user, reception_id=reception.pk, **form.cleaned_data)
    except DomainError as exc:
        return _refuse_on_reception(request, reception, exc, to_case_form=form)
    messages.success(
        request, _("A draft case has been recorded from the reception: complete it and file it.")
    )
    return redirect("cases:detail", pk=case.pk)


def _case_id_from(value: str, actor) -> int | None:
    value = value.strip()
    if value.isdigit() and len(value) < 10:
        return int(value)
    return case_scope_for(actor).filter(number=value.upper()).values_list("pk", flat=True).first()


@login_required
@require_POST
def reception_link(request, pk: int):
    """Link the reception to an existing case (by number or id) that the user may see."""
    reception = _editable_reception(request, pk)
    form = ReceptionLinkForm(request.POST)
    if not form.is_valid():
        return _refuse_on_reception(request, reception, DomainError(_("Enter a case number."), field="case"))
    case_id = _case_id_from(form.cleaned_data["case"], request.user)
    try:
        if case_id is None:
            raise DomainError(_("No such case."), field="case", code="not_found")
        services.reception_link_case(actor=request.user, reception_id=reception.pk, case_id=case_id)
    except DomainError as exc:
        return _refuse_on_reception(request, reception, exc, link_form=form)
    messages.success(request, _("The reception has been linked to the case."))
    return redirect("activities:reception_detail", pk=reception.pk)


@login_required
@require_POST
def reception_unlink(request, pk: int):
    """Remove a wrong link to a case."""
    reception = _editable_reception(request, pk)
    try:
        services.reception_unlink(actor=request.user, reception_id=reception.pk)
    except DomainError as exc:
        return _refuse_on_reception(request, reception, exc)
    messages.success(request, _("The link to the case has been removed."))
    return redirect("activities:reception_detail", pk=reception.pk)


@login_required
@require_GET
def my_receptions(request):
    """A deputy's own receptions, at every station (the start of the duty record, 履职档案)."""
    if not has_role(request.user, Role.DEPUTY) or not request.user.deputy_id:
        raise PermissionDenied(_("Only deputies have receptions of their own."))
    form = ReceptionFilterForm(request.GET or None)
    filters = form.filters()
    receptions = selectors.receptions_for_deputy(
        request.user.deputy_id, date_from=filters["date_from"], date_to=filters["date_to"]
    ).order_by("-received_at", "-id")
    context = paginate(request, receptions)
    context["object_list"] = _readable(request.user, context["object_list"])
    context["form"] = form
    return render(request, "activities/my_receptions.html", context)
