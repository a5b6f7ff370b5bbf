"""Fixtures of the activity tests: 台山市's staff organise; 陈海 (海宴镇, a town below 台山) is eligible; 区文
(开平市) is not. Import them by name (`from .activity_fixtures import *`)."""

import datetime as dt

import pytest
import time_machine

from minsheng.activities.kinds import builtin_kind
from minsheng.activities.models import ActivityKind


def frozen(when: dt.datetime):
    """Freeze the clock at a local time (Asia/Shanghai)."""
    from django.utils import timezone

    aware = timezone.make_aware(when) if timezone.is_naive(when) else when
    return time_machine.travel(aware, tick=False)


def kind(code: str) -> ActivityKind:
    return builtin_kind(code)


@pytest.fixture
def kaiping_user(kaiping_deputy):
    from minsheng.accounts.models import User
    from minsheng.accounts.tests.factories import UserFactory

    return UserFactory(username="deputy_ou", role=User.Role.DEPUTY, deputy=kaiping_deputy)


@pytest.fixture
def county_user(county_deputy):
    from minsheng.accounts.models import User
    from minsheng.accounts.tests.factories import UserFactory

    return UserFactory(username="deputy_shan", role=User.Role.DEPUTY, deputy=county_deputy)


@pytest.fixture
def make_activity(taishan_staff, taishan_congress):
    """`make_activity(starts_at=..., hours=2, **overrides)`: an activity of 台山市's congress planned by its staff."""
    from minsheng.activities import activity_services as services

    def make(*, starts_at: dt.datetime, hours: float = 2, **overrides):
        from django.utils import timezone

        if timezone.is_naive(starts_at):
            starts_at = timezone.make_aware(starts_at)
        data = {
            "actor": taishan_staff,
            "kind": kind(ActivityKind.Code.RESEARCH),
            "title": "江门市居家社区养老服务",
            "congress": taishan_congress,
            "place": taishan_congress.place,
            "location": "台城街道长者饭堂",
            "starts_at": starts_at,
            "ends_at": starts_at + dt.timedelta(hours=hours),
        }
        data.update(overrides)
        return services.activity_create(**data)

    return make
