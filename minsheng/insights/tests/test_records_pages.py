"""The duty record and points pages and API: a permission matrix (role × page), query budgets, the PDF, the
league's Excel export."""

from io import BytesIO

import pytest
import time_machine
from openpyxl import load_workbook

from minsheng.common.testing import matrix, status_for
from minsheng.insights import duty_record as DR
from minsheng.insights import points_services as S

from .records_data import activity, at, filed_case, reception

pytestmark = pytest.mark.django_db

# 陈海 (deputy_user) is a deputy of 海宴镇 in 台山; 区文 a deputy of 开平 (another county).
ROLES = ["anonymous", "himself", "other_deputy", "city_staff", "taishan_staff", "kaiping_staff", "admin_user"]


@pytest.fixture
def other_deputy(kaiping_deputy):
    from minsheng.accounts.models import User
    from minsheng.accounts.tests.factories import UserFactory

    return UserFactory(username="ouwen", role=User.Role.DEPUTY, deputy=kaiping_deputy)


@pytest.fixture
def himself(deputy_user):
    return deputy_user


@pytest.fixture
def world(town_deputy, haiyan_congress, station, city_staff, taishan_staff):
    """陈海's duties, a scheme of 海宴镇 for 2026 and its Q3 bulletin."""
    activity(congress=haiyan_congress, code="group", by=city_staff, participants={town_deputy: "present"})
    reception(station=station, deputies=[town_deputy], by=city_staff)
    filed_case(congress=haiyan_congress, lead=town_deputy, by=city_staff, place=station.place)
    with time_machine.travel(at(2026, 10, 8), tick=False):
        S.points_scheme_create(
            actor=taishan_staff,
            congress=haiyan_congress,
            year=2026,
            rules={"reception": (5, 5, 30), "activity_group": (4, 4, 20)},
        )
        bulletin = S.points_bulletin_publish(
            actor=taishan_staff, congress=haiyan_congress, year=2026, quarter=3
        )
    DR.refresh_duty_summaries([town_deputy.pk])
    return {"deputy": town_deputy, "congress": haiyan_congress, "bulletin": bulletin}


def _urls(world) -> dict:
    d, c, b = world["deputy"].pk, world["congress"].pk, world["bulletin"].pk
    return {
        "record": f"/deputies/{d}/record/",
        "record_year": f"/deputies/{d}/record/?year=2026&congress={c}",
        "public": f"/deputies/{d}/record/public/",
        "api": f"/api/v1/deputies/{d}/record/",
        "api_public": f"/api/v1/deputies/{d}/record/?public=1",
        "league": f"/points/{c}/2026/",
        "league_xlsx": f"/points/{c}/2026/?format=xlsx",
        "scheme": f"/points/{c}/2026/scheme/",
        "bulletin": f"/points/bulletins/{b}/",
        "public_pdf": f"/deputies/{d}/record/public/record.pdf",
        "api_league": f"/api/v1/points/{c}/2026/",
        "api_league_q": f"/api/v1/points/{c}/2026/?q=陈&delegation=五丰村代表小组",
    }


# Anonymous visitors are sent to sign in (302) from the pages, 401/403 from the API.
PAGES = [
    (
        "record",
        matrix(
            ROLES,
            anonymous=302,
            himself=200,
            other_deputy=403,
            city_staff=200,
            taishan_staff=200,
            kaiping_staff=403,
            admin_user=200,
        ),
    ),
    (
        "record_year",
        matrix(
            ROLES,
            anonymous=302,
            himself=200,
            other_deputy=403,
            city_staff=200,
            taishan_staff=200,
            kaiping_staff=403,
            admin_user=200,
        ),
    ),
    (
        "public",
        matrix(
            ROLES,
            anonymous=200,
            himself=200,
            other_deputy=200,
            city_staff=200,
            taishan_staff=200,
            kaiping_staff=200,
            admin_user=200,
        ),
    ),
    (
        "api",
        matrix(
            ROLES,
            anonymous=403,
            himself=200,
            other_deputy=403,
            city_staff=200,
            taishan_staff=200,
            kaiping_staff=403,
            admin_user=200,
        ),
    ),
    (
        "api_public",
        matrix(
            ROLES,
            anonymous=403,
            himself=200,
            other_deputy=200,
            city_staff=200,
            taishan_staff=200,
            kaiping_staff=200,
            admin_user=200,
        ),
    ),
    (
        "league",
        matrix(
            ROLES,
            anonymous=302,
            himself=200,
            other_deputy=403,
            city_staff=200,
            taishan_staff=200,
            kaiping_staff=403,
            admin_user=200,
        ),
    ),
    (
        "league_xlsx",
        matrix(
            ROLES,
            anonymous=302,
            himself=200,
            other_deputy=403,
            city_staff=200,
            taishan_staff=200,
            kaiping_staff=403,
            admin_user=200,
        ),
    ),
    (
        "scheme",
        matrix(
            ROLES,
            anonymous=302,
            himself=200,
            other_deputy=403,
            city_staff=200,
            taishan_staff=200,
            kaiping_staff=403,
            admin_user=200,
        ),
    ),
    (
        "public_pdf",
        matrix(
            ROLES,
            anonymous=200,
            himself=200,
            other_deputy=200,
            city_staff=200,
            taishan_staff=200,
            kaiping_staff=200,
            admin_user=200,
        ),
    ),
    (
        "api_league",
        matrix(
            ROLES,
            anonymous=403,
            himself=200,
            other_deputy=403,
            city_staff=200,
            taishan_staff=200,
            kaiping_staff=403,
            admin_user=200,
        ),
    ),
    (
        "api_league_q",
        matrix(
            ROLES,
            anonymous=403,
            himself=200,
            other_deputy=403,
            city_staff=200,
            taishan_staff=200,
            kaiping_staff=403,
            admin_user=200,
        ),
    ),
    (
        "bulletin",
        matrix(
            ROLES,
            anonymous=302,
            himself=200,
            other_deputy=403,
            city_staff=200,
            taishan_staff=200,
            kaiping_staff=403,
            admin_user=200,
        ),
    ),
]
CASES = [(page, role, expected) for page, rows in PAGES for role, expected in rows]


@pytest.mark.parametrize(("page", "role", "expected"), CASES)
def test_permission_matrix(client, world, user_of, page, role, expected):
    status = status_for(client, user_of(role), "get", _urls(world)[page])
    if role == "anonymous" and page.startswith("api"):
        assert status in (401, 403)
    else:
        assert status == expected


WRITES = [
    # (what, role, expected status) — a write refused answers 403; allowed ones redirect (302)
    ("refresh", "himself", 302),
    ("refresh", "other_deputy", 403),
    ("refresh", "kaiping_staff", 403),
    ("refresh", "taishan_staff", 302),
    ("publish", "himself", 403),
    ("publish", "kaiping_staff", 403),
    ("publish", "taishan_staff", 302),
    ("scheme", "himself", 403),
    ("scheme", "kaiping_staff", 403),
    ("scheme", "city_staff", 302),
    ("contest", "himself", 302),
    ("contest", "other_deputy", 403),
    ("contest", "city_staff", 403),
    ("award", "himself", 403),
    ("award", "kaiping_staff", 403),
    ("award", "taishan_staff", 302),
    ("award_edit", "himself", 403),
    ("award_edit", "other_deputy", 403),
    ("award_edit", "kaiping_staff", 403),
    ("award_edit", "taishan_staff", 302),
    ("award_edit", "city_staff", 302),
    ("award_withdraw", "himself", 403),
    ("award_withdraw", "other_deputy", 403),
    ("award_withdraw", "kaiping_staff", 403),
    ("award_withdraw", "taishan_staff", 302),
    ("award_withdraw", "city_staff", 302),
]


@pytest.mark.parametrize(("what", "role", "expected"), WRITES)
def test_write_permissions(client, world, user_of, what, role, expected, taishan_staff):
    d, c, b = world["deputy"].pk, world["congress"].pk, world["bulletin"].pk
    award = S.duty_award_create(
        actor=taishan_staff,
        deputy=world["deputy"],
        congress=world["congress"],
        title="优秀代表",
        awarded_on=at(2026, 3, 1).date(),
        awarded_by="台山市人大常委会",
    )
    url, data = {
        "award_edit": (
            f"/deputies/{d}/record/awards/{award.pk}/edit/",
            {"title": "优秀人大代表", "awarded_on": "2026-03-02", "awarded_by": "台山市人大常委会"},
        ),
        "award_withdraw": (f"/deputies/{d}/record/awards/{award.pk}/withdraw/", {"reason": "重复登记"}),
        "refresh": (f"/deputies/{d}/record/refresh/", {}),
        "publish": (f"/points/{c}/2026/bulletins/", {"quarter": "2"}),
        "scheme": (
            f"/points/{c}/2026/scheme/",
            {"reception_base": "5", "reception_increment": "5", "reception_cap": "20"},
        ),
        "contest": (
            f"/points/bulletins/{b}/contest/",
            {"kind": "reception", "ground": "missing", "reason": "漏计"},
        ),
        "award": (
            f"/deputies/{d}/record/awards/",
            {
                "title": "优秀代表",
                "awarded_on": "2026-03-01",
                "awarded_by": "台山市人大常委会",
                "congress": str(c),
            },
        ),
    }[what]
    with time_machine.travel(at(2026, 10, 9), tick=False):
        assert status_for(client, user_of(role), "post", url, data) == expected
    award.refresh_from_db()
    if what == "award_edit":  # the write happened only when allowed
        assert (award.title == "优秀人大代表") == (expected == 302)
    if what == "award_withdraw":
        assert (award.withdrawn_at is not None) == (expected == 302)


def test_a_contest_is_decided_on_the_bulletin_page(client, world, deputy_user, taishan_staff):
    b = world["bulletin"]
    with time_machine.travel(at(2026, 10, 9), tick=False):
        client.force_login(deputy_user)
        client.post(
            f"/points/bulletins/{b.pk}/contest/", {"kind": "reception", "ground": "missing", "reason": "漏计"}
        )
        contest = b.contests.get()
        client.force_login(taishan_staff)
        response = client.post(
            f"/points/contests/{contest.pk}/decide/", {"decision": "uphold", "delta": "5", "reason": "属实"}
        )
        assert response.status_code == 302
        page = client.get(f"/points/{world['congress'].pk}/2026/").content.decode()
        client.force_login(deputy_user)
        record = client.get(f"/deputies/{world['deputy'].pk}/record/?year=2026")
    contest.refresh_from_db()
    assert contest.status == "upheld"
    assert "14.0" in page  # 5 + 4 + 5
    html = record.content.decode()
    assert 'data-testid="points-adjustment"' in html and "属实" in html  # the adjustment, on the record
    assert record.context["points"][0].total == 14 and record.context["points"][0].scheme.version == 1


def test_the_record_page_within_its_query_budget(client, world, deputy_user, django_assert_max_num_queries):
    client.force_login(deputy_user)
    with django_assert_max_num_queries(25):
        assert client.get(_urls(world)["record"]).status_code == 200


def test_the_league_within_its_query_budget(
    client, world, taishan_staff, django_assert_max_num_queries, haiyan_term
):
    from minsheng.voting.tests.factories import make_electorate

    make_electorate(haiyan_term, 60, with_users=False)
    scheme = S.scheme_in_force(world["congress"], 2026)
    S.points_compute(scheme=scheme)
    client.force_login(taishan_staff)
    with django_assert_max_num_queries(20):
        response = client.get(_urls(world)["league"])
    assert response.status_code == 200
    assert len(response.context["page_rows"]) == 50  # paged


def test_the_league_export_shows_the_numbers(client, world, taishan_staff):
    client.force_login(taishan_staff)
    response = client.get(_urls(world)["league_xlsx"])
    rows = list(load_workbook(BytesIO(response.content)).active.iter_rows(values_only=True))
    assert rows[1][1] == "陈海" and rows[1][-2] == 9.0 and rows[1][-1] == 1  # 5 + 4, scheme version 1


def test_the_api_gives_the_record_and_the_points(client, world, deputy_user):
    client.force_login(deputy_user)
    data = client.get(f"/api/v1/deputies/{world['deputy'].pk}/record/?year=2026").json()
    assert data["counts"]["reception"] == 1 and data["counts"]["activity_group"] == 1
    assert data["points"][0]["scheme_version"] == 1 and data["points"][0]["total"] == "9.0"
    public = client.get(f"/api/v1/deputies/{world['deputy'].pk}/record/?public=1").json()
    assert "points" not in public and public["leave"] == [] and "number" not in (public["led"] or [{}])[0]


def test_the_pdf(client, world, deputy_user):
    client.force_login(deputy_user)
    response = client.get(f"/deputies/{world['deputy'].pk}/record/record.pdf")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    from urllib.parse import unquote

    name = unquote(response["Content-Disposition"].split("filename*=UTF-8''", 1)[1])
    assert name == f"履职档案-{world['deputy'].name}.pdf"


def test_the_public_record_shows_no_personal_data(client, world):
    deputy = world["deputy"]
    html = client.get(f"/deputies/{deputy.pk}/record/public/").content.decode()
    assert deputy.name in html
    assert deputy.id_number not in html and str(deputy.birth_date) not in html
    assert "五丰村路口增设路灯" not in html  # the case's title: only public summaries


def test_the_record_is_read_from_the_cache_until_the_deputy_is_recounted(
    client, world, deputy_user, city_staff, haiyan_congress
):
    """A second look reads none of the wings' tables (the record comes from the cache); an activity recorded
    since shows once the deputy's summary is recounted (the worker within 10 minutes, or the button), in
    the counts and in the list alike; the public version is cached apart and never shows the full one."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(deputy_user)
    url = _urls(world)["record"]
    first = client.get(url)
    with CaptureQueriesContext(connection) as again:
        second = client.get(url)
    assert second.context["record"]["count"] == first.context["record"]["count"]
    wings = ("activities_", "stations_reception", "cases_case", "voting_elector")
    assert not [q["sql"] for q in again.captured_queries if any(t in q["sql"] for t in wings)]
    activity(
        congress=haiyan_congress,
        code="group",
        by=city_staff,
        participants={world["deputy"]: "present"},
        title="第二次小组活动",
    )
    assert client.get(url).context["record"]["count"]["activity_group"] == 1  # not recounted yet
    DR.refresh_duty_summaries([world["deputy"].pk])
    record = client.get(url).context["record"]
    assert record["count"]["activity_group"] == 2
    assert "第二次小组活动" in [a["title"] for a in record["activities"]]
    public = client.get(_urls(world)["public"]).context["record"]
    assert public["public"] and not record["public"]


def test_the_league_api_gives_the_rows_as_the_page_shows_them(
    client, world, taishan_staff, haiyan_term, django_assert_max_num_queries
):
    from minsheng.voting.tests.factories import make_electorate

    make_electorate(haiyan_term, 60, with_users=False)
    scheme = S.scheme_in_force(world["congress"], 2026)
    S.points_compute(scheme=scheme)
    client.force_login(taishan_staff)
    url = _urls(world)["api_league"]
    with django_assert_max_num_queries(20):
        data = client.get(url).json()
    page = client.get(_urls(world)["league"]).context
    assert data["count"] == len(page["table"].rows) >= 61
    assert len(data["results"]) == 50 and data["next"]
    assert data["scheme_version"] == scheme.version and data["year"] == 2026
    shown = [(r.rank, r.deputy_id, r.name, r.delegation, str(r.total)) for r in page["object_list"]]
    got = [
        (r["rank"], r["deputy"]["id"], r["deputy"]["name"], r["delegation"], r["total"])
        for r in data["results"]
    ]
    assert got == shown
    top = data["results"][0]
    assert top["deputy"]["name"] == "陈海" and top["rank"] == 1
    entries = {e["kind"]: e for e in top["entries"]}
    assert set(entries) == {"reception", "activity_group"}
    assert entries["reception"]["count"] == 1 and entries["reception"]["points"] == "5.0"
    assert entries["activity_group"]["points"] == "4.0" and not entries["activity_group"]["capped"]
    assert top["total"] == "9.0"
    second = client.get(url, {"page": 2}).json()
    assert len(second["results"]) == data["count"] - 50


def test_the_league_api_filters_as_the_page_does(client, world, taishan_staff, haiyan_term):
    from minsheng.voting.tests.factories import make_electorate

    make_electorate(haiyan_term, 5, with_users=False)
    S.points_compute(scheme=S.scheme_in_force(world["congress"], 2026))
    client.force_login(taishan_staff)
    league = _urls(world)["league"]
    api = _urls(world)["api_league"]
    for params in ({"q": "陈"}, {"delegation": "五丰村代表小组"}, {"q": "不存在的名字"}):
        page = client.get(league, params).context
        data = client.get(api, params).json()
        assert [r["deputy"]["id"] for r in data["results"]] == [r.deputy_id for r in page["object_list"]]
        assert [r["rank"] for r in data["results"]] == [r.rank for r in page["object_list"]]
    assert client.get(api, {"q": "x" * 51}).status_code == 400
    assert client.get(api, {"version": "abc"}).status_code == 400
    assert client.get("/api/v1/points/999999/2026/").status_code == 404


def _pdf_text(content: bytes) -> str:
    import shutil
    import subprocess
    from io import BytesIO

    if shutil.which("pdftotext"):
        done = subprocess.run(
            ["pdftotext", "-layout", "-", "-"], input=content, check=True, capture_output=True
        )
        return done.stdout.decode()
    from pypdf import PdfReader

    return "\n".join(p.extract_text() for p in PdfReader(BytesIO(content)).pages)


def test_the_public_pdf_shows_the_counts_and_no_personal_data(client, world, station, city_staff):
    import re

    deputy = world["deputy"]
    deputy.mobile = "13812345678"
    deputy.save()
    reception(station=station, deputies=[deputy], by=city_staff, name="李来访", phone="13712345678")
    DR.refresh_duty_summaries([deputy.pk])
    response = client.get(_urls(world)["public_pdf"])  # anonymous
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text = _pdf_text(response.content)
    flat = re.sub(r"\s+", "", text)
    assert deputy.name in flat
    for secret in (deputy.id_number, deputy.mobile, str(deputy.birth_date), "李来访", "13712345678"):
        assert secret not in flat, secret
    assert "五丰村路口增设路灯" not in flat  # a case's title: only public summaries
    record = DR.duty_record(deputy, public=True)
    shown = [row for row in record["counts"] if row["count"]]
    assert {r["kind"] for r in shown} >= {"reception", "activity_group", "suggestion_led"}
    for row in shown:
        assert re.search(rf"{re.escape(str(row['label']))}\s+{row['count']}\b", text), row
    assert record["count"]["reception"] == 2
