"""Fixtures of the project tests: a published 海宴镇 vote with two chosen candidates, their projects, the lead
unit's handler, and a supervision group with 陈海 (deputy_user) as its leader."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from minsheng.accounts.models import User
from minsheng.accounts.tests.factories import UserFactory
from minsheng.common.testing import tiny_image
from minsheng.voting.tests.conftest import haiyan_session, haiyan_staff, voters  # noqa: F401 (fixtures)

from .factories import make_published_vote

TODAY = dt.date(2026, 6, 15)


@pytest.fixture
def published_vote(haiyan_congress, haiyan_session, haiyan_staff, voters):  # noqa: F811
    """海宴镇's 2026 vote, published: candidates 1 and 2 chosen, 3 not."""
    return make_published_vote(
        congress=haiyan_congress, session=haiyan_session, staff=haiyan_staff, voters=voters
    )


@pytest.fixture
def projects(published_vote, haiyan_staff):  # noqa: F811
    from minsheng.projects.services import projects_create_for_vote

    return projects_create_for_vote(actor=haiyan_staff, vote_id=published_vote.pk)


@pytest.fixture
def project(projects):
    return projects[0]


@pytest.fixture
def lead_handler(project):
    return UserFactory(username="zhujian", role=User.Role.UNIT_HANDLER, unit=project.lead_unit)


@pytest.fixture
def other_deputy_user(voters):  # noqa: F811
    """A 海宴镇 deputy who is not in any supervision group."""
    return voters[1]


@pytest.fixture
def grouped(project, haiyan_staff, deputy_user):  # noqa: F811
    from minsheng.projects.services import group_set

    group_set(
        actor=haiyan_staff,
        project_id=project.pk,
        deputy_ids=[deputy_user.deputy_id],
        leader_id=deputy_user.deputy_id,
    )
    return project


@pytest.fixture
def planned(grouped, haiyan_staff):  # noqa: F811
    """The project with a full plan: 30 + 70."""
    from minsheng.projects.services import milestone_add

    milestone_add(
        actor=haiyan_staff,
        project_id=grouped.pk,
        title="完成设计招标",
        due_on=dt.date(2026, 4, 30),
        weight=30,
    )
    milestone_add(
        actor=haiyan_staff,
        project_id=grouped.pk,
        title="完成施工并验收",
        due_on=dt.date(2026, 11, 30),
        weight=70,
    )
    return grouped


def png(name="photo.png", size=0) -> SimpleUploadedFile:
    body = tiny_image("PNG")
    return SimpleUploadedFile(name, body + b"\0" * max(size - len(body), 0), content_type="image/png")


def fake_exe(name="photo.png") -> SimpleUploadedFile:
    """An executable that claims to be a PNG."""
    return SimpleUploadedFile(name, b"MZ\x90\0" * 8, content_type="image/png")
