"""The wish wall and the published answers served from the cache (common/pagecache.py, issue 13): a visitor
sees a claim or a publication at the very next request, a conditional request gets a 304, a signed-in user
always gets the live page, and a cached page costs no database query and carries nothing of one visitor."""

# ruff: noqa: F401, F811 - fixtures imported by name from pages_fixtures

import pytest
from django.urls import reverse

from minsheng.cases import services

from .pages_fixtures import SUMMARY, answered, cosigned_wish, make_wishes, world

pytestmark = pytest.mark.django_db

WALL = reverse("cases:wall")
ANSWERS = reverse("cases:answers")


@pytest.fixture
def on_wall(
    deputy_user, station, station_staff, haiyan_staff, haiyan_government, django_capture_on_commit_callbacks
):
    """One wish on the wall, open for claims (its services' bumps run, as after their commits)."""
    with django_capture_on_commit_callbacks(execute=True):
        (case,) = make_wishes(
            1,
            deputy_user=deputy_user,
            station=station,
            station_staff=station_staff,
            haiyan_staff=haiyan_staff,
            unit=haiyan_government,
        )
    return case


def states(response) -> list[str]:
    body = response.content.decode()
    return [part.split('"', 1)[0] for part in body.split('data-state="')[1:]]


def test_a_claim_is_on_the_wall_at_the_next_request(
    client, on_wall, donor, django_capture_on_commit_callbacks
):
    detail = reverse("cases:wall_detail", args=[on_wall.pk])
    assert states(client.get(detail)) == ["open"]
    assert client.get(detail)["X-Page-Cache"] == "hit"
    assert client.get(WALL + "?state=open")["X-Page-Cache"] == "miss"

    with django_capture_on_commit_callbacks(execute=True):
        services.claim_create(actor=donor, case_id=on_wall.pk, kind="whole")

    again = client.get(detail)
    assert again["X-Page-Cache"] == "miss" and states(again) == ["claimed"]
    assert states(client.get(WALL + "?state=open")) == []
    assert states(client.get(WALL + "?state=claimed")) == ["claimed"]


def test_a_change_that_bumps_nothing_is_not_seen_until_a_bump(client, on_wall, donor):
    """The cache is real: a write whose transaction never commits (the test's, rolled back) leaves the page."""
    detail = reverse("cases:wall_detail", args=[on_wall.pk])
    assert states(client.get(detail)) == ["open"]
    services.claim_create(actor=donor, case_id=on_wall.pk, kind="whole")  # its on_commit never runs here
    assert states(client.get(detail)) == ["open"]


def test_a_publication_is_among_the_answers_at_the_next_request(
    client, answered, deputy_user, haiyan_staff, django_capture_on_commit_callbacks
):
    link = reverse("cases:answer_public", args=[answered.pk])
    assert link not in client.get(ANSWERS).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        services.rating_submit(actor=deputy_user, case_id=answered.pk, value="satisfied")
    assert client.get(ANSWERS)["X-Page-Cache"] == "hit"  # a rating shows on no public page

    with django_capture_on_commit_callbacks(execute=True):
        services.case_publish(actor=haiyan_staff, case_id=answered.pk)

    response = client.get(ANSWERS)
    assert response["X-Page-Cache"] == "miss" and link in response.content.decode()
    assert client.get(link).status_code == 200


def test_the_cached_wall_costs_no_database_query(client, on_wall, django_assert_num_queries):
    client.get(WALL)
    with django_assert_num_queries(0):
        response = client.get(WALL)
    assert response["X-Page-Cache"] == "hit" and SUMMARY not in response.content.decode()
    assert "需要帮助0" in response.content.decode()


def test_a_conditional_request_gets_a_304_until_the_wall_changes(
    client, on_wall, donor, django_capture_on_commit_callbacks, django_assert_num_queries
):
    first = client.get(WALL)
    etag = first["ETag"]
    assert etag.startswith('W/"') and first["Last-Modified"]
    assert first["Cache-Control"] == "public, max-age=30"
    assert {"Accept-Language", "Cookie", "HX-Request"} <= {v.strip() for v in first["Vary"].split(",")}

    with django_assert_num_queries(0):
        assert client.get(WALL, HTTP_IF_NONE_MATCH=etag).status_code == 304

    with django_capture_on_commit_callbacks(execute=True):
        services.claim_create(actor=donor, case_id=on_wall.pk, kind="whole")
    changed = client.get(WALL, HTTP_IF_NONE_MATCH=etag)
    assert changed.status_code == 200 and changed["ETag"] != etag


def test_each_page_and_filter_has_its_own_etag(client, on_wall):
    tags = {client.get(url)["ETag"] for url in (WALL, WALL + "?state=claimed", WALL + "?page=1", ANSWERS)}
    assert len(tags) == 4


def test_a_signed_in_user_never_gets_the_anonymous_page(client, on_wall, donor):
    detail = reverse("cases:wall_detail", args=[on_wall.pk])
    anonymous = client.get(detail)
    assert "claim-form" not in anonymous.content.decode()

    client.force_login(donor)
    response = client.get(detail)
    body = response.content.decode()
    assert "X-Page-Cache" not in response
    assert 'data-testid="claim-form"' in body and 'data-testid="whoami"' in body
    assert "private" in response["Cache-Control"] and "no-store" in response["Cache-Control"]
    assert "ETag" not in response

    client.logout()
    assert client.get(detail)["X-Page-Cache"] == "hit"  # the anonymous entry untouched by the donor's visit


def test_a_cached_page_carries_no_csrf_token_and_sets_no_cookie(client, on_wall):
    for _ in range(2):
        response = client.get(WALL)
        assert "csrfmiddlewaretoken" not in response.content.decode()
        assert not response.cookies


def test_the_language_is_part_of_the_key(client, on_wall):
    chinese = client.get(WALL, HTTP_ACCEPT_LANGUAGE="zh-hans")
    english = client.get(WALL, HTTP_ACCEPT_LANGUAGE="en")
    assert "心愿墙" in chinese.content.decode()
    assert "Wish wall" in english.content.decode() and english["X-Page-Cache"] == "miss"
    assert english["ETag"] != chinese["ETag"]
    client.cookies["django_language"] = "en"
    again = client.get(WALL)
    assert again["X-Page-Cache"] == "hit" and "Wish wall" in again.content.decode()


def test_the_language_switch_works_from_a_cached_page_without_a_token(client, on_wall):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    strict.get(WALL)
    response = strict.post(reverse("set_language"), {"language": "en", "next": WALL})
    assert response.status_code == 302
    assert "Wish wall" in strict.get(WALL).content.decode()


def test_a_visitor_with_a_message_gets_the_live_page(client, on_wall):
    from django.contrib.messages.storage.base import Message
    from django.contrib.messages.storage.cookie import CookieStorage
    from django.http import HttpResponse
    from django.test import RequestFactory

    client.get(WALL)
    storage = CookieStorage(RequestFactory().get("/"))
    response = HttpResponse()
    storage._store([Message(25, "已保存一条消息")], response)
    client.cookies[storage.cookie_name] = response.cookies[storage.cookie_name].value

    live = client.get(WALL)
    assert "X-Page-Cache" not in live and "已保存一条消息" in live.content.decode()
    assert "已保存一条消息" not in client.get(WALL).content.decode()  # shown once, and never stored


def test_the_published_answers_page_reads_the_partial_index_of_published_cases():
    """The query of /cases/answers/ (newest first, a page of it) can walk `case_published_idx` instead of
    scanning every case (issue 13: 2.8 s at 1,000,000 cases). Seq scans are switched off so that the planner
    shows whether the index fits the query at all, whatever the few rows of a test."""
    from django.db import connection

    from minsheng.cases import selectors

    query = selectors.published_list().values_list("id", flat=True)[:25]
    sql, params = query.query.sql_with_params()
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET LOCAL enable_seqscan = off")
            cursor.execute("EXPLAIN " + sql, params)
        else:
            cursor.execute("EXPLAIN QUERY PLAN " + sql, params)
        plan = " ".join(str(row) for row in cursor.fetchall())
    assert "case_published_idx" in plan, plan
