"""Issue 12: each user chooses per channel (in the app always), or a daily digest instead; the navigation shows
the unread count on every page."""

import datetime as dt

import pytest
from django.core import mail

from minsheng.notifications.digests import digests_send
from minsheng.notifications.models import Digest, DigestItem, Notification, OutboundMessage, Preference
from minsheng.notifications.services import notify

from .deliveries import delivered_to, sms_recorder  # noqa: F401

pytestmark = pytest.mark.usefixtures("sms_recorder")


@pytest.fixture
def deputy(deputy_user):
    deputy_user.email, deputy_user.mobile = "chen@example.cn", "13800000041"
    deputy_user.save(update_fields=["email", "mobile"])
    return deputy_user


@pytest.fixture
def staff(city_staff):
    city_staff.email = "li@example.cn"  # and a mobile number (13900000001)
    city_staff.save(update_fields=["email"])
    return city_staff


def test_by_default_a_copy_goes_to_each_address_the_account_has(deputy, staff, station_staff):
    notify([deputy, staff, station_staff], text="事项已立案", link="/cases/1/", sms=True)
    for user in (deputy, staff):
        got = delivered_to(user)
        assert got.notes == ["事项已立案"] and len(got.emails) == 1 and got.sms == ["事项已立案"]
    got = delivered_to(station_staff)  # no e-mail address, no mobile: in the app only
    assert got.notes == ["事项已立案"] and got.emails == [] and got.sms == []
    assert not OutboundMessage.objects.filter(user=station_staff).exists()


def test_a_channel_switched_off_gets_no_copy_and_the_app_keeps_it(deputy):
    Preference.objects.create(user=deputy, email=False, sms=False)
    notify([deputy], text="事项已交办", link="/cases/1/")
    got = delivered_to(deputy)
    assert got.notes == ["事项已交办"] and got.emails == [] and got.sms == []
    assert not OutboundMessage.objects.exists()


def test_a_message_the_caller_keeps_off_sms_is_not_texted_whatever_the_choice(deputy):
    Preference.objects.create(user=deputy, email=True, sms=True)
    notify([deputy], text="小事")  # sms=False by default: not worth a text
    got = delivered_to(deputy)
    assert len(got.emails) == 1 and got.sms == []


def test_the_digest_sends_one_message_a_day_per_channel_with_every_item(deputy, staff):
    Preference.objects.create(user=deputy, email=True, sms=True, digest=True)
    for n in range(3):
        notify([deputy, staff], text=f"第{n + 1}条提醒", link=f"/cases/{n + 1}/", sms=True)
    got = delivered_to(deputy)
    assert len(got.notes) == 3 and got.emails == [] and got.sms == []  # held for the digest
    assert DigestItem.objects.filter(user=deputy, digest=None).count() == 6
    assert len(delivered_to(staff).emails) == 3  # staff chose nothing: sent at once

    day = dt.date(2026, 5, 11)
    mail.outbox = []
    assert digests_send(today=day) == 2  # one e-mail, one SMS
    assert digests_send(today=day) == 0  # the job run twice the same day sends nothing more
    got = delivered_to(deputy)
    assert len(got.emails) == 1 and len(got.sms) == 1
    subject, body = got.emails[0]
    assert "3" in subject
    for n in range(3):
        assert f"第{n + 1}条提醒" in body and f"/cases/{n + 1}/" in body
        assert f"第{n + 1}条提醒" in got.sms[0]

    notify([deputy], text="第4条提醒", sms=True)
    assert digests_send(today=day) == 0  # already sent today: it waits for tomorrow
    assert digests_send(today=day + dt.timedelta(days=1)) == 2
    got = delivered_to(deputy)
    assert len(got.emails) == 2 and "第4条提醒" in got.emails[1][1] and "第1条提醒" not in got.emails[1][1]
    assert Digest.objects.filter(user=deputy).count() == 4


def test_a_long_sms_digest_is_cut_to_one_message(deputy):
    Preference.objects.create(user=deputy, email=False, sms=True, digest=True)
    for n in range(30):
        notify([deputy], text=f"第{n + 1}条：事项即将到期，请及时处理", sms=True)
    assert digests_send(today=dt.date(2026, 5, 11)) == 1
    got = delivered_to(deputy)
    assert len(got.sms) == 1 and len(got.sms[0]) <= 300 and "30" in got.sms[0]


def test_the_preferences_page_saves_the_choice_and_is_linked_from_the_notifications(client, deputy):
    client.force_login(deputy)
    page = client.get("/notifications/").content.decode()
    assert 'href="/notifications/preferences/"' in page
    form = client.get("/notifications/preferences/").content.decode()
    assert 'name="sms"' in form and "checked" in form  # the deputy's defaults shown
    response = client.post("/notifications/preferences/", {"email": "on", "digest": "on"})
    assert response.status_code == 302
    preference = Preference.objects.get(user=deputy)
    assert (preference.email, preference.sms, preference.digest) == (True, False, True)
    notify([deputy], text="提醒", sms=True)
    assert delivered_to(deputy).sms == [] and delivered_to(deputy).emails == []  # waits for the digest


def test_the_preferences_page_needs_a_sign_in(client):
    assert client.get("/notifications/preferences/").status_code == 302


def test_the_preferences_api_reads_and_changes_my_choice(client, staff):
    client.force_login(staff)
    answer = client.get("/api/v1/me/notification-preferences/").json()
    assert answer == {"email": True, "sms": True, "digest": False, "has_email": True, "has_mobile": True}
    answer = client.patch(
        "/api/v1/me/notification-preferences/", {"sms": False}, content_type="application/json"
    ).json()
    assert answer["sms"] is False and answer["email"] is True
    assert Preference.objects.get(user=staff).sms is False
    bad = client.put(
        "/api/v1/me/notification-preferences/", {"sms": "perhaps"}, content_type="application/json"
    )
    assert bad.status_code == 400
    client.logout()
    assert client.get("/api/v1/me/notification-preferences/").status_code == 403


def test_the_navigation_shows_the_unread_count_on_every_page(client, deputy):
    client.force_login(deputy)
    page = client.get("/notifications/").content.decode()
    assert 'data-testid="notifications-link"' in page and 'data-testid="unread-count"' not in page
    notes = notify([deputy], text="提醒一", link="/cases/") + notify([deputy], text="提醒二")
    for url in ("/", "/notifications/", "/cases/wall/"):
        page = client.get(url).content.decode()
        assert 'data-testid="unread-count" aria-hidden="true">2<' in page, url
    listing = client.get("/notifications/").content.decode()
    assert "开放" not in listing  # the station's status, not a notification's link (issue 12)
    client.post(f"/notifications/{notes[0].pk}/read/")
    assert 'aria-hidden="true">1<' in client.get("/cases/wall/").content.decode()
    assert Notification.objects.filter(user=deputy, read_at=None).count() == 1


def test_the_unread_count_costs_one_query_and_none_for_visitors(client, deputy, django_assert_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    notify([deputy], text="提醒")
    client.force_login(deputy)
    with CaptureQueriesContext(connection) as queries:
        client.get("/cases/wall/")
    counting = [q["sql"] for q in queries.captured_queries if "notifications_notification" in q["sql"]]
    assert len(counting) == 1 and "COUNT" in counting[0].upper()
    client.logout()
    with CaptureQueriesContext(connection) as queries:
        page = client.get("/cases/wall/").content.decode()
    assert not [q for q in queries.captured_queries if "notifications_notification" in q["sql"]]
    assert 'data-testid="notifications-link"' not in page
