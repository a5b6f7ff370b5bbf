"""Browser test (Playwright driving Debian's Chromium): a deputy reads his duty record on a phone, with its
points; staff read the league table and publish nothing twice. Screenshots go to $BROWSER_SHOTS if set."""

import os

import pytest
import time_machine

from .conftest import BROWSER

pytestmark = BROWSER


def sign_in(browser, base_url, username, **context_options):
    from minsheng.accounts.tests.factories import PASSWORD

    context = browser.new_context(locale="zh-CN", **context_options)
    context.set_default_timeout(15_000)
    page = context.new_page()
    page.goto(f"{base_url}/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    with page.expect_navigation():
        page.click("[data-testid=login-submit]")
    return context, page


def shot(page, name):
    folder = os.environ.get("BROWSER_SHOTS")
    if folder:
        page.screenshot(path=os.path.join(folder, f"{name}.png"), full_page=True)


@pytest.fixture
def duties(transactional_db, town_deputy, haiyan_congress, station, city_staff, taishan_staff, deputy_user):
    from minsheng.insights import duty_record as DR
    from minsheng.insights import points_services as S
    from minsheng.insights.tests.records_data import activity, at, filed_case, reception

    activity(congress=haiyan_congress, code="group", by=city_staff, participants={town_deputy: "present"})
    activity(congress=haiyan_congress, code="training", by=city_staff, participants={town_deputy: "part"})
    reception(station=station, deputies=[town_deputy], by=city_staff)
    filed_case(congress=haiyan_congress, lead=town_deputy, by=city_staff, place=station.place)
    with time_machine.travel(at(2026, 10, 8), tick=False):
        S.points_scheme_create(
            actor=taishan_staff, congress=haiyan_congress, year=2026, rules=S.EXAMPLE_RULES
        )
    DR.refresh_duty_summaries([town_deputy.pk])
    return town_deputy


def test_a_deputy_reads_his_duty_record_on_a_phone_and_staff_the_league(
    live_server, browser, duties, haiyan_congress
):
    context, page = sign_in(browser, live_server.url, "deputy_chen", viewport={"width": 390, "height": 844})
    page.click("[data-testid=my-duty-record]")
    page.wait_for_selector("[data-testid=record-counts]")
    page.select_option("#f-year", "2026")
    with page.expect_navigation():
        page.click("[data-testid=record-filters] button[type=submit]")
    assert page.locator("[data-testid=record-counts] tr[data-kind=reception] td").inner_text() == "1"
    # EXAMPLE_RULES: a suggestion led 15 + a reception 5 + a group activity 4 + training in part 5 = 29
    assert page.locator("[data-testid=points-total]").inner_text() == "29.0"
    shot(page, "duty_record_phone")
    context.close()
    context, page = sign_in(browser, live_server.url, "taishan_staff")
    page.goto(f"{live_server.url}/points/{haiyan_congress.pk}/2026/")
    row = page.locator(f"[data-testid=league-table] tr[data-deputy='{duties.pk}']")
    assert row.locator("td").first.inner_text() == "1"
    shot(page, "points_league")
    context.close()
