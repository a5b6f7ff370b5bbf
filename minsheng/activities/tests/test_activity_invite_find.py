"""The invite list of an activity's page: a search box (`?find=`) narrows it on the server to the deputies the
actor may invite whose name contains the text or whose pinyin (or its initials) starts with it."""

# ruff: noqa: F401, F811 - fixtures imported by name

import datetime as dt

import pytest
from django.urls import reverse

from minsheng.activities import activity_selectors as selectors
from minsheng.activities.models import Participation

from .activity_fixtures import frozen, make_activity

pytestmark = pytest.mark.django_db

JULY = dt.datetime(2026, 7, 10, 9, 0)


@pytest.fixture
def cast(town_deputy, county_deputy, city_deputy, kaiping_deputy):
    return {"陈海": town_deputy, "单国强": county_deputy, "曾丽": city_deputy, "区文": kaiping_deputy}


def names(deputies) -> list[str]:
    return [d.name for d in deputies]


def test_deputies_matching_by_name_pinyin_and_initials_within_those_the_actor_may_invite(
    make_activity, taishan_staff, deputy_user, cast
):
    with frozen(JULY - dt.timedelta(days=5)):
        activity = make_activity(starts_at=JULY)
    # 区文 sits in 开平市's congress: not invitable to a 台山 activity, whatever the search.
    assert names(selectors.deputies_matching(taishan_staff, activity, "")) == ["陈海", "单国强", "曾丽"]
    assert names(selectors.deputies_matching(taishan_staff, activity, "丽")) == ["曾丽"]
    assert names(selectors.deputies_matching(taishan_staff, activity, "国强")) == ["单国强"]
    assert names(selectors.deputies_matching(taishan_staff, activity, "shan")) == ["单国强"]  # 单 reads shan
    assert names(selectors.deputies_matching(taishan_staff, activity, "Zeng Li")) == ["曾丽"]
    assert names(selectors.deputies_matching(taishan_staff, activity, "zl")) == ["曾丽"]
    assert names(selectors.deputies_matching(taishan_staff, activity, "sgq")) == ["单国强"]
    assert names(selectors.deputies_matching(taishan_staff, activity, "ch")) == ["陈海"]
    assert names(selectors.deputies_matching(taishan_staff, activity, "区")) == []
    assert names(selectors.deputies_matching(taishan_staff, activity, "ow")) == []
    # A deputy may not invite: nothing to choose from.
    assert names(selectors.deputies_matching(deputy_user, activity, "")) == []
    # Those taking part already are not offered again.
    Participation.objects.create(activity=activity, deputy=cast["曾丽"], status=Participation.Status.INVITED)
    assert names(selectors.deputies_matching(taishan_staff, activity, "z")) == []


def test_the_page_lists_only_the_matches_and_the_invite_still_takes_any_invitable_deputy(
    client, make_activity, taishan_staff, cast
):
    with frozen(JULY - dt.timedelta(days=5)):
        activity = make_activity(starts_at=JULY)
        client.force_login(taishan_staff)
        url = reverse("activities:activity_detail", args=[activity.pk])
        page = client.get(url).content.decode()
        assert 'data-testid="invite-find"' in page and 'name="find"' in page
        for name in ("陈海", "单国强", "曾丽"):
            assert f'value="{cast[name].pk}">{name}</option>' in page
        assert f'value="{cast["区文"].pk}"' not in page
        page = client.get(url, {"find": "zl"}).content.decode()
        assert f'value="{cast["曾丽"].pk}">曾丽</option>' in page
        assert f'value="{cast["陈海"].pk}"' not in page and f'value="{cast["单国强"].pk}"' not in page
        assert 'value="zl"' in page  # the box keeps the search
        page = client.get(url, {"find": "区文"}, HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
        assert 'data-testid="invite-none"' in page and "没有代表" in page
        response = client.post(
            reverse("activities:activity_invite", args=[activity.pk]), {"deputies": [cast["陈海"].pk]}
        )
        assert response.status_code == 302
        assert list(activity.participations.values_list("deputy__name", flat=True)) == ["陈海"]
        refused = client.post(
            reverse("activities:activity_invite", args=[activity.pk]), {"deputies": [cast["区文"].pk]}
        )
        assert refused.status_code == 400
        assert activity.participations.count() == 1


def test_with_javascript_the_invite_list_is_a_type_ahead_over_the_same_deputies(
    client, api, make_activity, taishan_staff, deputy_user, cast
):
    """The invite list is a picker (`invite:<activity>`) over the invitable deputies; the search box that
    narrows the list without JavaScript stays in the page for that case (the picker hides it)."""
    with frozen(JULY - dt.timedelta(days=5)):
        activity = make_activity(starts_at=JULY)
        client.force_login(taishan_staff)
        page = client.get(reverse("activities:activity_detail", args=[activity.pk])).content.decode()
        assert f'data-pick-for="invite:{activity.pk}"' in page and "data-without-pickers" in page
        api.login(taishan_staff)
        found = api.get("/api/v1/pick/deputies/", q="zl", **{"for": f"invite:{activity.pk}"})
        assert [o["text"] for o in found.json()] == ["曾丽"]
        assert (
            api.get("/api/v1/pick/deputies/", q="ow", **{"for": f"invite:{activity.pk}"}).json() == []
        )  # 区文
        api.login(deputy_user)
        assert api.get("/api/v1/pick/deputies/", **{"for": f"invite:{activity.pk}"}).status_code in (403, 404)
