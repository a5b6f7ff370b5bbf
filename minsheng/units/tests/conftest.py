"""Fixtures of the units tests (the cast and `user_of` live in the root conftest.py and common/testing.py)."""

import pytest


@pytest.fixture
def taishan_government(jiangmen):
    """台山市人民政府: a county unit, within Taishan staff's region."""
    from minsheng.places.models import Place

    from .factories import UnitFactory

    return UnitFactory(
        name="台山市人民政府", kind="government", level="county", place=Place.objects.get(code="440781")
    )


@pytest.fixture
def kaiping_government(jiangmen):
    from minsheng.places.models import Place

    from .factories import UnitFactory

    return UnitFactory(
        name="开平市人民政府", kind="government", level="county", place=Place.objects.get(code="440783")
    )
