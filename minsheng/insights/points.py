"""The counting rules of 履职积分 (duty points), as pure functions (no ORM): counts in, points out.

The rules (the numbers are each congress's, in its `PointsScheme` of the year; never here):

* **A rule per kind of duty** (`Rule`): `base` points for the first occurrence, `increment` for each further
  one, and at most `cap` in all. None of them is negative (`validate_rule` refuses it, in Chinese).
* **Points of a kind** (`score`): for `n` occurrences, `0` when `n == 0`, otherwise
  `min(cap, base + increment × (n − 1))`; `capped` says the cap took something off. Example: 3 suggestions led
  at base 15, increment 10, cap 40 → 15 + 10 + 10 = 35 (not capped); a 4th → 45 capped to 40.
* **Nothing counted twice.** The counts come from `duty_record.duty_items`, which gives each thing once per
  deputy (a reception with the same deputy twice is one; a case both led and co-signed counts as led), and a
  deputy's duties are counted once per scheme whatever number of seats he or she holds (`counts_for_scheme`).
* **Which duties count for a congress's scheme** (`on_line`): those of the scheme's congress, of the
  congresses within its region and of the congresses above it — a city deputy's reception at a town station
  counts for the city, a provincial research trip too; another county's activity does not.
* **A kind without a rule** scores nothing (the scheme says what counts).
* **Adjustments** (contests upheld, `PointsAdjustment.delta`, positive or negative) are added to the total;
  the total of a deputy is never below zero.
* **Rank** (`rank`): by total, highest first; equal totals share a rank (1, 2, 2, 4).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext as _

from minsheng.common.errors import DomainError

ZERO = Decimal("0")


@dataclass(frozen=True)
class Rule:
    kind: str
    base: Decimal
    increment: Decimal
    cap: Decimal


@dataclass(frozen=True)
class Entry:
    kind: str
    count: int
    points: Decimal
    capped: bool
    uncapped: Decimal  # base + increment × (n − 1), before the cap


def validate_rule(rule: Rule, *, label: object = None) -> None:
    """Refuse a negative base, increment or cap, in Chinese (the scheme form and the service ask it); `label`
    names the kind in the message (default: its code)."""
    for field, value, what in (
        ("base", rule.base, _("base score")),
        ("increment", rule.increment, _("points per further occurrence")),
        ("cap", rule.cap, _("cap")),
    ):
        if value is None or value < 0:
            raise DomainError(
                _("The %(what)s of “%(kind)s” may not be negative.")
                % {"what": what, "kind": label or rule.kind},
                field=f"{rule.kind}_{field}",
                code="negative",
            )


def score(rule: Rule, count: int) -> Entry:
    """The points of `count` occurrences of a kind under its rule (see the module's docstring)."""
    if count <= 0:
        return Entry(rule.kind, 0, ZERO, False, ZERO)
    uncapped = rule.base + rule.increment * (count - 1)
    points = min(rule.cap, uncapped)
    return Entry(rule.kind, count, points, uncapped > rule.cap, uncapped)


def compute_entries(counts: Mapping[str, int], rules: Mapping[str, Rule]) -> list[Entry]:
    """One entry per kind with a rule and at least one occurrence, in the rules' order."""
    return [score(rule, counts.get(kind, 0)) for kind, rule in rules.items() if counts.get(kind, 0) > 0]


def total(entries: Iterable[Entry], adjustments: Iterable[Decimal] = ()) -> Decimal:
    return max(ZERO, sum((e.points for e in entries), ZERO) + sum(adjustments, ZERO))


def on_line(scheme_prefix: str, item_prefix: str) -> bool:
    """Whether a duty of a congress (its region prefix) counts for a scheme of another: the same congress,
    one within its region or one above it."""
    return item_prefix.startswith(scheme_prefix) or scheme_prefix.startswith(item_prefix)


def counts_for_scheme(items: Iterable, scheme_prefix: str) -> dict[int, Counter]:
    """Per deputy, the counts per kind of the duty items that count for a scheme of the congress with that
    region prefix. Items are `duty_record.DutyItem`s (each thing once per deputy already)."""
    out: dict[int, Counter] = {}
    for item in items:
        if on_line(scheme_prefix, item.region_prefix):
            out.setdefault(item.deputy_id, Counter())[item.kind] += 1
    return out


def rank(totals: Mapping[int, Decimal]) -> dict[int, int]:
    """Competition ranking of deputies by total points: 1, 2, 2, 4."""
    ordered = sorted(totals.items(), key=lambda kv: -kv[1])
    ranks: dict[int, int] = {}
    previous = None
    for position, (deputy_id, value) in enumerate(ordered, start=1):
        if previous is None or value != previous[1]:
            previous = (position, value)
        ranks[deputy_id] = previous[0]
    return ranks
