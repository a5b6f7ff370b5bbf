"""Issue 12: the day before an activity its invited and signed-up deputies are reminded, once, however often
the daily job runs; those on leave and cancelled activities are not."""

import datetime as dt

import pytest

from minsheng.activities import activity_services as services
from minsheng.activities.activity_reminders import activity_reminders_send
from minsheng.activities.models import Participation
from minsheng.notifications.tests.deliveries import delivered_to, sms_recorder  # noqa: F401

from .activity_fixtures import *  # noqa: F403

pytestmark = pytest.mark.usefixtures("sms_recorder")


def test_tomorrows_activity_reminds_its_deputies_once_on_every_channel(
    make_activity,
    taishan_staff,
    deputy_user,
    county_user,
):
    deputy_user.email, deputy_user.mobile = "chenhai@example.cn", "13800000031"
    deputy_user.save(update_fields=["email", "mobile"])
    with frozen(dt.datetime(2026, 5, 11, 9, 0)):  # noqa: F405
        activity = make_activity(starts_at=dt.datetime(2026, 5, 12, 14, 30))
        later = make_activity(starts_at=dt.datetime(2026, 5, 14, 9, 0), title="另一次调研")
        services.activity_invite(
            actor=taishan_staff, activity_id=activity.pk, deputies=[deputy_user.deputy, county_user.deputy]
        )
        services.activity_invite(actor=taishan_staff, activity_id=later.pk, deputies=[deputy_user.deputy])
        Participation.objects.filter(activity=activity, deputy=county_user.deputy).update(
            status=Participation.Status.LEAVE, leave_reason="出差"
        )
        assert activity_reminders_send() == 1
        assert activity_reminders_send() == 0  # a second run of the day: nobody twice
    got = delivered_to(deputy_user)
    assert len(got.notes) == 1 and "14:30" in got.notes[0] and activity.title in got.notes[0]
    assert got.links == [f"/activities/{activity.pk}/"]
    assert len(got.emails) == 1 and len(got.sms) == 1 and "明天" in got.sms[0]
    assert delivered_to(county_user).notes == []  # on leave


def test_a_cancelled_activity_reminds_no_one(make_activity, taishan_staff, deputy_user):
    with frozen(dt.datetime(2026, 5, 11, 9, 0)):  # noqa: F405
        activity = make_activity(starts_at=dt.datetime(2026, 5, 12, 14, 30))
        services.activity_invite(actor=taishan_staff, activity_id=activity.pk, deputies=[deputy_user.deputy])
        services.activity_cancel(actor=taishan_staff, activity_id=activity.pk, reason="台风")
        assert activity_reminders_send() == 0
    assert delivered_to(deputy_user).notes == []
