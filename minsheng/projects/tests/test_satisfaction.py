"""满意度测评 end to end: the year's projects → a satisfaction vote at the next year's session → the deputies
rate them by secret ballot → closed and published → each project shows its 满意率."""

import datetime as dt
from fractions import Fraction

import pytest

from minsheng.common.errors import Conflict, DomainError
from minsheng.common.models import AuditRecord
from minsheng.projects import selectors, services
from minsheng.voting import services as voting
from minsheng.voting.models import VoteSession
from minsheng.voting.tests.factories import SessionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def next_session(haiyan_term):
    return SessionFactory(
        term=haiyan_term, number=6, start_date=dt.date(2027, 1, 8), end_date=dt.date(2027, 1, 9)
    )


def test_the_satisfaction_vote_rates_the_years_projects_and_each_shows_its_rate(
    client, projects, haiyan_staff, haiyan_congress, next_session, voters, django_capture_on_commit_callbacks
):
    first, second = projects
    services.project_terminate(actor=haiyan_staff, project_id=second.pk, reason="经主席团同意终止")
    vote = services.satisfaction_vote_create(
        actor=haiyan_staff, congress=haiyan_congress, session=next_session, year=2026
    )
    assert vote.kind == VoteSession.Kind.SATISFACTION and vote.session == next_session
    assert list(vote.candidates.values_list("pk", flat=True)) == [
        first.candidate_id
    ]  # not the terminated one
    assert AuditRecord.objects.filter(verb="project.satisfaction_vote_created").exists()

    voting.vote_open(actor=haiyan_staff, vote_id=vote.pk)
    marks = ["satisfied", "satisfied", "mostly", "dissatisfied", "satisfied"]
    for voter, mark in zip(voters, marks, strict=True):
        voting.ballot_cast(actor=voter, vote_id=vote.pk, choices={first.candidate_id: mark})
    voting.vote_close(actor=haiyan_staff, vote_id=vote.pk)
    assert selectors.satisfaction_of(projects) == {}  # closed, not yet published
    page = client.get(f"/projects/public/{first.pk}/", HTTP_ACCEPT_LANGUAGE="en")
    assert b"Satisfaction rate" not in page.content

    with django_capture_on_commit_callbacks(execute=True):  # committed: the cached public page is new
        voting.vote_publish(actor=haiyan_staff, vote_id=vote.pk)
    result = selectors.satisfaction_of(projects)[first.pk]
    assert (result.satisfied, result.mostly, result.dissatisfied) == (3, 1, 1)
    assert result.rate == Fraction(4, 5) and result.percent == 80.0
    page = client.get(f"/projects/public/{first.pk}/", HTTP_ACCEPT_LANGUAGE="en")
    assert "Satisfaction rate: 80.0%" in page.content.decode()
    api = client.get(f"/api/v1/public-projects/{first.pk}/").json()
    assert api["satisfaction"] == {
        "vote": vote.pk,
        "satisfied": 3,
        "mostly": 1,
        "dissatisfied": 1,
        "rate": 80.0,
    }


def test_a_satisfaction_vote_is_held_at_a_later_years_session_and_only_once(
    projects, haiyan_staff, haiyan_congress, haiyan_session, next_session
):
    with pytest.raises(DomainError) as exc:
        services.satisfaction_vote_create(
            actor=haiyan_staff, congress=haiyan_congress, session=haiyan_session, year=2026
        )
    assert exc.value.code == "session_too_early"
    services.satisfaction_vote_create(
        actor=haiyan_staff, congress=haiyan_congress, session=next_session, year=2026
    )
    with pytest.raises(Conflict):
        services.satisfaction_vote_create(
            actor=haiyan_staff, congress=haiyan_congress, session=next_session, year=2026
        )
    with pytest.raises(DomainError) as exc:
        services.satisfaction_vote_create(
            actor=haiyan_staff, congress=haiyan_congress, session=next_session, year=2025
        )
    assert exc.value.code == "no_projects"
    assert VoteSession.objects.filter(kind="satisfaction").count() == 1


def test_staff_of_another_county_cannot_prepare_it(projects, kaiping_staff, haiyan_congress, next_session):
    from minsheng.common.errors import PermissionDenied

    with pytest.raises(PermissionDenied):
        services.satisfaction_vote_create(
            actor=kaiping_staff, congress=haiyan_congress, session=next_session, year=2026
        )
