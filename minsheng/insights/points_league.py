"""The points league table (积分排名) of a congress and year: its deputies compared with each other, with the
numbers behind each rank (per kind: count, points, capped or not; the adjustments), read from the stored
entries (`PointsEntry`) of the scheme version in force (or of an older version, `?version=`)."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Q

from minsheng.deputies.models import Seat

from . import points as P
from .duty_record import KINDS
from .models import PointsAdjustment, PointsEntry, PointsScheme
from .points_services import deputies_of


@dataclass
class LeagueRow:
    deputy_id: int
    name: str
    delegation: str
    entries: dict[str, PointsEntry] = field(default_factory=dict)
    adjustments: Decimal = Decimal("0")
    total: Decimal = Decimal("0")
    rank: int = 0


@dataclass
class League:
    congress: object
    year: int
    scheme: PointsScheme | None
    versions: list[PointsScheme]
    kinds: list[tuple[str, object]]
    rows: list[LeagueRow]


def league(congress, year: int, *, version: int | None = None, q: str = "", delegation: str = "") -> League:
    versions = list(PointsScheme.objects.filter(congress=congress, year=year).order_by("-version"))
    if version:
        scheme = next((s for s in versions if s.version == version), None)
    else:
        scheme = next((s for s in versions if s.superseded_at is None), None)
    rows: dict[int, LeagueRow] = {}
    kinds: list[tuple[str, object]] = []
    if scheme is not None:
        start_end = deputies_of(congress, year).values_list("id", flat=True)
        seats = (
            Seat.objects.filter(congress=congress, deputy_id__in=start_end)
            .order_by("deputy_id", "-term__number")
            .values_list("deputy_id", "deputy__name", "delegation")
        )
        for deputy_id, name, deleg in seats:
            rows.setdefault(deputy_id, LeagueRow(deputy_id, name, deleg))
        for entry in PointsEntry.objects.filter(scheme=scheme, deputy_id__in=list(rows)):
            rows[entry.deputy_id].entries[entry.kind] = entry
        for deputy_id, delta in PointsAdjustment.objects.filter(
            congress=congress, year=year, deputy_id__in=list(rows)
        ).values_list("deputy_id", "delta"):
            rows[deputy_id].adjustments += delta
        rule_kinds = set(scheme.rules.values_list("kind", flat=True))
        kinds = [(k, label) for k, label in KINDS.items() if k in rule_kinds]
        for row in rows.values():
            row.total = max(
                Decimal("0"), sum((e.points for e in row.entries.values()), Decimal("0")) + row.adjustments
            )
        ranks = P.rank({d: r.total for d, r in rows.items()})
        for d, r in rows.items():
            r.rank = ranks[d]
    ordered = sorted(rows.values(), key=lambda r: (r.rank, r.name))
    if q:
        ordered = [r for r in ordered if q in r.name]
    if delegation:
        ordered = [r for r in ordered if r.delegation == delegation]
    return League(congress, year, scheme, versions, kinds, ordered)


def delegations(congress) -> list[str]:
    return sorted(
        set(Seat.objects.filter(Q(congress=congress), ~Q(delegation="")).values_list("delegation", flat=True))
    )


@dataclass
class DeputyPoints:
    """A deputy's points under one congress's scheme in force of a year: entries, adjustments (with the
    contests' reasons), total, and the version they were computed under."""

    congress: object
    scheme: PointsScheme
    entries: list[tuple[object, PointsEntry]]
    adjustments: list[tuple[object, PointsAdjustment]]
    total: Decimal


def points_for_deputy(deputy, year: int, congresses: list) -> list[DeputyPoints]:
    """The deputy's points of the year under the scheme in force of each of these congresses (those of the
    deputy's seats): three queries whatever the number of congresses."""
    schemes = {
        s.congress_id: s
        for s in PointsScheme.objects.filter(
            congress__in=congresses, year=year, superseded_at__isnull=True
        ).order_by("version")
    }
    if not schemes:
        return []
    entries: dict[int, list[PointsEntry]] = {}
    for e in PointsEntry.objects.filter(scheme__in=schemes.values(), deputy=deputy).order_by("id"):
        entries.setdefault(e.scheme_id, []).append(e)
    adjustments: dict[int, list[PointsAdjustment]] = {}
    for a in PointsAdjustment.objects.filter(congress_id__in=schemes, year=year, deputy=deputy).order_by(
        "created_at"
    ):
        adjustments.setdefault(a.congress_id, []).append(a)
    out = []
    for congress in congresses:
        scheme = schemes.get(congress.pk)
        if scheme is None:
            continue
        mine = entries.get(scheme.pk, [])
        adj = adjustments.get(congress.pk, [])
        total = max(
            Decimal("0"),
            sum((e.points for e in mine), Decimal("0")) + sum((a.delta for a in adj), Decimal("0")),
        )
        out.append(
            DeputyPoints(
                congress,
                scheme,
                [(KINDS.get(e.kind, e.kind), e) for e in mine],
                [(KINDS.get(a.kind, a.kind), a) for a in adj],
                total,
            )
        )
    return out
