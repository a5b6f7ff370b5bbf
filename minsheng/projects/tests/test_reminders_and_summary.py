import datetime as dt

import pytest
import time_machine

from minsheng.notifications.models import Notification
from minsheng.projects import reminders, selectors, services
from minsheng.projects.models import MilestoneReminder

from .conftest import TODAY

pytestmark = pytest.mark.django_db

DUE = dt.date(2026, 4, 30)  # the first milestone of `planned`


def test_reminders_go_out_seven_days_before_on_the_day_and_when_late_each_once(
    planned, lead_handler, haiyan_staff, civil_affairs_handler, kaiping_staff
):
    assert reminders.reminders_send(today=DUE - dt.timedelta(days=8)) == 0
    assert reminders.reminders_send(today=DUE - dt.timedelta(days=7)) == 1
    assert reminders.reminders_send(today=DUE - dt.timedelta(days=7)) == 0  # a second run sends nothing twice
    assert reminders.reminders_send(today=DUE) == 1
    assert reminders.reminders_send(today=DUE + dt.timedelta(days=1)) == 1
    assert reminders.reminders_send(today=DUE + dt.timedelta(days=2)) == 0  # late: once, not daily
    kinds = sorted(MilestoneReminder.objects.values_list("kind", flat=True))
    assert kinds == ["due_soon", "due_today", "overdue"]
    # the lead unit's handler and the congress's staff, nobody else
    assert Notification.objects.filter(user=lead_handler).count() == 3
    assert Notification.objects.filter(user=haiyan_staff).count() == 3
    assert not Notification.objects.filter(user__in=[civil_affairs_handler, kaiping_staff]).exists()
    text = Notification.objects.filter(user=lead_handler).order_by("id").last().text
    assert "完成设计招标" in text and "2026-04-30" in text


def test_no_reminder_for_a_milestone_done_or_a_project_no_longer_under_way(
    planned, haiyan_staff, lead_handler
):
    first = planned.milestones.order_by("due_on").first()
    with time_machine.travel(dt.datetime.combine(DUE, dt.time(10)).astimezone(), tick=False):
        services.milestone_complete(actor=haiyan_staff, milestone_id=first.pk)
    assert reminders.reminders_send(today=DUE) == 0
    services.project_terminate(actor=haiyan_staff, project_id=planned.pk, reason="终止")
    assert reminders.reminders_send(today=dt.date(2026, 11, 30)) == 0
    assert not Notification.objects.filter(user=lead_handler).exists()


def test_a_reminder_job_that_dies_half_way_sends_no_reminder_twice_when_retried(
    projects, haiyan_staff, monkeypatch
):
    for p in projects:
        services.milestone_add(actor=haiyan_staff, project_id=p.pk, title="开工", due_on=DUE, weight=100)
    original = reminders._send_one
    calls = []

    def dying(milestone, kind):
        calls.append(milestone.pk)
        if len(calls) == 2:
            raise RuntimeError("worker killed")
        return original(milestone, kind)

    monkeypatch.setattr(reminders, "_send_one", dying)
    with pytest.raises(RuntimeError):
        reminders.reminders_send(today=DUE)
    monkeypatch.setattr(reminders, "_send_one", original)
    assert MilestoneReminder.objects.count() == 1
    assert reminders.reminders_send(today=DUE) == 1  # the retry sends the other one, not the first again
    assert MilestoneReminder.objects.count() == 2
    assert Notification.objects.filter(user=haiyan_staff).count() == 2


def test_the_daily_job_is_scheduled_and_runs(planned, settings):
    from minsheng.projects.tasks import send_milestone_reminders

    assert ("minsheng.projects.tasks.send_milestone_reminders", 8) in settings.MINSHENG["PERIODIC_TASKS"]
    with time_machine.travel(dt.datetime.combine(DUE, dt.time(10)).astimezone(), tick=False):
        assert send_milestone_reminders.call() == 1


def test_progress_summary_counts_per_congress_in_a_constant_number_of_queries(
    planned, projects, haiyan_staff, django_assert_max_num_queries, haiyan_congress, city_congress
):
    first = planned.milestones.order_by("due_on").first()
    with time_machine.travel(dt.datetime.combine(TODAY, dt.time(10)).astimezone(), tick=False):
        services.milestone_complete(actor=haiyan_staff, milestone_id=first.pk, done_on=dt.date(2026, 4, 1))
    services.milestone_add(
        actor=haiyan_staff, project_id=projects[1].pk, title="开工", due_on=dt.date(2026, 5, 1), weight=100
    )
    with django_assert_max_num_queries(2):
        summary = selectors.progress_summary([haiyan_congress.pk, city_congress.pk], 2026, today=TODAY)
    assert summary == {
        haiyan_congress.pk: {
            "projects": 2,
            "completed": 0,
            "terminated": 0,
            "average_progress": 15,  # (30 + 0) / 2
            "late_milestones": 1,  # the second project's 开工, due 1 May
        }
    }
    assert selectors.progress_summary([haiyan_congress.pk], 2025, today=TODAY) == {}
