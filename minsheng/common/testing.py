"""Helpers for tests: permission matrices read as tables."""


def status_for(client, user, method: str, url: str, data=None, **extra) -> int:
    """Sign in as `user` (None: anonymous) and return the HTTP status of one request."""
    client.logout()
    if user is not None:
        client.force_login(user)
    response = getattr(client, method.lower())(url, data=data or {}, **extra)
    return response.status_code


def matrix(roles: list[str], **expected) -> list[tuple[str, object]]:
    """A permission matrix as pytest parameters: `matrix(ROLES, anonymous=403, city_staff=200, ...)` →
    [(role, expected), ...] in the order of `roles`. Every role must be given, and no other: a role added
    to the cast or left out of a row is an error, not a silently skipped case."""
    missing, extra = set(roles) - set(expected), set(expected) - set(roles)
    if missing or extra:
        raise ValueError(f"permission matrix: missing {sorted(missing)}, unknown {sorted(extra)}")
    return [(role, expected[role]) for role in roles]
