"""Pages of receptions (接待) at the liaison stations: a station's log and its Excel export (never the visitor),
the phone form, a reception's page with "record as a case" and "link a case", and a deputy's own receptions.
The paths stay under /stations/ (`activities:` URL names)."""

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.http import Http404, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from minsheng.accounts.permissions import Role, has_role
from minsheng.cases.privacy import reception_matter, reception_matters
from minsheng.cases.selectors import case_scope_for
from minsheng.common import clock
from minsheng.common.dbrouter import use_replica
from minsheng.common.errors import DomainError, PermissionDenied
from minsheng.common.export import xlsx_response
from minsheng.common.forms import add_domain_error
from minsheng.common.paging import paginate
from minsheng.common.permissions import can, ensure
from minsheng.deputies.models import Deputy
from minsheng.stations.models import Station
from minsheng.stations.selectors import station_get_for

from . import selectors, services
from .forms import (
    MATTER_BLOCKS_MAX,
    MatterAnswerForm,
    MatterFeedbackForm,
    MatterFilterForm,
    MatterFormSet,
    MonthFilterForm,
    ReceptionDayForm,
    ReceptionFilterForm,
    ReceptionForm,
    ReceptionLinkForm,
    ReceptionToCaseForm,
    shown_as_typed,
    with_one_more_block,
)
from .models import Reception, ReceptionMatter


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


@use_replica
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


def _reception_form(data, station: Station, **kwargs) -> ReceptionForm:
    form = ReceptionForm(
        data,
        deputies=selectors.reception_deputy_choices(station),
        units=selectors.referral_units(station),
        station_id=station.pk,
        **kwargs,
    )
    form.fields["deputies"].widget.pick_for(f"reception:{station.pk}")
    return form


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
    # Today's deputies on duty (接待日) are ticked first; a deputy recording ticks him- or herself.
    duty = selectors.duty_deputy_ids(station, clock.today())
    initial["deputies"] = duty or []
    if getattr(request.user, "deputy_id", None) and request.user.deputy_id not in initial["deputies"]:
        initial["deputies"] = [*initial["deputies"], request.user.deputy_id]
    # The phone form sends its matters in a formset (prefix "matters"); a post of the old single-matter
    # fields (no formset) is still recorded as one matter.
    with_matters = request.method == "GET" or "matters-TOTAL_FORMS" in request.POST
    form = _reception_form(request.POST or None, station, initial=initial, with_matters=with_matters)
    matter_kwargs = {
        "units": selectors.referral_units(station),
        "station_id": station.pk,
        "contact_name": request.POST.get("contact_name", "").strip(),
    }
    formset = (
        MatterFormSet(request.POST or None, prefix="matters", form_kwargs=matter_kwargs)
        if with_matters
        else None
    )
    status = 200
    if request.method == "POST" and formset is not None and "add_matter" in request.POST:
        # 「再加一项」 without JavaScript: the same form with one more matter block; nothing saved.
        data = with_one_more_block(request.POST)
        form = _reception_form(data, station, initial=initial, with_matters=True)
        formset = MatterFormSet(data, prefix="matters", form_kwargs=matter_kwargs)
        shown_as_typed(form, formset)
    elif request.method == "POST":
        if form.is_valid() and (formset is None or formset.is_valid()):
            extra = {"matters": formset.items()} if formset is not None else {}
            try:
                reception = services.reception_record(
                    actor=request.user,
                    station_id=station.pk,
                    deputies=list(form.cleaned_data.pop("deputies")),
                    **form.cleaned_data,
                    **extra,
                )
            except DomainError as exc:
                add_domain_error(form, exc)
                status = exc.status_code
            else:
                messages.success(request, _("The reception has been recorded."))
                return redirect("activities:reception_detail", pk=reception.pk)
        if (form.errors or (formset is not None and not formset.is_valid())) and status == 200:
            status = 400
    context = {
        "station": station,
        "form": form,
        "formset": formset,
        "reception": None,
        "matters_max": MATTER_BLOCKS_MAX,
    }
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
        units=selectors.referral_units(station),
        station_id=station.pk,
        initial=initial,
    )
    form.fields["deputies"].widget.pick_for(f"reception:{station.pk}")
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
    # The edit form corrects the reception and its first matter (the old single-matter fields mirror it); a
    # matter's later course (answer, feedback, case) is recorded on the reception's page.
    context = {
        "station": station,
        "form": form,
        "reception": reception,
        "other_matters": max(reception.matters.count() - 1, 0),
    }
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
        "to_case_form": _to_case_form(None, reception) if can_edit else None,
        "link_form": ReceptionLinkForm() if can_edit else None,
        "matters": _matter_rows(request.user, reception),
        "today": clock.today(),
        **extra,
    }


@login_required
@require_GET
def reception_detail(request, pk: int):
    """A reception, with "record as a case" and "link an existing case" for those who may."""
    reception = selectors.reception_get_for(request.user, pk)
    return render(request, "activities/reception_detail.html", _reception_context(request, reception))


@login_required
@require_GET
def reception_print(request, pk: int):
    """接待登记表 as an A4 PDF: for whoever may see the reception (`activities.view_reception`), the visitor in
    full only for `activities.view_visitor` (masked otherwise, like the page)."""
    from minsheng.common import printing

    reception = selectors.reception_get_for(request.user, pk)
    context = _reception_context(request, reception)
    for row in context["matters"]:
        row["answer"] = reception_matter(request.user, reception, text=row["matter"].answer)
    received = timezone.localtime(reception.received_at)
    context.update(
        {
            "received": received,
            "signers": [
                printing.signer(_("Deputies who received (signatures)")),
                printing.signer(_("Recorded by (signature)")),
            ],
        }
    )
    content = printing.render_pdf("activities/pdf/reception.html", context, request=request)
    filename = _("reception-form-%(station)s-%(date)s.pdf") % {
        "station": printing.safe_name(reception.station.name),
        "date": received.strftime("%Y-%m-%d"),
    }
    return printing.pdf_response(content, filename)


def _editable_reception(request, pk: int):
    reception = selectors.reception_get_for(request.user, pk)
    ensure(request.user, "activities.edit_reception", reception)
    return reception


def _refuse_on_reception(request, reception, exc: DomainError, **forms_):
    context = _reception_context(request, reception, action_error=str(exc.message), **forms_)
    return render(request, "activities/reception_detail.html", context, status=exc.status_code)


def _to_case_form(data, reception) -> ReceptionToCaseForm:
    return ReceptionToCaseForm(data, deputies=reception.deputies.all(), contact_name=reception.contact_name)


@login_required
@require_POST
def reception_to_case(request, pk: int):
    """Record the reception as a draft case (a micro-wish with its beneficiary), then go to the case to
    complete and file it. A refusal shows next to its field on the reception's page; nothing is created."""
    reception = _editable_reception(request, pk)
    form = _to_case_form(request.POST, reception)
    if not form.is_valid():
        context = _reception_context(request, reception, to_case_form=form)
        return render(request, "activities/reception_detail.html", context, status=400)
    try:
        case = services.reception_to_case(
            actor=request.user, reception_id=reception.pk, **form.service_kwargs()
        )
    except DomainError as exc:
        add_domain_error(form, exc, field_of={"category": "case_category"})
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


# Reception days (接待日) and matters (反映事项), issue 11 ----------------------------------------------------


def _matter_rows(actor, reception) -> list[dict]:
    """The reception page's matters, each with its text as the reader may read it and the forms of what the
    reader may do now (answer, feedback)."""
    rows = []
    for matter in selectors.reception_matters_of(reception):
        actions = selectors.matter_actions(actor, matter)
        rows.append(
            {
                "matter": matter,
                "text": reception_matter(actor, reception, text=matter.text),
                "actions": actions,
                "answer_form": MatterAnswerForm(
                    initial={"answered_on": clock.today()}, prefix=f"m{matter.pk}"
                )
                if "answer" in actions
                else None,
                "feedback_form": MatterFeedbackForm(
                    initial={"feedback_on": clock.today(), "how": "phone"}, prefix=f"m{matter.pk}"
                )
                if "feedback" in actions
                else None,
            }
        )
    return rows


def _scheduling_station(request, pk: int) -> Station:
    station = station_get_for(request.user, pk)
    ensure(request.user, "activities.schedule_days", station)
    return station


def _month_of(request) -> tuple[MonthFilterForm, "dt.date"]:
    form = MonthFilterForm(request.GET or None)
    month = form.cleaned_data.get("month") if form.is_valid() else None
    return form, (month or clock.today().replace(day=1))


@login_required
@require_GET
def reception_days(request, pk: int):
    """A station's reception days (接待日) of a month, printable; schedule, change or cancel for who may."""
    station = station_get_for(request.user, pk)
    ensure(request.user, "activities.view_days", station)
    form, month = _month_of(request)
    days = selectors.reception_days_for_station(station, month=month)
    context = {
        "station": station,
        "form": form,
        "month": month,
        "days": days,
        "can_schedule": can(request.user, "activities.schedule_days", station),
        "editable_from": clock.today() + dt.timedelta(days=services.notice_days()),
    }
    return render(request, "activities/reception_days.html", context)


DAY_EXPORT_HEADERS = (
    _lazy("Day"),
    _lazy("From"),
    _lazy("Until"),
    _lazy("Deputies on duty"),
    _lazy("Note"),
    _lazy("Cancelled"),
)


@use_replica
@login_required
@require_GET
def reception_days_export(request, pk: int):
    """The month's schedule as Excel (deputies' names: public persons; nothing of visitors)."""
    station = station_get_for(request.user, pk)
    ensure(request.user, "activities.view_days", station)
    _form, month = _month_of(request)
    rows = (
        [
            d.day.isoformat(),
            d.starts_at.strftime("%H:%M"),
            d.ends_at.strftime("%H:%M"),
            "、".join(x.name for x in d.deputies.all()),
            d.note,
            _("Yes") if d.is_cancelled else "",
        ]
        for d in selectors.reception_days_for_station(station, month=month)
    )
    return xlsx_response(
        DAY_EXPORT_HEADERS,
        rows,
        filename=f"{station.name}-{_('reception days')}-{month:%Y%m}.xlsx",
        title=_("Reception days"),
    )


def _day_form_page(request, station, reception_day=None):
    deputies = selectors.reception_deputy_choices(station)
    initial = {}
    if reception_day is not None:
        initial = {
            "day": reception_day.day,
            "starts_at": reception_day.starts_at,
            "ends_at": reception_day.ends_at,
            "deputies": [d.pk for d in reception_day.deputies.all()],
            "note": reception_day.note,
        }
    else:
        initial = {"day": clock.today() + dt.timedelta(days=services.notice_days())}
    form = ReceptionDayForm(request.POST or None, deputies=deputies, station_id=station.pk, initial=initial)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = dict(form.cleaned_data, deputies=list(form.cleaned_data["deputies"]))
            try:
                if reception_day is None:
                    services.reception_day_schedule(actor=request.user, station_id=station.pk, **data)
                else:
                    services.reception_day_change(actor=request.user, day_id=reception_day.pk, **data)
            except DomainError as exc:
                add_domain_error(form, exc)
                status = exc.status_code
            else:
                messages.success(request, _("The reception day has been saved."))
                return redirect(
                    f"{reverse('activities:reception_days', args=[station.pk])}?month={data['day']:%Y-%m}"
                )
        if form.errors and status == 200:
            status = 400
    context = {"station": station, "form": form, "reception_day": reception_day}
    return render(request, "activities/reception_day_form.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def reception_day_new(request, pk: int):
    return _day_form_page(request, _scheduling_station(request, pk))


@login_required
@require_http_methods(["GET", "POST"])
def reception_day_edit(request, pk: int):
    reception_day = selectors.reception_day_get_for(request.user, pk)
    ensure(request.user, "activities.schedule_days", reception_day.station)
    return _day_form_page(request, reception_day.station, reception_day)


@login_required
@require_POST
def reception_day_cancel(request, pk: int):
    reception_day = selectors.reception_day_get_for(request.user, pk)
    ensure(request.user, "activities.schedule_days", reception_day.station)
    try:
        services.reception_day_cancel(actor=request.user, day_id=reception_day.pk)
    except DomainError as exc:
        messages.error(request, str(exc.message))
    else:
        messages.success(request, _("The reception day has been cancelled."))
    return redirect(
        f"{reverse('activities:reception_days', args=[reception_day.station_id])}?month={reception_day.day:%Y-%m}"
    )


MATTER_EXPORT_HEADERS = (
    _lazy("Date and time"),
    _lazy("Number"),
    _lazy("Category"),
    _lazy("Matter"),
    _lazy("How it is dealt with"),
    _lazy("Sent to"),
    _lazy("Answer by"),
    _lazy("Status"),
    _lazy("Answered at"),
    _lazy("Visitor told at"),
    _lazy("Case"),
)


def _matter_queue(request, station):
    form = MatterFilterForm(request.GET or None)
    matters = selectors.matter_list(request.user, station=station, today=clock.today(), **form.filters())
    return form, matters


def _matters_station(request, pk: int) -> Station:
    station = station_get_for(request.user, pk)
    ensure(request.user, "activities.view_matters", station)
    return station


@login_required
@require_GET
def matter_queue(request, pk: int):
    """A station's matters (反映事项): filters (status, overdue, disposal, category, dates), 50 a page, the
    overdue ones marked; Excel without the visitors."""
    station = _matters_station(request, pk)
    form, matters = _matter_queue(request, station)
    context = paginate(request, matters)
    context.update(
        {
            "station": station,
            "form": form,
            "today": clock.today(),
            "overdue_count": selectors.matters_overdue_for_station(station, clock.today()).count(),
        }
    )
    return render(request, "activities/matter_queue.html", context)


@use_replica
@login_required
@require_GET
def matter_export(request, pk: int):
    station = _matters_station(request, pk)
    _form, matters = _matter_queue(request, station)
    redact = _export_redactor()
    rows = (
        [
            timezone.localtime(m.reception.received_at).strftime("%Y-%m-%d %H:%M"),
            m.position,
            m.get_category_display(),
            redact(m),
            m.get_disposal_display(),
            m.referred_to.name if m.referred_to else m.referred_to_name,
            m.answer_due.isoformat() if m.answer_due else "",
            m.get_status_display(),
            timezone.localtime(m.answered_at).strftime("%Y-%m-%d") if m.answered_at else "",
            timezone.localtime(m.feedback_at).strftime("%Y-%m-%d") if m.feedback_at else "",
            (m.case.number or f"#{m.case.pk}") if m.case else "",
        ]
        for m in matters
    )
    return xlsx_response(
        MATTER_EXPORT_HEADERS,
        rows,
        filename=f"{station.name}-{_('matters')}-{clock.today():%Y%m%d}.xlsx",
        title=_("Matters raised"),
    )


def _export_redactor():
    """An export never carries the visitor: each matter's text without the reception's contact name and phone
    (nor ID numbers or mobiles), as the station's other deputies read it."""
    from django.contrib.auth.models import AnonymousUser

    nobody = AnonymousUser()
    return lambda m: reception_matter(nobody, m.reception, text=m.text)


@login_required
@require_POST
def matter_answer(request, pk: int):
    matter = selectors.matter_get_for(request.user, pk)
    form = MatterAnswerForm(request.POST, prefix=f"m{matter.pk}")
    return _matter_action(
        request,
        matter,
        form,
        lambda data: services.matter_answer(
            actor=request.user, matter_id=matter.pk, answer=data["answer"], answered_on=data["answered_on"]
        ),
        _("The answer has been recorded."),
    )


@login_required
@require_POST
def matter_feedback(request, pk: int):
    matter = selectors.matter_get_for(request.user, pk)
    form = MatterFeedbackForm(request.POST, prefix=f"m{matter.pk}")
    return _matter_action(
        request,
        matter,
        form,
        lambda data: services.matter_feedback(
            actor=request.user,
            matter_id=matter.pk,
            feedback_on=data["feedback_on"],
            how=data["how"],
            note=data.get("note", ""),
        ),
        _("The feedback to the visitor has been recorded."),
    )


def _matter_action(request, matter, form, act, done: str):
    """Answer or feedback from the reception's page, or (a unit's handler, who may not read the reception)
    from the unit's matters page; a refusal shows on the page it came from, with what was typed."""
    reception = matter.reception
    on_reception = can(request.user, "activities.view_reception", reception)
    if not form.is_valid():
        errors = "；".join(str(e) for errs in form.errors.values() for e in errs)
        if on_reception:
            return _refuse_on_reception(request, reception, DomainError(errors, code="invalid"))
        if can(request.user, "activities.view_unit_matters"):
            return _unit_matters_page(request, bound=(matter.pk, form), status=400)
        return HttpResponseBadRequest(errors)
    try:
        act(form.cleaned_data)
    except DomainError as exc:
        if on_reception:
            return _refuse_on_reception(request, reception, exc)
        if can(request.user, "activities.view_unit_matters"):
            add_domain_error(form, exc)
            return _unit_matters_page(request, bound=(matter.pk, form), status=exc.status_code)
        raise
    messages.success(request, done)
    if on_reception:
        return redirect("activities:reception_detail", pk=reception.pk)
    if can(request.user, "activities.view_unit_matters"):
        return redirect("activities:unit_matters")
    return redirect("home")


@login_required
@require_GET
def unit_matters(request):
    """The matters stations sent to the handler's unit (反映事项), open ones first by their answer date, each
    with the answer form while it is open; 50 a page."""
    if not can(request.user, "activities.view_unit_matters"):
        raise Http404
    return _unit_matters_page(request)


UNIT_MATTER_STATUSES = ("open", "answered", "closed", "all")


def _unit_matters_page(request, *, bound=None, status: int = 200):
    wanted = request.GET.get("status", "open")
    wanted = wanted if wanted in UNIT_MATTER_STATUSES else "open"
    context = paginate(
        request, selectors.matters_for_unit(request.user, status="" if wanted == "all" else wanted)
    )
    rows = []
    for matter in context["object_list"]:
        actions = selectors.matter_actions(request.user, matter)
        form = None
        if bound and bound[0] == matter.pk:
            form = bound[1]
        elif "answer" in actions:
            form = MatterAnswerForm(initial={"answered_on": clock.today()}, prefix=f"m{matter.pk}")
        rows.append(
            {
                "matter": matter,
                "text": reception_matter(request.user, matter.reception, text=matter.text),
                "answer_form": form,
            }
        )
    context.update(
        {
            "rows": rows,
            "today": clock.today(),
            "status": wanted,
            "statuses": [
                ("open", ReceptionMatter.Status.OPEN.label),
                ("answered", ReceptionMatter.Status.ANSWERED.label),
                ("closed", ReceptionMatter.Status.CLOSED.label),
                ("all", _("All")),
            ],
        }
    )
    return render(request, "activities/unit_matters.html", context, status=status)
