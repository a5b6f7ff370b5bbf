"""Fixtures of the deputies tests (the named cast lives in the root conftest.py)."""

import pytest

from minsheng.common.testing import CAST_ROLES as ROLES  # noqa: F401 (stations' tests take it from here)


@pytest.fixture
def make_deputies(db):
    """`make_deputies(n, term)`: n more deputies, each with a seat in `term`."""
    from .factories import SeatFactory

    def make(n: int, term):
        return [SeatFactory(term=term).deputy for _ in range(n)]

    return make


@pytest.fixture
def api(client):
    """The Django test client with JSON helpers for the API."""

    class Api:
        def login(self, user):
            client.logout()
            if user is not None:
                client.force_login(user)
            return self

        def get(self, url, **params):
            return client.get(url, params)

        def post(self, url, data=None):
            return client.post(url, data or {}, content_type="application/json")

        def patch(self, url, data=None):
            return client.patch(url, data or {}, content_type="application/json")

    return Api()
