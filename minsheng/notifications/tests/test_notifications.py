import datetime as dt

import pytest
import time_machine

from minsheng.common.management.commands.scheduler import run_due_jobs
from minsheng.common.models import JobRun
from minsheng.notifications.models import Notification
from minsheng.notifications.services import notify


def test_notifications_are_listed_only_to_their_owner_and_marked_read(client, city_staff, taishan_staff):
    note = notify([city_staff], text="测试提醒", link="/cases/")[0]
    client.force_login(taishan_staff)
    assert "测试提醒" not in client.get("/notifications/").content.decode()
    client.post(f"/notifications/{note.pk}/read/")
    assert Notification.objects.get(pk=note.pk).read_at is None
    client.force_login(city_staff)
    assert "测试提醒" in client.get("/notifications/").content.decode()
    response = client.post(f"/notifications/{note.pk}/read/")
    assert response.status_code == 302 and response["Location"] == "/cases/"
    assert Notification.objects.get(pk=note.pk).read_at is not None


def test_anonymous_visitors_are_sent_to_sign_in(client):
    assert client.get("/notifications/").status_code == 302


@pytest.mark.django_db
def test_the_scheduler_enqueues_each_daily_job_once_after_its_hour(
    settings, django_capture_on_commit_callbacks
):
    settings.MINSHENG = {**settings.MINSHENG, "PERIODIC_TASKS": [("minsheng.cases.tasks.send_reminders", 8)]}
    with time_machine.travel(dt.datetime(2026, 3, 2, 6, 0).astimezone(), tick=False):
        assert run_due_jobs() == []
    with time_machine.travel(dt.datetime(2026, 3, 2, 9, 0).astimezone(), tick=False):
        with django_capture_on_commit_callbacks(execute=True):
            assert run_due_jobs() == ["minsheng.cases.tasks.send_reminders"]
        assert run_due_jobs() == []
    assert JobRun.objects.count() == 1
