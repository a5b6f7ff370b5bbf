import datetime as dt
import io

import pytest
import time_machine
from openpyxl import load_workbook

from minsheng.projects import services
from minsheng.projects.models import Inspection, Milestone, Project

from .conftest import TODAY, png

pytestmark = pytest.mark.django_db


def on(day):
    return time_machine.travel(dt.datetime.combine(day, dt.time(10)).astimezone(), tick=False)


def test_staff_create_the_projects_from_the_vote_page(client, published_vote, haiyan_staff):
    client.force_login(haiyan_staff)
    page = client.get("/projects/from-vote/")
    assert published_vote.title in page.content.decode()
    response = client.post("/projects/from-vote/", {"vote": published_vote.pk})
    assert response.status_code == 302
    assert Project.objects.count() == 2
    client.post("/projects/from-vote/", {"vote": published_vote.pk})
    assert Project.objects.count() == 2


def test_a_milestone_over_the_total_is_refused_on_the_form(client, planned, haiyan_staff):
    client.force_login(haiyan_staff)
    response = client.post(
        f"/projects/{planned.pk}/milestones/new/",
        {"title": "绿化", "due_on": "2026-12-01", "weight": 5},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 400
    assert "0 is left" in response.content.decode()
    assert Milestone.objects.filter(project=planned).count() == 2


def test_the_project_page_shows_late_milestones_progress_reports_inspections_and_history(
    client, planned, haiyan_staff, lead_handler, deputy_user
):
    services.progress_report_add(
        actor=lead_handler, project_id=planned.pk, percent=35, narrative="完成招标", photos=[png()]
    )
    with on(TODAY):
        services.inspection_record(
            actor=deputy_user,
            project_id=planned.pk,
            kind="inspection",
            held_on=TODAY,
            deputy_ids=[deputy_user.deputy_id],
            findings="施工队伍不足",
        )
        client.force_login(haiyan_staff)
        html = client.get(f"/projects/{planned.pk}/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert html.count('data-testid="late"') == 1  # 完成设计招标 was due on 30 April
    assert "The lead unit last reported 35%." in html
    assert "施工队伍不足" in html and "完成招标" in html
    assert "/projects/photos/" in html
    assert "set the deputies&#x27; supervision group" in html or "set the deputies' supervision group" in html


def test_the_lead_unit_reports_with_photos_from_the_form(client, project, lead_handler):
    client.force_login(lead_handler)
    response = client.post(
        f"/projects/{project.pk}/reports/new/",
        {"percent": 20, "narrative": "已进场施工", "photos": [png("a.png"), png("b.png")], "is_public": "on"},
    )
    assert response.status_code == 302
    report = project.reports.get()
    assert report.is_public and report.photos.count() == 2


def test_a_group_deputy_records_an_inspection_from_the_form(client, grouped, deputy_user):
    client.force_login(deputy_user)
    with on(TODAY):
        response = client.post(
            f"/projects/{grouped.pk}/inspections/new/",
            {
                "kind": "inquiry",
                "held_on": "2026-06-10",
                "deputies": [deputy_user.deputy_id],
                "findings": "资金已到位",
            },
        )
    assert response.status_code == 302
    assert Inspection.objects.get().kind == "inquiry"


def test_staff_terminate_with_a_reason_and_a_second_termination_is_refused(client, project, haiyan_staff):
    client.force_login(haiyan_staff)
    assert client.post(f"/projects/{project.pk}/terminate/", {"reason": "规划调整"}).status_code == 302
    response = client.post(f"/projects/{project.pk}/terminate/", {"reason": "再次"})
    assert response.status_code == 409
    project.refresh_from_db()
    assert project.termination_reason == "规划调整"


def test_the_staff_list_filters_late_only_and_exports(client, planned, projects, haiyan_staff):
    client.force_login(haiyan_staff)
    with on(TODAY):
        everything = client.get("/projects/")
        late = client.get("/projects/?late=on")
        export = client.get("/projects/export.xlsx?late=on")
    assert everything.content.decode().count('data-testid="project"') == 2
    assert late.content.decode().count('data-testid="project"') == 1
    sheet = load_workbook(io.BytesIO(export.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert len(rows) == 2 and rows[1][3] == planned.title and rows[1][-1] == 1


def test_a_deputy_sees_only_the_projects_of_his_group_and_a_unit_those_it_leads(
    client, grouped, projects, deputy_user, other_deputy_user, lead_handler, civil_affairs_handler
):
    client.force_login(deputy_user)
    assert client.get("/projects/").content.decode().count('data-testid="project"') == 1
    client.force_login(other_deputy_user)
    assert client.get("/projects/").content.decode().count('data-testid="project"') == 0
    client.force_login(lead_handler)
    assert client.get("/projects/").content.decode().count('data-testid="project"') == 2  # same lead unit
    client.force_login(civil_affairs_handler)
    assert client.get("/projects/").content.decode().count('data-testid="project"') == 0


def test_lists_keep_to_a_query_budget(
    client, haiyan_congress, haiyan_session, haiyan_staff, voters, django_assert_max_num_queries
):
    from .factories import make_published_vote

    vote = make_published_vote(
        congress=haiyan_congress,
        session=haiyan_session,
        staff=haiyan_staff,
        voters=voters,
        seats=6,
        candidates=8,
    )
    for p in services.projects_create_for_vote(actor=haiyan_staff, vote_id=vote.pk):
        services.milestone_add(actor=haiyan_staff, project_id=p.pk, title="开工", due_on=TODAY, weight=100)
    client.force_login(haiyan_staff)
    with django_assert_max_num_queries(8):
        assert client.get("/projects/").content.decode().count('data-testid="project"') == 6
    with django_assert_max_num_queries(6):
        client.get("/api/v1/projects/")
    client.logout()
    with django_assert_max_num_queries(5):
        assert client.get("/projects/public/").content.decode().count('data-testid="project"') == 6
    with django_assert_max_num_queries(6):
        assert len(client.get("/api/v1/public-projects/").json()["results"]) == 6


def test_public_pages_show_no_internal_data(client, planned, haiyan_staff, lead_handler, deputy_user):
    services.project_update(
        actor=haiyan_staff, project_id=planned.pk, leader_name="李明", leader_post="主席团主席"
    )
    services.progress_report_add(
        actor=lead_handler, project_id=planned.pk, percent=10, narrative="内部：资金缺口较大"
    )
    services.progress_report_add(
        actor=lead_handler, project_id=planned.pk, percent=40, narrative="路面硬化完成", is_public=True
    )
    with on(TODAY):
        services.inspection_record(
            actor=deputy_user,
            project_id=planned.pk,
            kind="inspection",
            held_on=TODAY,
            deputy_ids=[deputy_user.deputy_id],
            findings="发现质量问题",
            suggestions="整改",
        )
        html = client.get(f"/projects/public/{planned.pk}/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
        listing = client.get("/projects/public/").content.decode()
        api = client.get(f"/api/v1/public-projects/{planned.pk}/").content.decode()
    assert "路面硬化完成" in html and "40%" in html and "李明" in html
    assert 'data-testid="late"' in html
    for text in (html, listing, api):
        for secret in (
            "资金缺口",
            "发现质量问题",
            "整改",
            deputy_user.deputy.name,
            lead_handler.username,
            "陈海",
        ):
            assert secret not in text, secret
    assert "inspections" not in api and "reported_by" not in api


def test_staff_edit_set_the_group_and_finish_the_plan_from_the_pages(
    client, project, haiyan_staff, deputy_user, lead_handler
):
    client.force_login(haiyan_staff)
    response = client.post(
        f"/projects/{project.pk}/edit/",
        {
            "title": project.title,
            "description": project.description,
            "lead_unit": project.lead_unit_id,
            "budget": "88.00",
            "leader_name": "李明",
            "leader_post": "主席团副主席",
        },
    )
    assert response.status_code == 302
    response = client.post(
        f"/projects/{project.pk}/group/",
        {"deputies": [deputy_user.deputy_id], "leader": deputy_user.deputy_id},
    )
    assert response.status_code == 302
    client.post(
        f"/projects/{project.pk}/milestones/new/",
        {"title": "全部完工", "due_on": "2026-06-01", "weight": 100},
    )
    milestone = project.milestones.get()
    client.post(
        f"/projects/milestones/{milestone.pk}/edit/",
        {"title": "全部完工验收", "due_on": "2026-06-10", "weight": 100},
    )
    with on(TODAY):
        client.post(f"/projects/milestones/{milestone.pk}/done/", {"done_on": "2026-06-12"})
        client.post(f"/projects/{project.pk}/complete/", {})
    project.refresh_from_db()
    milestone.refresh_from_db()
    assert project.leader_name == "李明" and str(project.budget) == "88.00"
    assert project.members.get().is_leader
    assert milestone.title == "全部完工验收" and milestone.done_on == dt.date(2026, 6, 12)
    assert project.status == Project.Status.COMPLETED
