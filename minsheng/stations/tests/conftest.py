"""Fixtures of the stations tests (the named cast lives in the root conftest.py)."""

import pytest

from minsheng.deputies.tests.conftest import ROLES, api  # noqa: F401 - shared fixtures

__all__ = ["ROLES"]


@pytest.fixture
def closed_station(haiyan_congress):
    from .factories import StationFactory

    return StationFactory(
        name="海宴镇沙栏代表联系点", kind="contact_point", congress=haiyan_congress, is_active=False
    )


@pytest.fixture
def kaiping_station(kaiping_congress):
    from .factories import StationFactory

    return StationFactory(
        name="开平市长沙街道代表联络站",
        place=kaiping_congress.place,
        congress=kaiping_congress,
        address="开平市长沙街道幕沙路1号",
    )
