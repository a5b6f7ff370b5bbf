"""Helpers for tests: permission matrices read as tables."""


def status_for(client, user, method: str, url: str, data=None, **extra) -> int:
    """Sign in as `user` (None: anonymous) and return the HTTP status of one request."""
    client.logout()
    if user is not None:
        client.force_login(user)
    response = getattr(client, method.lower())(url, data=data or {}, **extra)
    return response.status_code
