"""Browser test (Playwright driving Debian's Chromium): each role signs in and reaches its own home page."""

import pytest

from .conftest import BROWSER

pytestmark = BROWSER


@pytest.fixture
def demo_logins(transactional_db):
    """The demo's own accounts, built the way `make demo` builds them (tiny scale, without cases)."""
    from minsheng.demo.logins import LOGINS
    from minsheng.demo.services import demo_build

    demo_build(scale="tiny", cases=False)
    return LOGINS


def test_every_demo_role_signs_in_and_reaches_its_home_page(live_server, browser, demo_logins):
    from minsheng.demo.logins import PASSWORD

    assert {login.role for login in demo_logins} == {
        "admin",
        "congress_staff",
        "deputy",
        "station_staff",
        "unit_handler",
        "donor",
    }
    for login in demo_logins:
        context = browser.new_context(locale="zh-CN")
        page = context.new_page()
        page.goto(f"{live_server.url}/accounts/login/")
        page.fill("input[name=username]", login.username)
        page.fill("input[name=password]", PASSWORD)
        page.click("button[type=submit]")
        page.wait_for_selector(f"[data-testid=home-{login.role}]", timeout=10_000)
        assert page.locator("[data-testid=whoami]").inner_text().strip() != ""
        context.close()


def test_the_public_home_needs_no_login_and_is_in_chinese(live_server, browser, transactional_db):
    context = browser.new_context(locale="zh-CN")
    page = context.new_page()
    page.goto(f"{live_server.url}/")
    page.wait_for_selector("[data-testid=home-public]")
    assert page.locator("html").get_attribute("lang") == "zh-hans"
    context.close()
