"""Where a case came from, told by the apps above cases (a registry, so that cases imports none of them).

A wing that turns its records into cases (activities: a reception becomes a case) registers a provider in its
`AppConfig.ready()`:

    origins.register(provider)       # provider(actor, case) -> Origin | None

The case page asks every provider (`origins_for(actor, case)`) before rendering and includes each answer's
template with its context under `origin`: the provider runs the queries and checks who may read what; the
template runs none.
"""

from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Origin:
    """One block on the case page: `template` is included with `context` available as `origin.context`."""

    template: str
    context: dict = field(default_factory=dict)


Provider = Callable[..., Origin | None]

_providers: list[Provider] = []


def register(provider: Provider) -> Provider:
    """Add a provider (once; registering the same one again is a no-op, as `ready()` may run twice)."""
    if provider not in _providers:
        _providers.append(provider)
    return provider


def origins_for(actor, case) -> list[Origin]:
    """What each provider says of the case's origin for `actor`, in the order they were registered."""
    return [origin for provider in _providers if (origin := provider(actor, case)) is not None]
