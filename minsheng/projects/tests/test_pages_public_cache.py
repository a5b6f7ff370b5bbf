"""The public project pages from the cache (common/pagecache.py, issue 13): a milestone done is on the
project's public page at the next request; the list filtered to one congress keeps its entry while another
congress's projects change (its keyed version)."""

import datetime as dt

import pytest
from django.urls import reverse

from minsheng.common import pagecache
from minsheng.projects import pages, services

pytestmark = pytest.mark.django_db


def test_a_milestone_done_is_on_the_public_page_at_the_next_request(
    client, planned, haiyan_staff, django_capture_on_commit_callbacks
):
    page = reverse("projects:public_detail", args=[planned.pk])
    assert 'aria-valuenow="0"' in client.get(page).content.decode()
    assert client.get(page)["X-Page-Cache"] == "hit"

    first = planned.milestones.order_by("due_on").first()
    with django_capture_on_commit_callbacks(execute=True):
        services.milestone_complete(actor=haiyan_staff, milestone_id=first.pk, done_on=dt.date(2026, 4, 28))

    response = client.get(page)
    assert response["X-Page-Cache"] == "miss" and 'aria-valuenow="30"' in response.content.decode()


def test_the_list_of_one_congress_keeps_its_entry_while_another_congress_changes(
    client, project, kaiping_congress, django_capture_on_commit_callbacks
):
    mine = reverse("projects:public_list") + f"?congress={project.congress_id}"
    everyone = reverse("projects:public_list")
    client.get(mine), client.get(everyone)

    with django_capture_on_commit_callbacks(execute=True):
        pagecache.bump(pages.PUBLIC, key=kaiping_congress.pk)

    assert client.get(mine)["X-Page-Cache"] == "hit"
    assert client.get(everyone)["X-Page-Cache"] == "miss"

    with django_capture_on_commit_callbacks(execute=True):
        pagecache.bump(pages.PUBLIC, key=project.congress_id)
    assert client.get(mine)["X-Page-Cache"] == "miss"
