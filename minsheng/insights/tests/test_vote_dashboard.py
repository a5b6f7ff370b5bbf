"""The three-level dashboard (三级人大同步): scope by the staff's congress, figures, filters, totals, the
Excel export, htmx refresh while a vote is open, and a constant number of queries."""

import datetime as dt
from io import BytesIO

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from minsheng.common.errors import PermissionDenied
from minsheng.common.testing import status_for
from minsheng.insights import selectors
from minsheng.projects import services as projects
from minsheng.voting import services
from minsheng.voting.models import Proposal, VoteSession
from minsheng.voting.tests.factories import SessionFactory, check_in_quorum, make_electorate, make_vote

pytestmark = pytest.mark.django_db

PAGE = "/votes/dashboard/"
API = "/api/v1/votes/dashboard/"


@pytest.fixture
def city_session(city_term):
    return SessionFactory(term=city_term)


@pytest.fixture
def taishan_session(taishan_term):
    return SessionFactory(term=taishan_term)


@pytest.fixture
def kaiping_session(kaiping_term):
    return SessionFactory(term=kaiping_term)


@pytest.fixture
def open_vote(vote, voters, haiyan_staff):
    """海宴镇's vote, open: 5 electors, 2 have voted, one more checked in."""
    services.vote_open(actor=haiyan_staff, vote_id=vote.pk)
    ids = sorted(vote.candidates.values_list("id", flat=True))
    for user in voters[:2]:
        services.ballot_cast(
            actor=user, vote_id=vote.pk, choices={ids[0]: "for", ids[1]: "for", ids[2]: "against"}
        )
    services.elector_check_in(actor=haiyan_staff, vote_id=vote.pk, deputy_id=voters[2].deputy_id)
    return vote


@pytest.fixture
def published_kaiping_vote(kaiping_congress, kaiping_session, kaiping_term, kaiping_staff):
    """开平市's vote, closed and published: 3 electors all For candidates 1 and 2 of 3 → both chosen."""
    vote = make_vote(congress=kaiping_congress, session=kaiping_session, seats=2, candidates=3)
    users = make_electorate(kaiping_term, 3, start=300_000)
    services.vote_open(actor=kaiping_staff, vote_id=vote.pk)
    ids = sorted(vote.candidates.values_list("id", flat=True))
    for user in users:
        services.ballot_cast(
            actor=user, vote_id=vote.pk, choices={ids[0]: "for", ids[1]: "for", ids[2]: "against"}
        )
    services.vote_close(actor=kaiping_staff, vote_id=vote.pk)
    services.vote_publish(actor=kaiping_staff, vote_id=vote.pk)
    return vote


def row_of(dash, congress):
    return next(row for row in dash["rows"] if row["id"] == congress.pk)


@pytest.mark.parametrize(
    ("who", "page", "api"),
    [
        ("admin_user", 200, 200),
        ("city_staff", 200, 200),
        ("taishan_staff", 200, 200),
        ("haiyan_staff", 200, 200),
        ("deputy_user", 403, 403),
        ("station_staff", 403, 403),
        ("civil_affairs_handler", 403, 403),
        (None, 302, 403),
    ],
)
def test_only_congress_staff_and_admins_see_the_dashboard(client, request, who, page, api):
    user = request.getfixturevalue(who) if who else None
    assert status_for(client, user, "get", PAGE) == page
    assert status_for(client, user, "get", API) == api


def test_city_staff_see_the_city_every_county_and_every_town_in_tree_order(
    city_staff, city_congress, taishan_congress, haiyan_congress, kaiping_congress
):
    dash = selectors.dashboard_for(city_staff, year=2026)
    ids = [row["id"] for row in dash["rows"]]
    assert ids[0] == city_congress.pk
    assert {taishan_congress.pk, haiyan_congress.pk, kaiping_congress.pk} <= set(ids)
    assert ids.index(taishan_congress.pk) < ids.index(haiyan_congress.pk)  # a town follows its county
    assert {row["level"] for row in dash["rows"]} == {"city", "county", "township"}
    assert [row["depth"] for row in dash["rows"][:2]] == [0, 1]
    assert dash["totals"]["by_level"]["city"] == 1 and dash["totals"]["by_level"]["county"] == 7


def test_county_staff_see_their_own_and_their_towns_only(taishan_staff, taishan_congress, haiyan_congress):
    dash = selectors.dashboard_for(taishan_staff, year=2026)
    prefixes = {row["id"]: row for row in dash["rows"]}
    assert taishan_congress.pk in prefixes and haiyan_congress.pk in prefixes
    assert {row["level"] for row in dash["rows"]} == {"county", "township"}
    assert all(row["level"] == "county" or row["parent"] == taishan_congress.pk for row in dash["rows"])


def test_town_staff_see_their_own_congress_only(haiyan_staff, haiyan_congress):
    dash = selectors.dashboard_for(haiyan_staff, year=2026)
    assert [row["id"] for row in dash["rows"]] == [haiyan_congress.pk]


def test_a_deputy_is_refused_by_the_selector_too(deputy_user):
    with pytest.raises(PermissionDenied):
        selectors.dashboard_for(deputy_user, year=2026)


def test_the_figures_of_an_open_and_a_published_vote(
    city_staff, open_vote, published_kaiping_vote, haiyan_congress, kaiping_congress
):
    solicitation = open_vote.solicitation
    for i in range(3):
        services.proposal_submit(
            actor=_anonymous(),
            solicitation_id=solicitation.pk,
            title=f"建议{i}",
            description="修路",
        )
    first = Proposal.objects.filter(solicitation=solicitation).order_by("pk").first()
    services.proposal_screen(actor=city_staff, proposal_id=first.pk, accept=True)

    dash = selectors.dashboard_for(city_staff, year=2026)
    haiyan = row_of(dash, haiyan_congress)
    s = haiyan["solicitation"]
    assert (s["status"], s["proposals"], s["accepted"], s["candidates"]) == ("open", 3, 1, 3)
    [v] = haiyan["votes"]
    assert (v["status"], v["kind"], v["electorate"], v["present"], v["voted"]) == (
        "open",
        "selection",
        5,
        3,
        2,
    )
    assert (v["turnout"], v["chosen"], v["seats"], v["published"]) == (40.0, 0, 2, False)
    [k] = row_of(dash, kaiping_congress)["votes"]
    assert (k["status"], k["electorate"], k["present"], k["voted"], k["turnout"]) == (
        "published",
        3,
        3,
        3,
        100.0,
    )
    assert (k["chosen"], k["seats"], k["published"]) == (2, 2, True)
    totals = dash["totals"]
    assert (totals["votes"], totals["electorate"], totals["voted"], totals["present"]) == (2, 8, 5, 6)
    assert totals["turnout"] == 62.5 and (totals["chosen"], totals["seats"]) == (2, 4)
    assert totals["by_state"]["open"] == 1 and totals["by_state"]["published"] == 1
    assert totals["proposals"] == 3 and totals["candidates"] == 6 and totals["solicitations"] == 2
    assert dash["any_open"] is True


def _anonymous():
    from django.contrib.auth.models import AnonymousUser

    return AnonymousUser()


def test_another_year_shows_no_votes(city_staff, open_vote, haiyan_congress):
    dash = selectors.dashboard_for(city_staff, year=2025)
    assert row_of(dash, haiyan_congress)["votes"] == []
    assert row_of(dash, haiyan_congress)["solicitation"] is None
    assert dash["any_open"] is False


def test_filters_by_level_and_by_state(
    city_staff, open_vote, published_kaiping_vote, haiyan_congress, kaiping_congress
):
    counties = selectors.dashboard_for(city_staff, year=2026, level="county")
    assert {row["level"] for row in counties["rows"]} == {"county"}
    assert [row["id"] for row in selectors.dashboard_for(city_staff, year=2026, state="open")["rows"]] == [
        haiyan_congress.pk
    ]
    assert [
        row["id"] for row in selectors.dashboard_for(city_staff, year=2026, state="published")["rows"]
    ] == [kaiping_congress.pk]
    none = selectors.dashboard_for(city_staff, year=2026, state="none")
    assert haiyan_congress.pk not in {row["id"] for row in none["rows"]}
    assert none["totals"]["votes"] == 0


def test_the_year_defaults_to_this_year_and_nonsense_filters_are_ignored(client, city_staff, open_vote):
    client.force_login(city_staff)
    with time_machine.travel(dt.datetime(2026, 3, 1, 9, tzinfo=dt.UTC), tick=False):
        response = client.get(PAGE, {"level": "galaxy", "state": "?", "year": "abc"})
    assert response.status_code == 200
    dash = response.context["dash"]
    assert (dash["year"], dash["level"], dash["state"]) == (2026, "", "")
    with time_machine.travel(dt.datetime(2027, 3, 1, 9, tzinfo=dt.UTC), tick=False):
        client.force_login(city_staff)  # a year later the session has expired
        assert client.get(PAGE).context["dash"]["year"] == 2027


def test_the_page_refreshes_its_figures_by_htmx_only_while_a_vote_is_open(client, haiyan_staff, open_vote):
    client.force_login(haiyan_staff)
    page = client.get(PAGE, {"year": 2026}).content.decode()
    assert 'hx-trigger="every 15s"' in page and 'data-testid="auto-refresh"' in page
    assert "echarts" in page and 'id="dashboard-data"' in page
    partial = client.get(PAGE, {"year": 2026}, HTTP_HX_REQUEST="true")
    body = partial.content.decode()
    assert body.startswith('<div id="dashboard-figures"') and "<html" not in body
    assert f'data-vote="{open_vote.pk}"' in body
    check_in_quorum(open_vote, haiyan_staff)
    services.vote_close(actor=haiyan_staff, vote_id=open_vote.pk)
    closed = client.get(PAGE, {"year": 2026}, HTTP_HX_REQUEST="true").content.decode()
    assert "hx-trigger" not in closed  # nothing open: the refreshing stops with this swap


def test_the_progress_column_shows_the_chosen_projects_progress(
    client, city_staff, kaiping_staff, published_kaiping_vote, kaiping_congress
):
    client.force_login(city_staff)
    page = client.get(PAGE, {"year": 2026}, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert 'data-testid="progress"' not in page  # no projects yet: no column
    made = projects.projects_create_for_vote(actor=kaiping_staff, vote_id=published_kaiping_vote.pk)
    first = projects.milestone_add(
        actor=kaiping_staff, project_id=made[0].pk, title="Works", due_on=dt.date(2026, 9, 1), weight=60
    )
    projects.milestone_add(
        actor=kaiping_staff, project_id=made[0].pk, title="Acceptance", due_on=dt.date(2026, 12, 1), weight=40
    )
    projects.milestone_complete(actor=kaiping_staff, milestone_id=first.pk, done_on=dt.date(2026, 8, 30))
    response = client.get(PAGE, {"year": 2026}, HTTP_ACCEPT_LANGUAGE="en")
    row = row_of(response.context["dash"], kaiping_congress)
    assert row["progress"]["projects"] == 2
    assert row["progress"]["average_progress"] == 30  # 60 % and 0 %
    page = response.content.decode()
    assert 'data-testid="progress"' in page and "2 projects" in page and "30% on average" in page


def test_the_excel_export_has_a_row_per_vote(client, city_staff, open_vote, published_kaiping_vote):
    client.force_login(city_staff)
    response = client.get(PAGE, {"year": 2026, "state": "open", "format": "xlsx"}, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == "Congress" and "Turnout (%)" in rows[0]
    assert len(rows) == 2
    assert rows[1][0] == "海宴镇人民代表大会"
    assert rows[1][9:13] == (5, 3, 2, 40)


def test_the_api_answers_the_same_figures_scoped_to_the_caller(
    client, taishan_staff, open_vote, published_kaiping_vote, haiyan_congress, kaiping_congress
):
    client.force_login(taishan_staff)
    data = client.get(API, {"year": 2026}).json()
    ids = {row["id"] for row in data["rows"]}
    assert haiyan_congress.pk in ids and kaiping_congress.pk not in ids
    haiyan = next(row for row in data["rows"] if row["id"] == haiyan_congress.pk)
    assert haiyan["votes"][0]["voted"] == 2 and haiyan["progress"] == {}
    assert data["totals"]["votes"] == 1 and data["any_open"] is True


def _queries(client, user, **params) -> int:
    client.force_login(user)
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(PAGE, {"year": 2026, **params}).status_code == 200
    return len(ctx.captured_queries)


def test_the_number_of_queries_does_not_grow_with_congresses_and_votes(
    client,
    city_staff,
    vote,
    haiyan_session,
    city_congress,
    city_session,
    taishan_congress,
    taishan_session,
    kaiping_congress,
    kaiping_session,
    django_assert_max_num_queries,
):
    few = _queries(client, city_staff)
    for congress, session in (
        (city_congress, city_session),
        (taishan_congress, taishan_session),
        (kaiping_congress, kaiping_session),
    ):
        make_vote(congress=congress, session=session, seats=2, candidates=4)
    second = VoteSession.objects.create(
        congress=vote.congress,
        session=haiyan_session,
        solicitation=vote.solicitation,
        seats=1,
        title="第二次",
    )
    second.candidates.set(vote.candidates.all())
    many = _queries(client, city_staff)
    assert many == few
    with django_assert_max_num_queries(8 + 1):  # + the navigation's unread notifications (issue 12)
        client.get(PAGE, {"year": 2026})
    with django_assert_max_num_queries(8):
        client.get(API, {"year": 2026})
