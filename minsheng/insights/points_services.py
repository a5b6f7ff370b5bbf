"""Writes of the duty points (履职积分) and the awards of the duty record: schemes (versioned), computed
entries, quarterly bulletins (frozen), contests (错重漏) and their decisions. Who may: the rules of
`insights/permissions.py`, enforced here; every write is atomic and audited.

| service | who (rule) | what |
| --- | --- | --- |
| `points_scheme_create` | `insights.manage_points` (congress) | a new version of the year's scheme; the previous one is superseded, kept |
| `points_compute` | (the job, and the services above) | the entries of every deputy of the scheme's congress, then their ranks |
| `points_standings_write` | (`points_compute`, a decided contest) | the ranked league rows of a scheme (`PointsStanding`) |
| `points_bulletin_publish` | `insights.manage_points` | the frozen points of a quarter |
| `points_contest_file` | `insights.contest_points` (bulletin) | a deputy contests an entry within the window |
| `points_contest_decide` | `insights.decide_contest` (contest) | uphold (an adjustment) or reject, with a reason |
| `duty_award_create` | `insights.manage_awards` (deputy) | an award on the duty record |
| `duty_award_update` | `insights.edit_award` (award) | correct an award's title, date, awarding body or congress |
| `duty_award_withdraw` | `insights.edit_award` (award) | withdraw an award (撤销, with a reason): kept, no longer counted |
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.db import transaction
from django.db.models import Max, Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from minsheng.common import audit, clock
from minsheng.common import validators as checks
from minsheng.common.errors import Conflict, DomainError
from minsheng.common.permissions import ensure
from minsheng.congresses.models import Congress
from minsheng.deputies.models import Deputy, Seat

from . import points as P
from .duty_record import KINDS, duty_items
from .models import (
    DutyAward,
    PointsAdjustment,
    PointsBulletin,
    PointsContest,
    PointsEntry,
    PointsRule,
    PointsScheme,
    PointsStanding,
)

# The example values (江门): base, increment, cap — the demo's scheme and the form's first proposal.
EXAMPLE_RULES: dict[str, tuple[int, int, int]] = {
    "session": (10, 10, 20),
    "suggestion_led": (15, 10, 40),
    "suggestion_priority": (15, 15, 30),
    "suggestion_cosigned": (3, 3, 15),
    "wish_led": (5, 5, 20),
    "reception": (5, 5, 30),
    "activity_research": (8, 8, 24),
    "activity_inspection": (6, 6, 18),
    "activity_group": (4, 4, 20),
    "activity_meet_leader": (6, 6, 12),
    "activity_briefing": (4, 4, 12),
    "activity_electoral_unit": (5, 5, 10),
    "activity_planting": (3, 3, 6),
    "training_full": (10, 10, 20),
    "training_part": (5, 5, 10),
    "report": (10, 10, 10),
    "award": (10, 10, 30),
}


def contest_days() -> int:
    return int(str(settings.MINSHENG["POINTS_CONTEST_DAYS"]))


def _decimal(value, *, field: str) -> Decimal:
    try:
        number = Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        raise DomainError(_("Enter a number."), field=field, code="invalid") from None
    if not number.is_finite() or abs(number) >= Decimal("1000000"):
        raise DomainError(_("Enter a number."), field=field, code="invalid")
    return number.quantize(Decimal("0.1"))


def _check_year(year) -> int:
    try:
        year = int(year)
    except (TypeError, ValueError):
        raise DomainError(_("Enter a year."), field="year") from None
    if not 2000 <= year <= clock.today().year + 1:
        raise DomainError(_("Enter a year between 2000 and next year."), field="year")
    return year


# --- schemes and entries -------------------------------------------------------------------------------------


def scheme_in_force(congress, year: int) -> PointsScheme | None:
    """The latest version of the congress's scheme of the year (None: the congress has none)."""
    return (
        PointsScheme.objects.filter(congress=congress, year=year, superseded_at__isnull=True)
        .order_by("-version")
        .first()
    )


def scheme_rules(scheme: PointsScheme) -> dict[str, P.Rule]:
    rules = {r.kind: r for r in scheme.rules.all()}
    return {
        kind: P.Rule(kind, rules[kind].base, rules[kind].increment, rules[kind].cap)
        for kind in KINDS
        if kind in rules
    }


@transaction.atomic
def points_scheme_create(*, actor, congress: Congress, year, rules: dict, note: str = "") -> PointsScheme:
    """A new version of the congress's scheme of `year`, with `rules` {kind: (base, increment, cap)} (the kinds
    of `duty_record.KINDS`; a kind left out scores nothing). The version in force is superseded and kept; the
    entries are computed under the new one."""
    ensure(actor, "insights.manage_points", congress)
    year = _check_year(year)
    parsed: list[P.Rule] = []
    for kind, values in rules.items():
        if kind not in KINDS:
            raise DomainError(_("Unknown kind of duty: %(kind)s.") % {"kind": kind}, field="rules")
        base, increment, cap = values
        rule = P.Rule(
            kind,
            _decimal(base, field=f"{kind}_base"),
            _decimal(increment, field=f"{kind}_increment"),
            _decimal(cap, field=f"{kind}_cap"),
        )
        P.validate_rule(rule, label=KINDS[kind])
        parsed.append(rule)
    if not parsed:
        raise DomainError(_("A scheme needs at least one kind of duty with points."), field="rules")
    note = checks.clean_text(note, field="note", limit=200)
    Congress.objects.select_for_update().get(pk=congress.pk)  # one new version at a time per congress
    previous = scheme_in_force(congress, year)
    version = (
        PointsScheme.objects.filter(congress=congress, year=year).aggregate(v=Max("version"))["v"] or 0
    ) + 1
    now = clock.now()
    if previous is not None:
        previous.superseded_at = now
        previous.save(update_fields=["superseded_at"])
    scheme = PointsScheme.objects.create(
        congress=congress, year=year, version=version, note=note, created_by=actor
    )
    PointsRule.objects.bulk_create(
        [
            PointsRule(scheme=scheme, kind=r.kind, base=r.base, increment=r.increment, cap=r.cap)
            for r in parsed
        ]
    )
    audit.record(
        actor,
        "points_scheme.created",
        scheme,
        version=version,
        superseded=previous.pk if previous else None,
        rules={r.kind: [str(r.base), str(r.increment), str(r.cap)] for r in parsed},
    )
    points_compute(scheme=scheme)
    return scheme


def deputies_of(congress: Congress, year: int):
    """The deputies with a seat in the congress at some time of the year (each once)."""
    start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
    seats = Seat.objects.filter(congress=congress, start_date__lte=end).filter(
        Q(end_date__isnull=True) | Q(end_date__gte=start)
    )
    return Deputy.objects.filter(pk__in=seats.values("deputy_id"))


def _computed(scheme: PointsScheme, *, until: dt.date | None = None) -> dict[int, list[P.Entry]]:
    """Per deputy of the scheme's congress, the entries under the scheme (duties up to `until`)."""
    deputy_ids = list(deputies_of(scheme.congress, scheme.year).values_list("id", flat=True))
    rules = scheme_rules(scheme)
    counts = P.counts_for_scheme(
        duty_items(deputy_ids, year=scheme.year, until=until), scheme.congress.region_prefix
    )
    return {d: P.compute_entries(counts.get(d, {}), rules) for d in deputy_ids}


@transaction.atomic
def points_compute(*, scheme: PointsScheme) -> int:
    """(Re)compute and store the entries of every deputy of the scheme's congress under the scheme, from the
    duties as they are now. Returns the number of entries."""
    scheme = PointsScheme.objects.select_for_update().get(pk=scheme.pk)
    computed = _computed(scheme)
    PointsEntry.objects.filter(scheme=scheme).delete()
    rows = [
        PointsEntry(scheme=scheme, deputy_id=d, kind=e.kind, count=e.count, points=e.points, capped=e.capped)
        for d, entries in computed.items()
        for e in entries
    ]
    PointsEntry.objects.bulk_create(rows, batch_size=1000)
    scheme.computed_at = clock.now()
    scheme.save(update_fields=["computed_at"])
    points_standings_write(scheme)
    return len(rows)


def points_standings_write(scheme: PointsScheme) -> int:
    """Rank every deputy of the scheme's congress and year (their entries under the scheme plus the
    adjustments of the congress and year, never below 0; competition ranking, `points.rank`) and replace the
    scheme's `PointsStanding` rows, in the caller's transaction (or one of its own). The league page reads
    them. Returns the number of rows."""
    with transaction.atomic():
        totals: dict[int, Decimal] = dict.fromkeys(
            deputies_of(scheme.congress, scheme.year).values_list("id", flat=True), Decimal("0")
        )
        for deputy_id, points in (
            PointsEntry.objects.filter(scheme=scheme)
            .values("deputy_id")
            .annotate(s=Sum("points"))
            .values_list("deputy_id", "s")
            .order_by()
        ):
            if deputy_id in totals:
                totals[deputy_id] += points
        for deputy_id, delta in (
            PointsAdjustment.objects.filter(congress_id=scheme.congress_id, year=scheme.year)
            .values("deputy_id")
            .annotate(s=Sum("delta"))
            .values_list("deputy_id", "s")
            .order_by()
        ):
            if deputy_id in totals:
                totals[deputy_id] += delta
        totals = {d: max(Decimal("0"), t) for d, t in totals.items()}
        delegations: dict[int, str] = {}
        for deputy_id, delegation in (
            Seat.objects.filter(congress_id=scheme.congress_id, deputy_id__in=list(totals))
            .order_by("deputy_id", "-term__number")
            .values_list("deputy_id", "delegation")
        ):
            delegations.setdefault(deputy_id, delegation)
        ranks = P.rank(totals)
        PointsStanding.objects.filter(scheme=scheme).delete()
        PointsStanding.objects.bulk_create(
            [
                PointsStanding(
                    scheme=scheme,
                    deputy_id=d,
                    delegation=delegations.get(d, ""),
                    total=total,
                    rank=ranks[d],
                )
                for d, total in totals.items()
            ],
            batch_size=2000,
        )
        PointsScheme.objects.filter(pk=scheme.pk).update(standings_at=clock.now())
    return len(totals)


def points_standings_write_for(congress_id: int, year: int) -> int:
    """After an adjustment: the standings of every version of the congress's scheme of the year (an
    adjustment counts under each)."""
    return sum(
        points_standings_write(scheme)
        for scheme in PointsScheme.objects.filter(congress_id=congress_id, year=year).select_related(
            "congress"
        )
    )


def points_compute_all(year: int | None = None) -> int:
    """The job: recompute every scheme in force of the year (default: this year)."""
    year = year or clock.today().year
    n = 0
    for scheme in PointsScheme.objects.filter(year=year, superseded_at__isnull=True).select_related(
        "congress"
    ):
        n += points_compute(scheme=scheme)
    return n


def adjustments_of(congress, year: int, *, before=None) -> dict[int, list[PointsAdjustment]]:
    rows = PointsAdjustment.objects.filter(congress=congress, year=year)
    if before is not None:
        rows = rows.filter(created_at__lte=before)
    out: dict[int, list[PointsAdjustment]] = {}
    for a in rows.order_by("created_at", "id"):
        out.setdefault(a.deputy_id, []).append(a)
    return out


# --- bulletins -----------------------------------------------------------------------------------------------


def quarter_end(year: int, quarter: int) -> dt.date:
    month = quarter * 3
    return (dt.date(year + (month == 12), month % 12 + 1, 1)) - dt.timedelta(days=1)


def last_quarter(today: dt.date) -> tuple[int, int]:
    """The last quarter that has ended on `today` (in January: the fourth of the year before)."""
    q = (today.month - 1) // 3  # the quarters of this year that have ended
    return (today.year - 1, 4) if q == 0 else (today.year, q)


@transaction.atomic
def points_bulletin_publish(*, actor, congress: Congress, year, quarter) -> PointsBulletin:
    """Publish the quarter's bulletin: the points of the year's duties up to the quarter's end, under the
    scheme version in force, with the adjustments upheld so far, frozen (`rows`)."""
    ensure(actor, "insights.manage_points", congress)
    year = _check_year(year)
    try:
        quarter = int(quarter)
    except (TypeError, ValueError):
        raise DomainError(_("Choose a quarter."), field="quarter") from None
    if quarter not in (1, 2, 3, 4):
        raise DomainError(_("Choose a quarter."), field="quarter")
    until = quarter_end(year, quarter)
    if until >= clock.today():
        raise DomainError(_("A quarter's bulletin is published once the quarter has ended."), field="quarter")
    Congress.objects.select_for_update().get(pk=congress.pk)
    if PointsBulletin.objects.filter(congress=congress, year=year, quarter=quarter).exists():
        raise DomainError(
            _("The bulletin of this quarter has been published already."), field="quarter", code="duplicate"
        )
    scheme = scheme_in_force(congress, year)
    if scheme is None:
        raise DomainError(
            _("The congress has no points scheme for this year."), field="year", code="no_scheme"
        )
    now = clock.now()
    rows = bulletin_rows(scheme, until=until, at=now)
    bulletin = PointsBulletin.objects.create(
        congress=congress,
        year=year,
        quarter=quarter,
        scheme=scheme,
        until=until,
        rows=rows,
        published_by=actor,
        published_at=now,
        contest_until=now + dt.timedelta(days=contest_days()),
    )
    audit.record(
        actor,
        "points_bulletin.published",
        bulletin,
        scheme=scheme.pk,
        version=scheme.version,
        deputies=len(rows),
    )
    return bulletin


def bulletin_rows(scheme: PointsScheme, *, until: dt.date | None, at) -> list[dict]:
    """The frozen figures: one dict per deputy (ranked), with every entry and adjustment as plain values."""
    computed = _computed(scheme, until=until)
    adjustments = adjustments_of(scheme.congress, scheme.year, before=at)
    names = dict(Deputy.objects.filter(pk__in=computed).values_list("id", "name"))
    totals = {
        d: P.total(entries, [a.delta for a in adjustments.get(d, [])]) for d, entries in computed.items()
    }
    ranks = P.rank(totals)
    rows = [
        {
            "deputy_id": d,
            "name": names.get(d, ""),
            "rank": ranks[d],
            "total": str(totals[d]),
            "entries": [
                {"kind": e.kind, "count": e.count, "points": str(e.points), "capped": e.capped}
                for e in entries
            ],
            "adjustments": [
                {"kind": a.kind, "delta": str(a.delta), "reason": a.reason} for a in adjustments.get(d, [])
            ],
        }
        for d, entries in computed.items()
    ]
    rows.sort(key=lambda r: (r["rank"], r["name"]))
    return rows


# --- contests (错重漏) ----------------------------------------------------------------------------------------


@transaction.atomic
def points_contest_file(
    *, actor, bulletin: PointsBulletin, kind: str, ground: str, reason: str
) -> PointsContest:
    """A deputy contests an entry of a bulletin (wrong, counted twice, missing) with a reason, within
    `MINSHENG["POINTS_CONTEST_DAYS"]` days of its publication."""
    ensure(actor, "insights.contest_points", bulletin)
    bulletin = PointsBulletin.objects.select_for_update().get(pk=bulletin.pk)
    now = clock.now()
    if now > bulletin.contest_until:
        raise DomainError(
            _("Entries of this bulletin could be contested until %(day)s (%(days)d days after publication).")
            % {
                "day": timezone.localtime(bulletin.contest_until).strftime("%Y-%m-%d %H:%M"),
                "days": contest_days(),
            },
            code="window_closed",
        )
    if kind not in KINDS:
        raise DomainError(_("Choose the kind of duty contested."), field="kind")
    if ground not in PointsContest.Ground.values:
        raise DomainError(_("Say whether the entry is wrong, counted twice or missing."), field="ground")
    reason = checks.clean_text(
        reason,
        field="reason",
        required=True,
        message=_("Give the reason for contesting the entry."),
        limit=checks.NOTE,
    )
    contest = PointsContest.objects.create(
        bulletin=bulletin,
        deputy_id=actor.deputy_id,
        kind=kind,
        ground=ground,
        reason=reason,
        created_by=actor,
        created_at=now,
    )
    audit.record(actor, "points_contest.filed", contest, bulletin=bulletin.pk, kind=kind, ground=ground)
    return contest


@transaction.atomic
def points_contest_decide(
    *, actor, contest: PointsContest, uphold: bool, reason: str, delta=None
) -> PointsContest:
    """Staff decide a contest: uphold it with the change of points (`delta`, ± points, not zero), which becomes
    an adjustment of the deputy's points of the year; or reject it. A reason either way."""
    ensure(actor, "insights.decide_contest", contest)
    contest = PointsContest.objects.select_for_update().select_related("bulletin").get(pk=contest.pk)
    target = PointsContest.Status.UPHELD if uphold else PointsContest.Status.REJECTED
    contest.move_to(target)
    reason = checks.clean_text(
        reason,
        field="decision_reason",
        required=True,
        message=_("Give the reason for the decision."),
        limit=checks.NOTE,
    )
    now = clock.now()
    data: dict[str, object] = {"uphold": uphold}
    if uphold:
        if delta is None or str(delta).strip() == "":
            raise DomainError(
                _("Enter the change of points (for example 15 or -3)."), field="delta", code="required"
            )
        change = _decimal(delta, field="delta")
        if change == 0:
            raise DomainError(
                _("An upheld contest changes the points: enter a change other than 0."), field="delta"
            )
        PointsAdjustment.objects.create(
            congress=contest.bulletin.congress,
            year=contest.bulletin.year,
            deputy_id=contest.deputy_id,
            kind=contest.kind,
            delta=change,
            contest=contest,
            reason=reason,
            created_by=actor,
            created_at=now,
        )
        data["delta"] = str(change)
        points_standings_write_for(contest.bulletin.congress_id, contest.bulletin.year)
    contest.decided_by = actor
    contest.decided_at = now
    contest.decision_reason = reason
    contest.save(update_fields=["status", "decided_by", "decided_at", "decision_reason"])
    audit.record(actor, "points_contest.decided", contest, **data)
    return contest


def adjustment_total(congress, year: int, deputy_id: int) -> Decimal:
    return PointsAdjustment.objects.filter(congress=congress, year=year, deputy_id=deputy_id).aggregate(
        s=Sum("delta")
    )["s"] or Decimal("0")


# --- awards --------------------------------------------------------------------------------------------------


@transaction.atomic
def duty_award_create(
    *, actor, deputy: Deputy, congress: Congress, title: str, awarded_on, awarded_by: str
) -> DutyAward:
    ensure(actor, "insights.manage_awards", deputy)
    title = checks.clean_text(
        title, field="title", required=True, message=_("Enter the title of the award."), limit=200
    )
    awarded_by = checks.clean_text(
        awarded_by, field="awarded_by", required=True, message=_("Enter the awarding body."), limit=200
    )
    if not isinstance(awarded_on, dt.date):
        raise DomainError(_("Enter the date of the award."), field="awarded_on", code="required")
    checks.check_past_date(awarded_on, field="awarded_on")
    award = DutyAward.objects.create(
        deputy=deputy,
        congress=congress,
        title=title,
        awarded_on=awarded_on,
        awarded_by=awarded_by,
        created_by=actor,
    )
    audit.record(actor, "duty_award.created", award, deputy=deputy.pk)
    return award


def _clean_award(title, awarded_on, awarded_by) -> tuple[str, dt.date, str]:
    title = checks.clean_text(
        title, field="title", required=True, message=_("Enter the title of the award."), limit=200
    )
    awarded_by = checks.clean_text(
        awarded_by, field="awarded_by", required=True, message=_("Enter the awarding body."), limit=200
    )
    if not isinstance(awarded_on, dt.date):
        raise DomainError(_("Enter the date of the award."), field="awarded_on", code="required")
    checks.check_past_date(awarded_on, field="awarded_on")
    return title, awarded_on, awarded_by


def _lock_award(award: DutyAward) -> DutyAward:
    locked = (
        DutyAward.objects.select_for_update(of=("self",))
        .select_related("deputy", "congress")
        .filter(pk=award.pk)
        .first()
    )
    if locked is None:
        raise DomainError(_("No such award."), code="not_found")
    if locked.withdrawn_at is not None:
        raise Conflict(
            _("This award was withdrawn on %(day)s: it cannot be changed.")
            % {"day": timezone.localtime(locked.withdrawn_at).strftime("%Y-%m-%d")},
            code="withdrawn",
        )
    return locked


@transaction.atomic
def duty_award_update(
    *, actor, award: DutyAward, title: str, awarded_on, awarded_by: str, congress: Congress | None = None
) -> DutyAward:
    """Correct an award (title, date, awarding body; the congress that gave it, which the actor must cover
    too). A withdrawn award is not changed (409). Audited with the fields changed."""
    ensure(actor, "insights.edit_award", award)
    award = _lock_award(award)
    ensure(actor, "insights.edit_award", award)
    title, awarded_on, awarded_by = _clean_award(title, awarded_on, awarded_by)
    if congress is not None and congress.pk != award.congress_id:
        if not Seat.objects.filter(deputy_id=award.deputy_id, congress=congress).exists():
            raise DomainError(
                _("Choose a congress in which the deputy holds a seat."), field="congress", code="invalid"
            )
        ensure(actor, "insights.manage_points", congress)
    else:
        congress = award.congress
    new = {"title": title, "awarded_on": awarded_on, "awarded_by": awarded_by, "congress_id": congress.pk}
    changed = {f: str(v) for f, v in new.items() if getattr(award, f) != v}
    if not changed:
        return award
    for f, v in new.items():
        setattr(award, f, v)
    award.congress = congress
    award.save(update_fields=[*(f.removesuffix("_id") for f in new), "updated_at"])
    audit.record(actor, "duty_award.updated", award, deputy=award.deputy_id, changed=changed)
    return award


@transaction.atomic
def duty_award_withdraw(*, actor, award: DutyAward, reason: str) -> DutyAward:
    """Withdraw an award (撤销, with a reason): it stays in the table, with who withdrew it, when and why,
    but the duty record and the points no longer count it (the deputy's summary is recounted by the next
    incremental refresh, `duty_record.changed_deputies` reads `withdrawn_at`). Twice: 409."""
    ensure(actor, "insights.edit_award", award)
    award = _lock_award(award)
    ensure(actor, "insights.edit_award", award)
    reason = checks.clean_text(
        reason,
        field="reason",
        required=True,
        message=_("Give the reason for withdrawing the award."),
        limit=checks.NOTE,
    )
    award.withdrawn_at = clock.now()
    award.withdrawn_by = actor
    award.withdrawal_reason = reason
    award.save(update_fields=["withdrawn_at", "withdrawn_by", "withdrawal_reason", "updated_at"])
    audit.record(actor, "duty_award.withdrawn", award, deputy=award.deputy_id, reason=reason)
    return award


def award_points_recompute(award: DutyAward, years=()) -> int:
    """After an award was edited or withdrawn: recompute the schemes in force of its year (and of the
    `years` given: the year it had before an edit) of its deputy's seats' congresses, so that the league
    and the record's points count it as it is now. Returns the number of schemes recomputed."""
    n = 0
    for year in sorted({award.awarded_on.year, *years}):
        for scheme in PointsScheme.objects.filter(
            congress__in=Seat.objects.filter(deputy_id=award.deputy_id).values("congress_id"),
            year=year,
            superseded_at__isnull=True,
        ):
            points_compute(scheme=scheme)
            n += 1
    return n
