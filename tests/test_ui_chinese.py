"""A UI wholly in Chinese (issue 12, part 6): every demo login (and the public) walks the pages reachable from
its home in zh-hans, and no English word shows in what a user sees: the text of the page (scripts and styles
left out) and the title, placeholder, aria-label and alt attributes.

The allow list holds proper names and the abbreviations Chinese offices write in Latin letters; a word found
here is fixed where it comes from (a missing msgid or translation, hard-coded English), not added to the list."""

import re
import time
from collections import deque
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

import pytest
from django.test import Client

# Latin-letter words a Chinese page may show: abbreviations offices use, and the names of things.
ALLOWED = {
    "API",
    "PDF",
    "Excel",
    "QR",
    "ID",
    "CSV",
    "IP",
    "SMS",
    "Email",
    "E-mail",
    "XLSX",
    "xlsx",
    "pdf",
    "Minsheng",  # the product's name, in the footer's API link and the schema's title
    "OpenAPI",
    "Swagger",
    "ReDoc",
    "JSON",
    "URL",
    "HTTP",
    "WeChat",
    "JPEG",  # image formats and sizes, as the upload fields name them
    "PNG",
    "WebP",
    "MB",
}
# A word of Latin letters not glued to digits (codes such as 统一社会信用代码 or 440781111ABC are not words).
WORD = re.compile(r"(?<![A-Za-z0-9_])(?:[A-Za-z][A-Za-z'’-]*[A-Za-z]|[A-Za-z])(?![A-Za-z0-9_])")
ATTRIBUTES = ("title", "placeholder", "aria-label", "alt")
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
MAX_PAGES = 40  # per login, breadth first: the whole crawl stays under a minute on SQLite
SKIP = re.compile(
    r"^/(admin|django-admin|api|static|media|i18n|accounts/logout|healthz)|\.(pdf|xlsx|png|svg|ico|csv|json)(\?|$)|[?&]format="
)


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """The tiny demo, built once for this module and rolled back afterwards."""
    from django.db import transaction

    from minsheng.demo.services import demo_build

    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            demo_build(scale="tiny", seed=20261127)
            yield
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


class Visible(HTMLParser):
    """The text a user sees (or hears from a screen reader) and the page's same-site links."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.texts: list[str] = []
        self.links: list[str] = []
        self.hidden = 0
        self.verbatim: list[str] = []  # open elements marked translate="no" (file names: what users typed)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag in ("script", "style", "template"):
            self.hidden += 1
            return
        if tag == "a" and attrs.get("href") and "download" not in attrs:
            self.links.append(attrs["href"])
        if self.verbatim or attrs.get("translate") == "no":
            if tag not in VOID:
                self.verbatim.append(tag)
            return
        for name in ATTRIBUTES:
            if attrs.get(name):
                self.texts.append(attrs[name])
        if tag == "input" and attrs.get("type") in ("submit", "button") and attrs.get("value"):
            self.texts.append(attrs["value"])

    def handle_endtag(self, tag):
        if tag in ("script", "style", "template") and self.hidden:
            self.hidden -= 1
        elif self.verbatim and tag in self.verbatim:
            while self.verbatim.pop() != tag:
                pass

    def handle_data(self, data):
        if not self.hidden and not self.verbatim and data.strip():
            self.texts.append(data)


def english_words(html: str) -> tuple[set[str], list[str]]:
    parser = Visible()
    parser.feed(html)
    words = set()
    for text in parser.texts:
        for word in WORD.findall(text):
            if word not in ALLOWED and not (len(word) == 1 and word.isupper()):
                words.add(word)
    return words, parser.links


def crawl(client: Client, start: str = "/") -> tuple[dict[str, set[str]], int]:
    """Breadth first from the home over same-site GET links, at most MAX_PAGES pages."""
    seen, queue, found, visited = {start}, deque([start]), {}, 0
    while queue and visited < MAX_PAGES:
        url = queue.popleft()
        response = client.get(url, headers={"accept-language": "zh-hans"})
        if response.status_code != 200 or not response["Content-Type"].startswith("text/html"):
            continue
        visited += 1
        words, links = english_words(response.content.decode())
        if words:
            found[url] = words
        for href in links:
            target = urljoin(url, href)
            parts = urlsplit(target)
            if parts.scheme not in ("", "http") or parts.netloc not in ("", "testserver"):
                continue
            path = parts.path + (f"?{parts.query}" if parts.query else "")
            if SKIP.search(path) or path in seen or "page=" in parts.query:
                continue
            seen.add(path)
            queue.append(path)
    return found, visited


def _logins() -> list[str]:
    from minsheng.demo.logins import USERNAMES

    return ["anonymous", *USERNAMES]


def test_english_words_are_found():
    """The control: the scanner sees English in text and in attributes, not in scripts or allowed names."""
    html = (
        '<p>已提交 Submitted</p><input placeholder="Search"><script>var x = "hidden"</script>'
        '<a href="/x/" aria-label="导出 Excel">PDF</a><span translate="no">photo.jpg</span> Done'
    )
    words, links = english_words(html)
    assert words == {"Submitted", "Search", "Done"}
    assert links == ["/x/"]


@pytest.mark.parametrize("username", _logins())
def test_every_page_reads_in_chinese(demo, db, username, settings):
    from minsheng.accounts.models import User

    settings.LANGUAGE_CODE = "zh-hans"
    client = Client()
    if username != "anonymous":
        client.force_login(User.objects.get(username=username))
    client.cookies["django_language"] = "zh-hans"
    started = time.monotonic()
    found, visited = crawl(client)
    assert visited >= 3, f"{username}: only {visited} pages reached from the home"
    report = "\n".join(f"{url}: {' '.join(sorted(words))}" for url, words in sorted(found.items()))
    assert not found, (
        f"{username} ({visited} pages, {time.monotonic() - started:.1f} s) meets English:\n{report}"
    )


def title_of(html: str) -> str:
    match = re.search(r"<title>(.*?)</title>", html, re.S)
    return " ".join(match.group(1).split()) if match else ""


@pytest.mark.parametrize("username", ["anonymous", "deputy", "city_staff", "station_staff", "donor"])
def test_titles_name_the_page(demo, db, username):
    """「页面 · 民生」: the home and every page reached from it name themselves before the site's name."""
    from minsheng.accounts.models import User

    client = Client()
    if username != "anonymous":
        client.force_login(User.objects.get(username=username))
    client.cookies["django_language"] = "zh-hans"
    home = client.get("/")
    _words, links = english_words(home.content.decode())
    titles = {"/": title_of(home.content.decode())}
    for href in [link for link in links if link.startswith("/") and not SKIP.search(link)][:15]:
        response = client.get(href)
        if response.status_code == 200 and response["Content-Type"].startswith("text/html"):
            titles[href] = title_of(response.content.decode())
    bad = {
        url: t for url, t in titles.items() if not t.endswith(" · 民生") or t.split(" · ")[0] in ("", "民生")
    }
    assert titles["/"] == "首页 · 民生"
    assert not bad


def test_favicon(client, db):
    page = client.get("/", headers={"accept-language": "zh-hans"}).content.decode()
    assert 'rel="icon"' in page and "favicon.svg" in page
    response = client.get("/favicon.ico")
    assert response.status_code == 301 and response["Location"].endswith("minsheng/favicon.svg")
    from django.contrib.staticfiles import finders

    assert finders.find("minsheng/favicon.svg")


@pytest.mark.parametrize("url", ["/api/v1/docs/", "/api/v1/redoc/"])
def test_the_api_docs_load_their_scripts_from_the_site_under_the_csp(client, url):
    from django.conf import settings
    from django.contrib.staticfiles import finders

    response = client.get(url)
    assert response.status_code == 200
    assert "script-src 'self'" in response["Content-Security-Policy"]
    html = response.content.decode()
    scripts = re.findall(r"<script([^>]*)>(.*?)</script>", html, re.S)
    assert scripts
    for attrs, body in scripts:
        assert not body.strip(), f"{url} has an inline script, which the CSP blocks"
        src = re.search(r'src="([^"]+)"', attrs).group(1)
        assert src.startswith("/"), f"{url} loads {src} from elsewhere"
        if "?" not in src:  # the split view's start-up script (?script) is a page of its own
            assert finders.find(src.removeprefix(settings.STATIC_URL)), f"{src} is not among the static files"
        else:
            script = client.get(src)
            assert script.status_code == 200 and script["Content-Type"].startswith("application/javascript")


def test_djangos_password_messages_read_in_chinese(client, db):
    """Django 5.2's zh_Hans catalogue lacks its reworded password-length message; ours has it."""
    response = client.post(
        "/accounts/donors/register/",
        {
            "kind": "individual",
            "name": "李明",
            "username": "liming",
            "mobile": "13800138000",
            "password": "abc",
            "password_confirm": "abc",
        },
        headers={"accept-language": "zh-hans"},
    )
    html = response.content.decode()
    assert "密码太短，至少要有 10 个字符。" in html
    assert "This password" not in html
    # the label says truthfully when a field is required: the credit code only of enterprises
    assert 'data-testid="requirement-credit_code">(企业和组织必填)' in html
    assert 'data-testid="requirement-username">(必填)' in html


def test_the_admin_speaks_chinese(client, db):
    from minsheng.accounts.tests.factories import UserFactory

    admin = UserFactory(username="root", role="admin", is_staff=True, is_superuser=True)
    client.force_login(admin)
    html = client.get("/django-admin/", headers={"accept-language": "zh-hans"}).content.decode()
    assert "Django" not in html
    assert "民生 · 系统管理" in html
    for english in ("Axes", "Task Results", "Tasks Database Backend", "Access attempts", "Access logs"):
        assert english not in html
    assert "登录尝试" in html and "任务结果" in html and "后台任务" in html


def test_exports_are_named_in_chinese():
    from urllib.parse import unquote

    from minsheng.common.export import content_disposition

    header = content_disposition("票决结果-4.pdf", inline=True)
    assert header.startswith('inline; filename="')
    assert unquote(header.split("filename*=UTF-8''")[1]) == "票决结果-4.pdf"


def test_one_msgid_per_meaning_of_open():
    from django.utils import translation

    with translation.override("zh-hans"):
        assert translation.pgettext("go to a page", "Open") == "查看"
        assert translation.pgettext("opening hours of a station", "Open") == "开放时间"
