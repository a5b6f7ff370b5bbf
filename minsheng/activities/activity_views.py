"""Pages of activities (代表活动) under /activities/: the list (search, filters, 50 a page, Excel), an
activity's page (participants, attendance, QR code, photos, report, cases and suggestions), the form, a
deputy's own activities with sign-up, the QR sign-in (签到) on a phone, the 回选举单位 check and the checks on
the records."""

import datetime as dt
import io

import segno
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from minsheng.accounts.permissions import Role, has_role, is_admin
from minsheng.common import clock, uploads
from minsheng.common.errors import DomainError, PermissionDenied
from minsheng.common.export import xlsx_attachment, xlsx_response, xlsx_sheets_bytes
from minsheng.common.forms import add_domain_error
from minsheng.common.paging import paginate
from minsheng.common.permissions import can, ensure
from minsheng.congresses.models import Congress
from minsheng.deputies.models import Deputy
from minsheng.stations.models import Station

from . import activity_selectors as selectors
from . import activity_services as services
from . import checks, concerns
from .activity_forms import (
    ActivityFilterForm,
    ActivityForm,
    AttendanceForm,
    CancelForm,
    ChecksForm,
    ElectoralUnitCheckForm,
    InviteForm,
    KindForm,
    LinkCaseForm,
    PhotoForm,
    ReportForm,
    SuggestionForm,
)
from .models import Activity, ActivityKind, ActivityPhoto


def _congresses_for(actor):
    """The congresses the actor organises for (staff: theirs and those below; admins: all)."""
    if is_admin(actor):
        return Congress.objects.order_by("region_prefix")
    if has_role(actor, Role.CONGRESS_STAFF):
        return Congress.objects.filter(region_prefix__startswith=actor.congress.region_prefix).order_by(
            "region_prefix"
        )
    return Congress.objects.none()


def _filter_congresses(actor):
    if has_role(actor, Role.CONGRESS_STAFF) or is_admin(actor):
        return _congresses_for(actor)
    return Congress.objects.filter(pk__in=selectors.activity_scope_for(actor).values("congress_id")).order_by(
        "region_prefix"
    )


def _own_congress(actor) -> Congress | None:
    return actor.congress if has_role(actor, Role.CONGRESS_STAFF) else None


def _list_filters(request) -> tuple[ActivityFilterForm, dict]:
    form = ActivityFilterForm(
        request.GET or None,
        kinds=selectors.kinds_for(_own_congress(request.user)),
        congresses=_filter_congresses(request.user),
    )
    return form, form.filters()


def _local(value) -> str:
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M")


@login_required
@require_GET
def activity_list(request):
    """The activities the reader may see, with search and filters, 50 a page."""
    form, filters = _list_filters(request)
    context = paginate(request, selectors.activity_list(request.user, **filters))
    context.update({"form": form, "may_create": can(request.user, "activities.create_activity")})
    return render(request, "activities/activity_list.html", context)


EXPORT_HEADERS = (
    _lazy("Kind"),
    _lazy("Title"),
    _lazy("Organising congress"),
    _lazy("Starts at"),
    _lazy("Ends at"),
    _lazy("Where"),
    _lazy("Status"),
    _lazy("Participants"),
    _lazy("Present"),
)


@login_required
@require_GET
def activity_export(request):
    """The filtered list as Excel (no personal data beyond the deputies' counts)."""
    _form, filters = _list_filters(request)
    rows = (
        [
            a.kind.name,
            a.title,
            a.congress.name,
            _local(a.starts_at),
            _local(a.ends_at),
            a.location,
            a.get_status_display(),
            a.participant_count,
            a.present_count,
        ]
        for a in selectors.activity_list(request.user, **filters)
    )
    return xlsx_response(
        EXPORT_HEADERS, rows, filename=f"{_('activities')}-{clock.today():%Y%m%d}.xlsx", title=_("Activities")
    )


def _form_choices(actor, congress: Congress | None) -> dict:
    congresses = _congresses_for(actor)
    prefix = (
        congress.region_prefix
        if congress
        else (actor.congress.region_prefix if has_role(actor, Role.CONGRESS_STAFF) else "")
    )
    return {
        "kinds": selectors.kinds_for(congress or _own_congress(actor)),
        "congresses": congresses,
        "places": selectors.activity_places(prefix),
        "stations": Station.objects.filter(place__code__startswith=prefix, is_active=True).order_by("name"),
    }


@login_required
@require_http_methods(["GET", "POST"])
def activity_new(request):
    """Plan an activity (congress staff, admins)."""
    ensure(request.user, "activities.create_activity")
    choices = _form_choices(request.user, None)
    form = ActivityForm(request.POST or None, **choices)
    form.fields["place"].widget.pick_for("activity:")
    if request.method == "POST" and form.is_valid():
        try:
            activity = services.activity_create(actor=request.user, **form.cleaned_data)
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, _("The activity is planned."))
            return redirect("activities:activity_detail", activity.pk)
    return render(request, "activities/activity_form.html", {"form": form, "activity": None})


@login_required
@require_http_methods(["GET", "POST"])
def activity_edit(request, pk: int):
    activity = selectors.activity_get_for(request.user, pk)
    ensure(request.user, "activities.edit_activity", activity)
    choices = _form_choices(request.user, activity.congress)
    initial = {f: getattr(activity, f) for f in services.ACTIVITY_FIELDS}
    initial["starts_at"] = timezone.localtime(activity.starts_at)
    initial["ends_at"] = timezone.localtime(activity.ends_at)
    form = ActivityForm(request.POST or None, initial=initial, editing=True, **choices)
    form.fields["place"].widget.pick_for(f"activity:{activity.pk}")
    if request.method == "POST" and form.is_valid():
        try:
            services.activity_update(actor=request.user, activity_id=activity.pk, **form.cleaned_data)
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, _("The activity is updated."))
            return redirect("activities:activity_detail", activity.pk)
    return render(request, "activities/activity_form.html", {"form": form, "activity": activity})


def checkin_url(request, activity) -> str:
    return request.build_absolute_uri(reverse("activities:activity_checkin", args=[activity.checkin_token]))


def qr_svg(url: str) -> str:
    """The QR code of a URL as SVG markup (segno), safe to place inline: it holds only paths of our making."""
    buffer = io.BytesIO()
    segno.make(url, error="m").save(buffer, kind="svg", scale=6, border=2, xmldecl=False, svgclass="qr-code")
    return buffer.getvalue().decode()


INVITE_LIST_MAX = 100  # the invite list shows at most this many deputies: the search box narrows it


def _detail_context(request, activity, **forms) -> dict:
    actor = request.user
    participations = list(selectors.activity_participations(activity))
    deputies = Deputy.objects.filter(pk__in=[p.deputy_id for p in participations]).order_by("name_sort")
    may_edit = can(actor, "activities.edit_activity", activity)
    may_attend = can(actor, "activities.take_attendance", activity)
    context = {
        "activity": activity,
        "participations": participations,
        "photos": list(activity.photos.all()),
        "cases": list(activity.cases.order_by("id")),
        "produced": list(activity.produced.order_by("id")),
        "concerns": [concerns.describe(c) for c in activity.concerns.all()],
        "may_edit": may_edit,
        "may_attend": may_attend,
        "may_signup": can(actor, "activities.signup", activity)
        and not any(p.deputy_id == getattr(actor, "deputy_id", None) for p in participations),
        "window": services.checkin_window(activity),
    }
    if may_attend:
        context["attendance_form"] = forms.get("attendance_form") or AttendanceForm(
            deputies=Deputy.objects.filter(pk__in=[p.deputy_id for p in participations]).order_by("name_sort")
            if participations
            else Deputy.objects.none()
        )
    if may_edit:
        find = (request.GET.get("find") or "").strip()[: selectors.FIND_MAX_LENGTH]
        matches = selectors.deputies_matching(actor, activity, find)
        shown = list(matches.only("id", "name", "name_sort")[: INVITE_LIST_MAX + 1])
        context["invite_form"] = forms.get("invite_form") or InviteForm(
            deputies=selectors.invitable_deputies(activity),
            shown=shown[:INVITE_LIST_MAX],
            activity_id=activity.pk,
        )
        context["invite_find"] = find
        context["invite_more"] = len(shown) > INVITE_LIST_MAX
        context["invite_max"] = INVITE_LIST_MAX
        context["invite_shown"] = len(shown)
        context["cancel_form"] = forms.get("cancel_form") or CancelForm()
        context["photo_form"] = forms.get("photo_form") or PhotoForm()
        context["report_form"] = forms.get("report_form") or ReportForm()
        context["suggestion_form"] = forms.get("suggestion_form") or SuggestionForm(deputies=deputies)
        context["link_form"] = forms.get("link_form") or LinkCaseForm()
    return context


@login_required
@require_GET
def activity_detail(request, pk: int):
    activity = selectors.activity_get_for(request.user, pk)
    ensure(request.user, "activities.view_activity", activity)
    return render(request, "activities/activity_detail.html", _detail_context(request, activity))


@login_required
@require_GET
def activity_qr(request, pk: int):
    """The sign-in QR code, big, to show on a screen at the place, with the link beside it."""
    activity = selectors.activity_get_for(request.user, pk)
    ensure(request.user, "activities.take_attendance", activity)
    url = checkin_url(request, activity)
    context = {
        "activity": activity,
        "checkin_url": url,
        "qr": mark_safe(qr_svg(url)),  # noqa: S308 - segno's own markup of our URL
        "window": services.checkin_window(activity),
    }
    return render(request, "activities/activity_qr.html", context)


@login_required
@require_GET
def activity_qr_png(request, pk: int):
    activity = selectors.activity_get_for(request.user, pk)
    ensure(request.user, "activities.take_attendance", activity)
    buffer = io.BytesIO()
    segno.make(checkin_url(request, activity), error="m").save(buffer, kind="png", scale=10, border=2)
    response = HttpResponse(buffer.getvalue(), content_type="image/png")
    response["Cache-Control"] = "no-store"
    return response


def _post_action(request, pk, run, *, form_class=None, form_name="", form_kwargs=None, success=""):
    """Run a POST action on an activity; refusals shown on the activity's page."""
    activity = selectors.activity_get_for(request.user, pk)
    ensure(request.user, "activities.view_activity", activity)
    form = None
    if form_class is not None:
        form = form_class(request.POST, request.FILES, **(form_kwargs or {}))
        if not form.is_valid():
            context = _detail_context(request, activity, **{form_name: form})
            return render(request, "activities/activity_detail.html", context, status=400)
    try:
        run(activity, form.cleaned_data if form is not None else {})
    except DomainError as exc:
        if form is not None:
            add_domain_error(form, exc, file_field=next(iter(form.fields)))
            context = _detail_context(request, activity, **{form_name: form})
            return render(request, "activities/activity_detail.html", context, status=exc.status_code)
        messages.error(request, str(exc.message))
    else:
        if success:
            messages.success(request, success)
    return redirect("activities:activity_detail", activity.pk)


@login_required
@require_POST
def activity_hold(request, pk: int):
    return _post_action(
        request,
        pk,
        lambda a, _d: services.activity_hold(actor=request.user, activity_id=a.pk),
        success=_("The activity is recorded as held."),
    )


@login_required
@require_POST
def activity_cancel(request, pk: int):
    return _post_action(
        request,
        pk,
        lambda a, d: services.activity_cancel(actor=request.user, activity_id=a.pk, reason=d["reason"]),
        form_class=CancelForm,
        form_name="cancel_form",
        success=_("The activity is cancelled."),
    )


@login_required
@require_POST
def activity_invite(request, pk: int):
    activity = selectors.activity_get_for(request.user, pk)
    return _post_action(
        request,
        pk,
        lambda a, d: services.activity_invite(
            actor=request.user, activity_id=a.pk, deputies=list(d["deputies"])
        ),
        form_class=InviteForm,
        form_name="invite_form",
        form_kwargs={"deputies": selectors.invitable_deputies(activity), "activity_id": activity.pk},
        success=_("The deputies are invited."),
    )


@login_required
@require_POST
def activity_attendance(request, pk: int):
    activity = selectors.activity_get_for(request.user, pk)
    ensure(request.user, "activities.take_attendance", activity)
    return _post_action(
        request,
        pk,
        lambda a, d: services.attendance_mark(actor=request.user, activity_id=a.pk, **d),
        form_class=AttendanceForm,
        form_name="attendance_form",
        form_kwargs={"deputies": Deputy.objects.filter(participations__activity=activity)},
        success=_("Attendance is recorded."),
    )


@login_required
@require_POST
def activity_rotate(request, pk: int):
    return _post_action(
        request,
        pk,
        lambda a, _d: services.activity_rotate_token(actor=request.user, activity_id=a.pk),
        success=_("A new sign-in code is shown; the old one no longer works."),
    )


@login_required
@require_POST
def activity_photo(request, pk: int):
    return _post_action(
        request,
        pk,
        lambda a, d: services.activity_photo_add(actor=request.user, activity_id=a.pk, upload=d["photo"]),
        form_class=PhotoForm,
        form_name="photo_form",
        success=_("The photo is added."),
    )


@login_required
@require_POST
def activity_report(request, pk: int):
    return _post_action(
        request,
        pk,
        lambda a, d: services.activity_report_upload(
            actor=request.user, activity_id=a.pk, upload=d["report"]
        ),
        form_class=ReportForm,
        form_name="report_form",
        success=_("The report is added."),
    )


@login_required
@require_POST
def activity_suggestion(request, pk: int):
    activity = selectors.activity_get_for(request.user, pk)
    return _post_action(
        request,
        pk,
        lambda a, d: services.activity_suggestion_create(actor=request.user, activity_id=a.pk, **d),
        form_class=SuggestionForm,
        form_name="suggestion_form",
        form_kwargs={"deputies": Deputy.objects.filter(participations__activity=activity)},
        success=_("The suggestion is recorded as a draft case."),
    )


@login_required
@require_POST
def activity_link_case(request, pk: int):
    return _post_action(
        request,
        pk,
        lambda a, d: services.activity_link_case(actor=request.user, activity_id=a.pk, case_id=d["case"]),
        form_class=LinkCaseForm,
        form_name="link_form",
        success=_("The case is linked."),
    )


@login_required
@require_POST
def activity_signup(request, pk: int):
    return _post_action(
        request,
        pk,
        lambda a, _d: services.activity_signup(actor=request.user, activity_id=a.pk),
        success=_("You are signed up."),
    )


@uploads.guarded
def activity_photo_file(request, photo_id: int):
    photo = get_object_or_404(
        ActivityPhoto.objects.filter(activity__in=selectors.activity_scope_for(request.user)), pk=photo_id
    )
    extension = photo.file.name.rsplit(".", 1)[-1].lower()
    content_type = {"jpg": uploads.JPEG, "png": uploads.PNG, "webp": uploads.WEBP}.get(
        extension, uploads.OCTET_STREAM
    )
    return uploads.file_response(photo.file, content_type=content_type, filename=photo.original_name)


@uploads.guarded
def activity_report_file(request, pk: int):
    activity = get_object_or_404(selectors.activity_scope_for(request.user).exclude(report=""), pk=pk)
    extension = activity.report.name.rsplit(".", 1)[-1].lower()
    content_type = {"jpg": uploads.JPEG, "png": uploads.PNG, "webp": uploads.WEBP, "pdf": uploads.PDF}.get(
        extension, uploads.OCTET_STREAM
    )
    return uploads.file_response(activity.report, content_type=content_type, filename=activity.report_name)


@login_required
@require_GET
def my_activities(request):
    """A deputy's activities (taking part) and those open for sign-up."""
    if not has_role(request.user, Role.DEPUTY) or not request.user.deputy_id:
        raise PermissionDenied(_("This page is for deputies."))
    deputy = request.user.deputy
    context = {
        "participations": list(selectors.participations_for_deputy(deputy).reverse()),
        "open_activities": list(selectors.open_for_signup(request.user)),
    }
    return render(request, "activities/activity_mine.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def activity_checkin(request, token: str):
    """签到 on a phone: the page the QR code opens. GET shows the activity and a big button; POST signs in."""
    activity = Activity.objects.select_related("congress", "kind").filter(checkin_token=token).first()
    result = None
    error = None
    if request.method == "POST":
        try:
            result = services.activity_checkin(actor=request.user, token=token)
        except DomainError as exc:
            error = str(exc.message)
        except PermissionDenied:
            error = _("You are not among the deputies of this activity.")
    elif activity is None:
        error = _(
            "This sign-in code is not valid (perhaps the staff showed a new one): scan the code shown now."
        )
    status = 200 if error is None else 400
    return render(
        request,
        "activities/activity_checkin.html",
        {"activity": activity, "result": result, "error": error, "token": token},
        status=status,
    )


def _period(form, congress: Congress | None) -> tuple[dt.date, dt.date]:
    data = form.cleaned_data if form.is_valid() else {}
    campaign = data.get("campaign")
    if campaign is not None:
        return campaign.starts_on, campaign.ends_on
    today = clock.today()
    return data.get("date_from") or today.replace(month=1, day=1), data.get("date_to") or today


def _electoral_unit(request):
    ensure(request.user, "activities.view_checks")
    congresses = _congresses_for(request.user)
    form = ElectoralUnitCheckForm(
        request.GET or None,
        congresses=congresses,
        campaigns=selectors.campaign_choices(_own_congress(request.user)),
    )
    congress = form.cleaned_data.get("congress") if form.is_valid() else None
    congress = congress or _own_congress(request.user) or congresses.first()
    if congress is not None:
        ensure(request.user, "activities.view_checks", congress)
    date_from, date_to = _period(form, congress)
    rows = selectors.electoral_unit_check(congress, date_from, date_to) if congress else []
    return form, congress, date_from, date_to, rows


@login_required
@require_GET
def electoral_unit_check(request):
    """回选举单位: the congress's leading-cadre deputies who have and have not gone back in the period."""
    form, congress, date_from, date_to, rows = _electoral_unit(request)
    context = {
        "form": form,
        "congress": congress,
        "date_from": date_from,
        "date_to": date_to,
        "rows": rows,
        "went": sum(1 for r in rows if r["went"]),
        "querystring": request.GET.urlencode(),
    }
    return render(request, "activities/activity_electoral_unit.html", context)


@login_required
@require_GET
def electoral_unit_export(request):
    _form, congress, date_from, date_to, rows = _electoral_unit(request)
    headers = (
        _("Deputy"),
        _("Congress"),
        _("Constituency or electoral unit"),
        _("Gone back"),
        _("Activities"),
    )
    data = (
        [
            r["deputy"].name,
            congress.name,
            r["seat"].constituency,
            _("Yes") if r["went"] else _("No"),
            "；".join(f"{a.title} {timezone.localtime(a.starts_at):%Y-%m-%d}" for a in r["activities"]),
        ]
        for r in rows
    )
    return xlsx_response(
        headers,
        data,
        filename=f"{_('electoral-unit')}-{date_from:%Y%m%d}-{date_to:%Y%m%d}.xlsx",
        title=_("Back to the electoral unit"),
    )


def _checks_scope(request) -> tuple[ChecksForm, checks.Scope]:
    ensure(request.user, "activities.view_checks")
    form = ChecksForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    today = clock.today()
    date_to = data.get("date_to") or today
    date_from = data.get("date_from") or (date_to - dt.timedelta(days=90))
    prefix = "" if is_admin(request.user) else request.user.congress.region_prefix
    return form, checks.Scope(prefix=prefix, date_from=date_from, date_to=date_to)


@login_required
@require_GET
def checks_page(request):
    """Checks on the records for congress staff (their region): duplicates, shared photos, overlaps, receptions
    on unscheduled days."""
    form, scope = _checks_scope(request)
    context = {"form": form, "scope": scope, "querystring": request.GET.urlencode(), **checks.run_all(scope)}
    return render(request, "activities/activity_checks.html", context)


@login_required
@require_GET
def checks_export(request):
    _form, scope = _checks_scope(request)
    found = checks.run_all(scope)
    sheets = [
        (
            _("Same matter"),
            [_("Liaison station"), _("Week"), _("Similarity"), _("Deputies"), _("Reception"), _("Reception")],
            [
                [
                    f["station"].name,
                    f["week"],
                    f["similarity"],
                    " / ".join(i["deputies"] for i in f["items"]),
                    *(_local(m.reception.received_at) for m in f["matters"]),
                ]
                for f in found["duplicate_matters"]
            ],
        ),
        (
            _("Same photo"),
            [_("Photo fingerprint"), _("Activities")],
            [[f["sha256"][:16], "；".join(a.title for a in f["activities"])] for f in found["shared_photos"]],
        ),
        (
            _("Overlapping attendance"),
            [_("Deputy"), _("Activity"), _("Overlaps")],
            [
                [
                    f["deputy"].name,
                    f"{f['activity'].title} {_local(f['activity'].starts_at)}",
                    f"{f['other_activity'].title} {_local(f['other_activity'].starts_at)}"
                    if f["other_activity"]
                    else f"{_('Reception')} {f['reception'].station.name} {_local(f['reception'].received_at)}",
                ]
                for f in found["overlapping_attendance"]
            ],
        ),
        (
            _("Unscheduled receptions"),
            [_("Liaison station"), _("Date and time")],
            [
                [f["station"].name, _local(f["reception"].received_at)]
                for f in found["unscheduled_receptions"]
            ],
        ),
    ]
    content = xlsx_sheets_bytes(sheets)
    return xlsx_attachment(
        content, filename=f"{_('checks')}-{scope.date_from:%Y%m%d}-{scope.date_to:%Y%m%d}.xlsx"
    )


@login_required
@require_http_methods(["GET", "POST"])
def activity_kinds(request):
    """The kinds of activity: the built-in ones and those the congresses in the actor's region added; a form
    to add one (congress staff, admins)."""
    ensure(request.user, "activities.create_activity")
    congresses = _congresses_for(request.user)
    form = KindForm(
        request.POST or None, congresses=congresses, initial={"congress": _own_congress(request.user)}
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.kind_create(actor=request.user, **form.cleaned_data)
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, _("The kind of activity is added."))
            return redirect("activities:activity_kinds")
    kinds = (
        ActivityKind.objects.filter(Q(congress__isnull=True) | Q(congress__in=congresses))
        .select_related("congress")
        .order_by("congress__region_prefix", "position", "id")
    )
    return render(request, "activities/activity_kinds.html", {"form": form, "kinds": kinds})
