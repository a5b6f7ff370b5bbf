"""Pickers that search (issue 12): the type-ahead behind every long choice (deputies, units, places, congresses).

A form that offers a long list names, in its widget (`widgets.SearchSelect`), the endpoint and the context it
picks for (`for=reception:<station id>`, `for=cosign:<case id>` ...). The app that owns the form registers, for
each kind and context, a provider: `(actor, argument) → Choices`, the queryset the form itself validates against
(the scope: reused, never a new rule), the ids offered first (the likely choices) and how an option reads. This
module searches that queryset by name or pinyin and answers at most `MAX_RESULTS` options, likely first.

The providers live with their forms (common knows nothing of cases or activities): a wing fills the registry in
its `AppConfig.ready()`.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from django.db import connection
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from .errors import DomainError
from .pinyin import letters_query

MAX_RESULTS = 20
MAX_QUERY = 50
KINDS = ("deputies", "units", "places", "congresses")
# How many likely ids are considered at most (a delegation of a big congress has a few hundred deputies).
MAX_LIKELY = 500


@dataclass
class Choices:
    """What one picker may offer: `queryset` (ordered; the form's own), `likely` (ids, best first), `text` and
    `hint` of an option (`hint(obj, likely)`), `contains` (match anywhere in the name: for short scopes;
    otherwise a prefix, which the indexes serve at any size), `pinyin` (False: letters are matched with the
    name only), `pinyin_of` (the relation that holds `name_pinyin` and `name_initials`)."""

    queryset: QuerySet
    likely: Sequence[int] = ()
    text: Callable[[Any], str] = str
    hint: Callable[[Any, bool], str] = lambda obj, likely: ""
    contains: bool = False
    pinyin: bool = True
    # Where the pinyin columns are: on the row ("") or on a related row ("place__": a congress is named after
    # its place).
    pinyin_of: str = ""


Provider = Callable[[Any, str], Choices]
_PROVIDERS: dict[tuple[str, str], Provider] = {}


def register(kind: str, context: str = "") -> Callable[[Provider], Provider]:
    """`@pickers.register("deputies", "reception")`: the provider of `?for=reception:<argument>`; context ""
    answers a request without `for`."""
    if kind not in KINDS:
        raise ValueError(f"unknown picker kind {kind!r}")

    def decorator(provider: Provider) -> Provider:
        _PROVIDERS[(kind, context)] = provider
        return provider

    return decorator


def contexts(kind: str) -> list[str]:
    return sorted(context for k, context in _PROVIDERS if k == kind)


def parse_id(argument: str) -> int:
    """The id in a `for` argument; a bad one is the caller's mistake (400)."""
    if not argument.isdigit() or len(argument) > 18 or int(argument) < 1:
        raise DomainError(_("The list to choose from is not valid."), field="for", code="bad_for")
    return int(argument)


def startswith_q(field: str, prefix: str) -> Q:
    """`field` starts with `prefix`, in the form each database's index serves (see deputies.selectors.prefix_q:
    a range on SQLite, LIKE 'prefix%' with varchar_pattern_ops on PostgreSQL)."""
    if connection.vendor == "postgresql":
        return Q(**{f"{field}__startswith": prefix})
    upper = prefix[:-1] + chr(ord(prefix[-1]) + 1)
    return Q(**{f"{field}__gte": prefix, f"{field}__lt": upper})


def search_q(q: str, *, contains: bool = False, pinyin: bool = True, pinyin_of: str = "") -> Q | None:
    """Letters are pinyin: the full pinyin or the initials ('ch' finds 陈海, 'zl' 曾丽, 'hyz' 海宴镇); anything
    else is (part of) the name. A prefix unless `contains`."""
    q = (q or "").strip()
    if not q:
        return None
    letters = letters_query(q) if pinyin else ""
    if letters:
        if contains:
            return (
                Q(**{f"{pinyin_of}name_pinyin__contains": letters})
                | Q(**{f"{pinyin_of}name_initials__contains": letters})
                | Q(name__icontains=q)
            )
        return startswith_q(f"{pinyin_of}name_pinyin", letters) | startswith_q(
            f"{pinyin_of}name_initials", letters
        )
    if contains:
        return Q(name__contains=q)
    return startswith_q("name", q)


def clean_query(q: str | None) -> str:
    q = (q or "").strip()
    if len(q) > MAX_QUERY:
        raise DomainError(
            _("Type at most %(n)s characters to search.") % {"n": MAX_QUERY}, field="q", code="too_long"
        )
    return q


def choices_for(actor, *, kind: str, context: str) -> Choices:
    """The provider's answer for `for=<context>`; an unknown context is refused (400)."""
    name, _sep, argument = (context or "").partition(":")
    provider = _PROVIDERS.get((kind, name.strip()))
    if provider is None:
        raise DomainError(_("The list to choose from is not valid."), field="for", code="bad_for")
    return provider(actor, argument.strip())


def pick(actor, *, kind: str, q: str = "", context: str = "", limit: int = MAX_RESULTS) -> list[dict]:
    """At most `limit` options `{id, text, hint}` of the picker, the likely ones first (in their order), then
    the rest in the queryset's order. Two queries after the provider's own."""
    q = clean_query(q)
    choices = choices_for(actor, kind=kind, context=context)
    found = choices.queryset
    condition = search_q(q, contains=choices.contains, pinyin=choices.pinyin, pinyin_of=choices.pinyin_of)
    if condition is not None:
        found = found.filter(condition)
    likely = list(dict.fromkeys(choices.likely))[:MAX_LIKELY]
    rank = {pk: i for i, pk in enumerate(likely)}
    first = sorted(found.filter(pk__in=likely)[:limit], key=lambda obj: rank[obj.pk]) if likely else []
    taken = {obj.pk for obj in first}
    rest = [obj for obj in found[: limit + len(taken)] if obj.pk not in taken][: limit - len(first)]
    return [
        {"id": obj.pk, "text": choices.text(obj), "hint": str(choices.hint(obj, obj.pk in taken) or "")}
        for obj in [*first, *rest]
    ]
