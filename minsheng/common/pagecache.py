"""Versioned caches (issue 13): public pages served from the cache, and short-lived figures of signed-in pages.

A *scope* is a name for what some pages show ("wall", "answers", "votes", "projects", "cases.queues"), with an
optional sub-key (a congress's id). Its *version* is one number in the cache; the services that change what a
scope shows call `bump(scope, key=...)` inside their transaction, and the version moves on COMMIT
(`transaction.on_commit`): a rolled-back write bumps nothing, and the page rendered after the commit is new.
A bump of a keyed scope also bumps the scope itself, so a page over every congress follows any congress's change.

- `public_page(scope)`: a view decorator. An anonymous GET/HEAD is answered from the cache when the entry stored
  for (path with query, language, htmx or not) carries the current version of the day; otherwise the view runs
  and its page is stored. Every anonymous answer has `Cache-Control: public, max-age=…`, a weak `ETag` made of
  the version and the key, `Last-Modified` (when the page was rendered; informative: only the ETag answers a
  conditional request, since two renders within one second share a Last-Modified), and `Vary: Accept-Language, Cookie,
  HX-Request`; `If-None-Match` gets a 304 without rendering. A signed-in user always gets
  the live page, marked private and not to be stored. A page that would carry a CSRF token, set a cookie,
  change the session or show a flash message is never stored (nor is anything but a 200).
- `versioned(scope, key, compute, seconds)`: a value kept at most `seconds` and recomputed once its scope's
  version moved (the navigation's counts, filter choices, per-congress figures).

Versions never expire; one evicted starts again from the clock in nanoseconds, so it cannot come back to a
number a stored page carries. Settings: MINSHENG["PUBLIC_PAGE_CACHE"] (on/off), ["PUBLIC_PAGE_MAX_AGE"] (the
max-age proxies and browsers may hold a page, seconds), ["PUBLIC_PAGE_SECONDS"] (how long an entry lives in
our cache at most: what changes without a bump, a place's name, is at most that late).
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable
from contextlib import suppress
from functools import wraps
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.utils.cache import add_never_cache_headers, get_conditional_response, patch_vary_headers
from django.utils.http import http_date
from django.utils.translation import get_language

from . import clock

PREFIX = "pagecache"
VARY = ("Accept-Language", "Cookie", "HX-Request")


def _setting(name: str, default):
    return settings.MINSHENG.get(name, default)


def _version_key(scope: str, key: object = None) -> str:
    return f"{PREFIX}:v:{scope}" if key in (None, "") else f"{PREFIX}:v:{scope}:{key}"


def _increment(names: list[str]) -> None:
    for name in names:
        try:
            cache.incr(name)
        except (
            ValueError
        ):  # not there (never bumped, or evicted): start from the clock, above every old number
            if not cache.add(name, time.time_ns(), timeout=None):
                with suppress(ValueError):  # another process made it meanwhile: move it on
                    cache.incr(name)


def bump(scope: str, *, key: object = None, keys: tuple = (), now: bool = False) -> None:
    """A new version of `scope` (and of `scope:key`, of each of `keys`) when the current transaction commits
    (at once outside one). Call it from the service that changes what the scope's pages show. `now=True` moves
    it at once as well (for signals on reference data: a test's or a command's own next read sees it too)."""
    names = [_version_key(scope)]
    names += [_version_key(scope, k) for k in (key, *keys) if k not in (None, "")]
    if now:
        _increment(names)
    transaction.on_commit(lambda: _increment(names))


def version_of(scope: str, key: object = None) -> int:
    """The current version of a scope (made when first asked)."""
    name = _version_key(scope, key)
    version = cache.get(name)
    if version is None:
        cache.add(name, time.time_ns(), timeout=None)
        version = cache.get(name) or 0
    return int(version)


def versioned(
    scope: str, key: object, compute: Callable[[], Any], *, seconds: int = 60, part: str = ""
) -> Any:
    """`compute()`, kept at most `seconds`, computed again once `bump(scope, key=key)` (or `bump(scope)` for a
    value kept with key None) committed. `part` names the value when one scope keeps several."""
    name = _version_key(scope, key)
    value_key = f"{PREFIX}:val:{scope}:{key}:{part}"
    found = cache.get_many([name, value_key])
    version = found.get(name)
    if version is None:
        version = version_of(scope, key)
    held = found.get(value_key)
    if held is not None and held[0] == version:
        return held[1]
    value = compute()
    cache.set(value_key, (version, value), seconds)
    return value


# --- public pages -------------------------------------------------------------------------------------------


def _anonymous(request: HttpRequest) -> bool:
    user = getattr(request, "user", None)
    return user is None or not user.is_authenticated


def _has_messages(request: HttpRequest) -> bool:
    # len() reads the stored messages without marking them shown (a visitor without the messages cookie or a
    # session costs nothing)
    storage = getattr(request, "_messages", None)
    return storage is not None and len(storage) > 0


def _page_key(request: HttpRequest) -> str:
    htmx = "1" if request.headers.get("HX-Request") == "true" else "0"
    raw = f"{get_language()}|{htmx}|{request.get_full_path()}"
    return f"{PREFIX}:page:" + hashlib.sha256(raw.encode()).hexdigest()


def _etag(token: str, page_key: str) -> str:
    return 'W/"' + hashlib.sha256(f"{token}|{page_key}".encode()).hexdigest()[:24] + '"'


def _storable(request: HttpRequest, response: HttpResponse) -> bool:
    session = getattr(request, "session", None)
    return (
        response.status_code == 200
        and not response.streaming
        and not response.cookies
        and not request.META.get("CSRF_COOKIE_NEEDS_UPDATE")  # the page holds a CSRF token: never shared
        and not (session is not None and session.modified)
        and not _has_messages(request)
        and "private" not in response.get("Cache-Control", "")
        and "no-store" not in response.get("Cache-Control", "")
    )


def _public_headers(response: HttpResponse, *, etag: str, rendered_at: float | None) -> HttpResponse:
    response["ETag"] = etag
    if rendered_at is not None:
        response["Last-Modified"] = http_date(rendered_at)
    response["Cache-Control"] = f"public, max-age={int(_setting('PUBLIC_PAGE_MAX_AGE', 30))}"
    patch_vary_headers(response, VARY)
    return response


def public_page(*scopes: str, key_param: str | None = None):
    """Serve an anonymous page from the cache while the versions of `scopes` (what the page shows) stand.
    `key_param`: a query parameter whose value (a congress's id) selects the keyed versions `scope:value`, so
    that a page filtered to one congress keeps its entry while other congresses change."""

    def decorator(view):
        @wraps(view)
        def wrapper(request: HttpRequest, *args, **kwargs):
            if not _setting("PUBLIC_PAGE_CACHE", True) or request.method not in ("GET", "HEAD"):
                return view(request, *args, **kwargs)
            if not _anonymous(request):
                response = view(request, *args, **kwargs)
                add_never_cache_headers(response)  # a signed-in page is the user's own: no proxy keeps it
                patch_vary_headers(response, VARY)
                return response
            if _has_messages(request):  # a flash message is this visitor's own
                return view(request, *args, **kwargs)

            key = request.GET.get(key_param, "") if key_param else ""
            key = key if key.isdigit() else None
            names = [_version_key(scope, key) for scope in scopes]
            page_key = _page_key(request)
            found = cache.get_many([*names, page_key])
            versions = [
                found[name] if found.get(name) is not None else version_of(scope, key)
                for name, scope in zip(names, scopes, strict=True)
            ]
            token = ".".join(str(v) for v in versions) + ":" + clock.today().isoformat()
            etag = _etag(token, page_key)

            not_modified = get_conditional_response(request, etag=etag)
            if not_modified is not None and not_modified.status_code == 304:
                return _public_headers(not_modified, etag=etag, rendered_at=None)

            entry = found.get(page_key)
            if entry is not None and entry["token"] == token:
                response = HttpResponse(entry["content"], content_type=entry["content_type"])
                response["X-Page-Cache"] = "hit"
                rendered_at = entry["rendered_at"]
            else:
                response = view(request, *args, **kwargs)
                if hasattr(response, "render") and callable(response.render):
                    response = response.render()
                if not _storable(request, response):
                    return response
                rendered_at = time.time()
                cache.set(
                    page_key,
                    {
                        "token": token,
                        "content": response.content,
                        "content_type": response["Content-Type"],
                        "rendered_at": rendered_at,
                    },
                    int(_setting("PUBLIC_PAGE_SECONDS", 600)),
                )
                response["X-Page-Cache"] = "miss"
            _public_headers(response, etag=etag, rendered_at=rendered_at)
            # the ETag decides (Last-Modified has whole seconds: two renders in one second would look alike)
            return get_conditional_response(request, etag=etag, response=response)

        return wrapper

    return decorator
