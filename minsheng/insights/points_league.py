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
