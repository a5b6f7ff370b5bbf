"""What the tests of actions.py ask of pages, the API and the services: the page's offer (the `data-action`
controls of the pages a role opens), the API's `available_actions`, and the service's acceptance (called
inside a savepoint that is always rolled back, so every action of a state is tried on the same state)."""

import re

from django.contrib.auth.models import AnonymousUser
from django.db import transaction
from rest_framework.test import APIClient

from minsheng.common.errors import DomainError, PermissionDenied

ACTION = re.compile(r'data-action="(?P<name>[a-z_]+)"(?: data-choice="(?P<choice>\d+)")?')


def page_offers(client, user, urls) -> dict[str, set[int]]:
    """{action name: the ids its controls carry (data-choice)} over the pages that answer 200."""
    client.logout()
    if user is not None:
        client.force_login(user)
    found: dict[str, set[int]] = {}
    for url in urls:
        response = client.get(url)
        if response.status_code != 200:
            continue
        for m in ACTION.finditer(response.content.decode()):
            ids = found.setdefault(m["name"], set())
            if m["choice"]:
                ids.add(int(m["choice"]))
    return found


def api_actions(user, url) -> dict[str, dict]:
    """{name: choices} of the `available_actions` of one object (nothing if the API does not show it)."""
    api = APIClient()
    if user is not None:
        api.force_authenticate(user)
    response = api.get(url)
    if response.status_code != 200:
        assert response.status_code in (401, 403, 404), (url, response.status_code)
        return {}
    return {a["name"]: a["choices"] for a in response.json()["available_actions"]}


class _Rollback(Exception):
    pass


def accepts(call) -> bool:
    """Whether the service does it: run it in a savepoint, then roll everything back either way."""
    try:
        with transaction.atomic():
            call()
            raise _Rollback
    except _Rollback:
        return True
    except (DomainError, PermissionDenied):
        return False


def actor(user):
    return AnonymousUser() if user is None else user
