"""The privacy scanner: render every public page, every public API response and every export of the demo
data, and assert that no beneficiary's name, ID number, phone or street address appears anywhere.

The demo (tiny scale) has wishes in every state: on the wall, claimed, delivered, realised, published."""

import re
from io import BytesIO

import pytest
from django.test import Client
from openpyxl import load_workbook


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """The tiny demo with its cases, built once for this module and rolled back afterwards."""
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


@pytest.fixture
def secrets(demo, db) -> dict[str, str]:
    """Every identifying value of every beneficiary, decrypted: value → what it is."""
    from minsheng.cases.models import Beneficiary

    found = {}
    for b in Beneficiary.objects.all():
        for kind, value in (
            ("name", b.name),
            ("ID number", b.id_number),
            ("phone", b.phone),
            ("address", b.address),
        ):
            if value:
                found[value] = kind
        # the street part of the address on its own (e.g. "人民路12号"), in case a page drops the village
        street = re.search(r"[^村镇区]*\d+号$", b.address or "")
        if street and len(street.group(0)) >= 4:
            found[street.group(0)] = "street address"
    from minsheng.activities.models import Reception

    for r in Reception.objects.all():  # the contact visitors of the demo's receptions (接待)
        for kind, value in (("visitor's name", r.contact_name), ("visitor's phone", r.contact_phone)):
            if value:
                found[value] = kind
    assert len(found) > 40, "the demo should have wishes with beneficiaries"
    return found


def leaks(text: str, secrets: dict[str, str]) -> list[str]:
    return [f"{kind}: {value}" for value, kind in secrets.items() if value in text]


def xlsx_text(content: bytes) -> str:
    book = load_workbook(BytesIO(content), read_only=True)
    return "\n".join(
        str(cell)
        for sheet in book.worksheets
        for row in sheet.iter_rows(values_only=True)
        for cell in row
        if cell
    )


def crawl_public_pages(client: Client) -> dict[str, str]:
    """The public site, as an anonymous visitor: home, wall (every state and page), every wish on the wall,
    published answers and each of them, stations and each station, units."""
    from minsheng.cases.selectors import published_list, wall_list
    from minsheng.stations.models import Station

    urls = ["/", "/cases/answers/", "/stations/", "/units/", "/congresses/"]
    for state in ("open", "claimed", "realised", "all"):
        for page in (1, 2, 3):
            urls.append(f"/cases/wall/?state={state}&page={page}")
    urls += [f"/cases/wall/{case.pk}/" for case in wall_list(state="all")]
    urls += [f"/cases/answers/{case.pk}/" for case in published_list()]
    urls += [
        f"/stations/{pk}/" for pk in Station.objects.filter(is_active=True).values_list("pk", flat=True)[:40]
    ]
    # The livelihood projects: published vote results and each project's public page.
    from minsheng.projects.models import Project
    from minsheng.voting.models import VoteSession

    urls += ["/votes/results/", "/projects/public/"]
    urls += [
        f"/votes/{pk}/public/"
        for pk in VoteSession.objects.filter(status="published").values_list("pk", flat=True)
    ]
    urls += [f"/projects/public/{pk}/" for pk in Project.objects.values_list("pk", flat=True)[:40]]
    pages = {}
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        pages[url] = response.content.decode()
    return pages


def clock_month() -> str:
    from minsheng.common import clock

    return f"{clock.today():%Y-%m}"


def test_no_public_page_shows_a_beneficiary(secrets):
    pages = crawl_public_pages(Client())
    assert any("/cases/wall/" in url for url in pages) and any("/cases/answers/" in url for url in pages)
    # issue 11: the station pages list their coming reception days (deputies' names), never a visitor
    assert any(
        'data-testid="public-reception-day"' in html for url, html in pages.items() if "/stations/" in url
    )
    found = {url: leaks(html, secrets) for url, html in pages.items()}
    assert not {url: hits for url, hits in found.items() if hits}


def test_no_public_api_response_shows_a_beneficiary(secrets):
    client = Client()
    texts = {}
    for url in (
        "/api/v1/wall/?state=all&page_size=500",
        "/api/v1/answers/?page_size=500",
        "/api/v1/stations/",
        "/api/v1/public-projects/?page_size=100",
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        texts[url] = response.content.decode()
        for item in response.json()["results"]:
            detail_url = url.split("?")[0] + f"{item['id']}/"
            detail = client.get(detail_url)
            assert detail.status_code == 200, detail_url
            texts[detail_url] = detail.content.decode()
    assert len(texts) > 20
    found = {url: leaks(text, secrets) for url, text in texts.items()}
    assert not {url: hits for url, hits in found.items() if hits}


@pytest.mark.parametrize("username", ["admin", "city_staff", "haiyan_staff"])
def test_no_export_shows_a_beneficiary_even_to_staff(secrets, username):
    from minsheng.accounts.models import User

    client = Client()
    client.force_login(User.objects.get(username=username))
    exports = {
        "/cases/stats/cases.xlsx": None,
        "/cases/stats/export.xlsx": None,
        "/deputies/export/": None,
        "/units/export/": None,
        "/accounts/donors/?format=xlsx": None,
        "/projects/export.xlsx": None,
        "/votes/dashboard/?format=xlsx": None,
        "/activities/export/": None,
        "/activities/checks/export/?date_from=2000-01-01": None,
        "/activities/electoral-unit/export/": None,
    }
    # issue 11: the reception days' schedule and the matters' queue of the demo accounts' station (海宴镇)
    from minsheng.stations.models import Station

    haiyan = Station.objects.get(name="海宴镇人大代表联络站").pk
    exports[f"/stations/{haiyan}/reception-days/export/?month={clock_month()}"] = None
    exports[f"/stations/{haiyan}/matters/export/"] = None
    exports[f"/stations/{haiyan}/matters/export/?overdue=on"] = None
    for url in exports:
        response = client.get(url)
        assert response.status_code == 200, url
        assert response["Content-Type"].startswith("application/vnd.openxmlformats"), url
        exports[url] = xlsx_text(response.content)
    assert exports["/cases/stats/cases.xlsx"].count("\n") > 10, "the case export should list the demo's cases"
    found = {url: leaks(text, secrets) for url, text in exports.items()}
    assert not {url: hits for url, hits in found.items() if hits}


def test_the_scanner_finds_a_beneficiary_where_one_may_be_seen(secrets):
    """The control: staff of the wish's congress see the family on the case page, so the scanner, given that
    page, reports it (a scanner that finds nothing anywhere would prove nothing)."""
    from minsheng.accounts.models import User
    from minsheng.cases.models import Case

    wish = Case.objects.filter(kind="wish", congress__staff__username="haiyan_staff").first()
    client = Client()
    client.force_login(User.objects.get(username="haiyan_staff"))
    html = client.get(f"/cases/{wish.pk}/").content.decode()
    assert leaks(html, secrets), "staff should see the beneficiary of a wish of their congress"


# --- every role of the cast, signed in ---------------------------------------------------------------------


def _cast_usernames() -> list[str]:
    from minsheng.demo.logins import USERNAMES

    return USERNAMES


def _secrets_of_case(case) -> set[str]:
    from minsheng.cases.models import Beneficiary

    try:
        b = case.beneficiary
    except Beneficiary.DoesNotExist:
        return set()
    values = {b.name, b.id_number, b.phone, b.address}
    street = re.search(r"[^村镇区]*\d+号$", b.address or "")
    if street and len(street.group(0)) >= 4:
        values.add(street.group(0))
    return {v for v in values if v}


def crawl_as(user, client: Client) -> tuple[dict[str, str], set[str]]:
    """What a signed-in role reads: the public site, its lists, the pages and API answers of (up to 25 of) the
    cases it may open, its assignments and claims, the reception logs and receptions it may read. Returns the
    texts by URL, and the secrets the role may see (`privacy.reads_identity` of each case; the visitors of
    the receptions it may see in full, `activities.view_visitor`)."""
    from minsheng.activities.selectors import reception_scope_for
    from minsheng.cases import privacy
    from minsheng.cases.selectors import case_scope_for
    from minsheng.common.permissions import can

    cases = list(case_scope_for(user).select_related("congress").order_by("-pk")[:25])
    may_see: set[str] = set()
    for case in case_scope_for(user).select_related("congress"):
        if privacy.reads_identity(user, case):
            may_see |= _secrets_of_case(case)
    receptions = list(reception_scope_for(user).select_related("station").order_by("-pk")[:15])
    for reception in reception_scope_for(user).select_related("station"):
        if can(user, "activities.view_visitor", reception):
            may_see |= {v for v in (reception.contact_name, reception.contact_phone) if v}
    urls = ["/", "/cases/", "/cases/inbox/", "/cases/claims/", "/cases/cosignings/", "/cases/my-work/"]
    urls += ["/api/v1/cases/?page_size=100", "/api/v1/assignments/", "/api/v1/claims/", "/api/v1/receptions/"]
    for case in cases:
        urls += [f"/cases/{case.pk}/", f"/api/v1/cases/{case.pk}/"]
        urls += [f"/api/v1/assignments/{pk}/" for pk in case.assignments.values_list("pk", flat=True)]
    urls += [f"/stations/receptions/{r.pk}/" for r in receptions]
    urls += [f"/stations/{pk}/receptions/" for pk in {r.station_id for r in receptions}]
    urls += ["/stations/receptions/mine/"]
    # Activities (代表活动): the list, a deputy's own, the checks on the records, the 回选举单位 check, the API.
    from minsheng.activities.activity_selectors import activity_scope_for

    urls += ["/activities/", "/activities/mine/", "/activities/checks/?date_from=2000-01-01"]
    urls += ["/activities/electoral-unit/", "/api/v1/activities/"]
    for pk in activity_scope_for(user).order_by("-pk").values_list("pk", flat=True)[:10]:
        urls += [f"/activities/{pk}/", f"/api/v1/activities/{pk}/participations/"]
    pages = {}
    for url in urls:
        response = client.get(url)
        if response.status_code == 200 and response["Content-Type"].startswith(
            ("text/html", "application/json")
        ):
            pages[url] = response.content.decode()
    pages.update(crawl_public_pages(client))
    return pages, may_see


@pytest.mark.parametrize("username", _cast_usernames())
def test_no_page_shows_a_beneficiary_to_a_role_that_may_not_see_it(secrets, username):
    """Signed in as each role of the demo's cast: a beneficiary's (or a visitor's) identity appears only
    where privacy.py lets that role see it — never to a donor whose claim is finished, a co-signer, a unit
    whose part is done, or a deputy of the station who did not receive the visitor."""
    from minsheng.accounts.models import User

    user = User.objects.get(username=username)
    client = Client()
    client.force_login(user)
    pages, may_see = crawl_as(user, client)
    assert len(pages) > 10, sorted(pages)
    forbidden = {value: kind for value, kind in secrets.items() if value not in may_see}
    found = {url: leaks(text, forbidden) for url, text in pages.items()}
    assert not {url: hits for url, hits in found.items() if hits}


# --- the duty records (履职档案) and the duty points (履职积分) ------------------------------------------------


def _record_deputies():
    from minsheng.accounts.models import User
    from minsheng.deputies.models import Deputy

    named = list(
        User.objects.filter(username__in=["deputy", "town_deputy", "provincial_deputy"]).values_list(
            "deputy_id", flat=True
        )
    )
    others = list(
        Deputy.objects.filter(seats__isnull=False).distinct().order_by("pk").values_list("pk", flat=True)[:30]
    )
    return Deputy.objects.filter(pk__in={*named, *others})


def test_no_public_duty_record_shows_personal_data(secrets):
    """The public duty record (代表法 Art 58) of demo deputies, page and API: no beneficiary or visitor, and
    none of the deputy's own ID number, mobile or date of birth."""
    from minsheng.accounts.models import User

    client = Client()
    signed_in = Client()
    signed_in.force_login(User.objects.get(username="donor"))
    deputies = list(_record_deputies())
    assert len(deputies) > 20
    found = {}
    for deputy in deputies:
        own = {
            deputy.id_number: "deputy's ID number",
            deputy.birth_date.isoformat(): "deputy's date of birth",
        }
        if deputy.mobile:
            own[deputy.mobile] = "deputy's mobile"
        own[f"{deputy.birth_date.year}年{deputy.birth_date.month}月{deputy.birth_date.day}日"] = (
            "deputy's date of birth"
        )
        for url, c in (
            (f"/deputies/{deputy.pk}/record/public/", client),
            (f"/deputies/{deputy.pk}/record/public/?year={deputy.created_at.year}", client),
            (f"/api/v1/deputies/{deputy.pk}/record/?public=1", signed_in),
        ):
            response = c.get(url)
            assert response.status_code == 200, url
            hits = leaks(response.content.decode(), {**secrets, **own})
            if hits:
                found[url] = hits
    assert not found


def pdf_text(content: bytes) -> str:
    """The text of a PDF (pdftotext if installed, else pypdf), with the layout's whitespace removed so that
    a value broken across a line still matches."""
    import shutil
    import subprocess

    if shutil.which("pdftotext"):
        text = subprocess.run(["pdftotext", "-", "-"], input=content, check=True, capture_output=True).stdout
        text = text.decode()
    else:
        from pypdf import PdfReader

        text = "\n".join(p.extract_text() for p in PdfReader(BytesIO(content)).pages)
    return re.sub(r"\s+", "", text)


def test_no_public_duty_record_pdf_shows_personal_data(secrets):
    """The printable public duty record (/deputies/<pk>/record/public/record.pdf), anonymous, of the demo's
    named deputies and a few others: no beneficiary or visitor, none of the deputy's own data."""
    client = Client()
    deputies = list(_record_deputies().order_by("pk")[:6])
    assert len(deputies) >= 3
    found = {}
    for deputy in deputies:
        own = {
            deputy.id_number: "deputy's ID number",
            deputy.birth_date.isoformat(): "deputy's date of birth",
        }
        if deputy.mobile:
            own[deputy.mobile] = "deputy's mobile"
        url = f"/deputies/{deputy.pk}/record/public/record.pdf"
        response = client.get(url)
        assert response.status_code == 200 and response.content.startswith(b"%PDF"), url
        text = pdf_text(response.content)
        assert deputy.name in text, url  # the text was read
        hits = leaks(text, {**secrets, **own})
        if hits:
            found[url] = hits
    assert not found


def test_the_points_exports_show_no_personal_data(secrets):
    from minsheng.accounts.models import User
    from minsheng.common import clock
    from minsheng.congresses.models import Congress

    client = Client()
    client.force_login(User.objects.get(username="city_staff"))
    year = clock.today().year
    texts = {}
    for congress in Congress.objects.filter(place__code__startswith="4407", level__in=["city", "county"]):
        url = f"/points/{congress.pk}/{year}/?format=xlsx"
        response = client.get(url)
        assert response.status_code == 200, url
        texts[url] = xlsx_text(response.content)
    assert not {url: leaks(t, secrets) for url, t in texts.items() if leaks(t, secrets)}


def test_the_demo_has_duty_points_and_a_provincial_deputy(demo, db):
    from minsheng.accounts.models import User
    from minsheng.common import clock
    from minsheng.congresses.models import Congress
    from minsheng.insights.models import DutySummary, PointsBulletin, PointsContest, PointsScheme

    year = clock.today().year
    city = Congress.objects.get(place__code="440700")
    counties = Congress.objects.filter(parent=city, level="county")
    assert PointsScheme.objects.filter(year=year, congress=city).exists()
    assert PointsScheme.objects.filter(year=year, congress__in=counties).count() == counties.count() > 0
    assert DutySummary.objects.exists()
    provincial = User.objects.get(username="provincial_deputy").deputy
    assert provincial.seats.filter(congress__level="provincial").exists()
    if clock.today().month >= 10:
        bulletin = PointsBulletin.objects.get(congress=city, year=year, quarter=3)
        assert set(bulletin.contests.values_list("status", flat=True)) == {
            PointsContest.Status.PENDING,
            PointsContest.Status.UPHELD,
        }


@pytest.mark.parametrize("username", ["admin", "city_staff", "taishan_staff"])
def test_the_campaign_dashboard_and_the_funds_ledger_show_no_beneficiary_visitor_or_individual_donor(
    secrets, username
):
    """The campaign dashboard (page and every table's export), the ledger's export and the contributions API:
    no beneficiary, no visitor, and no individual donor's name (enterprises and organisations are named)."""
    from minsheng.accounts.models import DonorProfile, User
    from minsheng.activities.models import Campaign
    from minsheng.congresses.models import Congress
    from minsheng.insights.campaign_models import Contribution

    private = dict(secrets)
    for profile in DonorProfile.objects.filter(kind=DonorProfile.Kind.INDIVIDUAL):
        private[profile.name] = "individual donor"
    for name in (
        Contribution.objects.filter(donor_kind="individual")
        .exclude(donor_name="")
        .values_list("donor_name", flat=True)
    ):
        private[name] = "individual donor"
    campaign = Campaign.objects.get(name="绿美江门·人大代表在行动")
    client = Client()
    client.force_login(User.objects.get(username=username))
    url = f"/campaigns/{campaign.pk}/"
    texts = {}
    scopes = [
        None,
        *Congress.objects.filter(region_prefix__in=["440781", "440781111"]).values_list("pk", flat=True),
    ]
    for scope in scopes:
        query = f"?congress={scope}&" if scope else "?"
        page = client.get(url + query.rstrip("&?"))
        assert page.status_code == 200, url
        texts[url + query] = page.content.decode()
        for table in ("participation", "heat", "areas", "matters", "activities", "funds", "targets"):
            response = client.get(f"{url}{query}export={table}")
            assert response.status_code == 200, table
            texts[f"{url}{query}export={table}"] = xlsx_text(response.content)
    ledger = client.get("/funds/?format=xlsx")
    assert ledger.status_code == 200
    texts["/funds/?format=xlsx"] = xlsx_text(ledger.content)
    if username != "taishan_staff":  # the trees are planted in 蓬江区, outside Taishan's ledger
        assert "江门市绿源园林工程有限公司" in texts["/funds/?format=xlsx"]  # organisations are named
    api = client.get("/api/v1/contributions/?page_size=100")
    texts["/api/v1/contributions/"] = api.content.decode()
    found = {u: leaks(text, private) for u, text in texts.items()}
    assert not {u: hits for u, hits in found.items() if hits}
