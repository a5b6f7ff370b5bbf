"""Browser test (Playwright driving Debian's Chromium): city staff open a campaign's dashboard (集中履职月):
the heat table of the counties and the charts (ECharts, vendored) render, and a table's Excel export
downloads with the figures the page shows. Screenshots go to $BROWSER_SHOTS if set."""

import datetime as dt
import os
from io import BytesIO

import pytest

from .conftest import BROWSER

pytestmark = BROWSER


def sign_in(browser, base_url, username, **context_options):
    from minsheng.accounts.tests.factories import PASSWORD

    context = browser.new_context(locale="zh-CN", accept_downloads=True, **context_options)
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
def campaign(transactional_db, city_congress, haiyan_congress, station, town_deputy, city_staff):
    """A July campaign of the city: receptions at 海宴镇's station and a group activity there, with 陈海
    (a town deputy attached to the station) taking part; the summary refreshed."""
    from minsheng.activities.models import Campaign
    from minsheng.insights import campaigns
    from minsheng.insights.tests.records_data import activity, at, reception

    for day in (3, 10):
        reception(station=station, deputies=[town_deputy], by=city_staff, when=at(2026, 7, day))
    activity(
        congress=haiyan_congress,
        code="group",
        by=city_staff,
        participants={town_deputy: "present"},
        when=at(2026, 7, 12, 9),
    )
    made = Campaign.objects.create(
        name="绿美江门·人大代表在行动",
        slogan="三级人大联动、五级代表行动",
        congress=city_congress,
        starts_on=dt.date(2026, 7, 1),
        ends_on=dt.date(2026, 7, 31),
        target_receptions_per_station=2,
        created_by=city_staff,
    )
    campaigns.refresh_campaign_summaries(campaign_id=made.pk)
    return made


def test_staff_read_the_campaign_dashboard_and_export_a_table(live_server, browser, campaign, station):
    from openpyxl import load_workbook

    county = station.place.code[:6]
    context, page = sign_in(browser, live_server.url, "city_staff")
    page.goto(f"{live_server.url}/campaigns/{campaign.pk}/")
    assert "三级人大联动、五级代表行动" in page.content()
    assert page.locator("[data-testid=total-receptions]").inner_text().strip() == "2"
    heat = page.locator(f"[data-testid=heat] tr[data-testid=heat-{county}]")
    heat.wait_for()
    cells = [c.strip() for c in heat.locator("td").all_inner_texts()]
    assert "100" in " ".join(cells)  # 陈海, the county's one deputy, took part: 100 %
    for name in ("levels", "heat", "disposals", "kinds", "funds"):
        page.wait_for_selector(f"[data-chart={name}] svg")  # ECharts drew it (SVG renderer)
    assert page.locator("[data-chart=heat] svg text").count() > 0
    shot(page, "campaign_dashboard")
    with page.expect_download() as got:
        page.click("a[href*='export=heat']")
    download = got.value
    assert download.suggested_filename.endswith(".xlsx")
    with open(download.path(), "rb") as f:  # the saved file has no .xlsx name: read its bytes
        book = load_workbook(BytesIO(f.read()))
    rows = list(book.active.iter_rows(values_only=True))
    names = [row[0] for row in rows]
    assert any(name and name in heat.locator("th").inner_text() for name in names)
    context.close()
