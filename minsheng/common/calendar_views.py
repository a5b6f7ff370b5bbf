"""Pages of the working-day calendar: the years, and one year's grid where the office enters the official
schedule (click the days, paste the notice, or import an Excel sheet). Who may do what: `calendar.view` and
`calendar.edit` (accounts/permissions.py)."""

import calendar as pycalendar
import contextlib
from io import BytesIO

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from . import clock, services, workdays
from .errors import DomainError, PermissionDenied
from .export import xlsx_response
from .forms import BootstrapForm, DateInput, add_domain_error
from .models import WorkCalendarYear
from .permissions import can, ensure

MAX_UPLOAD = 1024 * 1024


class CalendarYearForm(BootstrapForm):
    notice_number = forms.CharField(
        label=gettext_lazy("Notice number (文号)"),
        max_length=100,
        required=False,
        help_text=gettext_lazy("For example 国办发明电〔2026〕7号"),
    )
    notice_date = forms.DateField(label=gettext_lazy("Notice date"), required=False, widget=DateInput())
    days = forms.CharField(
        label=gettext_lazy("Days off and working weekends, one a line"),
        required=False,
        max_length=20000,
        widget=forms.Textarea(attrs={"rows": 8, "class": "font-monospace small", "data-calendar-days": ""}),
        help_text=gettext_lazy(
            "Clicking a day on the grid writes it here: 2027-02-06 放假 春节, 2027-02-20 上班."
        ),
    )
    notice = forms.CharField(
        label=gettext_lazy("Or paste the notice's lines"),
        required=False,
        max_length=20000,
        widget=forms.Textarea(attrs={"rows": 7}),
        help_text=gettext_lazy(
            "One festival a line, as the State Council's notice writes them. Read, then shown on the grid to check before saving."
        ),
    )
    file = forms.FileField(
        label=gettext_lazy("Or import an Excel sheet"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx"}),
        help_text=gettext_lazy(
            "Columns 日期, 类型 (放假/上班), 节日; the template has this year's festivals by rule."
        ),
    )


def _year_or_404(year: int) -> int:
    if not workdays.FIRST_YEAR <= year <= workdays.LAST_YEAR:
        raise Http404(_("No such year."))
    return year


@login_required
@require_GET
def calendar_index(request):
    """The years: which are official (with their notice) and which are still provisional."""
    ensure(request.user, "calendar.view")
    today = clock.today()
    rows = {r.year: r for r in WorkCalendarYear.objects.select_related("entered_by")}
    years = sorted(set(range(today.year - 3, today.year + 3)) | set(rows), reverse=True)
    return render(
        request,
        "common/calendar_index.html",
        {
            "years": [(y, rows.get(y)) for y in years],
            "missing": workdays.next_year_needs_schedule(today),
            "can_edit": can(request.user, "calendar.edit"),
        },
    )


def _grid(year: int, sched: workdays.Schedule) -> list[dict]:
    labels = dict(workdays.Festival.choices)
    cal = pycalendar.Calendar(firstweekday=0)
    months = []
    for month in range(1, 13):
        weeks = []
        for week in cal.monthdatescalendar(year, month):
            cells = []
            for day in week:
                if day.month != month:
                    cells.append(None)
                    continue
                if day in sched.work:
                    state = "work"
                elif day in sched.off:
                    state = "off"
                elif day.weekday() >= 5:
                    state = "weekend"
                else:
                    state = "normal"
                cells.append(
                    {
                        "day": day,
                        "state": state,
                        "festival": labels.get(sched.off.get(day, ""), ""),
                        "weekend": day.weekday() >= 5,
                    }
                )
            weeks.append(cells)
        months.append({"month": month, "weeks": weeks})
    return months


def _read_xlsx(upload) -> list[workdays.DayEntry]:
    from openpyxl import load_workbook

    if upload.size > MAX_UPLOAD:
        raise DomainError(_("The file is larger than 1 MB."), field="file")
    try:
        wb = load_workbook(BytesIO(upload.read()), read_only=True, data_only=True)
    except Exception:  # openpyxl raises many kinds for a file that is not a workbook
        raise DomainError(_("This is not an Excel workbook (.xlsx)."), field="file") from None
    rows = list(wb.worksheets[0].iter_rows(values_only=True))
    header = [str(c or "").strip().rstrip("*") for c in (rows[0] if rows else [])]
    try:
        columns = [header.index(name) for name in ("日期", "类型")]
    except ValueError:
        raise DomainError(
            _("The first row must name the columns 日期, 类型 and 节日."), field="file"
        ) from None
    festival_col = header.index("节日") if "节日" in header else None
    data = []
    for number, row in enumerate(rows[1:], start=2):
        if not row or all(c in (None, "") for c in row):
            continue

        def cell(i, row=row):
            return row[i] if i is not None and i < len(row) else ""

        data.append((number, cell(columns[0]), cell(columns[1]), cell(festival_col)))
    return workdays.parse_rows(data)


@login_required
@require_http_methods(["GET", "POST"])
def calendar_year(request, year: int):
    """One year: the grid (official or provisional); the office enters or corrects the official schedule."""
    ensure(request.user, "calendar.view")
    year = _year_or_404(year)
    row = WorkCalendarYear.objects.filter(year=year).select_related("entered_by").first()
    sched = workdays.schedule(year)
    can_edit = can(request.user, "calendar.edit")
    initial = {
        "notice_number": row.notice_number if row else "",
        "notice_date": row.notice_date if row else None,
        "days": workdays.day_lines(sched),
    }
    form = CalendarYearForm(initial=initial)
    checking = False
    if request.method == "POST":
        if not can_edit:
            raise PermissionDenied(_("You are not allowed to do this."))
        form = CalendarYearForm(request.POST, request.FILES, initial=initial)
        if form.is_valid():
            data = form.cleaned_data
            try:
                if data.get("file") or data.get("notice"):
                    # Read the file or the notice, then show it on the grid to check before saving.
                    entries = (
                        _read_xlsx(data["file"])
                        if data.get("file")
                        else workdays.parse_notice(data["notice"], year)
                    )
                    entries = workdays.check_schedule(year, entries)
                    sched = _schedule_of(year, entries)
                    post = request.POST.copy()
                    post["days"] = workdays.day_lines(sched)
                    post["notice"] = ""
                    form = CalendarYearForm(post, initial=initial)
                    form.is_valid()
                    checking = True
                    messages.info(
                        request,
                        _("Read %(n)d days. Check them on the grid, then save.") % {"n": len(entries)},
                    )
                else:
                    entries = workdays.parse_day_lines(data.get("days", ""))
                    services.calendar_year_enter(
                        actor=request.user,
                        year=year,
                        days=entries,
                        notice_number=data.get("notice_number", ""),
                        notice_date=data.get("notice_date"),
                    )
                    messages.success(
                        request,
                        _(
                            "The official schedule of %(year)d is saved. Open deadlines that count its days are being recomputed."
                        )
                        % {"year": year},
                    )
                    return redirect("calendar:year", year=year)
            except DomainError as exc:
                add_domain_error(form, exc)
        if not checking and form.data.get("days"):
            # show what was submitted, not what is stored: nothing the user entered is lost
            with contextlib.suppress(DomainError):
                sched = _schedule_of(year, workdays.parse_day_lines(form.data["days"]))
    return render(
        request,
        "common/calendar_year.html",
        {
            "year": year,
            "row": row,
            "official": sched.official,
            "months": _grid(year, sched),
            "form": form,
            "can_edit": can_edit,
            "checking": checking,
            "weekdays": [_("Mon"), _("Tue"), _("Wed"), _("Thu"), _("Fri"), _("Sat"), _("Sun")],
        },
    )


def _schedule_of(year: int, entries: list[workdays.DayEntry]) -> workdays.Schedule:
    return workdays.Schedule(
        year=year,
        off={e.day: e.festival for e in entries if e.kind == workdays.DayKind.OFF},
        work=frozenset(e.day for e in entries if e.kind == workdays.DayKind.WORK),
        official=True,
    )


@login_required
@require_GET
def calendar_template(request, year: int):
    """An Excel sheet to fill in: the year's festivals by rule, one day a row."""
    ensure(request.user, "calendar.view")
    year = _year_or_404(year)
    sched = workdays.schedule(year)
    words = {f: workdays.FESTIVAL_WORDS[f][0] for f in workdays.Festival}
    rows = [
        (
            d.isoformat(),
            "上班" if d in sched.work else "放假",
            "" if d in sched.work else words.get(sched.off[d], "其他"),
        )
        for d in sorted(set(sched.off) | set(sched.work))
    ]
    return xlsx_response(["日期", "类型", "节日"], rows, filename=f"{year}年放假安排.xlsx", title=str(year))
