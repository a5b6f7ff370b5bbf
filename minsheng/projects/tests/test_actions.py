"""One rule per action (actions.py): for every role × every state of a project × every action, the project
page's offer, the API's `available_actions` and the service's acceptance agree — and, for a milestone's
actions, on which milestones. Generated from `actions.PROJECT_ACTIONS`."""

import datetime as dt

import pytest
from django.db.models import Sum

from minsheng.projects import actions, services
from minsheng.projects.models import Milestone
from minsheng.voting import services as voting
from minsheng.voting.tests.agreement import accepts, actor, api_actions, page_offers

pytestmark = pytest.mark.django_db

ROLES = [
    "anonymous",
    "admin_user",
    "haiyan_staff",
    "kaiping_staff",
    "deputy_user",  # the group's leader
    "other_deputy_user",  # a deputy of the congress outside the group
    "lead_handler",
    "civil_affairs_handler",  # another unit
]


@pytest.fixture
def who(request):
    return lambda role: None if role == "anonymous" else request.getfixturevalue(role)


def _milestone(project, staff, weight, due=dt.date(2026, 4, 30)):
    return services.milestone_add(
        actor=staff, project_id=project.pk, title=f"节点{weight}", due_on=due, weight=weight
    )


def _done(project, staff, *, every=False):
    for m in project.milestones.order_by("due_on", "id")[: None if every else 1]:
        services.milestone_complete(actor=staff, milestone_id=m.pk, done_on=dt.date(2026, 5, 1))


def _partial(project, staff):
    _milestone(project, staff, 30)


def _full(project, staff):
    _milestone(project, staff, 30)
    _milestone(project, staff, 70, due=dt.date(2026, 11, 30))


def _one_done(project, staff):
    _full(project, staff)
    _done(project, staff)


def _all_done(project, staff):
    _full(project, staff)
    _done(project, staff, every=True)


def _completed(project, staff):
    _all_done(project, staff)
    services.project_complete(actor=staff, project_id=project.pk, completed_on=dt.date(2026, 5, 2))


def _terminated(project, staff):
    _partial(project, staff)
    services.project_terminate(actor=staff, project_id=project.pk, reason="主任会议同意终止：选址冲突")


STATES = {
    "no_plan": lambda project, staff: None,
    "partial_plan": _partial,
    "full_plan": _full,
    "one_milestone_done": _one_done,
    "every_milestone_done": _all_done,
    "completed": _completed,
    "terminated": _terminated,
}


def _weight_left(project) -> int:
    return 100 - (Milestone.objects.filter(project=project).aggregate(w=Sum("weight"))["w"] or 0)


CALLS = {
    "update": lambda user, p, group, _: services.project_update(
        actor=user, project_id=p.pk, title="海宴镇村道改造（调整）", lead_unit=p.lead_unit
    ),
    "set_group": lambda user, p, group, _: services.group_set(
        actor=user, project_id=p.pk, deputy_ids=group, leader_id=group[0]
    ),
    "add_milestone": lambda user, p, group, _: services.milestone_add(
        actor=user,
        project_id=p.pk,
        title="绿化",
        due_on=dt.date(2026, 12, 20),
        weight=max(1, _weight_left(p)),
    ),
    "update_milestone": lambda user, p, group, m: services.milestone_update(
        actor=user, milestone_id=m.pk, title=m.title, due_on=m.due_on, weight=m.weight
    ),
    "complete_milestone": lambda user, p, group, m: services.milestone_complete(
        actor=user, milestone_id=m.pk, done_on=dt.date(2026, 5, 3)
    ),
    "complete": lambda user, p, group, _: services.project_complete(
        actor=user, project_id=p.pk, completed_on=dt.date(2026, 5, 3)
    ),
    "terminate": lambda user, p, group, _: services.project_terminate(
        actor=user, project_id=p.pk, reason="主任会议同意终止"
    ),
    "report": lambda user, p, group, _: services.progress_report_add(
        actor=user, project_id=p.pk, percent=40, narrative="完成路基施工"
    ),
    "inspect": lambda user, p, group, _: services.inspection_record(
        actor=user,
        project_id=p.pk,
        kind="inspection",
        held_on=dt.date(2026, 5, 20),
        deputy_ids=group,
        findings="路面已硬化，排水沟未完工",
    ),
}
ON_A_MILESTONE = {"update_milestone", "complete_milestone"}


def test_every_action_is_tried():
    assert set(CALLS) == set(actions.PROJECT_ACTIONS)


@pytest.mark.parametrize("state", list(STATES))
@pytest.mark.parametrize("role", ROLES)
def test_a_project_offers_on_the_page_in_the_api_and_in_the_service_alike(
    client, who, grouped, haiyan_staff, deputy_user, role, state
):
    project = grouped
    STATES[state](project, haiyan_staff)
    project.refresh_from_db()
    user = who(role)
    group = [deputy_user.deputy_id]
    page = page_offers(client, user, [f"/projects/{project.pk}/"])
    api = api_actions(user, f"/api/v1/projects/{project.pk}/")
    for name, call in CALLS.items():
        where = f"{role} · {state} · {name}"
        if name in ON_A_MILESTONE:
            for m in project.milestones.all():
                done = accepts(lambda: call(actor(user), project, group, m))  # noqa: B023
                assert (m.pk in page.get(name, set())) == done, f"{where} {m.title}: page"
                assert (name in api and m.pk in api[name]["milestones"]) == done, f"{where} {m.title}: API"
            if not project.milestones.exists():
                assert name not in page and name not in api, where
        else:
            done = accepts(lambda: call(actor(user), project, group, None))  # noqa: B023
            assert (name in page) == done, f"{where}: page offers {sorted(page)}"
            assert (name in api) == done, f"{where}: API offers {sorted(api)}"


def test_a_project_s_lead_unit_is_one_the_form_offers(project, haiyan_staff, kaiping_congress):
    """The API's PATCH took any unit in the country; now the service asks the choices the form shows."""
    from minsheng.units.models import Unit
    from minsheng.units.tests.factories import UnitFactory

    kaiping_unit = UnitFactory(name="开平市交通运输局", level=Unit.Level.COUNTY, place=kaiping_congress.place)
    assert kaiping_unit.pk not in actions.offer(haiyan_staff, "update", project).choices["lead_units"]
    with pytest.raises(services.DomainError) as error:
        services.project_update(actor=haiyan_staff, project_id=project.pk, lead_unit=kaiping_unit)
    assert error.value.code == "foreign_unit"


# --- a vote's projects -------------------------------------------------------------------------------------

VOTE_ROLES = ["anonymous", "admin_user", "haiyan_staff", "kaiping_staff", "deputy_user", "lead_handler"]


@pytest.fixture
def closed_vote(haiyan_congress, haiyan_session, haiyan_staff, voters):
    from minsheng.voting.tests.factories import make_vote

    vote = make_vote(congress=haiyan_congress, session=haiyan_session, year=2027, title="2027年票决")
    voting.vote_open(actor=haiyan_staff, vote_id=vote.pk)
    for voter in voters:
        marks = {c.pk: "for" if c.number < 3 else "against" for c in vote.candidates.all()}
        voting.ballot_cast(actor=voter, vote_id=vote.pk, choices=marks)
    voting.vote_close(actor=haiyan_staff, vote_id=vote.pk)
    return vote


@pytest.mark.parametrize("role", VOTE_ROLES)
def test_the_projects_of_a_vote_are_offered_as_the_service_makes_them(
    client, who, published_vote, closed_vote, lead_handler, role
):
    user = who(role)
    client.logout()
    if user is not None:
        client.force_login(user)
    response = client.get("/projects/from-vote/")
    form = response.content.decode() if response.status_code == 200 else ""
    for vote in (published_vote, closed_vote):
        vote.refresh_from_db()
        done = accepts(lambda: services.projects_create_for_vote(actor=actor(user), vote_id=vote.pk))  # noqa: B023
        assert (f'value="{vote.pk}"' in form) == done, f"{role} · {vote.status}"
        assert actions.offer(user, "create_projects", vote).allowed == done
