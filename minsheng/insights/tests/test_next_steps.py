"""Homes that lead (issue 12): each working home opens with what its user should do next, late first, each step
a link to where it is done; the steps come from the wings' own scoped reads, made through their services here."""

import datetime as dt

import pytest
import time_machine
from django.urls import reverse

from minsheng.activities import services as activity_services
from minsheng.cases import services
from minsheng.cases.models import Assignment
from minsheng.insights.next_steps import PER_SOURCE, Step, next_steps_for, order
from minsheng.voting import services as voting_services

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 12, 1)


def kinds(user, **kwargs) -> list[str]:
    return [s.kind for s in next_steps_for(user, **kwargs).steps]


def test_late_steps_come_first_the_longest_late_first_then_by_date_then_undated():
    steps = [
        Step("cosign", "a", "no date", "/", None, today=TODAY),
        Step("rate", "b", "due in 3 days", "/", TODAY + dt.timedelta(days=3), today=TODAY),
        Step("answer", "c", "2 days late", "/", TODAY - dt.timedelta(days=2), today=TODAY),
        Step("answer", "d", "9 days late", "/", TODAY - dt.timedelta(days=9), today=TODAY),
        Step("vote", "e", "today", "/", TODAY, today=TODAY),
    ]
    ordered = order(steps)
    assert [s.subject for s in ordered] == ["9 days late", "2 days late", "today", "due in 3 days", "no date"]
    assert [s.late_days for s in ordered] == [9, 2, 0, 0, 0]
    assert ordered[2].is_today and not ordered[2].is_late


def test_a_handler_is_led_from_acknowledging_to_answering_and_sees_the_answer_late(
    client, assigned_wish, haiyan_handler
):
    assert kinds(haiyan_handler) == ["acknowledge"]
    assignment = Assignment.objects.get(case=assigned_wish, unit=haiyan_handler.unit)
    services.assignment_acknowledge(actor=haiyan_handler, assignment_id=assignment.pk)
    assignment.refresh_from_db()
    (step,) = next_steps_for(haiyan_handler).steps
    assert (step.kind, step.due, step.url) == ("answer", assignment.answer_due, f"/cases/{assigned_wish.pk}/")
    late = next_steps_for(haiyan_handler, today=assignment.answer_due + dt.timedelta(days=4)).steps[0]
    assert late.is_late and late.late_days == 4

    client.force_login(haiyan_handler)
    page = client.get(reverse("home")).content.decode()
    assert 'data-testid="next-steps"' in page and assigned_wish.title in page
    assert page.index('data-testid="next-steps"') < page.index('data-testid="unit-handlers"')


def test_the_deputy_is_led_to_rate_the_answer_and_the_staff_to_review_what_was_filed(
    client, filed_wish, deputy_user, haiyan_staff, haiyan_government, haiyan_handler
):
    assert "to_review" in kinds(haiyan_staff)
    services.case_accept(actor=haiyan_staff, case_id=filed_wish.pk)
    services.case_assign(actor=haiyan_staff, case_id=filed_wish.pk, lead=haiyan_government)
    assert "to_review" not in kinds(haiyan_staff)
    assignment = Assignment.objects.get(case=filed_wish, unit=haiyan_government)
    services.assignment_acknowledge(actor=haiyan_handler, assignment_id=assignment.pk)
    assert "rate" not in kinds(deputy_user)
    services.answer_submit(
        actor=haiyan_handler,
        assignment_id=assignment.pk,
        answer_class="A",
        text="已解决。",
        signed_by="李镇长",
    )
    filed_wish.refresh_from_db()
    steps = [s for s in next_steps_for(deputy_user).steps if s.kind == "rate"]
    assert [(s.subject, s.due) for s in steps] == [(filed_wish.title, filed_wish.rating_due)]
    client.force_login(deputy_user)
    assert "评价答复" in client.get(reverse("home")).content.decode()


def test_an_open_vote_asks_each_elector_for_a_ballot_until_cast(vote, voters, haiyan_staff):
    assert "vote" not in kinds(voters[0])
    voting_services.vote_open(actor=haiyan_staff, vote_id=vote.pk)
    for voter in voters:
        (step,) = [s for s in next_steps_for(voter).steps if s.kind == "vote"]
        assert step.url == reverse("voting:ballot", args=[vote.pk]) and step.is_today


def test_the_station_is_led_to_record_todays_receptions(station, station_staff, town_deputy):
    with time_machine.travel(dt.datetime(2026, 12, 1, 9, 0).astimezone(), tick=False):
        activity_services.reception_day_schedule(
            actor=station_staff,
            station_id=station.pk,
            day=dt.date(2026, 12, 7),
            starts_at=dt.time(9),
            ends_at=dt.time(12),
            deputies=[town_deputy],
        )
        assert "reception_day" not in kinds(station_staff)
    with time_machine.travel(dt.datetime(2026, 12, 7, 8, 0).astimezone(), tick=False):
        (step,) = [s for s in next_steps_for(station_staff).steps if s.kind == "reception_day"]
        assert step.subject == "09:00–12:00" and step.is_today
        assert step.url == reverse("activities:reception_new", args=[station.pk])


def test_a_source_shows_a_few_and_links_to_the_rest(
    vote, voters, haiyan_staff, haiyan_congress, haiyan_session
):
    from minsheng.voting.tests.factories import make_vote

    for i in range(PER_SOURCE + 1):
        extra = make_vote(
            congress=haiyan_congress, session=haiyan_session, title=f"第{i}次票决", year=2010 + i
        )
        voting_services.vote_open(actor=haiyan_staff, vote_id=extra.pk)
    result = next_steps_for(voters[0])
    assert len([s for s in result.steps if s.kind == "vote"]) == PER_SOURCE
    assert [m.url for m in result.more] == [reverse("voting:index")]


def test_a_user_with_nothing_to_do_is_told_so(client, donor, civil_affairs_handler):
    assert next_steps_for(civil_affairs_handler).steps == []
    client.force_login(civil_affairs_handler)
    assert 'data-testid="next-steps-none"' in client.get(reverse("home")).content.decode()
