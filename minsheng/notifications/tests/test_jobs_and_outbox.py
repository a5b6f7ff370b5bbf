"""Jobs that survive a crash, in one process: the outbox, the dead-task sweep, the periodic jobs' runs.
The same with real worker processes killed by SIGKILL: test_crash.py."""

import datetime as dt
import uuid

import pytest
from django.db import connection, transaction
from django.utils import timezone
from django_tasks_db.models import DBTaskResult, get_date_max

from minsheng.common import jobs
from minsheng.common.management.commands.scheduler import run_sweeps
from minsheng.common.models import JobRun, TaskHeartbeat
from minsheng.notifications import outbox
from minsheng.notifications.models import Notification, OutboundMessage
from minsheng.notifications.services import notify

from .gateways import IdempotentRecordingGateway, RecordingGateway

Status = OutboundMessage.Status
pytestmark = pytest.mark.django_db


@pytest.fixture
def city_staff(city_staff):
    city_staff.email = "staff@example.cn"
    city_staff.save(update_fields=["email"])
    return city_staff


@pytest.fixture
def gateway(settings):
    settings.SMS_GATEWAY = "minsheng.notifications.tests.gateways.RecordingGateway"
    RecordingGateway.sent = []
    RecordingGateway.fail_next = []
    return RecordingGateway


# --- the outbox ---------------------------------------------------------------------------------------------


def test_a_notification_and_its_messages_are_written_in_one_transaction(city_staff, gateway):
    with pytest.raises(RuntimeError), transaction.atomic():
        notify([city_staff], text="提醒", sms=True)
        assert OutboundMessage.objects.count() == 2
        raise RuntimeError("the caller's transaction rolls back")
    assert not Notification.objects.exists() and not OutboundMessage.objects.exists()

    note = notify([city_staff], text="提醒", link="/cases/", sms=True)[0]
    messages = {m.channel: m for m in OutboundMessage.objects.all()}
    assert set(messages) == {"sms", "email"}
    assert messages["sms"].notification == note and messages["sms"].address == "13900000001"
    assert messages["sms"].status == Status.PENDING and gateway.sent == []  # nothing leaves before commit


def test_the_mobile_waits_in_the_outbox_encrypted(city_staff, gateway):
    notify([city_staff], text="提醒", sms=True, email=False)
    with connection.cursor() as cursor:
        cursor.execute("SELECT address FROM notifications_outboundmessage")
        (stored,) = cursor.fetchone()
    assert "13900000001" not in stored and stored.startswith("gAAAA")  # a Fernet token


def test_the_sender_delivers_each_message_once_and_records_the_gateways_answer(
    city_staff, gateway, django_capture_on_commit_callbacks, mailoutbox
):
    with django_capture_on_commit_callbacks(execute=True):
        notify([city_staff], text="案件即将到期", link="/cases/1/", sms=True)
    assert [s["mobile"] for s in gateway.sent] == ["13900000001"]
    assert len(mailoutbox) == 1 and "/cases/1/" in mailoutbox[0].body
    sms = OutboundMessage.objects.get(channel="sms")
    assert (sms.status, sms.attempts, sms.gateway_answer) == (Status.SENT, 1, "msg-1")
    assert gateway.sent[0]["reference"] == str(sms.reference) and sms.sent_at is not None
    assert outbox.outbox_deliver() == {"sent": 0, "retry": 0, "failed": 0}
    assert len(gateway.sent) == 1 and len(mailoutbox) == 1


def test_a_gateway_that_is_down_is_tried_again_later_with_a_growing_wait_then_given_up(
    city_staff, gateway, settings
):
    settings.MINSHENG = {**settings.MINSHENG, "OUTBOX_MAX_ATTEMPTS": 3, "OUTBOX_RETRY_SECONDS": 60}
    notify([city_staff], text="提醒", sms=True, email=False)
    gateway.fail_next = [TimeoutError("carrier timed out")] * 3
    assert outbox.outbox_deliver() == {"sent": 0, "retry": 1, "failed": 0}
    message = OutboundMessage.objects.get()
    assert message.status == Status.PENDING and message.attempts == 1 and "timed out" in message.last_error
    assert 55 <= (message.next_attempt_at - timezone.now()).total_seconds() <= 60
    assert outbox.outbox_deliver() == {"sent": 0, "retry": 0, "failed": 0}  # not due yet
    OutboundMessage.objects.update(next_attempt_at=timezone.now())
    outbox.outbox_deliver()
    message.refresh_from_db()
    assert message.attempts == 2 and 115 <= (message.next_attempt_at - timezone.now()).total_seconds() <= 120
    OutboundMessage.objects.update(next_attempt_at=timezone.now())
    assert outbox.outbox_deliver() == {"sent": 0, "retry": 0, "failed": 1}
    message.refresh_from_db()
    assert message.status == Status.FAILED and message.attempts == 3 and gateway.sent == []


def test_a_message_the_gateway_refuses_for_good_is_not_tried_again(city_staff, gateway):
    from minsheng.notifications.sms import GatewayRefused

    notify([city_staff], text="提醒", sms=True, email=False)
    gateway.fail_next = [GatewayRefused("invalid number")]
    assert outbox.outbox_deliver()["failed"] == 1
    assert OutboundMessage.objects.get().status == Status.FAILED


def _stuck_in_sending(user) -> OutboundMessage:
    """A message whose sender died after claiming it: `sending`, its lease run out."""
    notify([user], text="提醒", sms=True, email=False)
    message = OutboundMessage.objects.get()
    OutboundMessage.objects.filter(pk=message.pk).update(
        status=Status.SENDING, attempts=1, lease_until=timezone.now() - dt.timedelta(seconds=1)
    )
    return message


def test_a_message_whose_sender_died_is_not_sent_again_by_a_gateway_that_cannot_drop_duplicates(
    city_staff, gateway
):
    message = _stuck_in_sending(city_staff)
    assert outbox.outbox_recover() == {"requeued": 0, "unknown": 1}
    message.refresh_from_db()
    assert message.status == Status.UNKNOWN and "not sent again" in message.last_error
    assert outbox.outbox_deliver()["sent"] == 0 and gateway.sent == []


def test_a_message_whose_sender_died_is_sent_again_with_its_reference_by_an_idempotent_gateway(
    city_staff, settings
):
    settings.SMS_GATEWAY = "minsheng.notifications.tests.gateways.IdempotentRecordingGateway"
    IdempotentRecordingGateway.sent, IdempotentRecordingGateway.fail_next = [], []
    message = _stuck_in_sending(city_staff)
    assert outbox.outbox_recover() == {"requeued": 1, "unknown": 0}
    assert outbox.outbox_deliver()["sent"] == 1
    assert [s["reference"] for s in IdempotentRecordingGateway.sent] == [str(message.reference)]
    message.refresh_from_db()
    assert message.status == Status.SENT and message.attempts == 2


def test_a_message_still_within_its_lease_is_left_to_its_sender(city_staff, gateway):
    message = _stuck_in_sending(city_staff)
    OutboundMessage.objects.filter(pk=message.pk).update(lease_until=timezone.now() + dt.timedelta(minutes=1))
    assert outbox.outbox_recover() == {"requeued": 0, "unknown": 0}
    assert outbox.outbox_deliver()["sent"] == 0


def test_a_late_answer_from_a_sender_whose_message_was_swept_changes_nothing(city_staff, gateway):
    message = _stuck_in_sending(city_staff)
    outbox.outbox_recover()
    message.status, message.attempts = Status.SENDING, 1
    assert outbox._finish(message, status=Status.SENT) is False
    assert OutboundMessage.objects.get().status == Status.UNKNOWN


# --- the dead-task sweep ------------------------------------------------------------------------------------


def _running_task(
    *, started_minutes_ago: float, workers: list[str], path="minsheng.cases.tasks.send_reminders"
):
    return DBTaskResult.objects.create(
        id=uuid.uuid4(),
        status="RUNNING",
        started_at=timezone.now() - dt.timedelta(minutes=started_minutes_ago),
        worker_ids=workers,
        args_kwargs={"args": [], "kwargs": {}},
        task_path=path,
        backend_name="default",
        run_after=get_date_max(),
    )


def test_a_running_task_whose_worker_stopped_beating_is_put_back_for_another_worker(settings):
    settings.MINSHENG = {**settings.MINSHENG, "TASK_LEASE_SECONDS": 60}
    dead = _running_task(started_minutes_ago=10, workers=["w1"])
    TaskHeartbeat.objects.create(
        task_id=str(dead.id), worker_id="w1", beat_at=timezone.now() - dt.timedelta(minutes=2)
    )
    alive = _running_task(started_minutes_ago=10, workers=["w2"])
    TaskHeartbeat.objects.create(task_id=str(alive.id), worker_id="w2", beat_at=timezone.now())
    young = _running_task(started_minutes_ago=0.5, workers=["w3"])  # no heartbeat yet, within its lease
    assert jobs.tasks_recover() == {"requeued": 1, "failed": 0}
    dead.refresh_from_db()
    assert dead.status == "READY" and dead.started_at is None
    assert DBTaskResult.objects.ready().filter(pk=dead.pk).exists()  # a worker will claim it
    assert not TaskHeartbeat.objects.filter(task_id=str(dead.id)).exists()
    assert {r.status for r in DBTaskResult.objects.filter(pk__in=[alive.pk, young.pk])} == {"RUNNING"}
    assert jobs.tasks_recover() == {"requeued": 0, "failed": 0}


def test_a_task_that_lost_its_worker_too_often_is_failed_and_its_days_run_marked_failed(settings):
    settings.MINSHENG = {**settings.MINSHENG, "TASK_LEASE_SECONDS": 60, "TASK_MAX_ATTEMPTS": 3}
    task = _running_task(started_minutes_ago=10, workers=["w1", "w2", "w3"])
    from minsheng.common import clock

    run = JobRun.objects.create(name=task.task_path, day=clock.today(), task_id=str(task.id))
    assert jobs.tasks_recover() == {"requeued": 0, "failed": 1}
    task.refresh_from_db()
    assert task.status == "FAILED" and task.exception_class_path == jobs.WORKER_LOST
    run.refresh_from_db()
    assert run.status == JobRun.Status.FAILED


def test_the_heartbeat_is_written_when_a_database_task_starts_and_removed_when_it_ends(settings):
    settings.MINSHENG = {
        **settings.MINSHENG,
        "TASK_HEARTBEAT_SECONDS": 30,
    }  # the thread's beats: test_crash.py
    row = _running_task(started_minutes_ago=0, workers=["w9"])
    result = row.task_result
    jobs.on_task_started(None, task_result=result)
    beat = TaskHeartbeat.objects.get(task_id=str(row.id))
    assert beat.worker_id == "w9"
    jobs.on_task_finished(None, task_result=result)
    assert not TaskHeartbeat.objects.exists()


# --- the periodic jobs' runs --------------------------------------------------------------------------------


def _todays_run(task_status: str | None, *, attempts=1, minutes_ago=10, slot="") -> JobRun:
    from minsheng.common import clock

    task_id = ""
    if task_status:
        task = _running_task(
            started_minutes_ago=minutes_ago, workers=["w1"], path="minsheng.cases.tasks.send_reminders"
        )
        DBTaskResult.objects.filter(pk=task.pk).update(status=task_status)
        task_id = str(task.id)
    run = JobRun.objects.create(
        name=f"minsheng.cases.tasks.send_reminders{slot}",
        day=clock.today(),
        task_id=task_id,
        attempts=attempts,
    )
    JobRun.objects.filter(pk=run.pk).update(enqueued_at=timezone.now() - dt.timedelta(minutes=minutes_ago))
    return run


def test_a_days_job_whose_task_failed_is_enqueued_again_and_finishes(django_capture_on_commit_callbacks):
    run = _todays_run("FAILED")
    with django_capture_on_commit_callbacks(execute=True):
        assert jobs.job_runs_recover() == 1
    run.refresh_from_db()
    assert run.attempts == 2 and run.status == JobRun.Status.SUCCEEDED and run.task_id  # it ran (immediately)
    assert jobs.job_runs_recover() == 0


def test_a_days_job_that_the_scheduler_never_enqueued_is_enqueued(django_capture_on_commit_callbacks):
    run = _todays_run(None)
    with django_capture_on_commit_callbacks(execute=True):
        assert jobs.job_runs_recover() == 1
    run.refresh_from_db()
    assert run.status == JobRun.Status.SUCCEEDED


def test_a_days_job_waiting_or_running_or_failed_too_often_is_left_alone(settings):
    settings.MINSHENG = {**settings.MINSHENG, "JOB_MAX_ATTEMPTS": 3}
    waiting, running = _todays_run("READY"), _todays_run("RUNNING", slot="@08:00")
    worn_out = _todays_run("FAILED", attempts=3, slot="@09:00")
    assert jobs.job_runs_recover() == 0
    worn_out.refresh_from_db()
    assert worn_out.status == JobRun.Status.FAILED and worn_out.finished_at is not None
    assert {r.status for r in JobRun.objects.filter(pk__in=[waiting.pk, running.pk])} == {
        JobRun.Status.ENQUEUED
    }


def test_a_succeeded_task_marks_its_days_run_succeeded():
    run = _todays_run("SUCCESSFUL")
    assert jobs.job_runs_recover() == 0
    run.refresh_from_db()
    assert run.status == JobRun.Status.SUCCEEDED


# --- the scheduler runs the sweeps ----------------------------------------------------------------------------


def test_every_scheduler_tick_runs_the_dead_task_outbox_and_stale_import_sweeps(settings):
    assert settings.MINSHENG["SCHEDULER_SWEEPS"] == [
        "minsheng.common.jobs.tasks_recover",
        "minsheng.common.jobs.job_runs_recover",
        "minsheng.notifications.outbox.outbox_sweep",
        "minsheng.imports.services.import_sweep_stale",
    ]
    done = run_sweeps()
    assert set(done) == set(settings.MINSHENG["SCHEDULER_SWEEPS"]) and None not in done.values()


def test_the_outbox_sweep_sends_what_is_due(city_staff, gateway):
    notify([city_staff], text="提醒", sms=True, email=False)  # its on-commit sender never ran (a crash)
    outbox.outbox_sweep()
    assert OutboundMessage.objects.get().status == Status.SENT and len(gateway.sent) == 1


# --- jobs that tell people once -----------------------------------------------------------------------------


def test_a_notification_with_a_key_reaches_each_user_once_however_often_the_job_runs(
    city_staff, taishan_staff
):
    assert len(notify([city_staff], text="新交办", key="assignment:1", sms=True)) == 1
    assert len(notify([city_staff, taishan_staff], text="新交办", key="assignment:1", sms=True)) == 1
    assert Notification.objects.filter(key="assignment:1").count() == 2
    assert OutboundMessage.objects.filter(notification__key="assignment:1", channel="sms").count() == 1
    assert len(notify([city_staff], text="别的事")) == len(notify([city_staff], text="别的事")) == 1  # no key


def test_a_failed_run_of_another_backend_is_enqueued_again_too(django_capture_on_commit_callbacks):
    run = _todays_run(None)
    JobRun.objects.filter(pk=run.pk).update(
        task_id="NotAUuidOfTheImmediateBackend", status=JobRun.Status.FAILED
    )
    with django_capture_on_commit_callbacks(execute=True):
        assert jobs.job_runs_recover() == 1
    run.refresh_from_db()
    assert run.status == JobRun.Status.SUCCEEDED and run.attempts == 2
