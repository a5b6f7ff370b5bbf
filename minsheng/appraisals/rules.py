"""The rules of an appraisal (评比: 擂台赛, 优秀建议, 示范联络站, 星级评定) as pure functions (no ORM): the rules and
the scores in, each contestant's components, total, rank, tier and award out, every step explained.

The rules (an appraisal's own values are a `Rules`, stored with it as a snapshot; nothing here is a default the
organisers did not choose):

* **Components** (`Component`). Any number, each with a weight in percent; the weights sum to exactly 100. A
  component's score is entered *directly* by staff, *imported* (from Excel, or another system), or computed from
  the *judges'* scores. Every score lies within the component's range (`low`..`high`, both included).
* **Judges** (`Aggregation`). A judged component's score is the mean of the judges' scores after dropping the
  `trim` highest and the `trim` lowest (`trim = 0`: the mean of all). Fewer judges than `min_judges` is refused.
  With few judges a stated fallback replaces the trim (`few_judges = {2: MEAN, 3: CLOSEST_TWO}`): `MEAN` is the
  mean of all, `CLOSEST_TWO` (three judges) the mean of the two scores closest to each other (when the middle
  score is exactly as close to both others, the mean of all three, which is the middle score), `MEDIAN` the
  middle score (the mean of the middle two for an even number). Without a fallback, `n - 2·trim < 1` judges
  are too few for the trim and are refused. Which judges were dropped is deterministic: among equal scores the
  judge who sorts first (by id) is dropped first at the low end and last at the high end.
* **Normalisation** (`normalise=True`, optional, for groups whose panels differ). Within one group and one
  component, each judge's scores are turned into z-scores over the contestants that judge scored and mapped back
  onto the whole panel's mean and standard deviation (population): `x' = M + S·(x − mⱼ)/sⱼ` (a judge who gave
  everyone the same score, `sⱼ = 0`, gives everyone `M`). Means and variances come from exact sums (`Σx`,
  `Σx²`), so the order of the scores does not matter. `x'` is kept to 4 decimals (half up) and held within the
  component's range, then aggregated like a raw score. The explanation shows both.
* **Rounding** (`Rounding`) at two named steps: each component's score (`component_rounding`) and the total
  (`total_rounding`), with the stated number of decimals and mode (`HALF_UP` 四舍五入 by default; `HALF_EVEN`,
  `DOWN` truncation, `UP`). The total is `Σ component score × weight / 100` of the *rounded* component scores.
  All arithmetic is `Decimal` (no floats), summed in a canonical order, so the order in which scores were entered
  never changes a result.
* **Ranking and ties** (`TieBreaker`). Within each group, by total, best first. Equal totals are separated by
  the chain of tie-breakers in order: `COMPONENT` (that component's rounded score, higher first),
  `ALL_JUDGES_MEAN` (the mean of all the judges' scores of that component, none dropped), `TOTAL_UNROUNDED` (the
  total before its rounding). A tie the chain does not break is an *unbroken tie*: with `final = SHARED` the
  tied share the rank (competition ranking: 1, 2, 2, 4); with `final = DECISION` the organisers record the order
  (`Decisions.tie_order`) and until they do the tie is a pending decision (the tied share the rank meanwhile).
* **Tiers, contest mode** (`Tier` with a quota). Ordered best first (一等奖, 二等奖, ...), per group (the same
  list for every group unless `group_tiers` gives a group its own). A quota is a count or a percentage of the
  group's contestants, the percentage turned into seats with the tier's own rounding (`quota_rounding`:
  `DOWN` by default, so 15% of 14 is 2). Seats are filled in rank order; a tier with a `min_total` takes only
  contestants whose total reaches it (its empty seats are not passed on). When an unbroken tie straddles the end
  of a tier's seats, `straddle` says what happens: `ALL_HIGHER` all the tied get the tier (it has more than its
  quota, by exactly the tied beyond its seats), `ALL_LOWER` none of them does (they start the next tier, which
  may then in turn be exceeded by exactly that tie), `DECISION` the organisers record which of the tied take the
  seats left (`Decisions.straddle[(group, tier)]`, exactly that many; pending until recorded, and meanwhile
  treated as `ALL_LOWER`). With `excess_reduces_next` (下一等次名额相应减少) the seats a tie took beyond a quota
  are taken from the next tier. Each tier may carry award funds (奖补资金) per contestant.
* **Tiers, grading mode** (星级评定, `kind = GRADING`). Tiers by score threshold (`threshold`, reached when the
  total is at least it) instead of quotas, best first (五星, 四星, 三星). A tier may require holding the tier
  below (`requires_below`) and be granted only by a body of a given level (`granted_by`: 三星 the city, 四星 the
  province, 五星 the nation); a round organised at one level (`Rules.organiser_level`) grants only the tiers of
  that level. A contestant gets the best tier it reaches, holds the precondition of and the organiser may grant;
  the explanation says when a better tier's threshold was reached but not its precondition or level.

`validate(rules, contestants, decisions)` raises `RulesError` (a DomainError, the message in the user's
language) for: weights not summing to 100%, quotas exceeding the group, too few judges for the trim, a threshold
grade without the grade below, a score out of range, a missing score, a decision that does not fit its tie.
`compute(rules, contestants, decisions)` validates as it goes and returns a `Result`; computing the same rules,
scores and decisions again gives an equal `Result` (and an identical `result_to_dict`).
"""

from __future__ import annotations

import decimal
import gc
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cached_property
from operator import itemgetter

from django.utils.translation import gettext as _

from minsheng.common.errors import DomainError

# --- vocabulary ----------------------------------------------------------------------------------------------

CONTEST = "contest"
GRADING = "grading"
KINDS = (CONTEST, GRADING)

DIRECT = "direct"
IMPORTED = "imported"
JUDGES = "judges"
SOURCES = (DIRECT, IMPORTED, JUDGES)

MEAN = "mean"
CLOSEST_TWO = "closest_two"
MEDIAN = "median"
FALLBACKS = (MEAN, CLOSEST_TWO, MEDIAN)
TRIMMED = "trimmed"  # the method recorded for a trimmed mean (trim > 0)
ENTERED = "entered"  # the method recorded for a direct or imported score

HALF_UP = "half_up"
HALF_EVEN = "half_even"
DOWN = "down"
UP = "up"
ROUNDING_MODES = {
    HALF_UP: decimal.ROUND_HALF_UP,
    HALF_EVEN: decimal.ROUND_HALF_EVEN,
    DOWN: decimal.ROUND_DOWN,
    UP: decimal.ROUND_UP,
}

COMPONENT = "component"
ALL_JUDGES_MEAN = "all_judges_mean"
TOTAL_UNROUNDED = "total_unrounded"
TIE_BREAKERS = (COMPONENT, ALL_JUDGES_MEAN, TOTAL_UNROUNDED)

SHARED = "shared"
DECISION = "decision"
FINALS = (SHARED, DECISION)

ALL_HIGHER = "all_higher"
ALL_LOWER = "all_lower"
STRADDLES = (ALL_HIGHER, ALL_LOWER, DECISION)

LEVELS = ("township", "county", "city", "province", "nation")

HUNDRED = Decimal(100)
_CTX = decimal.Context(prec=34, rounding=decimal.ROUND_HALF_EVEN, traps=[decimal.InvalidOperation])
_FOUR = Decimal("0.0001")


class RulesError(DomainError):
    """Rules or scores the rules refuse. `problems` lists every message found (the first is `message`)."""

    def __init__(self, problems: list, *, code: str = "appraisal_rules"):
        super().__init__(problems[0], code=code)
        self.problems = list(problems)


def _d(value) -> Decimal:
    if isinstance(value, Decimal):
        return value
    if isinstance(value, float):
        raise TypeError("scores are Decimal, int or str, never float")
    return Decimal(value)


def _fmt(value) -> str:
    return format(value, "f") if isinstance(value, Decimal) else str(value)


# --- the rules -----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Rounding:
    places: int = 2
    mode: str = HALF_UP

    @cached_property
    def _exp(self) -> Decimal:
        return Decimal(1).scaleb(-self.places)

    def apply(self, value: Decimal) -> Decimal:
        return value.quantize(self._exp, rounding=ROUNDING_MODES[self.mode], context=_CTX)


@dataclass(frozen=True)
class Aggregation:
    trim: int = 0  # drop this many highest and this many lowest
    min_judges: int = 1
    few_judges: tuple[tuple[int, str], ...] = ()  # (number of judges, fallback)
    normalise: bool = False

    @cached_property
    def fallbacks(self) -> dict[int, str]:
        return dict(self.few_judges)


@dataclass(frozen=True)
class Component:
    code: str
    name: str
    weight: Decimal  # percent
    source: str = JUDGES
    low: Decimal = Decimal(0)
    high: Decimal = Decimal(100)
    aggregation: Aggregation = field(default_factory=Aggregation)


@dataclass(frozen=True)
class TieBreaker:
    kind: str
    component: str = ""


@dataclass(frozen=True)
class Tier:
    code: str
    name: str
    quota: int | None = None  # a count of seats (contest mode)
    quota_percent: Decimal | None = None  # or a percentage of the group's contestants
    quota_rounding: str = DOWN
    min_total: Decimal | None = None
    award: Decimal = Decimal(0)  # 奖补资金 per contestant
    threshold: Decimal | None = None  # grading mode: the least total
    requires_below: bool = False  # grading mode: the contestant must hold the tier below
    granted_by: str = ""  # grading mode: the level of the body that grants it ("" any)

    def seats(self, group_size: int) -> int:
        if self.quota is not None:
            return self.quota
        if self.quota_percent is None:
            return 0
        exact = _CTX.divide(_CTX.multiply(Decimal(group_size), _d(self.quota_percent)), HUNDRED)
        return int(exact.quantize(Decimal(1), rounding=ROUNDING_MODES[self.quota_rounding], context=_CTX))


@dataclass(frozen=True)
class Rules:
    components: tuple[Component, ...]
    tiers: tuple[Tier, ...] = ()
    kind: str = CONTEST
    component_rounding: Rounding = Rounding()
    total_rounding: Rounding = Rounding()
    tie_breakers: tuple[TieBreaker, ...] = ()
    final: str = SHARED
    straddle: str = ALL_HIGHER
    excess_reduces_next: bool = False
    group_tiers: tuple[tuple[str, tuple[Tier, ...]], ...] = ()  # a group's own tiers
    organiser_level: str = ""  # grading mode: the level of the organising body

    @cached_property
    def component_map(self) -> dict[str, Component]:
        return {c.code: c for c in self.components}

    def tiers_of(self, group: str) -> tuple[Tier, ...]:
        return dict(self.group_tiers).get(group, self.tiers)


@dataclass(frozen=True)
class Contestant:
    id: str
    group: str
    scores: Mapping[str, Decimal] = field(default_factory=dict)  # direct and imported components
    judges: Mapping[str, Mapping[str, Decimal]] = field(default_factory=dict)  # component -> judge -> score
    holds: str = ""  # grading mode: the tier the contestant already holds ("" none)
    name: str = ""


@dataclass(frozen=True)
class Decisions:
    """What the organisers recorded: the order of an unbroken tie (`tie_order`: contestant -> position, lower is
    better) and, for a tie straddling a quota, who takes the seats left (`straddle`: (group, tier) -> ids)."""

    tie_order: Mapping[str, int] = field(default_factory=dict)
    straddle: Mapping[tuple[str, str], frozenset] = field(default_factory=dict)


NO_DECISIONS = Decisions()


# --- the result ----------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ComponentScore:
    code: str
    weight: Decimal
    value: Decimal  # rounded at the component step
    raw: Decimal  # before that rounding
    method: str  # ENTERED, MEAN, TRIMMED, CLOSEST_TWO, MEDIAN
    judges: Mapping[str, Decimal] | None = None  # the judges' scores as entered
    normalised: Mapping[str, Decimal] | None = None  # after normalisation, when the rules normalise
    trim: int = 0

    @property
    def dropped(self) -> tuple[str, ...]:
        """The judges whose scores did not count, lowest first (deterministic, see the module)."""
        scores = self.normalised if self.normalised is not None else self.judges
        if not scores:
            return ()
        ordered = sorted(scores.items(), key=itemgetter(1, 0))
        if self.method == TRIMMED:
            k = self.trim
            return tuple(j for j, _s in ordered[:k]) + tuple(j for j, _s in ordered[len(ordered) - k :])
        if self.method == CLOSEST_TWO:
            (a, x), (b, y), (c, z) = ordered
            if y - x < z - y:
                return (c,)
            if z - y < y - x:
                return (a,)
            return ()
        if self.method == MEDIAN:
            n = len(ordered)
            keep = {n // 2} if n % 2 else {n // 2 - 1, n // 2}
            return tuple(j for i, (j, _s) in enumerate(ordered) if i not in keep)
        return ()

    @property
    def all_judges_mean(self) -> Decimal:
        scores = self.normalised if self.normalised is not None else self.judges
        if not scores:
            return self.raw
        return _CTX.divide(sum(sorted(scores.values()), Decimal(0)), Decimal(len(scores)))


@dataclass(frozen=True)
class ContestantResult:
    id: str
    group: str
    name: str
    components: dict[str, ComponentScore]
    total_raw: Decimal
    total: Decimal
    rank: int = 0  # competition ranking within the group (1, 2, 2, 4)
    position: int = 0  # 1.. in the published order
    tier: str = ""  # "" none
    award: Decimal = Decimal(0)
    tie_breaks: tuple[str, ...] = ()  # how this contestant was separated from the one above (see explain)
    shared: bool = False  # shares its rank with another (an unbroken tie)
    pending: bool = False  # waits for an organisers' decision
    notes: tuple[str, ...] = ()  # grading: thresholds reached but not granted, and why; straddles

    def explain(self, rules: Rules) -> list[str]:
        """The result in words: each component with the judges' scores (dropped ones in brackets), the weights,
        the rounding, the total, the tie-breaks and the tier."""
        lines = []
        for comp in rules.components:
            score = self.components[comp.code]
            if score.judges is not None:
                shown = score.normalised if score.normalised is not None else score.judges
                dropped = set(score.dropped)
                parts = []
                for judge, value in sorted(shown.items(), key=itemgetter(1, 0)):
                    text = _fmt(value)
                    if score.normalised is not None:
                        text = f"{_fmt(score.judges[judge])}→{text}"
                    parts.append(f"[{judge}: {text}]" if judge in dropped else f"{judge}: {text}")
                method = {
                    MEAN: _("mean of all judges"),
                    TRIMMED: _("mean after dropping the %(k)s highest and %(k)s lowest") % {"k": score.trim},
                    CLOSEST_TWO: _("mean of the two closest scores"),
                    MEDIAN: _("the middle score"),
                }[score.method]
                lines.append(
                    _("%(name)s: %(scores)s; %(method)s = %(raw)s, rounded to %(value)s")
                    % {
                        "name": comp.name,
                        "scores": ", ".join(parts),
                        "method": method,
                        "raw": _fmt(score.raw),
                        "value": _fmt(score.value),
                    }
                )
            else:
                lines.append(
                    _("%(name)s: %(value)s (entered)") % {"name": comp.name, "value": _fmt(score.value)}
                )
        lines.append(
            _("Total: %(terms)s = %(raw)s, rounded to %(total)s")
            % {
                "terms": " + ".join(
                    f"{_fmt(self.components[c.code].value)}×{_fmt(c.weight)}%" for c in rules.components
                ),
                "raw": _fmt(self.total_raw),
                "total": _fmt(self.total),
            }
        )
        lines.extend(self.tie_breaks)
        lines.extend(self.notes)
        return lines


@dataclass(frozen=True)
class PendingDecision:
    kind: str  # "tie_order" or "straddle"
    group: str
    contestants: tuple[str, ...]
    tier: str = ""
    seats: int = 0  # straddle: how many of them take the seats left


@dataclass(frozen=True)
class GroupResult:
    group: str
    size: int
    seats: dict[str, int]  # tier -> seats by its quota (contest mode)
    contestants: tuple[ContestantResult, ...]  # in order, best first
    counts: dict[str, int]  # tier -> contestants given it
    award_total: Decimal


@dataclass(frozen=True)
class Result:
    groups: dict[str, GroupResult]
    pending: tuple[PendingDecision, ...] = ()

    @cached_property
    def by_id(self) -> dict[str, ContestantResult]:
        return {c.id: c for g in self.groups.values() for c in g.contestants}

    @property
    def award_total(self) -> Decimal:
        return sum((g.award_total for g in self.groups.values()), Decimal(0))


# --- validation ----------------------------------------------------------------------------------------------


def validate_rules(rules: Rules) -> list:
    """The problems of the rules alone (translated messages), empty when they are sound."""
    problems: list = []
    if rules.kind not in KINDS:
        problems.append(_("Unknown kind of appraisal “%(kind)s”.") % {"kind": rules.kind})
    if not rules.components:
        problems.append(_("An appraisal needs at least one component."))
    codes = [c.code for c in rules.components]
    if len(set(codes)) != len(codes):
        problems.append(_("Two components have the same code."))
    total = sum((_d(c.weight) for c in rules.components), Decimal(0))
    if total != HUNDRED:
        problems.append(
            _("The weights of the components add up to %(sum)s%%, not 100%%.") % {"sum": _fmt(total)}
        )
    for c in rules.components:
        if _d(c.weight) <= 0:
            problems.append(_("The weight of “%(name)s” must be more than 0.") % {"name": c.name})
        if c.source not in SOURCES:
            problems.append(_("Unknown source of scores for “%(name)s”.") % {"name": c.name})
        if _d(c.low) >= _d(c.high):
            problems.append(_("The lowest score of “%(name)s” must be below its highest.") % {"name": c.name})
        agg = c.aggregation
        if c.source != JUDGES:
            continue
        if agg.trim < 0 or agg.min_judges < 1:
            problems.append(_("“%(name)s”: the judges' rule is not valid.") % {"name": c.name})
            continue
        for n, how in agg.few_judges:
            if how not in FALLBACKS or n < 1 or (how == CLOSEST_TWO and n != 3):
                problems.append(
                    _("“%(name)s”: the rule for %(n)s judges is not valid.") % {"name": c.name, "n": n}
                )
        uncovered = [n for n in range(agg.min_judges, 2 * agg.trim + 1) if n not in agg.fallbacks]
        if uncovered:
            problems.append(
                _(
                    "“%(name)s”: dropping the %(k)s highest and %(k)s lowest scores needs at least %(need)s "
                    "judges, but as few as %(min)s are allowed and no rule says what to do with %(n)s."
                )
                % {
                    "name": c.name,
                    "k": agg.trim,
                    "need": 2 * agg.trim + 1,
                    "min": agg.min_judges,
                    "n": "、".join(str(n) for n in uncovered),
                }
            )
    cmap = rules.component_map
    for tb in rules.tie_breakers:
        if tb.kind not in TIE_BREAKERS:
            problems.append(_("Unknown tie-breaker “%(kind)s”.") % {"kind": tb.kind})
        elif tb.kind in (COMPONENT, ALL_JUDGES_MEAN) and tb.component not in cmap:
            problems.append(_("A tie-breaker names a component that does not exist."))
        elif tb.kind == ALL_JUDGES_MEAN and cmap[tb.component].source != JUDGES:
            problems.append(
                _("“%(name)s” is not scored by judges: its judges' mean cannot break a tie.")
                % {"name": cmap[tb.component].name}
            )
    if rules.final not in FINALS or rules.straddle not in STRADDLES:
        problems.append(_("Unknown rule for unbroken ties."))
    for _group, tiers in ((None, rules.tiers), *rules.group_tiers):
        problems.extend(_tier_problems(rules, tiers))
    return problems


def _tier_problems(rules: Rules, tiers: tuple[Tier, ...]) -> list:
    problems: list = []
    if len({t.code for t in tiers}) != len(tiers):
        problems.append(_("Two tiers have the same code."))
    for i, t in enumerate(tiers):
        if rules.kind == CONTEST:
            if (t.quota is None) == (t.quota_percent is None):
                problems.append(
                    _("Tier “%(name)s” needs a quota: a number or a percentage.") % {"name": t.name}
                )
            elif (t.quota is not None and t.quota < 0) or (
                t.quota_percent is not None and not 0 <= _d(t.quota_percent) <= HUNDRED
            ):
                problems.append(_("The quota of tier “%(name)s” is not valid.") % {"name": t.name})
            if t.quota_rounding not in ROUNDING_MODES:
                problems.append(_("Unknown rounding of the quota of “%(name)s”.") % {"name": t.name})
        else:
            if t.threshold is None:
                problems.append(_("Grade “%(name)s” needs a threshold score.") % {"name": t.name})
            below = tiers[i + 1] if i + 1 < len(tiers) else None
            if t.requires_below and below is None:
                problems.append(
                    _("Grade “%(name)s” requires the grade below it, but there is no grade below it.")
                    % {"name": t.name}
                )
            if (
                below is not None
                and t.threshold is not None
                and below.threshold is not None
                and _d(below.threshold) > _d(t.threshold)
            ):
                problems.append(
                    _("Grade “%(name)s” has a lower threshold than the grade below it.") % {"name": t.name}
                )
            if t.granted_by and t.granted_by not in LEVELS:
                problems.append(_("Unknown level of the body granting “%(name)s”.") % {"name": t.name})
        if _d(t.award) < 0:
            problems.append(_("The award of tier “%(name)s” cannot be negative.") % {"name": t.name})
    return problems


def _judge_count_problem(comp: Component, n: int, who: str):
    agg = comp.aggregation
    if n < agg.min_judges:
        return _("“%(who)s”: %(n)s judges scored “%(name)s”, at least %(min)s are required.") % {
            "who": who,
            "n": n,
            "name": comp.name,
            "min": agg.min_judges,
        }
    if n not in agg.fallbacks and n - 2 * agg.trim < 1:
        return _(
            "“%(who)s”: %(n)s judges are too few to drop the %(k)s highest and %(k)s lowest scores of "
            "“%(name)s”."
        ) % {"who": who, "n": n, "k": agg.trim, "name": comp.name}
    return None


def _range_problem(comp: Component, value, who: str, judge: str = ""):
    return _(
        "“%(who)s”: the score %(score)s of “%(name)s”%(judge)s is outside its range %(low)s–%(high)s."
    ) % {
        "who": who,
        "score": _fmt(value),
        "name": comp.name,
        "judge": (_(" by judge %(judge)s") % {"judge": judge}) if judge else "",
        "low": _fmt(comp.low),
        "high": _fmt(comp.high),
    }


def validate_scores(rules: Rules, contestants: Iterable[Contestant]) -> list:
    """The problems of the scores (ranges, missing scores, too few judges) and of the groups (quotas)."""
    problems: list = []
    sizes: dict[str, int] = defaultdict(int)
    seen: set = set()
    for c in contestants:
        if c.id in seen:
            problems.append(_("Contestant “%(who)s” appears twice.") % {"who": c.name or c.id})
        seen.add(c.id)
        sizes[c.group] += 1
        problems.extend(_contestant_problems(rules, c))
    if rules.kind == CONTEST:
        for group, size in sorted(sizes.items()):
            seats = sum(t.seats(size) for t in rules.tiers_of(group))
            if seats > size:
                problems.append(
                    _(
                        "The quotas of group “%(group)s” add up to %(seats)s, more than its %(size)s contestants."
                    )
                    % {"group": group, "seats": seats, "size": size}
                )
    return problems


def _contestant_problems(rules: Rules, c: Contestant) -> list:
    problems: list = []
    who = c.name or c.id
    for comp in rules.components:
        low, high = _d(comp.low), _d(comp.high)
        if comp.source == JUDGES:
            scores = c.judges.get(comp.code) or {}
            problem = _judge_count_problem(comp, len(scores), who)
            if problem:
                problems.append(problem)
            for judge, value in sorted(scores.items()):
                if not low <= _d(value) <= high:
                    problems.append(_range_problem(comp, value, who, judge))
        else:
            if comp.code not in c.scores:
                problems.append(_("“%(who)s” has no score for “%(name)s”.") % {"who": who, "name": comp.name})
            elif not low <= _d(c.scores[comp.code]) <= high:
                problems.append(_range_problem(comp, c.scores[comp.code], who))
    return problems


def validate(
    rules: Rules, contestants: Iterable[Contestant] = (), decisions: Decisions | None = None
) -> None:
    """Raise RulesError listing every problem of the rules and the scores; nothing when all is sound."""
    problems = validate_rules(rules)
    if not problems:
        problems = validate_scores(rules, contestants)
    if problems:
        raise RulesError(problems)


def grant_refusal(rules: Rules, tier_code: str, *, holds: str, total: Decimal | None = None):
    """Why a grade may not be granted (a translated message), or None: unknown grade, below its threshold, the
    grade below not held, or a grade this organiser's level does not grant."""
    tiers = rules.tiers
    codes = [t.code for t in tiers]
    if tier_code not in codes:
        return _("There is no such grade.")
    i = codes.index(tier_code)
    tier = tiers[i]
    if total is not None and tier.threshold is not None and total < _d(tier.threshold):
        return _("A total of %(total)s does not reach the threshold %(threshold)s of “%(name)s”.") % {
            "total": _fmt(total),
            "threshold": _fmt(tier.threshold),
            "name": tier.name,
        }
    if tier.requires_below and i + 1 < len(tiers) and holds not in codes[: i + 2]:
        return _("“%(name)s” can be granted only to holders of “%(below)s”.") % {
            "name": tier.name,
            "below": tiers[i + 1].name,
        }
    if tier.granted_by and rules.organiser_level and tier.granted_by != rules.organiser_level:
        return _("“%(name)s” is granted by a body of another level.") % {"name": tier.name}
    return None


# --- computing -----------------------------------------------------------------------------------------------


def _aggregate(comp: Component, scores: Mapping[str, Decimal], rounding: Rounding, normalised=None):
    """One judged component of one contestant, or None when a judge's score is out of range."""
    agg = comp.aggregation
    vals = sorted(scores.values())
    if vals[0] < comp.low or vals[-1] > comp.high:
        return None
    if normalised is not None:
        vals = sorted(normalised.values())
    n = len(vals)
    how = agg.fallbacks.get(n)
    if how is None:
        how = TRIMMED if agg.trim else MEAN
    if how == TRIMMED:
        k = agg.trim
        kept = vals[k : n - k]
    elif how == MEAN:
        kept = vals
    elif how == CLOSEST_TWO:
        a, b, c = vals
        kept = [a, b] if b - a < c - b else [b, c] if c - b < b - a else vals
    else:  # MEDIAN
        kept = vals[n // 2 : n // 2 + 1] if n % 2 else vals[n // 2 - 1 : n // 2 + 1]
    raw = _CTX.divide(sum(kept, Decimal(0)), Decimal(len(kept)))
    return ComponentScore(comp.code, comp.weight, rounding.apply(raw), raw, how, scores, normalised, agg.trim)


def _normalise(comp: Component, members: list[Contestant]) -> dict[str, dict[str, Decimal]]:
    """Per contestant id, each judge's score mapped onto the panel's mean and deviation (see the module).
    Refuses a score out of range (the mapping would hide it)."""
    low, high = _d(comp.low), _d(comp.high)
    by_judge: dict[str, list[Decimal]] = defaultdict(list)
    for c in members:
        for judge, value in (c.judges.get(comp.code) or {}).items():
            if not low <= value <= high:
                raise RulesError([_range_problem(comp, value, c.name or c.id, judge)])
            by_judge[judge].append(value)
    if not by_judge:
        return {}

    def sums(values) -> tuple[int, Decimal, Decimal]:
        # exact sums (scores have few digits), so the order of the values does not matter
        return len(values), sum(values, Decimal(0)), sum((v * v for v in values), Decimal(0))

    def mean_sd(n: int, s1: Decimal, s2: Decimal) -> tuple[Decimal, Decimal]:
        var = _CTX.divide(n * s2 - s1 * s1, Decimal(n * n))  # population variance, never below 0
        return _CTX.divide(s1, Decimal(n)), var.sqrt(_CTX)

    per_judge = {j: sums(vs) for j, vs in by_judge.items()}
    panel_mean, panel_sd = mean_sd(
        sum(n for n, _a, _b in per_judge.values()),
        sum((a for _n, a, _b in per_judge.values()), Decimal(0)),
        sum((b for _n, _a, b in per_judge.values()), Decimal(0)),
    )
    stats = {j: mean_sd(*t) for j, t in per_judge.items()}
    # a judge gives few distinct scores: each is mapped once per judge
    memo: dict[str, dict[Decimal, Decimal]] = {j: {} for j in by_judge}

    def mapped(judge: str, value: Decimal) -> Decimal:
        known = memo[judge].get(value)
        if known is None:
            m, sd = stats[judge]
            x = panel_mean if not sd else panel_mean + panel_sd * _CTX.divide(value - m, sd)
            x = x.quantize(_FOUR, rounding=decimal.ROUND_HALF_UP, context=_CTX)
            known = memo[judge][value] = min(high, max(low, x))
        return known

    return {
        c.id: {judge: mapped(judge, value) for judge, value in (c.judges.get(comp.code) or {}).items()}
        for c in members
    }


class _Row:
    """One contestant while its group is ranked (mutable, then frozen into a ContestantResult)."""

    __slots__ = (
        "id",
        "group",
        "name",
        "holds",
        "components",
        "total_raw",
        "total",
        "key",
        "breaks",
        "rank",
        "block",
        "tier",
        "notes",
        "shared",
        "pending",
    )

    def __init__(self, c: Contestant, components: dict, total_raw: Decimal, total: Decimal):
        self.id = c.id
        self.group = c.group
        self.name = c.name or c.id
        self.holds = c.holds
        self.components = components
        self.total_raw = total_raw
        self.total = total
        self.key: tuple = ()
        self.breaks: tuple = ()
        self.rank = 0
        self.block = (0, 0)  # the positions of its unbroken tie (0-based, end excluded)
        self.tier = ""
        self.notes: tuple = ()
        self.shared = False
        self.pending = False


def _score(rules: Rules, c: Contestant, normalised: dict) -> _Row:
    comps: dict[str, ComponentScore] = {}
    total_raw = Decimal(0)
    cr = rules.component_rounding
    judged = c.judges
    for comp in rules.components:
        score = None
        if comp.source == JUDGES:
            scores = judged.get(comp.code)
            n = len(scores) if scores else 0
            agg = comp.aggregation
            if n >= agg.min_judges and (n - 2 * agg.trim >= 1 or n in agg.fallbacks):
                normal = normalised[comp.code].get(c.id) if normalised else None
                score = _aggregate(comp, scores, cr, normal)  # type: ignore[arg-type]
        elif comp.code in c.scores:
            value = _d(c.scores[comp.code])
            if comp.low <= value <= comp.high:
                score = ComponentScore(comp.code, comp.weight, cr.apply(value), value, ENTERED)
        if score is None:
            raise RulesError(_contestant_problems(rules, c))
        comps[comp.code] = score
        total_raw += score.value * comp.weight
    total_raw = _CTX.divide(total_raw, HUNDRED)
    return _Row(c, comps, total_raw, rules.total_rounding.apply(total_raw))


def _tie_key(rules: Rules, r: _Row) -> tuple:
    key = []
    for tb in rules.tie_breakers:
        if tb.kind == COMPONENT:
            key.append(-r.components[tb.component].value)
        elif tb.kind == ALL_JUDGES_MEAN:
            key.append(-r.components[tb.component].all_judges_mean)
        else:
            key.append(-r.total_raw)
    return tuple(key)


def _tie_breaker_label(rules: Rules, tb: TieBreaker) -> str:
    if tb.kind == COMPONENT:
        return _("the score of “%(name)s”") % {"name": rules.component_map[tb.component].name}
    if tb.kind == ALL_JUDGES_MEAN:
        return _("the mean of all judges' scores of “%(name)s”") % {
            "name": rules.component_map[tb.component].name
        }
    return _("the total before rounding")


def _order_group(rules: Rules, rows: list[_Row], decisions: Decisions, pending: list) -> list[_Row]:
    """Rank one group: by total, then the tie-breakers, then the organisers' order (sets rank and block)."""
    rows.sort(key=lambda r: (-r.total, r.id))
    out: list[_Row] = []
    i = 0
    n = len(rows)
    while i < n:
        j = i + 1
        while j < n and rows[j].total == rows[i].total:
            j += 1
        if j - i == 1:
            out.append(rows[i])
        else:
            run = rows[i:j]
            for row in run:
                row.key = _tie_key(rules, row)
            run.sort(key=lambda row: (row.key, row.id))
            for prev, row in zip(run, run[1:], strict=False):
                for t, (a, b) in enumerate(zip(prev.key, row.key, strict=True)):
                    if a != b:
                        row.breaks = (
                            _("Same total as “%(other)s”, placed after it by %(by)s.")
                            % {"other": prev.name, "by": _tie_breaker_label(rules, rules.tie_breakers[t])},
                        )
                        break
            out.extend(run)
        i = j
    # blocks of an unbroken tie: the same total and the same tie-breaker values
    blocks: list[list[_Row]] = []
    for row in out:
        if blocks and blocks[-1][0].total == row.total and blocks[-1][0].key == row.key:
            blocks[-1].append(row)
        else:
            blocks.append([row])
    final: list[list[_Row]] = []
    for block in blocks:
        if len(block) == 1:
            final.append(block)
            continue
        ids = [row.id for row in block]
        if rules.final == DECISION:
            order = decisions.tie_order
            if all(i in order for i in ids):
                if len({order[i] for i in ids}) != len(ids):
                    raise RulesError([_("The recorded order of a tie gives two contestants the same place.")])
                block.sort(key=lambda row: order[row.id])
                for row in block[1:]:
                    row.breaks = (_("Placed by the organisers' recorded decision on an unbroken tie."),)
                final.extend([row] for row in block)
                continue
            pending.append(PendingDecision("tie_order", block[0].group, tuple(sorted(ids))))
            for row in block:
                row.pending = True
        for row in block:
            row.shared = True
        final.append(block)
    result: list[_Row] = []
    for block in final:
        start = len(result)
        for row in block:
            row.rank = start + 1
            row.block = (start, start + len(block))
        result.extend(block)
    return result


def _grade(rules: Rules, tiers: tuple[Tier, ...], rows: list[_Row]) -> None:
    for row in rows:
        notes = []
        for t in tiers:
            if t.threshold is None or row.total < _d(t.threshold):
                continue
            refusal = grant_refusal(rules, t.code, holds=row.holds)
            if refusal is None:
                row.tier = t.code
                break
            notes.append(_("Reached the threshold of “%(name)s”: %(why)s") % {"name": t.name, "why": refusal})
        row.notes = tuple(notes)


def _assign_tiers(rules: Rules, group: str, rows: list[_Row], decisions: Decisions, pending: list) -> dict:
    """Give each row its tier (see the module: seats in rank order, straddling ties by the policy)."""
    tiers = rules.tiers_of(group)
    size = len(rows)
    seats_by_tier = {t.code: t.seats(size) for t in tiers}
    if rules.kind == GRADING:
        _grade(rules, tiers, rows)
        return seats_by_tier
    pos = 0
    carry = 0  # seats a tie took beyond the quota of the tier above (excess_reduces_next)
    for t in tiers:
        seats = max(0, seats_by_tier[t.code] - carry)
        carry = 0
        taken = 0
        while pos < size and taken < seats:
            if t.min_total is not None and rows[pos].total < _d(t.min_total):
                break
            end = rows[pos].block[1]
            left = seats - taken
            if end - pos <= left:
                for row in rows[pos:end]:
                    row.tier = t.code
                taken += end - pos
                pos = end
                continue
            # an unbroken tie straddles the end of this tier's seats
            block = rows[pos:end]
            ids = tuple(sorted(row.id for row in block))
            note = _(
                "An unbroken tie of %(n)s crosses the end of the seats of “%(name)s” (%(left)s left)."
            ) % {
                "n": len(block),
                "name": t.name,
                "left": left,
            }
            for row in block:
                row.notes = (*row.notes, note)
            if rules.straddle == ALL_HIGHER:
                for row in block:
                    row.tier = t.code
                if rules.excess_reduces_next:
                    carry = len(block) - left
                taken += len(block)
                pos = end
            elif rules.straddle == DECISION and (group, t.code) in decisions.straddle:
                admitted = set(decisions.straddle[(group, t.code)])
                if len(admitted) != left or not admitted <= set(ids):
                    raise RulesError(
                        [
                            _(
                                "The recorded decision on the tie at “%(name)s” must name %(left)s of the tied."
                            )
                            % {"name": t.name, "left": left}
                        ]
                    )
                inside = [row for row in block if row.id in admitted]
                outside = [row for row in block if row.id not in admitted]
                rows[pos:end] = inside + outside
                for row in inside:
                    row.tier = t.code
                    row.block = (pos, pos + left)
                for row in outside:
                    row.block = (pos + left, end)
                taken += left
                pos += left
            else:
                if rules.straddle == DECISION:
                    pending.append(PendingDecision("straddle", group, ids, tier=t.code, seats=left))
                    for row in block:
                        row.pending = True
                break  # ALL_LOWER (and a decision not yet recorded): the tie starts the next tier
    return seats_by_tier


def compute(rules: Rules, contestants: Iterable[Contestant], decisions: Decisions | None = None) -> Result:
    """Apply `rules` to the contestants' scores, per group. See the module docstring."""
    # The result is a large tree without cycles: the cyclic garbage collector would only walk it again and
    # again while it is built (a third of the time at 10,000 contestants).
    collecting = gc.isenabled()
    gc.disable()
    try:
        with decimal.localcontext(_CTX):  # the same precision whatever the caller's context
            return _compute(rules, list(contestants), decisions or NO_DECISIONS)
    finally:
        if collecting:
            gc.enable()


def _compute(rules: Rules, contestants: list[Contestant], decisions: Decisions) -> Result:
    problems = validate_rules(rules)
    if problems:
        raise RulesError(problems)
    by_group: dict[str, list[Contestant]] = defaultdict(list)
    for c in contestants:
        by_group[c.group].append(c)
    if len({c.id for c in contestants}) != len(contestants):
        raise RulesError(validate_scores(rules, contestants) or [_("A contestant appears twice.")])
    if rules.kind == CONTEST:
        for group, members in by_group.items():
            if sum(t.seats(len(members)) for t in rules.tiers_of(group)) > len(members):
                raise RulesError(validate_scores(rules, members))
    pending: list[PendingDecision] = []
    groups: dict[str, GroupResult] = {}
    for group in sorted(by_group):
        members = by_group[group]
        normalised = {}
        for comp in rules.components:
            if comp.source == JUDGES and comp.aggregation.normalise:
                normalised[comp.code] = _normalise(comp, members)
        rows = _order_group(rules, [_score(rules, c, normalised) for c in members], decisions, pending)
        seats = _assign_tiers(rules, group, rows, decisions, pending)
        tiers = rules.tiers_of(group)
        awards = {t.code: _d(t.award) for t in tiers}
        counts = {t.code: 0 for t in tiers}
        zero = Decimal(0)
        done = []
        for position, row in enumerate(rows, start=1):
            if row.tier:
                counts[row.tier] += 1
            done.append(
                ContestantResult(
                    id=row.id,
                    group=row.group,
                    name=row.name,
                    components=row.components,
                    total_raw=row.total_raw,
                    total=row.total,
                    rank=row.rank,
                    position=position,
                    tier=row.tier,
                    award=awards[row.tier] if row.tier else zero,
                    tie_breaks=row.breaks,
                    shared=row.shared,
                    pending=row.pending,
                    notes=row.notes,
                )
            )
        groups[group] = GroupResult(
            group=group,
            size=len(members),
            seats=seats if rules.kind == CONTEST else {},
            contestants=tuple(done),
            counts=counts,
            award_total=sum((c.award for c in done), zero),
        )
    return Result(groups=groups, pending=tuple(pending))


# --- snapshots (JSON) ----------------------------------------------------------------------------------------


def rules_to_dict(rules: Rules) -> dict:
    def tier(t: Tier) -> dict:
        return {
            "code": t.code,
            "name": t.name,
            "quota": t.quota,
            "quota_percent": None if t.quota_percent is None else _fmt(_d(t.quota_percent)),
            "quota_rounding": t.quota_rounding,
            "min_total": None if t.min_total is None else _fmt(_d(t.min_total)),
            "award": _fmt(_d(t.award)),
            "threshold": None if t.threshold is None else _fmt(_d(t.threshold)),
            "requires_below": t.requires_below,
            "granted_by": t.granted_by,
        }

    return {
        "kind": rules.kind,
        "components": [
            {
                "code": c.code,
                "name": c.name,
                "weight": _fmt(_d(c.weight)),
                "source": c.source,
                "low": _fmt(_d(c.low)),
                "high": _fmt(_d(c.high)),
                "trim": c.aggregation.trim,
                "min_judges": c.aggregation.min_judges,
                "few_judges": [[n, how] for n, how in c.aggregation.few_judges],
                "normalise": c.aggregation.normalise,
            }
            for c in rules.components
        ],
        "tiers": [tier(t) for t in rules.tiers],
        "group_tiers": [[g, [tier(t) for t in ts]] for g, ts in rules.group_tiers],
        "component_rounding": [rules.component_rounding.places, rules.component_rounding.mode],
        "total_rounding": [rules.total_rounding.places, rules.total_rounding.mode],
        "tie_breakers": [[tb.kind, tb.component] for tb in rules.tie_breakers],
        "final": rules.final,
        "straddle": rules.straddle,
        "excess_reduces_next": rules.excess_reduces_next,
        "organiser_level": rules.organiser_level,
    }


def rules_from_dict(data: dict) -> Rules:
    def opt(v):
        return None if v is None else Decimal(v)

    def tier(d: dict) -> Tier:
        return Tier(
            code=d["code"],
            name=d["name"],
            quota=d["quota"],
            quota_percent=opt(d["quota_percent"]),
            quota_rounding=d["quota_rounding"],
            min_total=opt(d["min_total"]),
            award=Decimal(d["award"]),
            threshold=opt(d["threshold"]),
            requires_below=d["requires_below"],
            granted_by=d["granted_by"],
        )

    return Rules(
        kind=data["kind"],
        components=tuple(
            Component(
                code=c["code"],
                name=c["name"],
                weight=Decimal(c["weight"]),
                source=c["source"],
                low=Decimal(c["low"]),
                high=Decimal(c["high"]),
                aggregation=Aggregation(
                    trim=c["trim"],
                    min_judges=c["min_judges"],
                    few_judges=tuple((n, how) for n, how in c["few_judges"]),
                    normalise=c["normalise"],
                ),
            )
            for c in data["components"]
        ),
        tiers=tuple(tier(t) for t in data["tiers"]),
        group_tiers=tuple((g, tuple(tier(t) for t in ts)) for g, ts in data["group_tiers"]),
        component_rounding=Rounding(*data["component_rounding"]),
        total_rounding=Rounding(*data["total_rounding"]),
        tie_breakers=tuple(TieBreaker(k, c) for k, c in data["tie_breakers"]),
        final=data["final"],
        straddle=data["straddle"],
        excess_reduces_next=data["excess_reduces_next"],
        organiser_level=data["organiser_level"],
    )


def result_to_dict(result: Result) -> dict:
    """The whole result as JSON-ready data (Decimals as strings), every judge's score and whether it was dropped:
    what a ResultVersion freezes."""

    def component(s: ComponentScore) -> dict:
        d = {"value": _fmt(s.value), "raw": _fmt(s.raw), "method": s.method, "weight": _fmt(_d(s.weight))}
        if s.judges is not None:
            d["judges"] = {j: _fmt(_d(v)) for j, v in sorted(s.judges.items())}
            d["dropped"] = list(s.dropped)
            if s.normalised is not None:
                d["normalised"] = {j: _fmt(v) for j, v in sorted(s.normalised.items())}
        return d

    return {
        "groups": {
            g.group: {
                "size": g.size,
                "seats": g.seats,
                "counts": g.counts,
                "award_total": _fmt(g.award_total),
                "contestants": [
                    {
                        "id": c.id,
                        "rank": c.rank,
                        "position": c.position,
                        "total": _fmt(c.total),
                        "total_raw": _fmt(c.total_raw),
                        "tier": c.tier,
                        "award": _fmt(c.award),
                        "shared": c.shared,
                        "pending": c.pending,
                        "tie_breaks": list(c.tie_breaks),
                        "notes": list(c.notes),
                        "components": {code: component(s) for code, s in c.components.items()},
                    }
                    for c in g.contestants
                ],
            }
            for g in result.groups.values()
        },
        "pending": [
            {
                "kind": p.kind,
                "group": p.group,
                "contestants": list(p.contestants),
                "tier": p.tier,
                "seats": p.seats,
            }
            for p in result.pending
        ],
        "award_total": _fmt(result.award_total),
    }
