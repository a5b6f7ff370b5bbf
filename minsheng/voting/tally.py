"""The counting rule of 民生实事项目票决制, as a pure function (no ORM): counts in, the result by law out.

The rule:

* **Threshold.** A candidate is chosen only with 赞成 from MORE than half of the base: the whole electorate
  (应到, all the congress's deputies) by default, or those present (实到) when `threshold_base == "present"`.
  Formally `for > base / 2`, i.e. at least `base // 2 + 1` 赞成. 反对 and 弃权 are counted and shown but never
  count toward the threshold.
* **Ranking.** The candidates above the line are ranked by 赞成; the chosen are the best, up to N (`seats`).
* **Further ballot (另行投票).** Two cases leave seats open and name the candidates "concerned":
  - a tie across the N-th place: several candidates above the line have the same 赞成 as the N-th place and
    not all of them fit into the seats left. Those above the tie are chosen; the tied ones are *concerned*
    (outcome `tied`) and `seats_left` is what remains of N;
  - fewer than N above the line: every candidate above the line is chosen; the candidates *concerned* are
    all the others (those not chosen), for `seats_left = N - chosen` seats.
  `runoff` lists the concerned candidates when `tie_rule == "further_ballot"`; with `"leave_empty"` it is empty
  and the seats stay empty (`seats_left` still says how many). Whether to hold the further ballot is recorded
  as the presidium's decision (services.runoff_decide).

Satisfaction votes (满意度测评) use `satisfaction_rate`: (满意 + 基本满意) / votes cast for that project.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping
from dataclasses import dataclass, field
from fractions import Fraction

CHOSEN = "chosen"
BELOW = "below"
OUTRANKED = "outranked"
TIED = "tied"


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
    base: int  # the number the threshold is taken of (应到 or 实到)
    needed: int  # the least 赞成 that passes: base // 2 + 1
    seats: int
    chosen: list = field(default_factory=list)  # best first
    runoff: list = field(default_factory=list)  # the candidates concerned by a further ballot
    seats_left: int = 0
    candidates: dict = field(default_factory=dict)  # candidate id -> CandidateTally

    @property
    def threshold(self) -> Fraction:
        """Half the base: a candidate needs strictly more 赞成 than this."""
        return Fraction(self.base, 2)

    @property
    def tie(self) -> bool:
        return any(c.outcome == TIED for c in self.candidates.values())


def _sort_key(item):
    cid, (votes_for, _against, _abstain) = item
    return (-votes_for, str(cid))


def tally(
    *,
    electorate: int,
    present: int,
    seats: int,
    counts: Mapping[Hashable, tuple[int, int, int]],
    threshold_base: str = "all",
    tie_rule: str = "further_ballot",
) -> Result:
    """Apply the rule to `counts` = {candidate id: (赞成, 反对, 弃权)}. See the module docstring."""
    if threshold_base not in ("all", "present"):
        raise ValueError(f"unknown threshold_base {threshold_base!r}")
    if tie_rule not in ("further_ballot", "leave_empty"):
        raise ValueError(f"unknown tie_rule {tie_rule!r}")
    if seats < 0 or electorate < 0 or present < 0:
        raise ValueError("seats, electorate and present cannot be negative")
    base = electorate if threshold_base == "all" else present
    needed = base // 2 + 1

    ordered = sorted(counts.items(), key=_sort_key)
    ranks: dict = {}
    for i, (cid, (votes_for, _a, _b)) in enumerate(ordered):
        if i and votes_for == ordered[i - 1][1][0]:
            ranks[cid] = ranks[ordered[i - 1][0]]
        else:
            ranks[cid] = i + 1

    above = [(cid, c[0]) for cid, c in ordered if c[0] >= needed]
    outcome: dict = {cid: BELOW for cid, _c in ordered}
    chosen: list = []
    concerned: list = []
    if len(above) <= seats:
        chosen = [cid for cid, _f in above]
        if len(chosen) < seats:
            concerned = [cid for cid, _c in ordered if cid not in set(chosen)]
    else:
        cutoff = above[seats - 1][1] if seats else None
        if seats and above[seats][1] != cutoff:
            chosen = [cid for cid, _f in above[:seats]]
        else:
            # the N-th place is shared with at least one candidate beyond N (or N is 0)
            chosen = [cid for cid, f in above if cutoff is not None and f > cutoff]
            concerned = [cid for cid, f in above if f == cutoff] if seats else []
        for cid, _f in above:
            outcome[cid] = OUTRANKED
        for cid in concerned:
            outcome[cid] = TIED
    for cid in chosen:
        outcome[cid] = CHOSEN
    seats_left = seats - len(chosen)
    candidates = {cid: CandidateTally(cid, c[0], c[1], c[2], outcome[cid], ranks[cid]) for cid, c in ordered}
    return Result(
        base=base,
        needed=needed,
        seats=seats,
        chosen=chosen,
        runoff=concerned if tie_rule == "further_ballot" and seats_left else [],
        seats_left=seats_left,
        candidates=candidates,
    )


def satisfaction_rate(satisfied: int, mostly: int, dissatisfied: int) -> Fraction | None:
    """满意率 = (满意 + 基本满意) / votes cast for the project; None when nobody rated it."""
    cast = satisfied + mostly + dissatisfied
    if not cast:
        return None
    return Fraction(satisfied + mostly, cast)
