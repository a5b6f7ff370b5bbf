"""The counting rules of 民生实事项目票决制, as pure functions (no ORM): counts in, the result by law out.

The rules (地方组织法; the congress's own values come from `rules.py`, never from here):

* **Quorum** (`quorum`). A congress meeting is held only when at least the quorum of ALL its deputies (应到) is
  present (实到): two thirds by default (地方组织法 Art 14: 三分之二以上的代表出席, 始得举行). "以上" includes
  the number itself, so `present >= electorate × quorum`, i.e. at least `ceil(electorate × quorum)`; with 9
  deputies 6 present are enough, 5 are not. `services.vote_close` refuses to count a ballot without it.
* **Threshold** (`tally`). A candidate is chosen only with 赞成 from MORE than half of ALL the congress's deputies
  (the electorate, 应到; 地方组织法 Art 25: 全体代表的过半数), never of those present or of those who voted:
  `for > electorate / 2`, i.e. at least `electorate // 2 + 1`. Exactly half is not enough. 反对 and 弃权 are
  counted and shown but never count toward the threshold.
* **Ranking.** The candidates above the line are ranked by 赞成; the chosen are the best, up to N (`seats`).
* **A tie at the cut-off.** Several candidates above the line have the 赞成 of the N-th place and not all of
  them fit into the seats left: those above the tie are chosen, the tied ones are *concerned* (outcome `tied`),
  and their seats are `seats_left`. By default (`tie_rule == "further_ballot"`) a further ballot among the tied
  candidates is REQUIRED (应当再次投票): `runoff` lists them and `runoff_required` is true. Only where the
  congress's rules say so (`tie_rule == "leave_empty"`) the tied seats are left empty: `runoff` is empty and
  the seats count in `shortfall`.
* **A shortfall.** Fewer than N candidates are above the line: all of them are chosen and the remaining
  `seats_left` seats are a `shortfall`, which a later session may fill (补充票决). A further ballot at the same
  session is not required; the presidium may still hold one among the candidates not chosen (`runoff` lists
  them, `runoff_required` is false).

`Result.decisions` is what the presidium may decide after the count (services.runoff_decide enforces it, the
result page and the API offer it): `(True,)` a further ballot must be held, `(False,)` the seats stay empty,
`(True, False)` either, `()` nothing to decide.

Satisfaction votes (满意度测评) share the quorum but have no threshold, seats, ties or shortfall: each project's
满意率 is `satisfaction_rate`, (满意 + 基本满意) / votes cast for that project.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping
from dataclasses import dataclass, field
from fractions import Fraction

CHOSEN = "chosen"
BELOW = "below"
OUTRANKED = "outranked"
TIED = "tied"

FURTHER_BALLOT = "further_ballot"
LEAVE_EMPTY = "leave_empty"
TIE_RULES = (FURTHER_BALLOT, LEAVE_EMPTY)


# --- quorum -----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Quorum:
    electorate: int  # 应到: all the congress's deputies
    present: int  # 实到
    fraction: Fraction  # the share of all deputies that must be present (2/3 by default)
    required: int  # the fewest present that make the quorum: ceil(electorate × fraction)

    @property
    def met(self) -> bool:
        return self.present >= self.required

    @property
    def missing(self) -> int:
        """How many more deputies must be present."""
        return max(0, self.required - self.present)


def quorum(*, electorate: int, present: int, fraction: Fraction) -> Quorum:
    """Whether `present` of `electorate` deputies make the quorum `fraction` (at least, "以上": exactly 2/3 is
    enough). `fraction` must be in (0, 1]."""
    fraction = Fraction(fraction)
    if not 0 < fraction <= 1:
        raise ValueError(f"the quorum must be more than 0 and at most 1, not {fraction}")
    if electorate < 0 or present < 0:
        raise ValueError("electorate and present cannot be negative")
    required = -(-electorate * fraction.numerator // fraction.denominator)  # ceil without floats
    return Quorum(electorate=electorate, present=present, fraction=fraction, required=required)


# --- the count of a selection or further ballot -------------------------------------------------------------


def needed(electorate: int) -> int:
    """The fewest 赞成 that pass: more than half of all deputies (exactly half is not enough)."""
    return electorate // 2 + 1


@dataclass(frozen=True)
class CandidateTally:
    candidate: Hashable
    votes_for: int
    votes_against: int
    abstentions: int
    outcome: str
    rank: int  # competition ranking by 赞成 (1, 1, 3, ...) over all candidates


@dataclass(frozen=True)
class Result:
    electorate: int  # 应到: the threshold is taken of all deputies
    needed: int  # the least 赞成 that passes: electorate // 2 + 1
    seats: int
    tie_rule: str = FURTHER_BALLOT
    chosen: list = field(default_factory=list)  # best first
    tied: list = field(default_factory=list)  # tied at the cut-off, whatever the tie rule
    runoff: list = field(default_factory=list)  # the candidates of a further ballot (see the module)
    seats_left: int = 0  # seats not filled by this ballot
    candidates: dict = field(default_factory=dict)  # candidate id -> CandidateTally

    @property
    def threshold(self) -> Fraction:
        """Half of all deputies: a candidate needs strictly more 赞成 than this."""
        return Fraction(self.electorate, 2)

    @property
    def tie(self) -> bool:
        return bool(self.tied)

    @property
    def runoff_required(self) -> bool:
        """A tie at the cut-off under the default rule: a further ballot among the tied must be held."""
        return self.tie and self.tie_rule == FURTHER_BALLOT and self.seats_left > 0

    @property
    def shortfall(self) -> int:
        """Seats left empty (空缺) for a later session: fewer than N above the line, or tied seats the
        congress's rule leaves empty. Seats going to a required further ballot are not a shortfall."""
        return 0 if self.runoff_required else self.seats_left

    @property
    def decisions(self) -> tuple[bool, ...]:
        """What the presidium may decide: hold a further ballot (True) and/or leave the seats empty (False)."""
        if not self.seats_left:
            return ()
        if self.runoff_required:
            return (True,)
        if self.tie or not self.runoff:  # tied seats left empty by the rule, or nobody left to vote on
            return (False,)
        return (True, False)


def _sort_key(item):
    cid, (votes_for, _against, _abstain) = item
    return (-votes_for, str(cid))


def tally(
    *,
    electorate: int,
    seats: int,
    counts: Mapping[Hashable, tuple[int, int, int]],
    tie_rule: str = FURTHER_BALLOT,
) -> Result:
    """Apply the rules to `counts` = {candidate id: (赞成, 反对, 弃权)} for `seats` seats, the threshold taken
    of `electorate` (all deputies). See the module docstring."""
    if tie_rule not in TIE_RULES:
        raise ValueError(f"unknown tie_rule {tie_rule!r}")
    if seats < 0 or electorate < 0:
        raise ValueError("seats and electorate cannot be negative")
    least = needed(electorate)

    ordered = sorted(counts.items(), key=_sort_key)
    ranks: dict = {}
    for i, (cid, (votes_for, _a, _b)) in enumerate(ordered):
        if i and votes_for == ordered[i - 1][1][0]:
            ranks[cid] = ranks[ordered[i - 1][0]]
        else:
            ranks[cid] = i + 1

    above = [(cid, c[0]) for cid, c in ordered if c[0] >= least]
    outcome: dict = {cid: BELOW for cid, _c in ordered}
    chosen: list = []
    tied: list = []
    if len(above) <= seats:
        chosen = [cid for cid, _f in above]
    else:
        cutoff = above[seats - 1][1] if seats else None
        if seats and above[seats][1] != cutoff:
            chosen = [cid for cid, _f in above[:seats]]
        else:
            # the N-th place is shared with at least one candidate beyond N (or N is 0)
            chosen = [cid for cid, f in above if cutoff is not None and f > cutoff]
            tied = [cid for cid, f in above if f == cutoff] if seats else []
        for cid, _f in above:
            outcome[cid] = OUTRANKED
        for cid in tied:
            outcome[cid] = TIED
    for cid in chosen:
        outcome[cid] = CHOSEN
    seats_left = seats - len(chosen)
    if not seats_left:
        runoff: list = []
    elif tied:
        runoff = tied if tie_rule == FURTHER_BALLOT else []
    else:  # a shortfall: the presidium may hold a further ballot among the candidates not chosen
        runoff = [cid for cid, _c in ordered if outcome[cid] != CHOSEN]
    candidates = {cid: CandidateTally(cid, c[0], c[1], c[2], outcome[cid], ranks[cid]) for cid, c in ordered}
    return Result(
        electorate=electorate,
        needed=least,
        seats=seats,
        tie_rule=tie_rule,
        chosen=chosen,
        tied=tied,
        runoff=runoff,
        seats_left=seats_left,
        candidates=candidates,
    )


def satisfaction_rate(satisfied: int, mostly: int, dissatisfied: int) -> Fraction | None:
    """满意率 = (满意 + 基本满意) / votes cast for the project; None when nobody rated it."""
    cast = satisfied + mostly + dissatisfied
    if not cast:
        return None
    return Fraction(satisfied + mostly, cast)
