"""The campaign dashboard (集中履职月, "三级人大联动、五级代表行动"): its summary rows and how the page reads them.

Writing: `refresh_campaign_summaries(campaign_id=None)` (the task `tasks.refresh_campaign_figures`, every 10
minutes for the campaigns that are running or ended less than `RECENT` ago, and on demand from the page)
recomputes every figure of a campaign from the records and replaces its `CampaignFigure` rows in one
transaction under a lock on its `CampaignSummary` row. Each figure is stored for every prefix of its area
(the campaign's region, each county, each town), and the tables of the areas below a scope under the
scope's own prefix (metric `heat` and `area`), so that any scope reads one set of rows: `area = the scope
congress's region_prefix`.

Reading: `dashboard_for(campaign, scope)` reads those rows only (four queries whatever the scale). The
definitions of the figures are in the insights README ("The campaign dashboard")."""

from __future__ import annotations

import datetime as dt
import time
from collections import defaultdict
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import Count, Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from minsheng.activities.models import (
    Activity,
    ActivityKind,
    Campaign,
    Participation,
    Reception,
    ReceptionMatter,
)
from minsheng.cases.models import Case
from minsheng.common import clock
from minsheng.congresses.models import Congress
from minsheng.deputies.models import Seat
from minsheng.places.models import Place
from minsheng.stations.models import Station, StationDeputy

from .campaign_models import CampaignFigure, CampaignSummary, Contribution
from .funds import gifts

ZERO = Decimal("0")
LEVELS = [level for level, _label in Congress.Level.choices]
AREA_LENGTHS = (2, 4, 6, 9)  # province, city, county, town
RECENT = dt.timedelta(days=31)
# The per-area table's figures (metric `area`, key "<area>:<figure>").
AREA_FIGURES = ("receptions", "visitors", "matters", "wishes", "realised", "activities", "funds")


def period_bounds(campaign: Campaign) -> tuple[dt.datetime, dt.datetime]:
    """[first moment, moment after the last day) of the campaign's period, local time."""
    start = timezone.make_aware(dt.datetime.combine(campaign.starts_on, dt.time.min))
    end = timezone.make_aware(dt.datetime.combine(campaign.ends_on + dt.timedelta(days=1), dt.time.min))
    return start, end


def prefixes(root: str, area: str) -> list[str]:
    """The areas a figure of `area` counts in, from the campaign's region (`root`) down to the town."""
    out = [root]
    for length in AREA_LENGTHS:
        if len(root) < length <= len(area):
            out.append(area[:length])
    return out


def child_length(prefix: str) -> int:
    """The areas of a scope's tables: counties below a city or the province, towns below a county."""
    return 6 if len(prefix) < 6 else 9


def _child(chain: list[str], parent_index: int) -> str | None:
    parent = chain[parent_index]
    if len(parent) >= 9:
        return parent  # a town's table has the town itself
    want = child_length(parent)
    for area in chain[parent_index + 1 :]:
        if len(area) == want:
            return area
    return None


class _Figures:
    def __init__(self, root: str):
        self.root = root
        self.cells: dict[tuple[str, str, str], Decimal] = defaultdict(lambda: ZERO)

    def add(self, area: str, metric: str, key: str, value, *, by_area: bool = False) -> None:
        if not area.startswith(self.root):
            return
        chain = prefixes(self.root, area)
        for i, prefix in enumerate(chain):
            self.cells[(prefix, metric, key)] += Decimal(value)
            if by_area:
                child = _child(chain, i)
                if child is not None:
                    self.cells[(prefix, "area", f"{child}:{metric}")] += Decimal(value)

    def rows(self, campaign_id: int) -> list[CampaignFigure]:
        return [
            CampaignFigure(campaign_id=campaign_id, area=a, metric=m, key=k, value=v)
            for (a, m, k), v in self.cells.items()
            if v
        ]


def _current_seat_q(campaign: Campaign) -> Q:
    return Q(start_date__lte=campaign.ends_on) & (
        Q(end_date__isnull=True, status=Seat.Status.ACTIVE) | Q(end_date__gte=campaign.starts_on)
    )


def compute(campaign: Campaign) -> _Figures:
    """Every figure of a campaign from the records (the definitions: insights README)."""
    root = campaign.congress.region_prefix
    start, end = period_bounds(campaign)
    fig = _Figures(root)

    receptions = Reception.objects.filter(
        station__place__code__startswith=root, received_at__gte=start, received_at__lt=end
    )
    # Areas are place prefixes (a city's "4407", a county's "440781", a town's "440781111"), not codes.
    for code, n, visitors in receptions.values_list("station__place__prefix").annotate(
        n=Count("id"), v=Sum("visitor_count")
    ):
        fig.add(code, "receptions", "", n, by_area=True)
        fig.add(code, "visitors", "", visitors or 0, by_area=True)
    matters = ReceptionMatter.objects.filter(reception__in=receptions)
    for code, disposal, status, n in matters.values_list(
        "reception__station__place__prefix", "disposal", "status"
    ).annotate(n=Count("id")):
        fig.add(code, "matters", "", n, by_area=True)
        fig.add(code, "disposal", disposal, n)
        fig.add(code, "matter_status", status, n)
    for code, n in (
        Station.objects.filter(place__code__startswith=root, is_active=True)
        .values_list("place__prefix")
        .annotate(n=Count("id"))
    ):
        fig.add(code, "stations", "", n)

    activities = Activity.objects.filter(
        congress__region_prefix__startswith=root, starts_at__gte=start, starts_at__lt=end
    ).exclude(status=Activity.Status.CANCELLED)
    for prefix, kind, status, n in activities.values_list(
        "congress__region_prefix", "kind__code", "status"
    ).annotate(n=Count("id")):
        fig.add(prefix, "activities", "", n, by_area=True)
        fig.add(prefix, "activity_kind", kind, n)
        if status == Activity.Status.HELD:
            fig.add(prefix, "activities_held", "", n)

    wishes = Case.objects.filter(kind=Case.Kind.WISH, place__code__startswith=root)
    for code, n in (
        wishes.filter(created_at__gte=start, created_at__lt=end)
        .exclude(status=Case.Status.WITHDRAWN)
        .values_list("place__prefix")
        .annotate(n=Count("id"))
    ):
        fig.add(code, "wishes", "", n, by_area=True)
    for code, n in (
        wishes.filter(realised_at__gte=start, realised_at__lt=end)
        .values_list("place__prefix")
        .annotate(n=Count("id"))
    ):
        fig.add(code, "realised", "", n, by_area=True)

    for gift in gifts(
        prefix=root, date_from=campaign.starts_on, date_to=campaign.ends_on, campaign_id=campaign.pk
    ):
        fig.add(gift.area, "funds", "", gift.amount, by_area=True)
        fig.add(gift.area, "gifts", "", 1)
        if gift.received:
            fig.add(gift.area, "funds_received", "", gift.amount)
        fig.add(gift.area, "funds_purpose", gift.purpose, gift.amount)
        fig.add(gift.area, "funds_form", gift.form, gift.amount)
        fig.add(gift.area, "funds_month", gift.day.strftime("%Y-%m"), gift.amount)

    _participation(campaign, fig, receptions, activities)
    return fig


def _participation(campaign: Campaign, fig: _Figures, receptions, activities) -> None:
    """Deputies of each level belonging to each area, and those of them who took part (README)."""
    root = fig.root
    areas: dict[int, set[str]] = defaultdict(set)
    for deputy_id, code in StationDeputy.objects.filter(station__place__code__startswith=root).values_list(
        "deputy_id", "station__place__prefix"
    ):
        areas[deputy_id].add(code[:9])
    levels: dict[int, set[str]] = defaultdict(set)
    for deputy_id, level, prefix in Seat.objects.filter(_current_seat_q(campaign)).values_list(
        "deputy_id", "congress__level", "congress__region_prefix"
    ):
        levels[deputy_id].add(level)
        if prefix.startswith(root):
            areas[deputy_id].add(prefix)
    took_part = set(
        Reception.deputies.through.objects.filter(reception__in=receptions).values_list(
            "deputy_id", flat=True
        )
    )
    took_part |= set(
        Participation.objects.filter(
            activity__in=activities, status=Participation.Status.PRESENT
        ).values_list("deputy_id", flat=True)
    )
    for deputy_id, deputy_areas in areas.items():
        deputy_levels = levels.get(deputy_id)
        if not deputy_levels:
            continue  # no seat during the campaign
        keys = [*sorted(deputy_levels), "all"]
        part = deputy_id in took_part
        cells: set[tuple[str, str]] = set()
        heat: set[tuple[str, str]] = set()
        for area in deputy_areas:
            chain = prefixes(root, area)
            for i, prefix in enumerate(chain):
                cells.add((prefix, ""))
                child = _child(chain, i)
                if child is not None:
                    heat.add((prefix, child))
        for prefix, _k in cells:
            for key in keys:
                fig.cells[(prefix, "deputies", key)] += 1
                if part:
                    fig.cells[(prefix, "participants", key)] += 1
        for prefix, child in heat:
            for key in keys:
                fig.cells[(prefix, "heat", f"{child}:deputies:{key}")] += 1
                if part:
                    fig.cells[(prefix, "heat", f"{child}:participants:{key}")] += 1


def _refresh_one(campaign_id: int) -> int:
    with transaction.atomic():
        CampaignSummary.objects.get_or_create(campaign_id=campaign_id)
        state = CampaignSummary.objects.select_for_update().get(campaign_id=campaign_id)
        campaign = Campaign.objects.select_related("congress").get(pk=campaign_id)
        began = clock.now()
        t = time.perf_counter()
        rows = compute(campaign).rows(campaign_id)
        CampaignFigure.objects.filter(campaign_id=campaign_id).delete()
        CampaignFigure.objects.bulk_create(rows, batch_size=2000)
        state.as_of = began
        state.seconds = round(time.perf_counter() - t, 3)
        state.rows = len(rows)
        state.save()
    return len(rows)


def campaigns_to_refresh(today: dt.date | None = None) -> list[int]:
    """The campaigns that are running, or ended less than `RECENT` ago, or were never summarised."""
    today = today or clock.today()
    recent = Q(starts_on__lte=today, ends_on__gte=today - RECENT)
    never = ~Q(pk__in=CampaignSummary.objects.filter(as_of__isnull=False).values("campaign_id"))
    return list(Campaign.objects.filter(recent | never).order_by("id").values_list("id", flat=True))


def refresh_campaign_summaries(campaign_id: int | None = None) -> int:
    """Recompute the dashboard figures of one campaign (or of every campaign to refresh); the rows written."""
    ids = [campaign_id] if campaign_id is not None else campaigns_to_refresh()
    return sum(_refresh_one(pk) for pk in ids)


# --- reading ------------------------------------------------------------------------------------------------


def _pct(part, whole) -> float | None:
    if not whole:
        return None
    return round(float(part) * 100 / float(whole), 1)


def _number(value: Decimal) -> int | Decimal:
    return int(value) if value == value.to_integral_value() else value


def dashboard_for(campaign: Campaign, scope: Congress) -> dict[str, Any]:
    """The dashboard's figures for a scope (a congress inside the campaign), from the summary rows only."""
    prefix = scope.region_prefix
    state = CampaignSummary.objects.filter(campaign=campaign).first()
    cells: dict[tuple[str, str], Decimal] = {}
    for metric, key, value in CampaignFigure.objects.filter(campaign=campaign, area=prefix).values_list(
        "metric", "key", "value"
    ):
        cells[(metric, key)] = value

    def get(metric: str, key: str = "") -> int | Decimal:
        return _number(cells.get((metric, key), ZERO))

    def keyed(metric: str) -> dict[str, Decimal]:
        return {k: v for (m, k), v in cells.items() if m == metric}

    disposals = [
        {"code": code, "label": str(label), "n": get("disposal", code)}
        for code, label in ReceptionMatter.Disposal.choices
    ]
    statuses = [
        {"code": code, "label": str(label), "n": get("matter_status", code)}
        for code, label in ReceptionMatter.Status.choices
    ]
    kinds = [
        {"code": code, "label": str(label), "n": get("activity_kind", code)}
        for code, label in ActivityKind.Code.choices
    ]
    level_labels = dict(Congress.Level.choices)
    levels = []
    for level in [*LEVELS, "all"]:
        deputies, participants = get("deputies", level), get("participants", level)
        levels.append(
            {
                "code": level,
                "label": str(level_labels.get(level, _("All levels"))),
                "deputies": deputies,
                "participants": participants,
                "pct": _pct(participants, deputies),
            }
        )
    # The tables of the areas below the scope (a county's towns, a city's counties).
    heat: dict[str, dict[str, Decimal]] = defaultdict(dict)
    for key, value in keyed("heat").items():
        child, what, level = key.split(":")
        heat[child][f"{what}:{level}"] = value
    by_area: dict[str, dict[str, Decimal]] = defaultdict(dict)
    for key, value in keyed("area").items():
        child, what = key.split(":")
        by_area[child][what] = value
    codes = sorted(set(heat) | set(by_area))
    names = dict(Place.objects.filter(prefix__in=codes).values_list("prefix", "name"))
    heat_rows = []
    area_rows = []
    for code in codes:
        if code in heat:
            row_cells = []
            for level in [*LEVELS, "all"]:
                d = _number(heat[code].get(f"deputies:{level}", ZERO))
                p = _number(heat[code].get(f"participants:{level}", ZERO))
                row_cells.append({"level": level, "deputies": d, "participants": p, "pct": _pct(p, d)})
            heat_rows.append({"code": code, "name": names.get(code, code), "cells": row_cells})
        if code in by_area:
            figures = {what: _number(by_area[code].get(what, ZERO)) for what in AREA_FIGURES}
            area_rows.append({"code": code, "name": names.get(code, code), **figures})
    months = []
    running = ZERO
    for month, amount in sorted(keyed("funds_month").items()):
        running += amount
        months.append({"month": month, "amount": _number(amount), "running": _number(running)})
    purposes = [
        {"code": code, "label": str(label), "amount": get("funds_purpose", code)}
        for code, label in _purpose_choices()
    ]
    forms = [
        {"code": code, "label": str(label), "amount": get("funds_form", code)}
        for code, label in _form_choices()
    ]
    receptions, stations = get("receptions"), get("stations")
    per_station = round(float(receptions) / float(stations), 2) if stations else None
    all_levels = levels[-1]
    targets = []
    if campaign.target_receptions_per_station is not None:
        targets.append(
            _target(_("Receptions per station"), campaign.target_receptions_per_station, per_station)
        )
    if campaign.target_participation_percent is not None:
        targets.append(
            _target(
                _("Share of deputies taking part (%)"),
                campaign.target_participation_percent,
                all_levels["pct"],
            )
        )
    if campaign.target_wishes is not None:
        targets.append(_target(_("Wishes collected"), campaign.target_wishes, get("wishes")))
    if campaign.target_funds is not None:
        targets.append(_target(_("Social funds raised (yuan)"), campaign.target_funds, get("funds")))
    return {
        "campaign": campaign,
        "scope": scope,
        "as_of": state.as_of if state else None,
        "receptions": receptions,
        "visitors": get("visitors"),
        "stations": stations,
        "per_station": per_station,
        "matters": get("matters"),
        "disposals": disposals,
        "matter_statuses": statuses,
        "wishes": get("wishes"),
        "realised": get("realised"),
        "activities": get("activities"),
        "activities_held": get("activities_held"),
        "kinds": kinds,
        "funds": get("funds"),
        "funds_received": get("funds_received"),
        "gifts": get("gifts"),
        "purposes": purposes,
        "forms": forms,
        "months": months,
        "levels": levels,
        "heat_rows": heat_rows,
        "area_rows": area_rows,
        "targets": targets,
    }


def _purpose_choices():
    return Contribution.Purpose.choices


def _form_choices():
    return Contribution.Form.choices


def _target(label: str, target, actual) -> dict[str, Any]:
    return {
        "label": label,
        "target": _number(Decimal(target)),
        "actual": actual,
        "pct": _pct(actual or 0, target),
    }


def chart_data(dash: dict[str, Any]) -> dict[str, Any]:
    """What the charts draw (passed to the page's script with json_script)."""
    return {
        "levels": {
            "names": [row["label"] for row in dash["levels"][:-1]],
            "pct": [row["pct"] or 0 for row in dash["levels"][:-1]],
        },
        "heat": {
            "areas": [row["name"] for row in dash["heat_rows"]],
            "levels": [row["label"] for row in dash["levels"]],
            "cells": [
                [j, i, cell["pct"] if cell["pct"] is not None else "-"]
                for i, row in enumerate(dash["heat_rows"])
                for j, cell in enumerate(row["cells"])
            ],
        },
        "disposals": [{"name": d["label"], "value": d["n"]} for d in dash["disposals"] if d["n"]],
        "kinds": {"names": [k["label"] for k in dash["kinds"]], "values": [k["n"] for k in dash["kinds"]]},
        "funds": {
            "months": [m["month"] for m in dash["months"]],
            "amounts": [float(m["amount"]) for m in dash["months"]],
            "running": [float(m["running"]) for m in dash["months"]],
        },
        "labels": {
            "participation": _("Deputies taking part (%)"),
            "activities": _("Activities"),
            "month": _("Raised in the month (yuan)"),
            "running": _("Social funds raised, running total (yuan)"),
        },
    }
