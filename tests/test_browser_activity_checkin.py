"""Browser test of 签到 by QR code on a phone (Playwright driving Debian's Chromium): 台山市's staff show the
sign-in QR code of an activity that is under way; 陈海 opens the link shown beside the code on a 390×844 phone,
signs in through the login form, taps "sign in" and is marked present; a second tap says so and changes nothing."""

import datetime as dt

import pytest

from .conftest import BROWSER

pytestmark = BROWSER

PASSWORD = "Minsheng-2026!"
PHONE = {
    "viewport": {"width": 390, "height": 844},
    "is_mobile": True,
    "has_touch": True,
    "device_scale_factor": 2,
}


@pytest.fixture
def activity_under_way(transactional_db, taishan_congress, haiyan_term):
    from minsheng.accounts.models import User
    from minsheng.accounts.tests.factories import UserFactory
    from minsheng.activities import activity_services as services
    from minsheng.activities.kinds import builtin_kind
    from minsheng.common import clock
    from minsheng.deputies.tests.factories import SeatFactory

    def account(username, **extra):
        user = UserFactory(username=username, **extra)
        user.set_password(PASSWORD)
        user.save()
        return user

    staff = account("taishan_clerk", role=User.Role.CONGRESS_STAFF, congress=taishan_congress)
    deputy = SeatFactory(term=haiyan_term, deputy__name="陈海").deputy
    account("chen_hai", role=User.Role.DEPUTY, deputy=deputy)
    now = clock.now()
    return services.activity_create(
        actor=staff,
        kind=builtin_kind("planting"),
        title="人大代表林植树活动",
        congress=taishan_congress,
        place=taishan_congress.place,
        location="北峰山人大代表林",
        starts_at=now - dt.timedelta(minutes=10),
        ends_at=now + dt.timedelta(hours=2),
    )


def _sign_in(page, base_url, username):
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    with page.expect_navigation():
        page.click("[data-testid=login-submit]")


def test_a_deputy_signs_in_to_an_activity_by_its_qr_code_on_a_phone(browser, live_server, activity_under_way):
    from minsheng.activities.models import Participation

    base = live_server.url
    staff = browser.new_context(locale="zh-CN")
    page = staff.new_page()
    page.goto(f"{base}/accounts/login/")
    _sign_in(page, base, "taishan_clerk")
    page.goto(f"{base}/activities/{activity_under_way.pk}/")
    with page.expect_navigation():
        page.click("[data-testid=show-qr]")
    assert page.locator("[data-testid=qr-code] svg").count() == 1  # the code, drawn by the server
    url = page.locator("[data-testid=checkin-link]").get_attribute("href")
    assert activity_under_way.checkin_token in url
    staff.close()

    phone = browser.new_context(locale="zh-CN", **PHONE)
    page = phone.new_page()
    page.goto(url)  # what the phone's camera opens
    assert "/accounts/login/" in page.url
    _sign_in(page, base, "chen_hai")
    assert activity_under_way.checkin_token in page.url  # back at the sign-in page
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["viewport"]["width"]
    with page.expect_navigation():
        page.click("[data-testid=checkin]")
    assert "签到成功" in page.locator("[data-testid=checkin-done]").inner_text()
    participation = Participation.objects.get(activity=activity_under_way)
    assert (participation.status, participation.method) == ("present", "qr")

    page.goto(url)  # a second scan
    with page.expect_navigation():
        page.click("[data-testid=checkin]")
    assert "已签到" in page.locator("[data-testid=checkin-error]").inner_text()
    assert Participation.objects.get(activity=activity_under_way).checked_in_at == participation.checked_in_at
    phone.close()
