"""Reads from a read replica (issue 13): the public pages, exports and statistics, and nothing else.

Active only when `DATABASE_REPLICA_URL` is set (settings/base.py then adds the `replica` alias and this router).
A view says that its reads may come from the replica with `@use_replica`; `ReplicaMiddleware` turns that on for the
view and its template's rendering, unless the request is pinned to the primary:

- every request that is not GET/HEAD/OPTIONS reads from the primary, and its answer carries a cookie with the time
  of the write (`minsheng_wrote`);
- for `MINSHENG["REPLICA_PIN_SECONDS"]` after that time the same browser reads from the primary everywhere
  (read-your-writes: a citizen who has just claimed a wish sees the claim on the wall, a staff member who has
  just published an answer finds it in the export), then from the replica again.

Writes always go to the primary, so do reads inside a transaction of the primary (what a service reads before it
writes), and migrations run only on the primary. The replica holds the same rows, a few milliseconds late.
"""

import contextvars
import math
from collections.abc import Callable

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections

from . import clock

REPLICA = "replica"
PIN_COOKIE = "minsheng_wrote"
SAFE_METHODS = ("GET", "HEAD", "OPTIONS")

_reads_from: contextvars.ContextVar[str | None] = contextvars.ContextVar("minsheng_reads_from", default=None)


def use_replica(view: Callable) -> Callable:
    """Marks a view whose reads may come from the replica (a public page, an export, statistics): it shows
    what was committed, and a few milliseconds late does no harm. It writes nothing of its own."""
    view.replica_reads = True  # type: ignore[attr-defined]
    return view


def replica_configured() -> bool:
    return REPLICA in connections.settings


def pin_seconds() -> float:
    return float(settings.MINSHENG.get("REPLICA_PIN_SECONDS", 5))


def wrote_recently(request) -> bool:
    """This browser wrote within the last REPLICA_PIN_SECONDS (its cookie says when)."""
    try:
        wrote = float(request.COOKIES.get(PIN_COOKIE, ""))
    except ValueError:
        return False
    return clock.now().timestamp() - wrote < pin_seconds()


def reading_from() -> str | None:
    """The alias the current request's reads go to when the router is asked (None: Django's choice)."""
    return _reads_from.get()


class ReplicaRouter:
    """DATABASE_ROUTERS entry: the replica for reads of a `@use_replica` view, the primary for all else."""

    def db_for_read(self, model, **hints):
        if _reads_from.get() == REPLICA and not connections[DEFAULT_DB_ALIAS].in_atomic_block:
            return REPLICA
        return None

    def db_for_write(self, model, **hints):
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1, obj2, **hints):
        return True  # one database, two copies

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db == DEFAULT_DB_ALIAS


class ReplicaMiddleware:
    """Sends a `@use_replica` view's reads to the replica unless this browser wrote a moment ago, and marks the
    browser of every unsafe request as having written. Does nothing without a replica."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not replica_configured():
            return self.get_response(request)
        request.reads_pinned = request.method not in SAFE_METHODS or wrote_recently(request)
        request.replica_token = None
        try:
            response = self.get_response(request)
        finally:
            if request.replica_token is not None:
                _reads_from.reset(request.replica_token)
        if request.method not in SAFE_METHODS:
            response.set_cookie(
                PIN_COOKIE,
                str(clock.now().timestamp()),
                max_age=max(1, math.ceil(pin_seconds())),
                secure=settings.SESSION_COOKIE_SECURE,
                httponly=True,
                samesite="Lax",
            )
        return response

    def process_view(self, request, view_func, view_args, view_kwargs):
        if getattr(view_func, "replica_reads", False) and not getattr(request, "reads_pinned", True):
            request.replica_token = _reads_from.set(REPLICA)
        return None
