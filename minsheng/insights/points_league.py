"""The points league table (积分排名) of a congress and year: its deputies compared with each other, with the
numbers behind each rank (per kind: count, points, capped or not; the adjustments), read from the stored
entries (`PointsEntry`) of the scheme version in force (or of an older version, `?version=`)."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Q

from minsheng.deputies.models import Seat

from .duty_record import KINDS
from .models import PointsAdjustment, PointsEntry, PointsScheme, PointsStanding
from .points_services import points_standings_write


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
    rows: LeagueRows


class LeagueRows:
    """The ranked rows of a league, read page by page from the stored standings (`PointsStanding`): `len()`
    is one count, a slice is three queries (the standings with the deputies' names, their entries, their
    adjustments), so that a page of 50 costs the same for a congress of 60 deputies or of 6,000. Iterating
    reads slices of `CHUNK`."""

    CHUNK = 2000

    def __init__(self, scheme: PointsScheme | None, standings):
        self.scheme = scheme
        self.standings = standings
        self._count: int | None = None

    def count(self) -> int:
        if self._count is None:
            self._count = 0 if self.scheme is None else self.standings.count()
        return self._count

    __len__ = count

    def __getitem__(self, item):
        if isinstance(item, int):
            rows = self[item : item + 1]
            if not rows:
                raise IndexError(item)
            return rows[0]
        if self.scheme is None:
            return []
        page = list(
            self.standings[item].values_list("deputy_id", "deputy__name", "delegation", "total", "rank")
        )
        rows = {d: LeagueRow(d, name, deleg, total=total, rank=rank) for d, name, deleg, total, rank in page}
        if rows:
            for entry in PointsEntry.objects.filter(scheme=self.scheme, deputy_id__in=list(rows)):
                rows[entry.deputy_id].entries[entry.kind] = entry
            for deputy_id, delta in PointsAdjustment.objects.filter(
                congress_id=self.scheme.congress_id, year=self.scheme.year, deputy_id__in=list(rows)
            ).values_list("deputy_id", "delta"):
                rows[deputy_id].adjustments += delta
        return [rows[d] for d, *_rest in page]

    def __iter__(self):
        for start in range(0, self.count(), self.CHUNK):
            yield from self[start : start + self.CHUNK]

    def __bool__(self) -> bool:
        return self.count() > 0


def league(congress, year: int, *, version: int | None = None, q: str = "", delegation: str = "") -> League:
    """The league of a congress and year under a scheme version (the one in force by default), ranked among
    all the congress's deputies of the year; `q` (in the name) and `delegation` narrow the rows shown, not
    the ranks. Reads the stored standings, writing them first if the scheme has none yet."""
    versions = list(PointsScheme.objects.filter(congress=congress, year=year).order_by("-version"))
    if version:
        scheme = next((s for s in versions if s.version == version), None)
    else:
        scheme = next((s for s in versions if s.superseded_at is None), None)
    kinds: list[tuple[str, object]] = []
    standings = PointsStanding.objects.none()
    if scheme is not None:
        if scheme.standings_at is None:
            points_standings_write(scheme)
        rule_kinds = set(scheme.rules.values_list("kind", flat=True))
        kinds = [(k, label) for k, label in KINDS.items() if k in rule_kinds]
        standings = PointsStanding.objects.filter(scheme=scheme).order_by("rank", "deputy__name", "deputy_id")
        if q:
            standings = standings.filter(deputy__name__contains=q)
        if delegation:
            standings = standings.filter(delegation=delegation)
    return League(congress, year, scheme, versions, kinds, LeagueRows(scheme, standings))


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
