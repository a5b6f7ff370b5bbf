"""The named cast every test can call on: the story's people, in Jiangmen.

Places and congresses of Jiangmen are loaded once per test database (see `django_db_setup`).
"""

import datetime as dt
import os

import pytest

from minsheng.common.testing import user_of  # noqa: F401 (a fixture: `user_of("city_staff")`)

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # Playwright's sync API inside pytest-django


def load_jiangmen():
    from minsheng.congresses.services import congresses_build
    from minsheng.places.models import Place
    from minsheng.places.services import places_load

    if not Place.objects.filter(code="440700").exists():
        places_load(region="4407")
        congresses_build(region="4407")


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        load_jiangmen()


def _flushes_the_database(request) -> bool:
    marker = request.node.get_closest_marker("django_db")
    return bool(
        {"transactional_db", "live_server"} & set(request.fixturenames)
        or (marker is not None and (marker.kwargs.get("transaction") or (marker.args and marker.args[0])))
    )


@pytest.fixture(autouse=True)
def _empty_cache():
    """Each test starts with an empty cache: a page cached by one test (keys hold ids and times, which repeat
    across tests under a frozen clock) is never served to another."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _working_day_calendar(request, django_db_blocker):
    """Each test reads the working-day calendar afresh; after a test that flushed the database the official
    schedules are loaded again (as the data migration loaded them)."""
    from minsheng.common import workdays

    workdays.invalidate()
    yield
    workdays.invalidate()
    if _flushes_the_database(request):
        with django_db_blocker.unblock():
            reseed_after_flush()


def reseed_after_flush() -> None:
    """What the data migrations put in every database, put back after a flush: the official working-day
    schedules and the built-in kinds of activity."""
    from minsheng.activities.kinds import ensure_builtin_kinds
    from minsheng.common import workdays

    workdays.seed_from_library()
    ensure_builtin_kinds()


@pytest.fixture
def jiangmen(db):
    """Jiangmen's places and congresses (reloaded if a transactional test flushed them)."""
    load_jiangmen()
    from minsheng.congresses.models import Congress

    return Congress.objects.get(region_prefix="4407")


# --- congresses and terms -------------------------------------------------------------------------------


@pytest.fixture
def city_congress(jiangmen):
    return jiangmen


@pytest.fixture
def taishan_congress(jiangmen):
    from minsheng.congresses.models import Congress

    return Congress.objects.get(place__code="440781")


@pytest.fixture
def kaiping_congress(jiangmen):
    from minsheng.congresses.models import Congress

    return Congress.objects.get(place__code="440783")


@pytest.fixture
def haiyan_congress(jiangmen):
    from minsheng.congresses.models import Congress

    return Congress.objects.get(place__name="海宴镇")


@pytest.fixture
def city_term(city_congress):
    from minsheng.congresses.tests.factories import TermFactory

    return TermFactory(
        congress=city_congress, number=16, start_date=dt.date(2022, 1, 1), end_date=dt.date(2026, 12, 31)
    )


@pytest.fixture
def taishan_term(taishan_congress):
    from minsheng.congresses.tests.factories import TermFactory

    return TermFactory(
        congress=taishan_congress, number=17, start_date=dt.date(2021, 10, 1), end_date=dt.date(2026, 9, 30)
    )


@pytest.fixture
def kaiping_term(kaiping_congress):
    from minsheng.congresses.tests.factories import TermFactory

    return TermFactory(
        congress=kaiping_congress, number=17, start_date=dt.date(2021, 10, 1), end_date=dt.date(2026, 9, 30)
    )


@pytest.fixture
def haiyan_term(haiyan_congress):
    from minsheng.congresses.tests.factories import TermFactory

    return TermFactory(
        congress=haiyan_congress, number=18, start_date=dt.date(2021, 10, 1), end_date=dt.date(2026, 9, 30)
    )


# --- deputies --------------------------------------------------------------------------------------------


@pytest.fixture
def town_deputy(haiyan_term):
    """陈海 — a deputy of 海宴镇's congress."""
    from minsheng.deputies.tests.factories import SeatFactory

    return SeatFactory(term=haiyan_term, deputy__name="陈海", delegation="五丰村代表小组").deputy


@pytest.fixture
def city_deputy(city_term, haiyan_term):
    """曾丽 — a city deputy who is also a deputy of 海宴镇 (seats at two levels)."""
    from minsheng.deputies.tests.factories import SeatFactory

    seat = SeatFactory(term=city_term, deputy__name="曾丽", deputy__gender="F", delegation="台山代表团")
    SeatFactory(deputy=seat.deputy, term=haiyan_term, delegation="海宴镇代表小组")
    return seat.deputy


@pytest.fixture
def county_deputy(taishan_term):
    """单国强 — a deputy of 台山市's congress."""
    from minsheng.deputies.tests.factories import SeatFactory

    return SeatFactory(term=taishan_term, deputy__name="单国强").deputy


@pytest.fixture
def kaiping_deputy(kaiping_term):
    """区文 — a deputy of 开平市's congress (another county: out of Taishan's scope)."""
    from minsheng.deputies.tests.factories import SeatFactory

    return SeatFactory(term=kaiping_term, deputy__name="区文").deputy


# --- people with accounts ---------------------------------------------------------------------------------


@pytest.fixture
def admin_user(db):
    from minsheng.accounts.models import User
    from minsheng.accounts.tests.factories import UserFactory

    return UserFactory(username="admin", role=User.Role.ADMIN, is_staff=True, is_superuser=True)


@pytest.fixture
def city_staff(city_congress):
    from minsheng.accounts.models import User
    from minsheng.accounts.tests.factories import UserFactory

    return UserFactory(
        username="city_staff", role=User.Role.CONGRESS_STAFF, congress=city_congress, mobile="13900000001"
    )


@pytest.fixture
def taishan_staff(taishan_congress):
    from minsheng.accounts.models import User
    from minsheng.accounts.tests.factories import UserFactory

    return UserFactory(username="taishan_staff", role=User.Role.CONGRESS_STAFF, congress=taishan_congress)


@pytest.fixture
def kaiping_staff(kaiping_congress):
    from minsheng.accounts.models import User
    from minsheng.accounts.tests.factories import UserFactory

    return UserFactory(username="kaiping_staff", role=User.Role.CONGRESS_STAFF, congress=kaiping_congress)


@pytest.fixture
def deputy_user(town_deputy):
    from minsheng.accounts.models import User
    from minsheng.accounts.tests.factories import UserFactory

    return UserFactory(username="deputy_chen", role=User.Role.DEPUTY, deputy=town_deputy)


@pytest.fixture
def station(haiyan_congress, town_deputy):
    from minsheng.stations.models import StationDeputy
    from minsheng.stations.tests.factories import StationFactory

    station = StationFactory(
        name="海宴镇人大代表联络站", congress=haiyan_congress, place=haiyan_congress.place
    )
    StationDeputy.objects.create(station=station, deputy=town_deputy)
    return station


@pytest.fixture
def station_staff(station):
    from minsheng.accounts.models import User
    from minsheng.accounts.tests.factories import UserFactory

    return UserFactory(username="station_staff", role=User.Role.STATION_STAFF, station=station)


@pytest.fixture
def civil_affairs(city_congress):
    from minsheng.units.tests.factories import UnitFactory

    return UnitFactory(name="江门市民政局", short_name="市民政局")


@pytest.fixture
def education_bureau(city_congress):
    from minsheng.units.tests.factories import UnitFactory

    return UnitFactory(name="江门市教育局", short_name="市教育局")


@pytest.fixture
def civil_affairs_handler(civil_affairs):
    from minsheng.accounts.models import User
    from minsheng.accounts.tests.factories import UserFactory

    return UserFactory(username="minzheng", role=User.Role.UNIT_HANDLER, unit=civil_affairs)


@pytest.fixture
def education_handler(education_bureau):
    from minsheng.accounts.models import User
    from minsheng.accounts.tests.factories import UserFactory

    return UserFactory(username="jiaoyu", role=User.Role.UNIT_HANDLER, unit=education_bureau)


@pytest.fixture
def donor(db):
    """A verified donor company."""
    from minsheng.accounts.models import DonorProfile
    from minsheng.accounts.tests.factories import DonorProfileFactory

    return DonorProfileFactory(user__username="donor", status=DonorProfile.Status.VERIFIED).user


@pytest.fixture
def pending_donor(db):
    from minsheng.accounts.tests.factories import DonorProfileFactory

    return DonorProfileFactory(user__username="pending_donor").user


@pytest.fixture
def anonymous(client):
    """A visitor without an account."""
    return client


@pytest.fixture
def user_for(request):
    """`user_for("city_staff")` → that fixture's user; `user_for("anonymous")` → None (permission matrices)."""

    def get(role: str):
        return None if role == "anonymous" else request.getfixturevalue(role)

    return get
