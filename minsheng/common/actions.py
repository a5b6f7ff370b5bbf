"""One rule per action, the generic part: an `Offer` (one action on one object for one actor, now: offered with
its choices, or refused with the error the service would raise) and the ways of asking a table of them.

Each app's `actions.py` keeps its own rules (which checks, in which order, with which choices); this module
gives them the one shape the pages, the API and the services read:

- `Offer`: `allowed` / `reason` (the refusal's message) / `permitted` (False: no right, 403) / `conflict`
  (refused by what others did meanwhile) / `refuse()` (raise the refusal) / `as_api()` ({name, choices}).
- `first_refusal(name, *checks, choices=...)`: the first refusal of `checks` (each asked only if those before
  passed), else the offer with its choices (computed only then). The order is the house's: permission first
  (403), then the state (409), then the data (400/409).
- `not_allowed()`, `move_refusal(obj, status)`: the two refusals every app needs (no right; an illegal move
  of a `TransitionsMixin` model).
- `allowed_names(offers)`, `offered(offers)`, `available_actions(offers)` (the API's list of {name, choices}),
  `require(offer)` (what a service asks before it writes).
- `Tables`: an app's tables of actions by the object's class, asked as `offer`, `offers`, `offered`,
  `available_actions`, `require` (voting, projects).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _

from .errors import Conflict, DomainError, PermissionDenied, TransitionNotAllowed

Refusal = DomainError | PermissionDenied
Check = Callable[[], Refusal | None]


@dataclass(frozen=True)
class Offer:
    """One action on one object for one actor, now: offered (`refusal` is None) with its choices, or not,
    with the error the service would raise."""

    name: str
    choices: dict[str, Any] = field(default_factory=dict)
    refusal: Refusal | None = None

    @property
    def allowed(self) -> bool:
        return self.refusal is None

    def __bool__(self) -> bool:
        return self.allowed

    @property
    def reason(self) -> str:
        """Why not, in the user's language ("" when allowed)."""
        if self.refusal is None:
            return ""
        return str(getattr(self.refusal, "message", self.refusal))

    @property
    def permitted(self) -> bool:
        """False: the actor has no right to it (403); True and not allowed: the state or the data refuse it."""
        return not isinstance(self.refusal, PermissionDenied)

    @property
    def conflict(self) -> bool:
        """Refused by what others did meanwhile (a wish claimed, a ballot cast): a Conflict (409)."""
        return isinstance(self.refusal, Conflict)

    def refuse(self) -> None:
        """Raise the refusal (nothing when allowed)."""
        if self.refusal is not None:
            raise self.refusal

    def as_api(self) -> dict[str, Any]:
        return {"name": self.name, "choices": self.choices}


def not_allowed() -> PermissionDenied:
    return PermissionDenied(_("You are not allowed to do this."))


def move_refusal(obj, status: str) -> TransitionNotAllowed | None:
    """The refusal `obj.move_to(status)` would raise (TransitionsMixin), or None when the move is legal."""
    return obj.move_refusal(status)


def first_refusal(name: str, *checks: Check, choices: Callable[[], dict] | None = None) -> Offer:
    """The first refusal of `checks` (each asked only if those before passed), else the offer with its
    choices (computed only then)."""
    for check in checks:
        refusal = check()
        if refusal is not None:
            return Offer(name, refusal=refusal)
    return Offer(name, choices=choices() if choices else {})


def allowed_names(offers: Mapping[str, Offer]) -> list[str]:
    """The names of the offered actions (in the table's order)."""
    return [name for name, o in offers.items() if o.allowed]


def offered(offers: Mapping[str, Offer]) -> dict[str, Offer]:
    """The offered actions only: what pages render."""
    return {name: o for name, o in offers.items() if o.allowed}


def available_actions(offers: Iterable[Offer]) -> list[dict[str, Any]]:
    """The API's `available_actions`: [{name, choices}] of the offered actions."""
    return [o.as_api() for o in offers if o.allowed]


def require(offer: Offer) -> Offer:
    """What every service asks before it writes: the offer, or its refusal raised."""
    offer.refuse()
    return offer


Rule = Callable[[Any, Any], Offer]


class Tables:
    """An app's tables of actions by the class of the object they act on: `{VoteSession: {"open": fn, ...}}`,
    each `fn(actor, obj) -> Offer`."""

    def __init__(self, tables: Mapping[type, Mapping[str, Rule]], *, what: str = "actions"):
        self.tables = tables
        self.what = what

    def table(self, obj) -> Mapping[str, Rule]:
        for cls, table in self.tables.items():
            if isinstance(obj, cls):
                return table
        raise TypeError(f"no {self.what} for {type(obj).__name__}")

    def offer(self, actor, name: str, obj) -> Offer:
        """The one action `name` on `obj` for `actor`, now."""
        return self.table(obj)[name](actor, obj)

    def offers(self, actor, obj) -> dict[str, Offer]:
        """Every action on `obj` for `actor`, offered or not (in the table's order)."""
        return {name: fn(actor, obj) for name, fn in self.table(obj).items()}

    def offered(self, actor, obj) -> dict[str, Offer]:
        """The actions `actor` may do with `obj` now: what pages render."""
        return offered(self.offers(actor, obj))

    def available_actions(self, actor, obj) -> list[dict[str, Any]]:
        """The API's `available_actions`: [{name, choices}] of the offered actions."""
        return available_actions(self.offers(actor, obj).values())

    def require(self, actor, name: str, obj) -> Offer:
        """What every service asks before it writes: the offer, or its refusal raised."""
        return require(self.offer(actor, name, obj))
