import datetime as dt
from decimal import Decimal

import pytest
import time_machine

from minsheng.common.errors import DomainError, PermissionDenied, TransitionNotAllowed
from minsheng.common.models import AuditRecord
from minsheng.projects import services
from minsheng.projects.models import GroupMember, Milestone, Project
from minsheng.voting.models import CandidateResult

from .conftest import TODAY, fake_exe, png

pytestmark = pytest.mark.django_db


def on(day):
    return time_machine.travel(dt.datetime.combine(day, dt.time(10, 0)).astimezone(), tick=False)


def verbs(project) -> list[str]:
    return list(
        AuditRecord.objects.filter(target_id=str(project.pk), target_type__model="project")
        .order_by("id")
        .values_list("verb", flat=True)
    )


def test_staff_create_one_project_per_chosen_candidate_and_a_second_run_creates_none(
    published_vote, haiyan_staff
):
    created = services.projects_create_for_vote(actor=haiyan_staff, vote_id=published_vote.pk)
    chosen = CandidateResult.objects.filter(vote=published_vote, outcome="chosen")
    assert sorted(p.candidate_id for p in created) == sorted(chosen.values_list("candidate_id", flat=True))
    assert len(created) == 2
    first = created[0]
    assert first.title == first.candidate.title and first.lead_unit_id == first.candidate.lead_unit_id
    assert first.year == 2026 and first.status == Project.Status.UNDER_WAY
    assert verbs(first) == ["project.created"]
    assert services.projects_create_for_vote(actor=haiyan_staff, vote_id=published_vote.pk) == []
    assert Project.objects.count() == 2


def test_projects_come_only_from_a_published_vote(haiyan_congress, haiyan_session, haiyan_staff):
    from minsheng.voting.tests.factories import make_vote

    vote = make_vote(congress=haiyan_congress, session=haiyan_session)
    with pytest.raises(TransitionNotAllowed) as exc:
        services.projects_create_for_vote(actor=haiyan_staff, vote_id=vote.pk)
    assert exc.value.code == "not_published"
    assert not Project.objects.exists()


def test_staff_of_another_county_cannot_create_projects(published_vote, kaiping_staff):
    with pytest.raises(PermissionDenied):
        services.projects_create_for_vote(actor=kaiping_staff, vote_id=published_vote.pk)


def test_project_update_changes_the_particulars_and_records_which(project, haiyan_staff):
    services.project_update(
        actor=haiyan_staff,
        project_id=project.pk,
        budget="99.5",
        leader_name="李明",
        leader_post="主席团副主席",
    )
    project.refresh_from_db()
    assert project.budget == Decimal("99.50") and project.leader_name == "李明"
    record = AuditRecord.objects.filter(verb="project.updated").get()
    assert record.data["fields"] == ["budget", "leader_name", "leader_post"]


def test_the_group_needs_deputies_of_the_congress_and_a_leader_inside_it(
    project, haiyan_staff, deputy_user, county_deputy
):
    with pytest.raises(DomainError) as exc:
        services.group_set(actor=haiyan_staff, project_id=project.pk, deputy_ids=[county_deputy.pk])
    assert exc.value.code == "foreign"
    with pytest.raises(DomainError) as exc:
        services.group_set(
            actor=haiyan_staff,
            project_id=project.pk,
            deputy_ids=[deputy_user.deputy_id],
            leader_id=county_deputy.pk,
        )
    assert exc.value.code == "leader_outside"
    services.group_set(
        actor=haiyan_staff,
        project_id=project.pk,
        deputy_ids=[deputy_user.deputy_id],
        leader_id=deputy_user.deputy_id,
    )
    member = GroupMember.objects.get(project=project)
    assert member.is_leader and member.deputy_id == deputy_user.deputy_id
    assert "project.group_set" in verbs(project)


def test_milestone_weights_above_100_are_refused(project, haiyan_staff):
    services.milestone_add(actor=haiyan_staff, project_id=project.pk, title="设计", due_on=TODAY, weight=60)
    with pytest.raises(DomainError) as exc:
        services.milestone_add(
            actor=haiyan_staff, project_id=project.pk, title="施工", due_on=TODAY, weight=50
        )
    assert exc.value.code == "weights_over_100"
    assert Milestone.objects.filter(project=project).count() == 1


def test_a_milestone_cannot_be_done_while_the_weights_do_not_total_100(project, haiyan_staff):
    milestone = services.milestone_add(
        actor=haiyan_staff, project_id=project.pk, title="设计", due_on=dt.date(2026, 3, 1), weight=60
    )
    with on(TODAY), pytest.raises(DomainError) as exc:
        services.milestone_complete(actor=haiyan_staff, milestone_id=milestone.pk)
    assert exc.value.code == "weights_not_100"
    milestone.refresh_from_db()
    assert milestone.done_on is None


def test_milestone_update_keeps_the_total_within_100(planned, haiyan_staff):
    first, second = planned.milestones.order_by("due_on")
    with pytest.raises(DomainError) as exc:
        services.milestone_update(
            actor=haiyan_staff, milestone_id=first.pk, title=first.title, due_on=first.due_on, weight=31
        )
    assert exc.value.code == "weights_over_100"
    services.milestone_update(
        actor=haiyan_staff, milestone_id=first.pk, title="完成设计", due_on=dt.date(2026, 5, 10), weight=30
    )
    first.refresh_from_db()
    assert first.title == "完成设计" and first.due_on == dt.date(2026, 5, 10)
    assert "milestone.updated" in verbs(planned)


def test_milestones_done_then_the_project_completed(planned, haiyan_staff):
    first, second = planned.milestones.order_by("due_on")
    with on(TODAY):
        services.milestone_complete(actor=haiyan_staff, milestone_id=first.pk, done_on=dt.date(2026, 5, 3))
        with pytest.raises(TransitionNotAllowed) as exc:
            services.project_complete(actor=haiyan_staff, project_id=planned.pk)
        assert exc.value.code == "milestones_open"
        with pytest.raises(TransitionNotAllowed):
            services.milestone_complete(actor=haiyan_staff, milestone_id=first.pk)  # done twice
        with pytest.raises(DomainError) as exc:
            services.milestone_complete(
                actor=haiyan_staff, milestone_id=second.pk, done_on=TODAY + dt.timedelta(days=1)
            )
        assert exc.value.code == "future"
        services.milestone_complete(actor=haiyan_staff, milestone_id=second.pk)
        project = services.project_complete(actor=haiyan_staff, project_id=planned.pk)
    assert project.status == Project.Status.COMPLETED and project.completed_on == TODAY
    assert verbs(planned)[-3:] == ["milestone.completed", "milestone.completed", "project.completed"]
    record = AuditRecord.objects.filter(verb="milestone.completed").order_by("id").first()
    assert record.data["late"] is True  # done on 3 May, due on 30 April


def test_a_completed_project_cannot_be_terminated_nor_changed(planned, haiyan_staff):
    with on(TODAY):
        for m in planned.milestones.all():
            services.milestone_complete(actor=haiyan_staff, milestone_id=m.pk)
        services.project_complete(actor=haiyan_staff, project_id=planned.pk)
        with pytest.raises(TransitionNotAllowed):
            services.project_terminate(actor=haiyan_staff, project_id=planned.pk, reason="资金不足")
        with pytest.raises(TransitionNotAllowed) as exc:
            services.milestone_add(
                actor=haiyan_staff, project_id=planned.pk, title="x", due_on=TODAY, weight=1
            )
        assert exc.value.code == "not_under_way"
        with pytest.raises(TransitionNotAllowed):
            services.project_complete(actor=haiyan_staff, project_id=planned.pk)
    planned.refresh_from_db()
    assert planned.status == Project.Status.COMPLETED
    assert verbs(planned).count("project.completed") == 1


def test_termination_needs_a_reason_and_is_final(project, haiyan_staff):
    with pytest.raises(DomainError) as exc:
        services.project_terminate(actor=haiyan_staff, project_id=project.pk, reason="  ")
    assert exc.value.code == "required"
    services.project_terminate(
        actor=haiyan_staff, project_id=project.pk, reason="经主席团同意，因规划调整终止"
    )
    project.refresh_from_db()
    assert project.status == Project.Status.TERMINATED
    with pytest.raises(TransitionNotAllowed):
        services.project_complete(actor=haiyan_staff, project_id=project.pk)
    with pytest.raises(TransitionNotAllowed):
        services.project_terminate(actor=haiyan_staff, project_id=project.pk, reason="again")
    assert verbs(project).count("project.terminated") == 1


def test_only_the_lead_units_handlers_report_progress_with_photos(
    project, lead_handler, civil_affairs_handler
):
    with pytest.raises(PermissionDenied):
        services.progress_report_add(
            actor=civil_affairs_handler, project_id=project.pk, percent=10, narrative="开工"
        )
    report = services.progress_report_add(
        actor=lead_handler,
        project_id=project.pk,
        percent=40,
        narrative="完成路基",
        photos=[png(), png("b.png")],
        is_public=True,
    )
    assert report.percent == 40 and report.unit_id == project.lead_unit_id and report.photos.count() == 2
    assert report.photos.first().content_type == "image/png"
    record = AuditRecord.objects.get(verb="progress.reported")
    assert record.data == {"report": report.pk, "percent": 40, "photos": 2, "public": True}


def test_a_report_refuses_more_than_nine_photos_a_non_image_and_a_bad_percent(project, lead_handler):
    with pytest.raises(DomainError) as exc:
        services.progress_report_add(
            actor=lead_handler,
            project_id=project.pk,
            percent=10,
            narrative="x",
            photos=[png(f"{i}.png") for i in range(10)],
        )
    assert exc.value.code == "too_many"
    with pytest.raises(DomainError):
        services.progress_report_add(
            actor=lead_handler, project_id=project.pk, percent=10, narrative="x", photos=[fake_exe()]
        )
    with pytest.raises(DomainError) as exc:
        services.progress_report_add(actor=lead_handler, project_id=project.pk, percent=101, narrative="x")
    assert exc.value.code == "percent"
    assert not project.reports.exists()


def test_group_deputies_and_staff_record_inspections_others_cannot(
    grouped, deputy_user, other_deputy_user, haiyan_staff, lead_handler
):
    with on(TODAY):
        inspection = services.inspection_record(
            actor=deputy_user,
            project_id=grouped.pk,
            kind="inspection",
            held_on=dt.date(2026, 6, 1),
            deputy_ids=[deputy_user.deputy_id, other_deputy_user.deputy_id],
            findings="路面已铺设一半",
            suggestions="加快进度",
        )
        assert set(inspection.deputies.values_list("pk", flat=True)) == {
            deputy_user.deputy_id,
            other_deputy_user.deputy_id,
        }
        services.inspection_record(
            actor=haiyan_staff,
            project_id=grouped.pk,
            kind="inquiry",
            held_on=TODAY,
            deputy_ids=[deputy_user.deputy_id],
            findings="询问资金到位情况",
        )
        for outsider in (other_deputy_user, lead_handler):
            with pytest.raises(PermissionDenied):
                services.inspection_record(
                    actor=outsider,
                    project_id=grouped.pk,
                    kind="research",
                    held_on=TODAY,
                    deputy_ids=[deputy_user.deputy_id],
                    findings="x",
                )
        with pytest.raises(DomainError) as exc:
            services.inspection_record(
                actor=haiyan_staff,
                project_id=grouped.pk,
                kind="inspection",
                held_on=TODAY + dt.timedelta(days=1),
                deputy_ids=[deputy_user.deputy_id],
                findings="x",
            )
        assert exc.value.code == "future"
    assert grouped.inspections.count() == 2
    assert verbs(grouped).count("inspection.recorded") == 2


def test_progress_is_the_weighted_share_of_milestones_done(planned, haiyan_staff, lead_handler):
    from minsheng.projects import selectors

    services.progress_report_add(actor=lead_handler, project_id=planned.pk, percent=55, narrative="x")
    first = planned.milestones.order_by("due_on").first()
    with on(TODAY):
        services.milestone_complete(actor=haiyan_staff, milestone_id=first.pk)
        row = selectors.project_list_for(haiyan_staff).get(pk=planned.pk)
    assert selectors.progress_of(row.done_weight, row.total_weight) == 30
    assert row.latest_percent == 55
    assert row.late_count == 0
