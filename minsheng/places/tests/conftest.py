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
