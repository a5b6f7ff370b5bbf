"""Phones and older users (适老化, GB/T 37668; issue 12, part 4), in Debian's Chromium.

Every demo login (and the public) walks the pages reachable from its home, one page of each kind (the same path
with other ids is the same page), on a desktop (1366×768) and on a phone (390×844). On each, axe-core (from the
npm registry, vendored in tests/vendor/) finds no serious or critical violation. On the phone, every button, field,
menu entry and page link is at least 44 px tall, and no page is wider than the screen (tables become cards).
The large-text, high-contrast mode is switched from the navigation and remembered from page to page."""

import os
import re
from collections import deque
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest
from playwright.sync_api import Error as PlaywrightError

from .conftest import BROWSER, DESKTOP, PHONE
from .test_ui_chinese import SKIP

# The data is the module's (committed once); each test's own writes (sign-ins, sessions) are rolled back, and
# the tests read nothing from the database themselves (SQLite's in-memory one is the server's while it serves). The
# markup does not depend on the database, so the PostgreSQL run of CI leaves these minutes to what only it shows.
pytestmark = [
    *BROWSER,
    pytest.mark.django_db,
    pytest.mark.skipif(
        os.environ.get("DATABASE_URL", "").startswith("postgres"),
        reason="pages are the same on PostgreSQL; walked on SQLite",
    ),
]

AXE = Path(__file__).parent / "vendor" / "axe-core-4.14.1" / "axe.min.js"
MAX_KINDS = 40  # page kinds per login, breadth first from the home
TOUCH = 44  # px, GB/T 37668 and WCAG 2.5.5

# What axe finds, of serious or critical impact, with where (at most three places a rule).
RUN_AXE = """async () => {
  const result = await axe.run(document, {resultTypes: ["violations"]});
  return result.violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .map((v) => ({id: v.id, impact: v.impact, help: v.help,
                  nodes: v.nodes.slice(0, 3).map((n) => n.target.join(" ") + " " + n.html.slice(0, 160))}));
}"""

# Targets smaller than a finger: buttons, fields, menu entries and page links (a link inside a sentence or a
# table cell is exempt, as WCAG exempts inline targets); a check box counts with its label.
SMALL_TARGETS = """(minimum) => {
  const selector = "button, .btn, input:not([type=hidden]), select, textarea, .nav-link, .page-link, .dropdown-item";
  const small = [];
  for (const el of document.querySelectorAll(selector)) {
    const style = getComputedStyle(el);
    if (style.visibility === "hidden" || el.closest("[hidden], .d-none, .visually-hidden, .visually-hidden-focusable"))
      continue;
    let box = el.getBoundingClientRect();
    if (box.width === 0 && box.height === 0) continue;  // not shown (a collapsed menu, a closed drop-down)
    if (el.matches("input[type=checkbox], input[type=radio]")) {
      const holder = el.closest(".form-check, label, td, th");
      if (holder) box = holder.getBoundingClientRect();
    }
    if (el.matches(".ts-control input")) continue;  // the type-ahead's own box is measured instead
    if (box.height < minimum - 0.5)
      small.push(`${el.tagName.toLowerCase()}${el.className ? "." + String(el.className).split(" ").join(".") : ""}`
                 + ` ${Math.round(box.width)}×${Math.round(box.height)} "${(el.textContent || el.name || "").trim().slice(0, 30)}"`);
  }
  return small.slice(0, 8);
}"""

LINKS = """() => Array.from(document.querySelectorAll("a[href]"))
  .filter((a) => !a.hasAttribute("download")).map((a) => a.getAttribute("href"))"""


def kind_of(path: str) -> str:
    """The kind of a page: its path with ids taken out, and the names (not the values) of its query."""
    parts = urlsplit(path)
    keys = sorted({pair.split("=")[0] for pair in parts.query.split("&") if pair})
    return re.sub(r"\d+", "N", parts.path) + ("?" + "&".join(keys) if keys else "")


@pytest.fixture(scope="module")
def site(django_db_setup, django_db_blocker):
    """The tiny demo, committed for a server of this module's own; the database is emptied afterwards (and
    Jiangmen and the working-day calendar loaded again, as every test expects to find them)."""
    from django.core.management import call_command
    from pytest_django.live_server_helper import LiveServer

    from conftest import load_jiangmen, reseed_after_flush
    from minsheng.demo.services import demo_build

    with django_db_blocker.unblock():
        demo_build(scale="tiny", seed=20261127)
        server = LiveServer("localhost")
        try:
            yield server.url
        finally:
            server.stop()
            call_command("flush", interactive=False, verbosity=0)
            load_jiangmen()
            reseed_after_flush()


def signed_in(browser, site: str, username: str, **options):
    from minsheng.demo.logins import PASSWORD

    context = browser.new_context(locale="zh-CN", **options)
    context.add_init_script(path=str(AXE))
    page = context.new_page()
    if username != "anonymous":
        page.goto(f"{site}/accounts/login/")
        page.fill("input[name=username]", username)
        page.fill("input[name=password]", PASSWORD)
        page.click("button[type=submit]")
        page.wait_for_selector("[data-testid=whoami]", state="attached")
    return context, page


def same_site(site: str, current: str, hrefs: list[str]) -> list[str]:
    found = []
    for href in hrefs:
        target = urlsplit(urljoin(current, href))
        if target.scheme not in ("http", "") or f"{target.scheme}://{target.netloc}" != site:
            continue
        path = target.path + (f"?{target.query}" if target.query else "")
        if not SKIP.search(path) and "page=" not in target.query:
            found.append(path)
    return found


def _logins() -> list[str]:
    from minsheng.demo.logins import USERNAMES

    return ["anonymous", *USERNAMES]


@pytest.mark.parametrize("username", _logins())
def test_every_page_passes_axe_on_a_desktop_and_on_a_phone(site, browser, username):
    desktop_context, desktop = signed_in(browser, site, username, **DESKTOP)
    phone_context, phone = signed_in(browser, site, username, **PHONE)
    queue, kinds, problems = deque(["/"]), {kind_of("/")}, []
    visited = 0
    while queue and visited < MAX_KINDS:
        path = queue.popleft()
        try:
            response = desktop.goto(site + path)
        except PlaywrightError as error:  # a file (an export, a printable form) downloads instead of showing
            if "Download is starting" in str(error):
                continue
            raise
        if (
            response is None
            or response.status != 200
            or "text/html" not in response.headers.get("content-type", "")
        ):
            continue
        visited += 1
        for href in same_site(site, desktop.url, desktop.evaluate(LINKS)):
            if kind_of(href) not in kinds:
                kinds.add(kind_of(href))
                queue.append(href)
        for violation in desktop.evaluate(RUN_AXE):
            problems.append(f"{path} (desktop) {violation['impact']} {violation['id']}: {violation['help']}")
            problems.extend(f"    {node}" for node in violation["nodes"])
        phone.goto(site + path)
        for violation in phone.evaluate(RUN_AXE):
            problems.append(f"{path} (phone) {violation['impact']} {violation['id']}: {violation['help']}")
            problems.extend(f"    {node}" for node in violation["nodes"])
        small = phone.evaluate(SMALL_TARGETS, TOUCH)
        if small:
            problems.append(f"{path} (phone) targets under {TOUCH} px: " + "; ".join(small))
        width = phone.evaluate("() => [document.documentElement.scrollWidth, window.innerWidth]")
        if width[0] > width[1] + 1:
            problems.append(f"{path} (phone) is {width[0]} px wide on a {width[1]} px screen")
    desktop_context.close()
    phone_context.close()
    assert visited >= 3, f"{username}: only {visited} pages reached from the home"
    assert not problems, f"{username} ({visited} kinds of page):\n" + "\n".join(problems)


def test_large_text_mode_is_switched_from_every_page_and_remembered(site, browser):
    context, page = signed_in(browser, site, "anonymous", **PHONE)
    page.goto(f"{site}/")
    toggle = page.locator("[data-testid=large-text-toggle]")
    assert toggle.is_visible(), "the switch sits outside the folded menu, on the phone too"
    assert toggle.get_attribute("aria-pressed") == "false"
    normal = page.evaluate("() => parseFloat(getComputedStyle(document.documentElement).fontSize)")
    toggle.click()
    assert toggle.get_attribute("aria-pressed") == "true"
    assert (
        page.evaluate("() => parseFloat(getComputedStyle(document.documentElement).fontSize)")
        >= normal * 1.25
    )
    # remembered: the next page opens large, with its switch pressed, and still passes axe
    page.goto(f"{site}/cases/wall/")
    assert page.evaluate("() => document.documentElement.classList.contains('large-text')")
    assert page.locator("[data-testid=large-text-toggle]").get_attribute("aria-pressed") == "true"
    assert page.evaluate(RUN_AXE) == []
    assert not page.evaluate(SMALL_TARGETS, TOUCH)
    page.locator("[data-testid=large-text-toggle]").click()
    page.goto(f"{site}/stations/")
    assert not page.evaluate("() => document.documentElement.classList.contains('large-text')")
    context.close()


def test_the_menu_button_shows_on_a_phone_and_opens_the_menu(site, browser):
    context, page = signed_in(browser, site, "deputy", **PHONE)
    page.goto(f"{site}/")
    menu = page.locator(".navbar-toggler")
    assert menu.is_visible() and "菜单" in menu.inner_text()
    box = menu.bounding_box()
    assert box["height"] >= TOUCH and box["width"] >= TOUCH
    assert not page.locator("#mainnav").is_visible()
    menu.click()
    page.locator("#mainnav").wait_for(state="visible")
    assert page.locator("#mainnav").get_by_role("link", name="我的事项").is_visible()
    # and from the keyboard: the first Tab reaches the skip link, which leads to the content
    page.goto(f"{site}/")
    page.keyboard.press("Tab")
    assert page.evaluate("() => document.activeElement.getAttribute('href')") == "#main"
    context.close()


def test_the_reception_log_reads_as_cards_on_a_phone(site, browser):
    """The log that squeezed its columns into a 19,500-px page: each reception a card, its cells labelled."""
    context, page = signed_in(browser, site, "station_staff", **PHONE)
    # the station's own page is in the menu (the database is the server's while it serves: not read from here)
    station = page.locator("#mainnav a", has_text="我的站点").get_attribute("href")
    page.goto(f"{site}{station}receptions/")
    table = page.locator("main table.table").first
    assert "table-cards" in table.get_attribute("class")
    first_cell = table.locator("tbody tr td").first
    assert first_cell.get_attribute("data-label")
    rows = table.locator("tbody tr").count()
    height = page.evaluate("() => document.documentElement.scrollHeight")
    width = page.evaluate("() => [document.documentElement.scrollWidth, window.innerWidth]")
    assert width[0] <= width[1] + 1
    assert height < 400 + rows * 400, f"{rows} receptions take {height} px"
    context.close()
