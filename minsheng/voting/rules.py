"""The rules of a 票决 that a congress may set: the law's defaults here, the installation's in
`settings.MINSHENG["VOTING_RULES"]`, each congress's own in `VotingRules` (admin). `rules_for(congress)` is the one
place that answers; `vote_create` copies the answer onto the vote (`VoteSession.quorum`, `tie_rule`), so a vote
is counted by the rules it was prepared under, and its further ballot by the same.

The threshold is not among them: it is always more than half of ALL deputies (地方组织法 Art 25), in tally.py.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from . import tally

DEFAULTS = {
    # 地方组织法 Art 14: 代表大会须有三分之二以上的代表出席, 始得举行 (at least: exactly 2/3 is enough)
    "quorum": "2/3",
    # a tie at the cut-off: 应当再次投票 (a further ballot among the tied), or "leave_empty"
    "tie_rule": tally.FURTHER_BALLOT,
}


@dataclass(frozen=True)
class Rules:
    quorum: Fraction
    tie_rule: str

    @property
    def quorum_text(self) -> str:
        return quorum_text(self.quorum)


def parse_quorum(value) -> Fraction:
    """'2/3', '0.5' or a Fraction → a Fraction in (0, 1] with a denominator up to 1000 (it is stored on each
    vote as text); anything else raises ValueError."""
    try:
        fraction = Fraction(str(value).strip())
    except (ValueError, ZeroDivisionError):
        raise ValueError(f"not a fraction: {value!r}") from None
    if not 0 < fraction <= 1:
        raise ValueError(f"the quorum must be more than 0 and at most 1, not {value!r}")
    if fraction.denominator > 1000:
        raise ValueError(f"the quorum's denominator must be at most 1000, not {value!r}")
    return fraction


def quorum_text(fraction: Fraction | str) -> str:
    """The quorum as stored and shown: '2/3', '1/2', '1'."""
    return str(parse_quorum(fraction))


def validate_quorum(value) -> None:
    """Model validator of a quorum field."""
    if value in (None, ""):
        return
    try:
        parse_quorum(value)
    except ValueError:
        raise ValidationError(
            _("Enter the quorum as a fraction of all deputies greater than 0 and at most 1, such as 2/3."),
            code="invalid_quorum",
        ) from None


def rules_for(congress) -> Rules:
    """The rules of `congress`: its own `VotingRules` where set, else the settings, else the law's defaults."""
    values = {**DEFAULTS, **settings.MINSHENG.get("VOTING_RULES", {})}
    own = getattr(congress, "voting_rules", None) if congress is not None else None
    if own is not None:
        for name in DEFAULTS:
            value = getattr(own, name, None)
            if value not in (None, ""):
                values[name] = value
    if values["tie_rule"] not in tally.TIE_RULES:
        raise ValueError(f"unknown tie_rule {values['tie_rule']!r} in the voting rules")
    return Rules(quorum=parse_quorum(values["quorum"]), tie_rule=values["tie_rule"])


def vote_quorum(vote, present: int) -> tally.Quorum:
    """The quorum of `vote` (the fraction it was prepared with, of its electorate) with `present` deputies."""
    return tally.quorum(electorate=vote.electorate, present=present, fraction=parse_quorum(vote.quorum))


def no_quorum_message(q: tally.Quorum) -> str:
    """Why a ballot cannot be counted without the quorum, with the counts."""
    return _(
        "The ballot cannot be closed without the quorum: %(present)d of the %(total)d deputies are present, "
        "and at least %(required)d (%(quorum)s of all deputies) must be present. Check in the deputies "
        "present, or keep the ballot open."
    ) % {
        "present": q.present,
        "total": q.electorate,
        "required": q.required,
        "quorum": quorum_text(q.fraction),
    }
