import datetime as dt
from decimal import Decimal

import pytest

from minsheng.cases import services
from minsheng.cases.models import Case

from . import factories
from .factories import BENEFICIARY, WishFactory  # noqa: F401 (BENEFICIARY: other tests take it from here)


@pytest.fixture
def beneficiary_data():
    return factories.beneficiary_data()


@pytest.fixture
def wish(deputy_user, haiyan_congress, station, beneficiary_data):
    """A draft wish recorded by 陈海 (town deputy of 海宴镇) at the 海宴镇 station."""
    return WishFactory(
        actor=deputy_user, congress=haiyan_congress, station=station, beneficiary=beneficiary_data
    )


@pytest.fixture
def haiyan_staff(haiyan_congress):
    from minsheng.accounts.models import User
    from minsheng.accounts.tests.factories import UserFactory

    return UserFactory(username="haiyan_staff", role=User.Role.CONGRESS_STAFF, congress=haiyan_congress)


@pytest.fixture
def haiyan_government(haiyan_congress):
    from minsheng.units.models import Unit
    from minsheng.units.tests.factories import UnitFactory

    return UnitFactory(
        name="海宴镇人民政府",
        kind=Unit.Kind.GOVERNMENT,
        level=Unit.Level.TOWNSHIP,
        place=haiyan_congress.place,
        congress=haiyan_congress,
    )


@pytest.fixture
def haiyan_handler(haiyan_government):
    from minsheng.accounts.models import User
    from minsheng.accounts.tests.factories import UserFactory

    return UserFactory(
        username="haiyan_gov", role=User.Role.UNIT_HANDLER, unit=haiyan_government, email="gov@example.cn"
    )


@pytest.fixture
def filed_wish(wish, deputy_user, station_staff):
    services.case_verify(
        actor=station_staff,
        case_id=wish.pk,
        visited_on=dt.date.today(),
        visitors="联络站工作人员、陈海代表",
        findings="情况属实，老人独居，行动不便。",
        confirmed=True,
    )
    return services.case_file(actor=deputy_user, case_id=wish.pk)


@pytest.fixture
def assigned_wish(filed_wish, haiyan_staff, haiyan_government, civil_affairs):
    services.case_accept(actor=haiyan_staff, case_id=filed_wish.pk)
    return services.case_assign(actor=haiyan_staff, case_id=filed_wish.pk, lead=haiyan_government)


@pytest.fixture
def wall_wish_committed(
    transactional_db, deputy_user, haiyan_staff, station_staff, haiyan_government, beneficiary_data
):
    """A wish on the wall, committed (for tests with real concurrent transactions)."""
    from minsheng.stations.models import Station

    station = Station.objects.get(staff=station_staff)
    case = services.case_create(
        actor=deputy_user,
        kind=Case.Kind.WISH,
        title="为独居老人购置轮椅",
        content="黄阿婆行动不便",
        congress=haiyan_staff.congress,
        lead_deputy=deputy_user.deputy,
        place=station.place,
        station=station,
        category=Case.Category.MATERIAL,
        amount=Decimal("450"),
        beneficiary=beneficiary_data,
    )
    services.case_verify(
        actor=station_staff,
        case_id=case.pk,
        visited_on=dt.date.today(),
        visitors="站长",
        findings="属实",
        confirmed=True,
    )
    services.case_file(actor=deputy_user, case_id=case.pk)
    services.case_accept(actor=haiyan_staff, case_id=case.pk)
    services.case_assign(actor=haiyan_staff, case_id=case.pk, lead=haiyan_government)
    return services.wish_put_on_wall(
        actor=haiyan_staff, case_id=case.pk, public_summary="独居老人需要一台轮椅"
    )
