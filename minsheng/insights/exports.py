"""Excel exports of the insights: the statistics of cases (a sheet per congress, county and unit, and the
definitions) and the three-level vote dashboard.

Exports leave the system: no column holds personal data (the figures are counts and rates)."""

from __future__ import annotations

from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _

from minsheng.cases.models import Case, Rating
from minsheng.common.export import xlsx_attachment, xlsx_response, xlsx_sheets_bytes
from minsheng.congresses.models import Congress

from .stats import KINDS, STATUSES, Stats, StatsRow


def _stats_headers(stats: Stats, first: str, *, donations: bool = True) -> list[str]:
    headers = [
        first,
        _("Cases"),
        *[str(Case.Status(s).label) for s in STATUSES],
        *[str(Case.Kind(k).label) for k in KINDS],
        _("Parts assigned"),
        _("Parts answered"),
        _("Answer rate (%)"),
        _("Answers due"),
        _("Answered on time"),
        _("On-time answer rate (%)"),
        _("Rated cases"),
        str(Rating.Value.SATISFIED.label),
        str(Rating.Value.MOSTLY_SATISFIED.label),
        str(Rating.Value.DISSATISFIED.label),
        _("Satisfaction rate (%)"),
        _("Not rated"),
        _("Answers"),
        _("Answers after meeting the deputies"),
        _("Meeting rate (%)"),
        _("Answers implemented"),
        _("Implementation rate (%)"),
        *[_("Class %(code)s (%%)") % {"code": code} for code in stats.class_codes],
        _("Overdue"),
        _("Extensions granted"),
    ]
    if donations:
        headers += [_("Wishes realised"), _("Value donated (yuan)")]
    return headers


def _stats_row(stats: Stats, row: StatsRow, *, donations: bool = True) -> list:
    def number(value):
        return None if value is None else float(value)

    values = [
        row.label,
        row.cases,
        *row.statuses(),
        *row.kinds(),
        row.assigned,
        row.answered,
        number(row.answer_rate),
        row.answers_due,
        row.answered_on_time,
        number(row.on_time_rate),
        row.ratings,
        row.by_rating.get(Rating.Value.SATISFIED, 0),
        row.by_rating.get(Rating.Value.MOSTLY_SATISFIED, 0),
        row.by_rating.get(Rating.Value.DISSATISFIED, 0),
        number(row.satisfaction_rate),
        row.unrated,
        row.answers,
        row.answers_met,
        number(row.meeting_rate),
        row.answers_implemented,
        number(row.implemented_rate),
        *[number(share) for share in row.class_shares(stats.class_codes)],
        row.overdue,
        row.extensions,
    ]
    if donations:
        values += [row.wishes_realised, number(row.value_donated)]
    return values


def stats_workbook(stats: Stats) -> bytes:
    """Four sheets: by congress (with the total), by county (with the total), by handling unit, and the
    definitions of the figures (as the page's legend states them). Figures from the summary table say when
    they were taken, on a last line of the first sheet."""
    as_of = []
    if stats.as_of is not None:
        time = timezone.localtime(stats.as_of).strftime("%Y-%m-%d %H:%M")
        as_of = [[_("Figures as of %(time)s, from the statistics summary.") % {"time": time}]]
    return xlsx_sheets_bytes(
        [
            (
                _("By congress"),
                _stats_headers(stats, _("Congress")),
                [*(_stats_row(stats, r) for r in stats.by_congress), _stats_row(stats, stats.total), *as_of],
            ),
            (
                _("By county"),
                _stats_headers(stats, _("County")),
                [*(_stats_row(stats, r) for r in stats.by_county), _stats_row(stats, stats.total)],
            ),
            (
                _("By unit"),
                _stats_headers(stats, _("Handling unit"), donations=False),
                [_stats_row(stats, r, donations=False) for r in stats.by_unit],
            ),
            (_("Definitions"), [_("Figure"), _("How it is counted")], stats.definitions),
        ]
    )


def stats_response(stats: Stats) -> HttpResponse:
    filename = _("case-statistics-%(date)s.xlsx") % {"date": stats.today.isoformat()}
    return xlsx_attachment(stats_workbook(stats), filename=filename)


def vote_dashboard_response(dash: dict) -> HttpResponse:
    """The three-level vote dashboard as a workbook: a row per vote (one per congress without a vote)."""
    headers = [_("Congress"), _("Level"), _("Solicitation"), _("Proposals"), _("Passed screening")]
    headers += [_("Candidates"), _("Vote"), _("Kind"), _("Status"), _("Expected (应到)"), _("Present (实到)")]
    headers += [_("Voted"), _("Turnout (%)"), _("Chosen"), _("Projects to choose (N)"), _("Result published")]
    levels = dict(Congress.Level.choices)
    rows = []
    for row in dash["rows"]:
        s = row["solicitation"]
        head = [
            row["name"],
            str(levels.get(row["level"], row["level"])),
            s["status_label"] if s else "",
            s["proposals"] if s else None,
            s["accepted"] if s else None,
            s["candidates"] if s else None,
        ]
        for v in row["votes"] or [None]:
            tail = (
                [
                    v["title"],
                    v["kind_label"],
                    v["status_label"],
                    v["electorate"],
                    v["present"],
                    v["voted"],
                    v["turnout"],
                    v["chosen"],
                    v["seats"],
                    _("Yes") if v["published"] else _("No"),
                ]
                if v
                else [None] * 10
            )
            rows.append(head + tail)
    return xlsx_response(
        headers,
        rows,
        filename=_("votes-dashboard-%(year)s.xlsx") % {"year": dash["year"]},
        title=_("Votes dashboard"),
    )
