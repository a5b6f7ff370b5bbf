"""The public vote results from the cache (common/pagecache.py, issue 13): a vote closed and published is on
the public results at the next request; the cached page costs no query; a signed-in user gets the live page."""

import pytest
from django.urls import reverse

from minsheng.voting import services
from minsheng.voting.tests.factories import check_in_quorum

pytestmark = pytest.mark.django_db

RESULTS = reverse("voting:public_results")


@pytest.fixture
def cast_vote(vote, voters, haiyan_staff):
    services.vote_open(actor=haiyan_staff, vote_id=vote.pk)
    vote.refresh_from_db()
    for voter in voters[:3]:
        choices = {c.pk: "for" if c.number == 1 else "abstain" for c in vote.candidates.all()}
        services.ballot_cast(actor=voter, vote_id=vote.pk, choices=choices)
    check_in_quorum(vote, haiyan_staff)
    return vote


def test_a_closed_and_published_vote_is_public_at_the_next_request(
    client, cast_vote, haiyan_staff, django_capture_on_commit_callbacks, django_assert_num_queries
):
    page = reverse("voting:public_result", args=[cast_vote.pk])
    assert page not in client.get(RESULTS).content.decode()
    with django_assert_num_queries(0):
        assert client.get(RESULTS)["X-Page-Cache"] == "hit"

    with django_capture_on_commit_callbacks(execute=True):
        services.vote_close(actor=haiyan_staff, vote_id=cast_vote.pk)
    assert client.get(RESULTS)["X-Page-Cache"] == "miss"  # closing bumps too (the staff may publish at once)
    assert client.get(page).status_code == 404  # not public before its publication, and never stored

    with django_capture_on_commit_callbacks(execute=True):
        services.vote_publish(actor=haiyan_staff, vote_id=cast_vote.pk)
    response = client.get(RESULTS)
    assert response["X-Page-Cache"] == "miss" and page in response.content.decode()
    assert client.get(page).status_code == 200
    assert client.get(page)["X-Page-Cache"] == "hit"


def test_a_signed_in_user_gets_the_live_results(client, cast_vote, haiyan_staff):
    client.get(RESULTS)
    client.force_login(haiyan_staff)
    response = client.get(RESULTS)
    assert "X-Page-Cache" not in response and 'data-testid="whoami"' in response.content.decode()
