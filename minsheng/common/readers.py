"""Reads that an app on a higher floor lends to one below it, by name: the higher app registers a function when it
starts (its AppConfig.ready), the lower one calls it by that name. So the home pages (minsheng/insights) show the
latest roster imports without importing `minsheng.imports`, which sits above them.

A name nobody registered answers `default` (an installation without the app)."""

from collections.abc import Callable
from typing import Any

_readers: dict[str, Callable[..., Any]] = {}


def register_reader(name: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    def register(function: Callable[..., Any]) -> Callable[..., Any]:
        _readers[name] = function
        return function

    return register


def read(name: str, *args, default: Any = None, **kwargs) -> Any:
    reader = _readers.get(name)
    return default if reader is None else reader(*args, **kwargs)
