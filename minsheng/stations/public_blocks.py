"""Blocks on a station's public page told by the apps above stations (a registry, so that stations imports
none of them; like `cases.origins`).

A wing registers a provider in its `AppConfig.ready()`:

    public_blocks.register(provider)       # provider(station) -> Block | None

The public page asks every provider (`blocks_for(station)`) and includes each block's template with its
context under `block`: the provider runs the queries and says only what the public may read (activities: the
coming reception days with the deputies on duty, never a visitor).
"""

from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Block:
    template: str
    context: dict = field(default_factory=dict)


Provider = Callable[..., Block | None]

_providers: list[Provider] = []


def register(provider: Provider) -> Provider:
    """Add a provider (once: `ready()` may run twice)."""
    if provider not in _providers:
        _providers.append(provider)
    return provider


def blocks_for(station) -> list[Block]:
    return [block for provider in _providers if (block := provider(station)) is not None]
