"""The permission matrix: role × rule × the appraisal's state → allowed or not (`permissions.py`, which the
services ask through `ensure()` and the pages will render)."""

import datetime as dt

import pytest
import time_machine
from django.contrib.auth.models import AnonymousUser

from minsheng.appraisals import services
from minsheng.common.permissions import can

from .factories import judge_users, make_contest
from .test_services import NOW, closed

pytestmark = pytest.mark.django_db

ROLES = ["admin_user", "city_staff", "kaiping_staff", "judge", "deputy_user", "anonymous"]

# rule: the roles allowed, in preparation / computed / published
MATRIX = {
    "appraisals.manage": ({"admin_user", "city_staff"},) * 3,
    "appraisals.view_submissions": ({"admin_user", "city_staff"},) * 3,
    "appraisals.view_result": (set(), {"admin_user", "city_staff"}, set(ROLES)),
}


@pytest.fixture
def cast(request, city_staff, city_congress):
    judges = judge_users(3)
    people = {name: request.getfixturevalue(name) for name in ROLES if name not in ("judge", "anonymous")}
    people["judge"] = judges[0]
    people["anonymous"] = AnonymousUser()
    return people, judges, make_contest(city_staff, city_congress, judges)


def at_state(contest, judges, staff, state):
    if state == "draft":
        return contest
    with time_machine.travel(NOW, tick=False):
        closed(contest, judges, staff)
        services.appraisal_compute(actor=staff, appraisal_id=contest.pk)
        if state == "published":
            services.appraisal_publish(
                actor=staff, appraisal_id=contest.pk, objection_ends_on=dt.date(2026, 12, 10)
            )
    contest.refresh_from_db()
    return contest


@pytest.mark.parametrize("state", ["draft", "computed", "published"])
def test_each_role_may_do_exactly_what_the_matrix_says(cast, city_staff, state):
    people, judges, contest = cast
    contest = at_state(contest, judges, city_staff, state)
    column = ["draft", "computed", "published"].index(state)
    for action, allowed in MATRIX.items():
        for role in ROLES:
            assert can(people[role], action, contest) == (role in allowed[column]), (action, role, state)


def test_only_the_judge_themself_may_score_as_that_judge(cast, city_staff):
    people, judges, contest = cast
    judge = contest.judges.get(user=judges[0])
    allowed = {role for role in ROLES if can(people[role], "appraisals.score", judge)}
    assert allowed == {"judge"}
    assert not can(judges[1], "appraisals.score", judge)


def test_the_scores_of_a_group_are_seen_by_its_staff_only_once_the_group_is_closed(cast, city_staff):
    people, judges, contest = cast
    group = contest.groups.first()
    assert not any(can(people[role], "appraisals.view_scores", group) for role in ROLES)
    with time_machine.travel(NOW, tick=False):
        closed(contest, judges, city_staff)
    group.refresh_from_db()
    assert {role for role in ROLES if can(people[role], "appraisals.view_scores", group)} == {
        "admin_user",
        "city_staff",
    }
