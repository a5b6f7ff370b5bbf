"""Browser test (Playwright driving Debian's Chromium) on a phone (390×844) of a reception day (接待日) from
schedule to archive (issue 11): the station's staff schedule a day with a deputy on duty; on that day they
record a reception with two matters (one sent to the town, one answered on the spot; the second block added
by 「再加一项」 in the page) — the duty deputy comes ticked — then record the town's answer and the feedback to the visitor, and the reception is archived."""

import datetime as dt

from .conftest import BROWSER
from .test_browser_wish_story import demo_accounts  # noqa: F401 - shared fixtures

pytestmark = BROWSER
PHONE = {"width": 390, "height": 844}


def _sign_in(browser, base: str):  # noqa: F811 - the fixture's value
    from minsheng.demo.logins import PASSWORD

    context = browser.new_context(locale="zh-CN", viewport=PHONE, is_mobile=True, has_touch=True)
    context.set_default_timeout(15_000)
    page = context.new_page()
    page.goto(f"{base}/accounts/login/")
    page.fill("input[name=username]", "station_staff")
    page.fill("input[name=password]", PASSWORD)
    with page.expect_navigation():
        page.click("[data-testid=login-submit]")
    return context, page


def _no_errors(page, where: str):
    problems = page.locator(".alert-danger, .invalid-feedback").all_inner_texts()
    problems += [e.get_attribute("data-testid") or "" for e in page.locator(".invalid-feedback").all()]
    problems += [e.get_attribute("name") or "" for e in page.locator(".is-invalid").all()]
    assert not problems, f"{where}: {problems} at {page.url}"


def test_a_reception_day_from_schedule_to_archive_on_a_phone(live_server, browser, demo_accounts):  # noqa: F811
    import time_machine

    from minsheng.activities.models import Reception
    from minsheng.stations.models import Station

    station = Station.objects.get(name="海宴镇人大代表联络站")
    start = dt.date(2026, 12, 1)
    day = start + dt.timedelta(days=4)
    with time_machine.travel(dt.datetime.combine(start, dt.time(9)).astimezone(), tick=True):
        context, page = _sign_in(browser, live_server.url)
        page.goto(f"{live_server.url}/stations/{station.pk}/reception-days/new/")
        page.fill("input[name=day]", day.isoformat())
        page.fill("input[name=starts_at]", "09:00")
        page.fill("input[name=ends_at]", "11:30")
        # the duty deputies from the picker of the station's deputies (issue 12): the first one offered
        picker = page.locator("select[name=deputies] + .ts-wrapper")
        picker.locator("input").first.click()
        picker.locator(".ts-dropdown .option").first.click()
        picker.locator(".ts-control .item").first.wait_for()
        with page.expect_navigation():
            page.click("[data-testid=reception-day-save]")
        _no_errors(page, "schedule")
        assert page.locator("[data-testid=reception-day-row]").count() >= 1
        context.close()
    with time_machine.travel(dt.datetime.combine(day, dt.time(10)).astimezone(), tick=True):
        context, page = _sign_in(browser, live_server.url)
        page.goto(f"{live_server.url}/stations/{station.pk}/receptions/new/")
        # today's duty deputy, chosen in the deputies' picker (issue 12)
        assert page.locator("select[name=deputies] option:checked").count() >= 1
        page.fill("textarea[name=matters-0-text]", "五丰村村道路灯坏了三盏。")
        page.select_option("select[name=matters-0-category]", "urban_rural")
        page.select_option("select[name=matters-0-disposal]", "town")
        page.fill("input[name=matters-0-referred_to_name]", "海宴镇人民政府")
        # One block to begin with; 「再加一项」 adds the second in the page (no round trip: what was typed stays).
        assert page.locator("[data-testid^=matter-form-]").count() == 1
        form_url = page.url
        page.click("[data-testid=add-matter]")
        page.locator("[data-testid=matter-form-2]").wait_for()
        assert page.url == form_url and page.locator("[data-testid^=matter-form-]").count() == 2
        assert page.input_value("textarea[name=matters-0-text]") == "五丰村村道路灯坏了三盏。"
        assert page.input_value("input[name=matters-TOTAL_FORMS]") == "2"
        # the added block's 「转交单位」 is a picker like the first block's
        assert page.locator("select[name=matters-1-referred_to] + .ts-wrapper").count() == 1
        assert page.locator("select[name=matters-0-referred_to] + .ts-wrapper").count() == 1
        page.fill("textarea[name=matters-1-text]", "咨询医保报销比例。")
        page.select_option("select[name=matters-1-category]", "health")
        # The small wish's fields show only while the block's matter is turned into a wish.
        assert not page.locator("[data-testid=matter-wish-2]").is_visible()
        page.select_option("select[name=matters-1-disposal]", "wish")
        assert page.locator("input[name=matters-1-beneficiary_address]").is_visible()
        page.select_option("select[name=matters-1-disposal]", "answered")
        assert not page.locator("[data-testid=matter-wish-2]").is_visible()
        page.fill("textarea[name=matters-1-note]", "代表当场解释了政策。")
        with page.expect_navigation():
            page.click("[data-testid=reception-save]")
        _no_errors(page, "record")
        reception = Reception.objects.get(reception_day__day=day, station=station)
        assert reception.matters.count() == 2
        with page.expect_navigation():
            page.locator("[data-testid=matter-answer-form] textarea").fill("镇政府已安排维修。")
            page.click("[data-testid=matter-answer]")
        _no_errors(page, "answer")
        with page.expect_navigation():
            page.click("[data-testid=matter-feedback]")
        _no_errors(page, "feedback")
        assert page.locator("[data-testid=reception-archived]").count() == 1
        context.close()
    assert Reception.objects.get(pk=reception.pk).archived_at is not None
