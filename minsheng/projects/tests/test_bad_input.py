"""Dates and text that make no sense are refused by the project services (issue 8, part 3)."""

import datetime as dt

import pytest
import time_machine

from minsheng.common.errors import DomainError
from minsheng.common.models import AuditRecord
from minsheng.projects import services

from .conftest import TODAY

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def on_today():
    with time_machine.travel(dt.datetime.combine(TODAY, dt.time(10, 0)).astimezone(), tick=False):
        yield


def refused(call, **kwargs) -> tuple[str | None, str]:
    with pytest.raises(DomainError) as exc:
        call(**kwargs)
    return exc.value.field, exc.value.code


def test_a_milestone_is_due_between_2000_and_ten_years_ahead(project, haiyan_staff):
    add = {"actor": haiyan_staff, "project_id": project.pk, "title": "施工", "weight": 40}
    assert refused(services.milestone_add, **add, due_on=dt.date(1999, 12, 31)) == (
        "due_on",
        "date_too_early",
    )
    assert refused(services.milestone_add, **add, due_on=dt.date(2040, 1, 1)) == ("due_on", "date_too_far")
    milestone = services.milestone_add(**add, due_on=dt.date(2027, 3, 1))
    assert AuditRecord.objects.filter(verb="milestone.added", data__milestone=milestone.pk).exists()


def test_a_milestone_done_or_a_project_completed_before_2000_is_refused(planned, haiyan_staff):
    milestones = list(planned.milestones.all())
    assert refused(
        services.milestone_complete,
        actor=haiyan_staff,
        milestone_id=milestones[0].pk,
        done_on=dt.date(1999, 1, 1),
    ) == ("done_on", "date_too_early")
    for milestone in milestones:
        services.milestone_complete(actor=haiyan_staff, milestone_id=milestone.pk, done_on=TODAY)
    assert refused(
        services.project_complete, actor=haiyan_staff, project_id=planned.pk, completed_on=dt.date(1999, 1, 1)
    ) == ("completed_on", "date_too_early")
    planned.refresh_from_db()
    assert planned.status == "under_way"


def test_an_inspection_in_1900_or_with_too_long_findings_is_refused(grouped, deputy_user):
    record = {
        "actor": deputy_user,
        "project_id": grouped.pk,
        "kind": "inspection",
        "deputy_ids": [deputy_user.deputy_id],
    }
    assert refused(services.inspection_record, **record, held_on=dt.date(1900, 1, 1), findings="x") == (
        "held_on",
        "date_too_early",
    )
    assert refused(services.inspection_record, **record, held_on=TODAY, findings="长" * 5001) == (
        "findings",
        "max_length",
    )
    assert not grouped.inspections.exists()


def test_a_progress_report_or_a_termination_reason_too_long_is_refused(project, lead_handler, haiyan_staff):
    assert refused(
        services.progress_report_add,
        actor=lead_handler,
        project_id=project.pk,
        percent=10,
        narrative="长" * 10_001,
    ) == ("narrative", "max_length")
    assert refused(
        services.project_terminate, actor=haiyan_staff, project_id=project.pk, reason="长" * 2001
    ) == (
        "reason",
        "max_length",
    )
    project.refresh_from_db()
    assert project.status == "under_way" and not project.reports.exists()
