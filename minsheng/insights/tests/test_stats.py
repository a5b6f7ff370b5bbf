"""Statistics on a known story of cases: exact 办复率, 满意率, A–D shares, overdue counts and donations, scoped
to the viewer, with filters, on a page that stays within its query budget."""

import datetime as dt
from decimal import Decimal

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from minsheng.cases import services
from minsheng.cases.models import Case
from minsheng.common.testing import status_for, tiny_image
from minsheng.insights.stats import rate, stats_for

TODAY = dt.date(2026, 6, 1)
PNG = tiny_image("PNG")


def at(day: dt.date):
    return time_machine.travel(dt.datetime.combine(day, dt.time(10, 0)).astimezone(), tick=False)


def beneficiary(n: int) -> dict:
    from minsheng.common.idcard import with_check_digit

    return {
        "kind": "household",
        "group": "elderly_alone",
        "name": f"黄阿婆{n}",
        "id_number": with_check_digit(f"4407811948050612{n}"),
        "phone": f"1371234567{n}",
        "address": f"台山市海宴镇五丰村三巷{n}号",
    }


class Story:
    """Who does what in the story (the cast of conftest.py)."""

    def __init__(self, **people):
        self.__dict__.update(people)

    def wish(self, n: int, title: str) -> Case:
        case = services.case_create(
            actor=self.deputy_user,
            kind=Case.Kind.WISH,
            title=title,
            content=f"{title}。老人独居，行动不便。",
            congress=self.haiyan_congress,
            lead_deputy=self.deputy_user.deputy,
            place=self.station.place,
            station=self.station,
            category=Case.Category.MATERIAL,
            amount=Decimal("450"),
            beneficiary=beneficiary(n),
        )
        services.case_verify(
            actor=self.station_staff,
            case_id=case.pk,
            visited_on=dt.date.today(),
            visitors="联络站工作人员",
            findings="情况属实",
            confirmed=True,
        )
        return case

    def suggestion(self, title: str) -> Case:
        return services.case_create(
            actor=self.deputy_user,
            kind=Case.Kind.SUGGESTION,
            title=title,
            content=f"建议{title}。",
            congress=self.haiyan_congress,
            lead_deputy=self.deputy_user.deputy,
            place=self.station.place,
        )

    def file_and_assign(self, case: Case, *, cosigners=None, **units) -> Case:
        services.case_file(actor=self.deputy_user, case_id=case.pk, cosigners=cosigners)
        services.case_accept(actor=self.haiyan_staff, case_id=case.pk)
        return services.case_assign(actor=self.haiyan_staff, case_id=case.pk, **units)

    def answer(self, case: Case, handler, answer_class: str, *, round: int = 1, contact: str = ""):
        part = case.assignments.get(unit_id=handler.unit_id, round=round)
        services.assignment_acknowledge(actor=handler, assignment_id=part.pk)
        if contact:  # 见面 / 座谈 / 电话 with the deputy before answering
            services.handling_record_add(
                actor=handler,
                assignment_id=part.pk,
                kind=contact,
                happened_on=dt.date.today(),
                note="沟通办理意见",
            )
        return services.answer_submit(
            actor=handler,
            assignment_id=part.pk,
            answer_class=answer_class,
            text="经研究，已落实。",
            signed_by="李镇长",
        )


@pytest.fixture
def story(
    deputy_user,
    city_deputy,
    haiyan_congress,
    haiyan_staff,
    station,
    station_staff,
    haiyan_government,
    haiyan_handler,
    civil_affairs,
    civil_affairs_handler,
    donor,
    kaiping_staff,
    kaiping_deputy,
    kaiping_congress,
):
    """Six cases of 海宴镇 (filed 2026) and one of 开平市 (filed 2025), looked at on 2026-06-01:

    1. wish 轮椅: assigned 01-05 to the town government, on the wall, claimed, delivered and confirmed
       (realised, ¥450); answered A on time after meeting the deputy (见面); co-signer 曾丽 mostly satisfied,
       lead 陈海 satisfied: closed.
    2. suggestion 路灯: assigned 01-05 to the town government, answered B late (05-01 > 04-05); 不满意;
       reassigned to 市民政局, answered A after a forum with the deputies (座谈); mostly satisfied: closed.
    3. suggestion 排水: assigned 01-05 to the town government; no answer: overdue.
    4. suggestion 健身: assigned 05-20 (due 08-20): neither due nor overdue.
    5. wish 助听器: filed only.
    6. suggestion 道路: split between the town government (answered C on time, after a phone call) and
       市民政局 (no answer): overdue.
    7. 开平市 suggestion, filed 2025-11-03.
    """
    from minsheng.accounts.models import User
    from minsheng.accounts.tests.factories import UserFactory

    zeng = UserFactory(username="deputy_zeng", role=User.Role.DEPUTY, deputy=city_deputy)
    s = Story(
        deputy_user=deputy_user,
        haiyan_congress=haiyan_congress,
        haiyan_staff=haiyan_staff,
        station=station,
        station_staff=station_staff,
    )
    cases = {}
    with at(dt.date(2026, 1, 5)):
        cases[1] = s.wish(1, "为独居老人购置轮椅")
        s.file_and_assign(cases[1], cosigners=[city_deputy], lead=haiyan_government)
        services.cosign_respond(actor=zeng, case_id=cases[1].pk, confirm=True)
        services.wish_put_on_wall(actor=haiyan_staff, case_id=cases[1].pk, public_summary="独居老人需要轮椅")
        cases[2] = s.suggestion("增设村道路灯")
        s.file_and_assign(cases[2], lead=haiyan_government)
        cases[3] = s.suggestion("疏通排水渠")
        s.file_and_assign(cases[3], lead=haiyan_government)
        cases[6] = s.suggestion("修复村道")
        s.file_and_assign(cases[6], split=[haiyan_government, civil_affairs])
    with at(dt.date(2026, 1, 20)):
        claim = services.claim_create(actor=donor, case_id=cases[1].pk, kind="whole")
        services.claim_deliver(
            actor=donor, claim_id=claim.pk, photos=[SimpleUploadedFile("a.png", PNG, "image/png")]
        )
        services.claim_confirm(actor=station_staff, claim_id=claim.pk)
    with at(dt.date(2026, 2, 10)):
        s.answer(cases[1], haiyan_handler, "A", contact="meeting")
        s.answer(cases[6], haiyan_handler, "C", contact="phone")
        services.rating_submit(actor=zeng, case_id=cases[1].pk, value="mostly")
        services.rating_submit(actor=deputy_user, case_id=cases[1].pk, value="satisfied")
    with at(dt.date(2026, 5, 1)):
        s.answer(cases[2], haiyan_handler, "B")
        services.rating_submit(actor=deputy_user, case_id=cases[2].pk, value="dissatisfied", comment="未落实")
        services.case_assign(actor=haiyan_staff, case_id=cases[2].pk, lead=civil_affairs)
        s.answer(cases[2], civil_affairs_handler, "A", round=2, contact="forum")
        services.rating_submit(actor=deputy_user, case_id=cases[2].pk, value="mostly")
    with at(dt.date(2026, 5, 20)):
        cases[4] = s.suggestion("添置健身器材")
        s.file_and_assign(cases[4], lead=haiyan_government)
        cases[5] = s.wish(5, "为听障老人配助听器")
        services.case_file(actor=deputy_user, case_id=cases[5].pk)
    with at(dt.date(2025, 11, 3)):
        cases[7] = services.case_create(
            actor=kaiping_staff,
            kind=Case.Kind.SUGGESTION,
            title="开平碉楼保护",
            content="建议加强碉楼保护。",
            congress=kaiping_congress,
            lead_deputy=kaiping_deputy,
            place=kaiping_congress.place,
        )
        services.case_file(actor=kaiping_staff, case_id=cases[7].pk)
    return cases


def test_a_rate_is_a_percentage_with_one_decimal_or_none():
    assert rate(2, 3) == Decimal("66.7")
    assert rate(1, 8) == Decimal("12.5")
    assert rate(0, 0) is None


def test_the_town_staff_see_exact_figures_for_their_congress(story, haiyan_staff):
    stats = stats_for(haiyan_staff, today=TODAY)
    total = stats.total
    assert total.cases == 6
    assert total.by_kind == {"wish": 2, "micro_project": 0, "suggestion": 4}
    assert total.by_status["closed"] == 2 and total.by_status["assigned"] == 3
    assert total.by_status["filed"] == 1
    # 办复率: first-round answering parts 1, 2, 3, 4, 6 town, 6 市民政局; answered 1, 2 and 6 town.
    assert (total.answered, total.assigned, total.answer_rate) == (3, 6, Decimal("50.0"))
    # 按时办复率: due = 1, 2 (late), 3 (overdue), 6 town (on time), 6 市民政局 (overdue); on time = 1, 6 town.
    assert (total.answers_due, total.answered_on_time) == (5, 2)
    assert total.on_time_rate == Decimal("40.0")
    # 满意率: the final ratings, 陈海's of the last round: case 1 satisfied, case 2 (round 2) mostly; 曾丽's
    # rating and case 2's first-round 不满意 are not counted.
    assert (total.satisfied, total.ratings) == (2, 2)
    assert total.satisfaction_rate == Decimal("100.0")
    assert total.unrated == 0
    assert total.by_class == {"A": 2, "B": 1, "C": 1}
    # 见面率: case 1 (见面) and case 2's second answer (座谈) of 4 answers; case 6's phone call does not count.
    assert (total.answers_met, total.answers, total.meeting_rate) == (2, 4, Decimal("50.0"))
    # 落实率: A, B, A of 4 answers (C is not 落实).
    assert (total.answers_implemented, total.implemented_rate) == (3, Decimal("75.0"))
    assert total.shares == [Decimal("50.0"), Decimal("25.0"), Decimal("25.0"), Decimal("0.0")]
    assert stats.class_codes == ["A", "B", "C", "D"]
    assert total.overdue == 2
    assert total.wishes_realised == 1 and total.value_donated == Decimal("450")
    assert [row.label for row in stats.by_congress] == ["海宴镇人民代表大会"]


def test_per_unit_each_counts_its_own_parts_answers_and_the_ratings_of_its_rounds(story, haiyan_staff):
    units = {row.label: row for row in stats_for(haiyan_staff, today=TODAY).by_unit}
    town, civil = units["海宴镇人民政府"], units["江门市民政局"]
    assert town.cases == 5 and civil.cases == 2
    assert (town.answered_on_time, town.answers_due, town.on_time_rate) == (2, 4, Decimal("50.0"))
    assert (civil.answered_on_time, civil.answers_due, civil.on_time_rate) == (0, 1, Decimal("0.0"))
    assert (town.answered, town.assigned, town.answer_rate) == (3, 5, Decimal("60.0"))
    assert (civil.answered, civil.assigned, civil.answer_rate) == (0, 1, Decimal("0.0"))  # round 2 not again
    assert town.overdue == 1 and civil.overdue == 1
    # The final rating counts for the units that answered the last round: case 1 for the town, case 2's
    # round 2 for 市民政局 (the town's round-1 answer of case 2 was judged 不满意, then handled again).
    assert (town.satisfied, town.ratings, town.satisfaction_rate) == (1, 1, Decimal("100.0"))
    assert (civil.satisfied, civil.ratings) == (1, 1)
    assert town.by_class == {"A": 1, "B": 1, "C": 1} and civil.by_class == {"A": 1}
    assert (town.answers_met, town.answers_implemented) == (1, 2)
    assert (civil.answers_met, civil.answers_implemented) == (1, 1)
    assert town.wishes_realised is None and town.value_donated is None


def test_a_case_closed_as_not_rated_counts_as_answered_and_not_rated_not_as_rated(
    story, haiyan_staff, haiyan_handler
):
    s = Story(haiyan_staff=haiyan_staff)
    with at(dt.date(2026, 3, 2)):
        s.answer(story[3], haiyan_handler, "D")  # rated by 04-02
    with at(dt.date(2026, 4, 3)):
        services.case_close_unrated(actor=haiyan_staff, case_id=story[3].pk)
    stats = stats_for(haiyan_staff, today=TODAY)
    total, town = stats.total, {row.label: row for row in stats.by_unit}["海宴镇人民政府"]
    assert total.unrated == 1 and stats.by_congress[0].unrated == 1 and town.unrated == 1
    assert (total.satisfied, total.ratings) == (2, 2)
    assert (total.answered, total.assigned) == (4, 6)
    assert total.overdue == 1  # case 6 only
    assert (total.answers_implemented, total.answers) == (3, 5)  # D is not 落实


def test_which_answer_classes_count_as_implemented_is_the_congress_s_rule(
    story, haiyan_staff, haiyan_congress
):
    from minsheng.cases.models import CaseRules

    CaseRules.objects.create(congress=haiyan_congress, implemented_classes=["A"])
    total = stats_for(haiyan_staff, today=TODAY).total
    assert (total.answers_implemented, total.answers, total.implemented_rate) == (2, 4, Decimal("50.0"))


def test_the_page_states_the_definitions_under_the_tables(story, client, haiyan_staff):
    client.force_login(haiyan_staff)
    with at(TODAY):
        html = client.get(reverse("insights:case_stats")).content.decode()
    legend = html[html.index('data-testid="definitions"') :]
    for term in ("办复率", "按时办复率", "满意率", "未反馈", "见面率", "落实率"):
        assert f'<dt class="col-md-3 fw-semibold">{term}</dt>' in legend
    assert "A、B" in legend


def test_the_county_of_a_case_is_the_county_level_prefix_of_its_place(story, city_staff):
    counties = {row.key: row for row in stats_for(city_staff, today=TODAY).by_county}
    assert set(counties) == {"440781", "440783"}
    assert counties["440781"].label == "台山市" and counties["440781"].cases == 6
    assert counties["440783"].label == "开平市" and counties["440783"].cases == 1


def test_the_city_staff_see_both_counties_and_filters_narrow_the_figures(story, city_staff, haiyan_congress):
    assert stats_for(city_staff, today=TODAY).total.cases == 7
    assert stats_for(city_staff, today=TODAY, year=2026).total.cases == 6
    assert stats_for(city_staff, today=TODAY, year=2025).total.cases == 1
    wishes = stats_for(city_staff, today=TODAY, kind="wish").total
    assert wishes.cases == 2 and wishes.answers_due == 1 and wishes.on_time_rate == Decimal("100.0")
    assert stats_for(city_staff, today=TODAY, congress_id=haiyan_congress.pk).total.cases == 6


def test_kaiping_staff_see_none_of_haiyans_cases_in_the_statistics(story, kaiping_staff):
    stats = stats_for(kaiping_staff, today=TODAY)
    assert stats.total.cases == 1
    assert [row.label for row in stats.by_congress] == ["开平市人民代表大会"]
    assert stats.by_unit == [] and stats.total.ratings == 0 and stats.total.value_donated == 0
    assert [row.key for row in stats.by_county] == ["440783"]


def test_drafts_do_not_count(deputy_user, haiyan_staff, wish):
    assert stats_for(haiyan_staff).total.cases == 0


def test_the_page_shows_the_figures_and_the_chart_data_without_inline_script(story, client, haiyan_staff):
    client.force_login(haiyan_staff)
    with at(TODAY):
        response = client.get(reverse("insights:case_stats"))
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="stats-data" type="application/json"' in html
    assert "echarts.min.js" in html and "insights/stats/stats.js" in html
    assert "<script>" not in html  # CSP: only external scripts and JSON data
    assert response.context["stats"].total.on_time_rate == Decimal("40.0")
    assert "海宴镇人民政府" in html and "75.0%" in html and "50.0%" in html


def test_the_year_and_kind_filters_of_the_page(story, client, city_staff):
    client.force_login(city_staff)
    with at(TODAY):
        response = client.get(reverse("insights:case_stats"), {"year": "2025"})
        assert response.context["stats"].total.cases == 1
        response = client.get(reverse("insights:case_stats"), {"kind": "wish", "year": ""})
        assert response.context["stats"].total.cases == 2
        response = client.get(reverse("insights:case_stats"), {"year": "nonsense", "kind": "wish"})
        assert response.status_code == 200 and response.context["form"].errors["year"]
        assert response.context["stats"].total.cases == 2  # the wrong year is ignored, the kind kept


def test_the_statistics_page_stays_within_its_query_budget(
    story, client, city_staff, django_assert_max_num_queries
):
    client.force_login(city_staff)
    with at(TODAY), django_assert_max_num_queries(25):
        response = client.get(reverse("insights:case_stats"))
    assert response.status_code == 200


def test_the_excel_export_has_a_sheet_per_congress_county_and_unit(story, client, haiyan_staff):
    from io import BytesIO

    from openpyxl import load_workbook

    client.force_login(haiyan_staff)
    with at(TODAY):
        response = client.get(reverse("insights:case_stats_export"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    book = load_workbook(BytesIO(response.content))
    assert len(book.sheetnames) == 4
    congress, county, unit, definitions = (book[name] for name in book.sheetnames)
    rows = list(congress.values)
    assert rows[1][0] == "海宴镇人民代表大会" and rows[1][1] == 6
    header = list(rows[0])
    assert rows[-1][header.index(header[1])] == 6  # the total row
    total = dict(zip(header, rows[-1], strict=True))
    assert (total["交办件数（分办按单位计）"], total["已办复件数"], total["办复率（%）"]) == (6, 3, 50.0)
    assert total["按时办复率（%）"] == 40.0 and total["满意率（%）"] == 100.0 and total["未反馈"] == 0
    assert total["见面率（%）"] == 50.0 and total["落实率（%）"] == 75.0
    assert list(county.values)[1][0] == "台山市"
    assert {r[0] for r in list(unit.values)[1:]} == {"海宴镇人民政府", "江门市民政局"}
    terms = [r[0] for r in list(definitions.values)[1:]]
    assert terms[:6] == ["办复率", "按时办复率", "满意率", "未反馈", "见面率", "落实率"]
    assert all(r[1] for r in list(definitions.values)[1:])


@pytest.mark.parametrize(
    "who, expected",
    [
        (None, 302),
        ("admin_user", 200),
        ("city_staff", 200),
        ("haiyan_staff", 200),
        ("kaiping_staff", 200),
        ("deputy_user", 403),
        ("station_staff", 403),
        ("haiyan_handler", 403),
        ("donor", 403),
    ],
)
@pytest.mark.parametrize("url_name", ["insights:case_stats", "insights:case_stats_export"])
def test_permission_matrix_of_the_statistics(request, client, haiyan_staff, who, expected, url_name):
    user = request.getfixturevalue(who) if who else None
    assert status_for(client, user, "get", reverse(url_name)) == expected


def _body_rows(html: str, testid: str) -> list[str]:
    """The row headers of the body of the page's table `testid`."""
    import re

    table = re.search(rf'<table[^>]*data-testid="{testid}">(.*?)</table>', html, re.S)
    assert table, testid
    body = re.search(r"<tbody>(.*?)</tbody>", table.group(1), re.S).group(1)
    return [label.strip() for label in re.findall(r'<th scope="row"[^>]*>(.*?)</th>', body, re.S)]


def _next_link(html: str, testid: str) -> str | None:
    import re
    from html import unescape

    nav = re.search(rf'<nav[^>]*data-testid="{testid}-pages">(.*?)</nav>', html, re.S)
    if nav is None:
        return None
    links = re.findall(r'<a class="page-link" href="([^"]*)">([^<]*)</a>', nav.group(1))
    return next((unescape(href).split("#")[0] for href, text in links if text == "Next"), None)


def test_each_big_table_shows_a_bounded_page_and_its_links_reach_every_row(
    story, client, city_staff, monkeypatch
):
    from minsheng.insights import views as stats_views

    monkeypatch.setattr(stats_views, "TABLE_ROWS", 1)
    client.force_login(city_staff)
    with at(TODAY):
        figures = stats_for(city_staff, today=TODAY)
        expected = {
            "by-county": [row.label for row in figures.by_county],
            "by-congress": [row.label for row in figures.by_congress],
            "by-status": [row.label for row in figures.by_congress],
            "by-unit": [row.label for row in figures.by_unit],
        }
        assert all(len(labels) == 2 for labels in expected.values())
        for testid, labels in expected.items():
            url, seen = reverse("insights:case_stats") + "?year=", []
            while url:
                response = client.get(url, HTTP_ACCEPT_LANGUAGE="en")
                assert response.status_code == 200
                html = response.content.decode()
                rows = _body_rows(html, testid)
                assert len(rows) <= 1
                seen += rows
                for other in expected:  # the other tables stay on a page of their own
                    assert len(_body_rows(html, other)) <= 1
                assert response.context["stats"].total.cases == 7  # the figures are not paged
                following = _next_link(html, testid)
                assert following is None or "year=" in following  # the filters are kept
                url = following and reverse("insights:case_stats") + following
            assert seen == labels


def test_a_table_page_out_of_range_shows_its_last_page_and_the_export_keeps_every_row(
    story, client, city_staff, monkeypatch
):
    from io import BytesIO

    from openpyxl import load_workbook

    from minsheng.insights import views as stats_views

    monkeypatch.setattr(stats_views, "TABLE_ROWS", 1)
    client.force_login(city_staff)
    with at(TODAY):
        figures = stats_for(city_staff, today=TODAY)
        page = client.get(reverse("insights:case_stats"), {"unit_page": "99", "county_page": "x"})
        html = page.content.decode()
        assert _body_rows(html, "by-unit") == [figures.by_unit[-1].label]
        assert _body_rows(html, "by-county") == [figures.by_county[0].label]
        assert "unit_page" not in page.context["query"]  # the export's link carries the filters only
        book = load_workbook(
            BytesIO(client.get(reverse("insights:case_stats_export"), {"unit_page": "2"}).content)
        )
    congress, county, unit, _definitions = (book[name] for name in book.sheetnames)
    assert [r[0] for r in list(unit.values)[1:]] == [row.label for row in figures.by_unit]
    assert [r[0] for r in list(congress.values)[1:-1]] == [row.label for row in figures.by_congress]
