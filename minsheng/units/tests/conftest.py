import pytest

ROLES = [
    "anonymous",
    "admin_user",
    "city_staff",
    "taishan_staff",
    "kaiping_staff",
    "deputy_user",
    "station_staff",
    "civil_affairs_handler",
    "donor",
]


@pytest.fixture
def user_of(request, jiangmen):
    """`user_of("taishan_staff")` → that fixture's user; `user_of("anonymous")` → None."""

    def get(role: str):
        return None if role == "anonymous" else request.getfixturevalue(role)

    return get


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
