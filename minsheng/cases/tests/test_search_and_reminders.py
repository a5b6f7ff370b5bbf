import datetime as dt

import pytest

from minsheng.cases import services
from minsheng.cases.models import Assignment, Case, ReminderLog
from minsheng.cases.reminders import reminders_send
from minsheng.cases.search import filter_by_text
from minsheng.notifications.models import Notification

from .factories import CaseFactory


def test_chinese_full_text_search_finds_two_character_words(wish, deputy_user, haiyan_congress, station):
    other = CaseFactory(actor=deputy_user, congress=haiyan_congress, place=station.place)
    assert list(filter_by_text(Case.objects.all(), "路灯")) == [other]
    assert list(filter_by_text(Case.objects.all(), "轮椅")) == [wish]
    assert list(filter_by_text(Case.objects.all(), "安装 路灯")) == [other]
    assert not filter_by_text(Case.objects.all(), "冰箱").exists()
    services.case_update(
        actor=deputy_user, case_id=other.pk, title="五丰村路口增设护栏", content="建议安装护栏"
    )
    assert not filter_by_text(Case.objects.all(), "路灯").exists()


def test_reminders_go_out_seven_days_before_on_the_day_and_when_overdue_each_once(
    assigned_wish, haiyan_handler
):
    a = Assignment.objects.get(case=assigned_wish)
    due = a.answer_due
    assert reminders_send(today=due - dt.timedelta(days=7)) == 1
    assert reminders_send(today=due - dt.timedelta(days=7)) == 0  # a retried job sends nothing twice
    assert reminders_send(today=due) == 1
    assert reminders_send(today=due + dt.timedelta(days=3)) == 1
    assert reminders_send(today=due + dt.timedelta(days=4)) == 0
    assert set(ReminderLog.objects.values_list("kind", flat=True)) == {"due_soon", "due_today", "overdue"}
    assert Notification.objects.filter(user=haiyan_handler).count() == 3


def test_the_handlers_of_an_assigned_unit_are_told_once_the_assignment_commits(
    filed_wish,
    haiyan_staff,
    haiyan_government,
    haiyan_handler,
    django_capture_on_commit_callbacks,
    mailoutbox,
):
    services.case_accept(actor=haiyan_staff, case_id=filed_wish.pk)
    with django_capture_on_commit_callbacks(execute=True):
        services.case_assign(actor=haiyan_staff, case_id=filed_wish.pk, lead=haiyan_government)
    note = Notification.objects.get(user=haiyan_handler)
    assert filed_wish.number in note.text and note.link == f"/cases/{filed_wish.pk}/"
    assert len(mailoutbox) == 1 and mailoutbox[0].to == ["gov@example.cn"]
    from minsheng.cases.tasks import notify_assignment

    with django_capture_on_commit_callbacks(execute=True):
        assert notify_assignment.call(case_id=filed_wish.pk) == 0  # run again (its worker died): nobody twice
    assert Notification.objects.filter(user=haiyan_handler).count() == 1 and len(mailoutbox) == 1


def test_a_reminder_job_that_dies_half_way_sends_no_reminder_twice_when_retried(
    filed_wish, haiyan_staff, haiyan_government, civil_affairs, education_bureau, haiyan_handler, monkeypatch
):
    from minsheng.cases import reminders

    services.case_accept(actor=haiyan_staff, case_id=filed_wish.pk)
    services.case_assign(
        actor=haiyan_staff, case_id=filed_wish.pk, split=[haiyan_government, civil_affairs, education_bureau]
    )
    due = filed_wish.assignments.first().answer_due
    original = reminders._send_one
    calls = {"n": 0}

    def dying(assignment, kind):
        calls["n"] += 1
        if calls["n"] == 2:
            raise RuntimeError("worker killed")
        return original(assignment, kind)

    monkeypatch.setattr(reminders, "_send_one", dying)
    with pytest.raises(RuntimeError):
        reminders.reminders_send(today=due)
    monkeypatch.setattr(reminders, "_send_one", original)
    assert ReminderLog.objects.count() == 1  # the first went out before the crash
    assert reminders.reminders_send(today=due) == 2  # the retry sends the other two, not the first again
    assert ReminderLog.objects.filter(kind="due_today").count() == 3
    assert Notification.objects.filter(user=haiyan_handler).count() == 1


def test_the_search_triggers_are_put_back_after_a_migration_rebuilds_the_table(
    wish, deputy_user, haiyan_congress, station
):
    from django.db import connection

    from minsheng.cases.search import ensure_sqlite_triggers

    if connection.vendor != "sqlite":
        pytest.skip("SQLite's FTS5 triggers")
    with connection.cursor() as cursor:
        cursor.execute("DROP TRIGGER cases_case_fts_ai")  # what a table rebuild does
    assert ensure_sqlite_triggers() is True
    other = CaseFactory(actor=deputy_user, congress=haiyan_congress, place=station.place)
    assert list(filter_by_text(Case.objects.all(), "路灯")) == [other]
    assert ensure_sqlite_triggers() is False
