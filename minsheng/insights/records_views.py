"""Pages of the duty record (履职档案) and the duty points (履职积分). Each page asks its rule of
`insights/permissions.py`; writes go through `points_services` and answer a refusal with its Chinese message.

| name | path | who |
| --- | --- | --- |
| `insights:duty_record` | /deputies/<pk>/record/ (?congress=, ?year=) | `insights.view_duty_record` |
| `insights:duty_record_pdf` | /deputies/<pk>/record/record.pdf | `insights.view_duty_record` |
| `insights:duty_record_refresh` | /deputies/<pk>/record/refresh/ (POST) | `insights.refresh_duty_record` |
| `insights:duty_award_new` | /deputies/<pk>/record/awards/ (POST) | `insights.manage_awards` |
| `insights:duty_award_edit` | /deputies/<pk>/record/awards/<award_id>/edit/ (POST) | `insights.edit_award` |
| `insights:duty_award_withdraw` | /deputies/<pk>/record/awards/<award_id>/withdraw/ (POST) | `insights.edit_award` |
| `insights:duty_record_public` | /deputies/<pk>/record/public/ | everyone |
| `insights:duty_record_public_pdf` | /deputies/<pk>/record/public/record.pdf | everyone |
| `insights:points_league` | /points/<congress_id>/<year>/ (?q=, ?delegation=, ?version=, ?format=xlsx) | `insights.view_points` |
| `insights:points_scheme` | /points/<congress_id>/<year>/scheme/ (GET, POST) | view: `view_points`; POST: `manage_points` |
| `insights:points_bulletin_publish` | /points/<congress_id>/<year>/bulletins/ (POST) | `insights.manage_points` |
| `insights:points_bulletin` | /points/bulletins/<pk>/ | `insights.view_bulletin` |
| `insights:points_contest_new` | /points/bulletins/<pk>/contest/ (POST) | `insights.contest_points` |
| `insights:points_contest_decide` | /points/contests/<pk>/decide/ (POST) | `insights.decide_contest` |
"""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from minsheng.common import clock, printing
from minsheng.common.errors import DomainError, PermissionDenied
from minsheng.common.export import xlsx_response
from minsheng.common.paging import paginate
from minsheng.common.permissions import can
from minsheng.congresses.models import Congress
from minsheng.deputies.models import Deputy

from . import duty_record as DR
from . import points_league as league_tables
from . import points_services
from .models import DutyAward, PointsBulletin, PointsContest, PointsScheme


def _require(request, action: str, obj=None) -> None:
    if not can(request.user, action, obj):
        raise PermissionDenied(_("You are not allowed to do this."))


_int = DR.as_int
record_filters = DR.record_filters


def _deputy(pk: int) -> Deputy:
    return get_object_or_404(Deputy, pk=pk)


def _record_context(request, deputy: Deputy, *, public: bool) -> dict:
    filters = record_filters(request.GET)
    record = DR.duty_record_as_of(deputy, public=public, **filters)
    this_year = clock.today().year
    points_year = filters["year"] or this_year
    points = [] if public else league_tables.points_for_deputy(deputy, points_year, record["congresses"])
    can_award = (not public) and can(request.user, "insights.manage_awards", deputy)
    return {
        "points": points,
        "points_year": points_year,
        "award_rows": _award_rows(request, deputy) if can_award else [],
        "record": record,
        "filters": filters,
        "years": list(range(this_year, this_year - 6, -1)),
        "can_refresh": (not public) and can(request.user, "insights.refresh_duty_record", deputy),
        "can_award": can_award,
        "query_string": request.GET.urlencode(),
        "today": clock.today(),
    }


def _award_rows(request, deputy: Deputy) -> list[tuple[DutyAward, bool]]:
    """Every award of the deputy, withdrawn ones too (with their reason), for the staff who keep them; each
    with whether the viewer may edit or withdraw it (`insights.edit_award`)."""
    rows = []
    for award in DutyAward.objects.filter(deputy=deputy).select_related("congress"):
        award.deputy = deputy  # shares the deputy's seats read by the rules
        rows.append((award, award.withdrawn_at is None and can(request.user, "insights.edit_award", award)))
    return rows


def _record_pdf(request, deputy: Deputy, *, public: bool, filename: str) -> HttpResponse:
    """The record (full or public) as an A4 PDF (WeasyPrint), from the same context as the page."""
    from weasyprint import HTML  # imported late: loading Pango takes a moment

    html = render_to_string(
        "insights/records/duty_record_pdf.html",
        _record_context(request, deputy, public=public),
        request=request,
    )
    return printing.pdf_response(HTML(string=html).write_pdf(), filename)


@login_required
@require_GET
def duty_record(request, pk: int):
    """The deputy's full duty record (the deputy, covering staff)."""
    deputy = _deputy(pk)
    _require(request, "insights.view_duty_record", deputy)
    return render(
        request, "insights/records/duty_record.html", _record_context(request, deputy, public=False)
    )


@login_required
@require_GET
def duty_record_pdf(request, pk: int):
    """The full duty record as a printable A4 PDF (WeasyPrint)."""
    deputy = _deputy(pk)
    _require(request, "insights.view_duty_record", deputy)
    filename = _("duty-record-%(name)s.pdf") % {"name": printing.safe_name(deputy.name)}
    return _record_pdf(request, deputy, public=False, filename=filename)


@require_GET
def duty_record_public(request, pk: int):
    """The public duty record (代表法 Art 58): no personal data."""
    deputy = _deputy(pk)
    if not can(request.user, "insights.view_public_duty_record", deputy):
        raise Http404
    return render(
        request, "insights/records/duty_record_public.html", _record_context(request, deputy, public=True)
    )


@require_GET
def duty_record_public_pdf(request, pk: int):
    """The public duty record as a printable A4 PDF: anyone, no personal data (the public version)."""
    deputy = _deputy(pk)
    if not can(request.user, "insights.view_public_duty_record", deputy):
        raise Http404
    filename = _("public-duty-record-%(name)s.pdf") % {"name": printing.safe_name(deputy.name)}
    return _record_pdf(request, deputy, public=True, filename=filename)


@login_required
@require_POST
def duty_record_refresh(request, pk: int):
    deputy = _deputy(pk)
    _require(request, "insights.refresh_duty_record", deputy)
    DR.refresh_duty_summaries([deputy.pk])
    messages.success(request, _("The duty record has been recounted."))
    return redirect(reverse("insights:duty_record", args=[deputy.pk]))


@login_required
@require_POST
def duty_award_new(request, pk: int):
    deputy = _deputy(pk)
    _require(request, "insights.manage_awards", deputy)
    congress = Congress.objects.filter(pk=_int(request.POST.get("congress"))).first()
    try:
        awarded_on = dt.date.fromisoformat(request.POST.get("awarded_on", ""))
    except ValueError:
        awarded_on = None
    try:
        if congress is None or not can(request.user, "insights.manage_points", congress):
            raise DomainError(_("Choose the congress that gave the award."), field="congress")
        points_services.duty_award_create(
            actor=request.user,
            deputy=deputy,
            congress=congress,
            title=request.POST.get("title", ""),
            awarded_on=awarded_on,
            awarded_by=request.POST.get("awarded_by", ""),
        )
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        DR.refresh_duty_summaries([deputy.pk])
        messages.success(request, _("The award has been recorded."))
    return redirect(reverse("insights:duty_record", args=[deputy.pk]))


def _award(pk: int, award_id: int) -> DutyAward:
    return get_object_or_404(
        DutyAward.objects.select_related("deputy", "congress"), pk=award_id, deputy_id=pk
    )


def _after_award_change(award: DutyAward, years=()) -> None:
    """The deputy's record and points count the award as it is now, at once (the worker would within 10
    minutes, the points nightly)."""
    DR.refresh_duty_summaries([award.deputy_id])
    points_services.award_points_recompute(award, years)


@login_required
@require_POST
def duty_award_edit(request, pk: int, award_id: int):
    award = _award(pk, award_id)
    _require(request, "insights.edit_award", award)
    old_year = award.awarded_on.year
    congress = None
    if request.POST.get("congress"):
        congress = Congress.objects.filter(pk=_int(request.POST.get("congress"))).first()
        if congress is None:
            messages.error(request, _("Choose the congress that gave the award."))
            return redirect(reverse("insights:duty_record", args=[pk]))
    try:
        awarded_on = dt.date.fromisoformat(request.POST.get("awarded_on", ""))
    except ValueError:
        awarded_on = None
    try:
        points_services.duty_award_update(
            actor=request.user,
            award=award,
            title=request.POST.get("title", ""),
            awarded_on=awarded_on,
            awarded_by=request.POST.get("awarded_by", ""),
            congress=congress,
        )
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        award.refresh_from_db()
        _after_award_change(award, years=[old_year])
        messages.success(request, _("The award has been corrected."))
    return redirect(reverse("insights:duty_record", args=[pk]))


@login_required
@require_POST
def duty_award_withdraw(request, pk: int, award_id: int):
    award = _award(pk, award_id)
    _require(request, "insights.edit_award", award)
    try:
        points_services.duty_award_withdraw(
            actor=request.user, award=award, reason=request.POST.get("reason", "")
        )
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        _after_award_change(award)
        messages.success(request, _("The award has been withdrawn: the record no longer counts it."))
    return redirect(reverse("insights:duty_record", args=[pk]))


# --- points ----------------------------------------------------------------------------------------------


def _congress(congress_id: int) -> Congress:
    return get_object_or_404(Congress, pk=congress_id)


def _league_xlsx(table) -> HttpResponse:
    headers = [_("Rank"), _("Deputy"), _("Delegation")]
    for _kind, label in table.kinds:
        headers += [f"{label} · {_('count')}", f"{label} · {_('points')}", f"{label} · {_('capped')}"]
    headers += [_("Adjustments"), _("Total"), _("Scheme version")]
    rows = []
    for r in table.rows:
        row = [r.rank, r.name, r.delegation]
        for kind, _label in table.kinds:
            e = r.entries.get(kind)
            row += [e.count if e else 0, float(e.points) if e else 0, (_("yes") if e and e.capped else "")]
        row += [float(r.adjustments), float(r.total), table.scheme.version if table.scheme else ""]
        rows.append(row)
    return xlsx_response(
        headers,
        rows,
        filename=_("points-%(congress)s-%(year)s.xlsx")
        % {"congress": table.congress.name, "year": table.year},
        title=str(table.year),
    )


@login_required
@require_GET
def points_league(request, congress_id: int, year: int):
    """The league table of a congress's deputies for a year, with the numbers behind each rank."""
    congress = _congress(congress_id)
    _require(request, "insights.view_points", congress)
    q = (request.GET.get("q") or "").strip()[:50]
    delegation = (request.GET.get("delegation") or "").strip()[:100]
    table = league_tables.league(
        congress, year, version=_int(request.GET.get("version")), q=q, delegation=delegation
    )
    if request.GET.get("format") == "xlsx":
        return _league_xlsx(table)
    context = {
        "table": table,
        "q": q,
        "delegation": delegation,
        "delegations": league_tables.delegations(congress),
        "bulletins": PointsBulletin.objects.filter(congress=congress, year=year).select_related("scheme"),
        "can_manage": can(request.user, "insights.manage_points", congress),
        "quarters": [1, 2, 3, 4],
        "query_string": request.GET.urlencode(),
        **paginate(request, table.rows),
    }
    context["page_rows"] = [
        (row, [row.entries.get(k) for k, _l in table.kinds]) for row in context["object_list"]
    ]
    return render(request, "insights/records/points_league.html", context)


@login_required
def points_scheme(request, congress_id: int, year: int):
    """The versions of the year's scheme; staff make a new version (POST: base, increment and cap per kind)."""
    congress = _congress(congress_id)
    _require(request, "insights.view_points", congress)
    current = points_services.scheme_in_force(congress, year)
    if request.method == "POST":
        _require(request, "insights.manage_points", congress)
        rules = {}
        for kind in DR.KINDS:
            values = [request.POST.get(f"{kind}_{f}", "").strip() for f in ("base", "increment", "cap")]
            if any(values):
                rules[kind] = tuple(v or "0" for v in values)
        try:
            scheme = points_services.points_scheme_create(
                actor=request.user,
                congress=congress,
                year=year,
                rules=rules,
                note=request.POST.get("note", ""),
            )
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(
                request, _("Version %(version)d of the scheme is in force.") % {"version": scheme.version}
            )
            return redirect(reverse("insights:points_scheme", args=[congress.pk, year]))
    if current is not None:
        proposal = {r.kind: (r.base, r.increment, r.cap) for r in current.rules.all()}
    else:
        proposal = points_services.EXAMPLE_RULES
    versions = [
        {"scheme": s, "rules": [(DR.KINDS.get(r.kind, r.kind), r) for r in s.rules.all()]}
        for s in congress_schemes(congress, year)
    ]
    context = {
        "congress": congress,
        "year": year,
        "current": current,
        "versions": versions,
        "form_rows": [(k, label, proposal.get(k, ("", "", ""))) for k, label in DR.KINDS.items()],
        "can_manage": can(request.user, "insights.manage_points", congress),
    }
    return render(request, "insights/records/points_scheme.html", context)


def congress_schemes(congress, year):
    """Every version of the congress's scheme of the year, newest first, with their rules."""
    return (
        PointsScheme.objects.filter(congress=congress, year=year)
        .prefetch_related("rules")
        .order_by("-version")
    )


@login_required
@require_POST
def points_bulletin_publish(request, congress_id: int, year: int):
    congress = _congress(congress_id)
    _require(request, "insights.manage_points", congress)
    try:
        bulletin = points_services.points_bulletin_publish(
            actor=request.user, congress=congress, year=year, quarter=request.POST.get("quarter")
        )
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect(reverse("insights:points_league", args=[congress.pk, year]))
    messages.success(request, _("The bulletin has been published."))
    return redirect(reverse("insights:points_bulletin", args=[bulletin.pk]))


@login_required
@require_GET
def points_bulletin(request, pk: int):
    """A published bulletin, as frozen; the deputy's own contests, or every contest for staff."""
    bulletin = get_object_or_404(PointsBulletin.objects.select_related("congress", "scheme"), pk=pk)
    _require(request, "insights.view_bulletin", bulletin)
    manage = can(request.user, "insights.manage_points", bulletin.congress)
    contests = bulletin.contests.all()
    if not manage:
        contests = contests.filter(deputy_id=getattr(request.user, "deputy_id", None))
    kinds = dict(DR.KINDS)
    rows = [
        {**row, "entries": [{**e, "label": kinds.get(e["kind"], e["kind"])} for e in row["entries"]]}
        for row in bulletin.rows
    ]
    context = {
        "bulletin": bulletin,
        "rows": rows,
        "contests": [(c, kinds.get(c.kind, c.kind)) for c in contests.order_by("-created_at")],
        "can_contest": can(request.user, "insights.contest_points", bulletin)
        and clock.now() <= bulletin.contest_until,
        "can_manage": manage,
        "kinds": list(kinds.items()),
        "grounds": PointsContest.Ground.choices,
    }
    return render(request, "insights/records/points_bulletin.html", context)


@login_required
@require_POST
def points_contest_new(request, pk: int):
    bulletin = get_object_or_404(PointsBulletin, pk=pk)
    _require(request, "insights.contest_points", bulletin)
    try:
        points_services.points_contest_file(
            actor=request.user,
            bulletin=bulletin,
            kind=request.POST.get("kind", ""),
            ground=request.POST.get("ground", ""),
            reason=request.POST.get("reason", ""),
        )
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Your contest has been sent to the staff."))
    return redirect(reverse("insights:points_bulletin", args=[bulletin.pk]))


@login_required
@require_POST
def points_contest_decide(request, pk: int):
    contest = get_object_or_404(PointsContest.objects.select_related("bulletin__congress"), pk=pk)
    _require(request, "insights.decide_contest", contest)
    try:
        points_services.points_contest_decide(
            actor=request.user,
            contest=contest,
            uphold=request.POST.get("decision") == "uphold",
            reason=request.POST.get("reason", ""),
            delta=request.POST.get("delta"),
        )
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        if contest.status == PointsContest.Status.UPHELD:
            scheme = points_services.scheme_in_force(contest.bulletin.congress, contest.bulletin.year)
            if scheme is not None:
                points_services.points_compute(scheme=scheme)
        messages.success(request, _("The decision has been recorded."))
    return redirect(reverse("insights:points_bulletin", args=[contest.bulletin_id]))


urlpatterns = [
    path("deputies/<int:pk>/record/", duty_record, name="duty_record"),
    path("deputies/<int:pk>/record/record.pdf", duty_record_pdf, name="duty_record_pdf"),
    path("deputies/<int:pk>/record/refresh/", duty_record_refresh, name="duty_record_refresh"),
    path("deputies/<int:pk>/record/awards/", duty_award_new, name="duty_award_new"),
    path("deputies/<int:pk>/record/awards/<int:award_id>/edit/", duty_award_edit, name="duty_award_edit"),
    path(
        "deputies/<int:pk>/record/awards/<int:award_id>/withdraw/",
        duty_award_withdraw,
        name="duty_award_withdraw",
    ),
    path("deputies/<int:pk>/record/public/", duty_record_public, name="duty_record_public"),
    path("deputies/<int:pk>/record/public/record.pdf", duty_record_public_pdf, name="duty_record_public_pdf"),
    path("points/<int:congress_id>/<int:year>/", points_league, name="points_league"),
    path("points/<int:congress_id>/<int:year>/scheme/", points_scheme, name="points_scheme"),
    path(
        "points/<int:congress_id>/<int:year>/bulletins/",
        points_bulletin_publish,
        name="points_bulletin_publish",
    ),
    path("points/bulletins/<int:pk>/", points_bulletin, name="points_bulletin"),
    path("points/bulletins/<int:pk>/contest/", points_contest_new, name="points_contest_new"),
    path("points/contests/<int:pk>/decide/", points_contest_decide, name="points_contest_decide"),
]
