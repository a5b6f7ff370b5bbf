"""The registry behind every app's `permissions.py`: one place decides who may do what.

An app declares rules with `@rule("app.action")`; pages, the API, jobs and commands all ask `can()` or call
`ensure()`. A rule receives the actor (a user, or AnonymousUser for the public) and the object, if any.
Scoping of lists (which rows a user may see at all) lives in each app's selectors and uses the same
predicates, so another congress's or unit's object answers 404 rather than 403.
"""

from collections.abc import Callable
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.utils.translation import gettext as _

from .errors import PermissionDenied

Rule = Callable[[Any, Any], bool]
_RULES: dict[str, Rule] = {}


def rule(action: str) -> Callable[[Rule], Rule]:
    def register(fn: Rule) -> Rule:
        if action in _RULES and _RULES[action] is not fn:
            raise ValueError(f"Permission rule {action!r} is declared twice")
        _RULES[action] = fn
        return fn

    return register


def can(actor, action: str, obj: Any = None) -> bool:
    try:
        check = _RULES[action]
    except KeyError:
        raise KeyError(f"No permission rule for {action!r}") from None
    if actor is None:
        actor = AnonymousUser()
    if getattr(actor, "is_authenticated", False) and not actor.is_active:
        return False
    return bool(check(actor, obj))


def ensure(actor, action: str, obj: Any = None) -> None:
    if not can(actor, action, obj):
        raise PermissionDenied(_("You are not allowed to do this."))


def actions() -> list[str]:
    return sorted(_RULES)
