"""The reads: scoped lists (another congress's appraisal is not there), the judges' panel without scores, a
judge's own sheet, the result page with its explanations and the older versions."""

import datetime as dt

import pytest
import time_machine
from django.contrib.auth.models import AnonymousUser
from django.http import Http404

from minsheng.appraisals import selectors, services
from minsheng.common.errors import PermissionDenied

from .factories import component, judge_users, make_contest
from .test_services import NOW, closed, scored_and_submitted

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def judges(db):
    return judge_users(3)


@pytest.fixture
def contest(city_staff, city_congress, judges):
    return make_contest(city_staff, city_congress, judges)


def published(contest, judges, staff):
    closed(contest, judges, staff)
    services.appraisal_compute(actor=staff, appraisal_id=contest.pk)
    services.appraisal_publish(actor=staff, appraisal_id=contest.pk, objection_ends_on=dt.date(2026, 12, 10))
    contest.refresh_from_db()


def test_an_appraisal_in_preparation_is_seen_by_its_staff_and_judges_only(
    contest, city_staff, kaiping_staff, judges
):
    assert list(selectors.appraisals_for(city_staff)) == [contest]
    assert list(selectors.appraisals_for(judges[0])) == [contest]
    assert not selectors.appraisals_for(kaiping_staff).exists()
    assert not selectors.appraisals_for(AnonymousUser()).exists()
    with pytest.raises(Http404):
        selectors.appraisal_get(kaiping_staff, contest.pk)


def test_staff_see_who_submitted_but_never_a_score_while_scoring(contest, judges, city_staff):
    scored_and_submitted(contest, judges, city_staff)
    rows = selectors.submissions_for(city_staff, contest)
    assert len(rows) == 6 and all(r.submitted_at is not None for r in rows)
    assert {r.judge for r in rows} == {"评委1", "评委2", "评委3"}
    with pytest.raises(PermissionDenied):
        selectors.scores_for(city_staff, contest.groups.first())
    with pytest.raises(PermissionDenied):
        selectors.submissions_for(judges[0], contest)


def test_a_judges_sheet_shows_their_own_scores_only(contest, judges, city_staff):
    services.scoring_open(actor=city_staff, appraisal_id=contest.pk)
    on = component(contest, "onsite")
    c = contest.contestants.first()
    services.score_enter(actor=judges[0], contestant_id=c.pk, component_id=on.pk, value="88")
    services.score_enter(actor=judges[1], contestant_id=c.pk, component_id=on.pk, value="77")
    sheet = selectors.judge_sheet_for(judges[0], contest)
    values = [row["scores"][on.pk] for g in sheet.groups for row in g["contestants"] if row["scores"][on.pk]]
    assert [str(v) for v in values] == ["88.00"]
    with pytest.raises(PermissionDenied):
        selectors.judge_sheet_for(city_staff, contest)


def test_the_public_result_explains_each_contestant_and_keeps_the_corrected_version_visible(
    contest, judges, city_staff
):
    published(contest, judges, city_staff)
    page = selectors.result_for(AnonymousUser(), contest)
    towns = {name: rows for name, rows, _total in page.groups}["典型镇"]
    taicheng = next(r for r in towns if r.name == "台城街道")
    assert (taicheng.rank, taicheng.total, taicheng.tier) == (2, "89.40", "二等奖")
    assert any("[评委3: 70.00]" in line for line in taicheng.explanation)  # 70 dropped: 88 and 90 are closest
    haiyan = contest.contestants.get(name="海宴镇")
    services.appraisal_correct(
        actor=city_staff,
        appraisal_id=contest.pk,
        reason="综合考核评价录入有误",
        scores=[{"contestant": haiyan.pk, "component": component(contest, "assessment").pk, "value": "98"}],
    )
    page = selectors.result_for(AnonymousUser(), contest)
    assert page.version.number == 2 and [v.number for v in page.older] == [1]
    assert selectors.result_for(AnonymousUser(), contest, number=1).version.number == 1


def test_a_computed_result_is_not_public_before_it_is_published(contest, judges, city_staff):
    closed(contest, judges, city_staff)
    services.appraisal_compute(actor=city_staff, appraisal_id=contest.pk)
    contest.refresh_from_db()
    assert selectors.result_for(city_staff, contest).version.number == 1
    with pytest.raises(PermissionDenied):
        selectors.result_for(AnonymousUser(), contest)
