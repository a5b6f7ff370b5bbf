"""Dates and text that make no sense are refused by the case services (issue 8, part 3); the legal move and its
audit record next to each refusal."""

import datetime as dt

import pytest

from minsheng.cases import services
from minsheng.cases.models import Assignment, HandlingRecord, HomeVerification
from minsheng.common.errors import DomainError
from minsheng.common.models import AuditRecord

pytestmark = pytest.mark.django_db


def test_a_home_visit_in_1999_is_refused_and_one_today_is_recorded(wish, station_staff):
    visit = {
        "actor": station_staff,
        "case_id": wish.pk,
        "visitors": "站长",
        "findings": "属实",
        "confirmed": True,
    }
    with pytest.raises(DomainError) as refused:
        services.case_verify(**visit, visited_on=dt.date(1999, 12, 31))
    assert (refused.value.field, refused.value.code) == ("visited_on", "date_too_early")
    with pytest.raises(DomainError) as too_long:
        services.case_verify(**{**visit, "findings": "长" * 5001}, visited_on=dt.date.today())
    assert (too_long.value.field, too_long.value.code) == ("findings", "max_length")
    assert not HomeVerification.objects.exists()
    services.case_verify(**visit, visited_on=dt.date.today())
    assert AuditRecord.objects.filter(verb="case.verified", target_id=str(wish.pk)).exists()


def test_a_handling_record_of_1900_or_an_answer_too_long_is_refused(assigned_wish, haiyan_handler):
    assignment = Assignment.objects.get(case=assigned_wish)
    services.assignment_acknowledge(actor=haiyan_handler, assignment_id=assignment.pk)
    with pytest.raises(DomainError) as ancient:
        services.handling_record_add(
            actor=haiyan_handler,
            assignment_id=assignment.pk,
            kind="phone",
            happened_on=dt.date(1900, 1, 1),
            note="电话",
        )
    assert (ancient.value.field, ancient.value.code) == ("happened_on", "date_too_early")
    assert not HandlingRecord.objects.exists()
    with pytest.raises(DomainError) as too_long:
        services.answer_submit(
            actor=haiyan_handler,
            assignment_id=assignment.pk,
            answer_class="A",
            text="长" * 10_001,
            signed_by="王镇长",
        )
    assert (too_long.value.field, too_long.value.code) == ("text", "max_length")
    assignment.refresh_from_db()
    assert assignment.status == Assignment.Status.HANDLING


def test_a_withdrawal_reason_too_long_is_refused_and_the_case_stays_open(wish, deputy_user):
    with pytest.raises(DomainError) as refused:
        services.case_withdraw(actor=deputy_user, case_id=wish.pk, reason="长" * 2001)
    assert (refused.value.field, refused.value.code) == ("reason", "max_length")
    wish.refresh_from_db()
    assert wish.status == "draft" and wish.status_note == ""
