"""A worker killed with SIGKILL in the middle of the daily reminders, and a sender killed in the middle of a
message: real `manage.py db_worker` processes (notifications/tests/workers.py), on SQLite (a file copy of the
test database) and on PostgreSQL (the test database itself). Every reminder and every message goes out
exactly once."""

import datetime as dt
import time
from collections import Counter

import pytest
from django.utils import timezone

from minsheng.cases import services
from minsheng.cases.models import Assignment, Case, ReminderLog
from minsheng.common.models import JobRun
from minsheng.notifications.models import Notification, OutboundMessage
from minsheng.notifications.tests.crash_settings import MINSHENG as CRASH
from minsheng.notifications.tests.workers import Workers

pytestmark = [pytest.mark.crash, pytest.mark.django_db(transaction=True)]

LEASE = CRASH["TASK_LEASE_SECONDS"]


@pytest.fixture
def overdue_assignments(
    deputy_user,
    station,
    station_staff,
    haiyan_staff,
    haiyan_government,
    civil_affairs,
    education_bureau,
    haiyan_handler,
    civil_affairs_handler,
    education_handler,
    beneficiary_data,
):
    """Three cases, each assigned to three units, all overdue yesterday: nine reminders today, each with an
    SMS (and an e-mail where the handler has an address)."""
    for n, handler in enumerate([haiyan_handler, civil_affairs_handler, education_handler]):
        handler.mobile = f"1390000010{n}"
        handler.save()
    from minsheng.common.idcard import with_check_digit

    for n in range(3):
        beneficiary = {
            **beneficiary_data,
            "id_number": with_check_digit(f"4407811948050612{n + 3}"),
            "address": f"台山市海宴镇五丰村{n + 4}巷8号",
        }
        case = services.case_create(
            actor=deputy_user,
            kind=Case.Kind.WISH,
            title=f"为独居老人购置轮椅{n}",
            content="行动不便。",
            congress=haiyan_staff.congress,
            lead_deputy=deputy_user.deputy,
            place=station.place,
            station=station,
            category=Case.Category.MATERIAL,
            amount=450,
            beneficiary=beneficiary,
        )
        services.case_verify(
            actor=station_staff,
            case_id=case.pk,
            visited_on=dt.date.today(),
            visitors="工作人员",
            findings="属实。",
            confirmed=True,
        )
        services.case_file(actor=deputy_user, case_id=case.pk)
        services.case_accept(actor=haiyan_staff, case_id=case.pk)
        services.case_assign(
            actor=haiyan_staff, case_id=case.pk, split=[haiyan_government, civil_affairs, education_bureau]
        )
    Assignment.objects.update(answer_due=dt.date.today() - dt.timedelta(days=1))
    assert Assignment.objects.count() == 9
    return OutboundMessage.objects.order_by("-id").values_list("id", flat=True).first() or 0


def test_reminders_killed_half_way_are_finished_by_another_worker_each_sent_exactly_once(
    overdue_assignments, tmp_path
):
    before = overdue_assignments  # outbox rows of the assignments' own notices
    with Workers(tmp_path) as w:
        first = w.worker(step_sleep=0.5)
        w.scheduler()  # the day's reminders job, enqueued
        steps = w.wait_for_steps(3, first)
        w.kill(first)  # kill -9 in the middle of the run
        second = w.worker()
        time.sleep(LEASE + 0.5)
        w.wait_idle(w.scheduler(), second)  # the dead-task sweep puts the job back; the second worker runs it
    sent_by_first = len(steps)
    assert 3 <= sent_by_first < 9
    assert ReminderLog.objects.count() == 9
    reminders = Notification.objects.filter(text__contains="overdue") | Notification.objects.filter(
        text__contains="逾期"
    )
    assert Counter(reminders.values_list("user_id", "text")).most_common(1)[0][1] == 1
    assert reminders.count() == 9
    messages = OutboundMessage.objects.filter(id__gt=before)
    assert messages.filter(channel="sms").count() == 9 and messages.count() >= 9
    assert set(messages.values_list("status", flat=True)) == {OutboundMessage.Status.SENT}
    delivered = Counter(line["reference"] for line in w.lines(w.sent))
    assert set(delivered) == {
        str(r) for r in messages.filter(channel="sms").values_list("reference", flat=True)
    }
    assert max(delivered.values()) == 1  # no SMS twice
    run = JobRun.objects.get(name="minsheng.cases.tasks.send_reminders")
    assert run.status == JobRun.Status.SUCCEEDED and run.finished_at is not None


def test_a_sender_killed_while_the_gateway_answers_never_sends_a_message_twice(city_staff, tmp_path):
    now = timezone.now()
    OutboundMessage.objects.bulk_create(
        OutboundMessage(
            channel="sms", address=f"1390000020{n}", text=f"提醒{n}", user=city_staff, next_attempt_at=now
        )
        for n in range(5)
    )
    with Workers(tmp_path) as w:
        first = w.worker(MINSHENG_TEST_GATEWAY_SLEEP="1")
        w.scheduler()  # the outbox sweep enqueues a sender
        w.wait_for_sent(2, first)
        w.kill(first)  # the gateway took message 2; its answer never came back
        second = w.worker()
        time.sleep(LEASE + 0.5)
        w.wait_idle(w.scheduler(), second)  # the dead sender's message: unknown; its task: run again
    statuses = Counter(OutboundMessage.objects.values_list("status", flat=True))
    assert statuses == {OutboundMessage.Status.SENT: 4, OutboundMessage.Status.UNKNOWN: 1}
    delivered = Counter(line["reference"] for line in w.lines(w.sent))
    assert len(delivered) == 5 and max(delivered.values()) == 1  # each exactly once, the unknown one too
