"""The work lists: a deputy's and staff's cases with their filters, queues and clocks; a unit's inbox; a donor's
claims; the "my work" counts of the home pages; and the query budgets of the list, the inbox, the wall and the
case page (20 more cases must not cost one query more)."""

# ruff: noqa: F401, F811 - fixtures imported by name from pages_fixtures

import datetime as dt

import pytest
import time_machine
from django.urls import reverse

from minsheng.cases import services
from minsheng.cases.models import Case

from .pages_fixtures import (
    answered,
    cosigned_wish,
    cosigner_user,
    count_queries,
    make_wishes,
    world,
)


def at(day: dt.date):
    return time_machine.travel(dt.datetime.combine(day, dt.time(10, 0)).astimezone(), tick=False)


def listed(client, user, **params) -> list[int]:
    client.force_login(user)
    response = client.get(reverse("cases:list"), params)
    assert response.status_code == 200
    return [case.pk for case in response.context["object_list"]]


@pytest.fixture
def suggestion(deputy_user, station):
    """A draft suggestion of 陈海 about a street lamp."""
    return services.case_create(
        actor=deputy_user,
        kind="suggestion",
        title="五丰村路口安装路灯",
        content="路口夜间无照明，村民出行不便。",
        congress=station.congress,
        lead_deputy=deputy_user.deputy,
        place=station.place,
    )


def test_a_deputy_sees_his_own_and_cosigned_cases(
    client, cosigned_wish, suggestion, deputy_user, cosigner_user
):
    assert set(listed(client, deputy_user)) == {cosigned_wish.pk, suggestion.pk}
    assert listed(client, cosigner_user) == [cosigned_wish.pk]


def test_the_list_filters_by_kind_status_text_and_deputy(client, cosigned_wish, suggestion, haiyan_staff):
    assert listed(client, haiyan_staff, kind="suggestion") == [suggestion.pk]
    assert listed(client, haiyan_staff, status="filed") == [cosigned_wish.pk]
    assert listed(client, haiyan_staff, q="路灯") == [suggestion.pk]
    assert listed(client, haiyan_staff, q="轮椅") == [cosigned_wish.pk]
    assert set(listed(client, haiyan_staff, deputy="陈海")) == {cosigned_wish.pk, suggestion.pk}
    assert listed(client, haiyan_staff, deputy="曾丽") == [cosigned_wish.pk]  # the co-signer
    assert listed(client, haiyan_staff, deputy="无此人") == []


def test_the_list_filters_by_place_unit_dates_and_priority(
    client, world, suggestion, haiyan_staff, haiyan_government, education_bureau
):
    case = world["case"]
    assert set(listed(client, haiyan_staff, county="440781")) == {case.pk, suggestion.pk}
    assert listed(client, haiyan_staff, place="440783") == []
    assert listed(client, haiyan_staff, unit=haiyan_government.pk) == [case.pk]
    assert listed(client, haiyan_staff, unit=education_bureau.pk) == []
    today = dt.date.today()
    assert listed(client, haiyan_staff, filed_from=today.isoformat(), filed_to=today.isoformat()) == [case.pk]
    assert listed(client, haiyan_staff, filed_to=(today - dt.timedelta(days=1)).isoformat()) == []
    assert listed(client, haiyan_staff, priority="on") == []
    services.case_mark_priority(
        actor=haiyan_staff,
        case_id=case.pk,
        priority=True,
        meeting_date=today,
        meeting_name="第2次主任会议",
        proposed_by="代表工委",
    )
    assert listed(client, haiyan_staff, priority="on") == [case.pk]


def test_a_bad_filter_is_ignored_not_an_error(client, world, haiyan_staff):
    assert listed(client, haiyan_staff, place="abc", filed_from="not-a-date", unit="x") == [world["case"].pk]


def test_staff_queues_count_and_list_late_assignments(client, deputy_user, station, haiyan_staff, suggestion):
    with at(dt.date(2025, 9, 26)):
        services.case_file(actor=deputy_user, case_id=suggestion.pk)
    suggestion.refresh_from_db()
    # 5 working days after 2025-09-26 (National Day holidays and the 调休 Saturday 09-28 included)
    assert suggestion.assign_due == dt.date(2025, 10, 10)
    with at(dt.date(2025, 10, 9)):
        client.force_login(haiyan_staff)
        response = client.get(reverse("cases:list"))
        counts = {key: n for key, _label, n in response.context["queues"]}
        assert counts["to_review"] == 1 and counts["late_assign"] == 0
        clock = response.context["object_list"][0].clock
        assert (clock["what"], clock["days"], clock["late"]) == ("assign", 1, False)
    with at(dt.date(2025, 10, 13)):
        client.force_login(haiyan_staff)  # a new day, a new session
        response = client.get(reverse("cases:list"), {"queue": "late_assign"})
        assert [c.pk for c in response.context["object_list"]] == [suggestion.pk]
        body = response.content.decode()
        assert 'data-testid="count-late_assign">1<' in body
        assert 'data-late="1"' in body and "text-bg-danger" in body


def test_the_answer_clock_turns_red_when_overdue(client, world, haiyan_staff):
    case = world["case"]
    with at(case.answer_due + dt.timedelta(days=2)):
        client.force_login(haiyan_staff)
        response = client.get(reverse("cases:list"), {"queue": "overdue"})
        assert [c.pk for c in response.context["object_list"]] == [case.pk]
        assert response.context["object_list"][0].clock["late_by"] == 2
        detail = client.get(reverse("cases:detail", args=[case.pk])).content.decode()
        assert 'data-late="1"' in detail


def test_a_deputy_has_a_to_rate_tab(client, answered, deputy_user):
    client.force_login(deputy_user)
    response = client.get(reverse("cases:list"), {"queue": "to_rate"})
    assert response.context["queues"][0][2] == 1
    assert [c.pk for c in response.context["object_list"]] == [answered.pk]


def test_lists_paginate_and_keep_their_filters(
    client, deputy_user, station, station_staff, haiyan_staff, haiyan_government
):
    make_wishes(
        27,
        deputy_user=deputy_user,
        station=station,
        station_staff=station_staff,
        haiyan_staff=haiyan_staff,
        unit=haiyan_government,
        on_wall=False,
    )
    client.force_login(haiyan_staff)
    response = client.get(reverse("cases:list"), {"kind": "wish"})
    assert len(response.context["object_list"]) == 25
    assert "?kind=wish&page=2" in response.content.decode()
    assert len(client.get(reverse("cases:list"), {"kind": "wish", "page": 2}).context["object_list"]) == 2


# --- inbox, claims, my work --------------------------------------------------------------------------------


def test_the_inbox_lists_the_units_assignments_with_a_status_filter(client, world, haiyan_handler):
    client.force_login(haiyan_handler)
    response = client.get(reverse("cases:inbox"))
    assert [a.pk for a in response.context["object_list"]] == [world["lead"].pk]
    assert list(client.get(reverse("cases:inbox"), {"status": "handling"}).context["object_list"]) == []


def test_the_inbox_marks_an_overdue_answer_in_red(client, world, haiyan_handler):
    with at(world["lead"].answer_due + dt.timedelta(days=1)):
        client.force_login(haiyan_handler)
        body = client.get(reverse("cases:inbox")).content.decode()
    assert 'data-late="1"' in body and "text-bg-danger" in body


def test_the_donors_claims_page_shows_the_delivery_contact_only_while_live(
    client, world, donor, station_staff
):
    client.force_login(donor)
    assert "13712345678" in client.get(reverse("cases:claims")).content.decode()
    from .pages_fixtures import photo

    services.claim_deliver(actor=donor, claim_id=world["claim"].pk, photos=[photo()])
    body = client.get(reverse("cases:claims")).content.decode()
    assert "13712345678" not in body and 'data-testid="claim-status"' in body


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("haiyan_staff", {"To review": 0, "To assign": 0, "Late to assign": 0}),
        ("deputy_user", {"Open cases": 1, "To rate": 0}),
        ("station_staff", {"Open cases": 1, "Wishes to verify at home": 0, "Deliveries to confirm": 0}),
        ("haiyan_handler", {"To acknowledge": 1, "Handling": 0, "Overdue": 0}),
        ("donor", {"Claims to deliver": 1}),
    ],
)
def test_my_work_counts_each_roles_work(client, request, world, role, expected):
    from django.utils import translation

    client.force_login(request.getfixturevalue(role))
    rows = client.get(reverse("cases:my_work"), HTTP_ACCEPT_LANGUAGE="en").context["rows"]
    counts = {str(label): n for label, n, _url in rows}
    assert {key: counts[key] for key in expected} == expected


def test_the_home_page_loads_my_work_with_htmx(client, deputy_user):
    client.force_login(deputy_user)
    body = client.get(reverse("home")).content.decode()
    assert f'hx-get="{reverse("cases:my_work")}"' in body


# --- query budgets -----------------------------------------------------------------------------------------


@pytest.fixture
def twenty_more(deputy_user, station, station_staff, haiyan_staff, haiyan_government):
    def make():
        return make_wishes(
            20,
            deputy_user=deputy_user,
            station=station,
            station_staff=station_staff,
            haiyan_staff=haiyan_staff,
            unit=haiyan_government,
        )

    return make


@pytest.mark.parametrize(
    ("role", "page", "budget"),
    [
        # issue 12: + 1 for the navigation's unread notifications where the page had no room left
        ("haiyan_staff", "list", 17 + 1),  # 9 of them count the queues
        ("deputy_user", "list", 7),
        ("haiyan_handler", "inbox", 6),
        ("anonymous", "wall", 4),
        ("donor", "wall", 6),
        # the case page: +1 for the units' extension requests (延期)
        ("haiyan_staff", "detail", 21 + 1),
        ("deputy_user", "detail", 19 + 1),
        ("haiyan_handler", "detail", 20 + 1),
    ],
)
def test_pages_stay_within_budget_whatever_the_number_of_cases(
    client, request, settings, world, twenty_more, role, page, budget
):
    # the page as rendered, not as the public cache serves it (test_pages_public_cache.py)
    settings.MINSHENG = {**settings.MINSHENG, "PUBLIC_PAGE_CACHE": False}
    if role != "anonymous":
        client.force_login(request.getfixturevalue(role))
    url = reverse(f"cases:{page}", args=[world["case"].pk]) if page == "detail" else reverse(f"cases:{page}")
    cold = count_queries(client, url)  # the region's congress ids and the queue counts are kept: then warm
    assert cold <= budget
    before = count_queries(client, url)
    twenty_more()
    after = count_queries(client, url)
    assert after == before
    assert after <= budget


def test_the_staff_list_counts_its_queues_again_only_after_a_case_of_the_region_changed(
    client, world, haiyan_staff, django_capture_on_commit_callbacks
):
    """Issue 13: the queries of the queue counts (and the region's congress ids, the drop-downs) are kept (per region and day) until a service that
    changes a case of the region commits."""
    client.force_login(haiyan_staff)
    url = reverse("cases:list")
    cold = count_queries(client, url)
    warm = count_queries(client, url)
    assert (
        warm <= 6 and cold == 18
    )  # warm: no queue count, no congress ids, no drop-down of units or counties
    priority = 'data-testid="count-priority">{}<'
    assert priority.format(0) in client.get(url).content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        services.case_mark_priority(
            actor=haiyan_staff,
            case_id=world["case"].pk,
            priority=True,
            meeting_date=dt.date.today(),
            meeting_name="第5次主任会议",
            proposed_by="代表工作委员会",
        )
    from minsheng.cases.selectors import QUEUES

    assert count_queries(client, url) == warm + len(QUEUES)  # counted again, one query per queue
    assert priority.format(1) in client.get(url).content.decode()
    assert count_queries(client, url) == warm


def test_the_case_page_costs_the_same_with_more_records_documents_and_claims(
    client, world, haiyan_staff, haiyan_handler, station_staff, donor
):
    from .pages_fixtures import photo

    case, lead = world["case"], world["lead"]
    services.assignment_acknowledge(actor=haiyan_handler, assignment_id=lead.pk)
    client.force_login(haiyan_staff)
    url = reverse("cases:detail", args=[case.pk])
    client.get(url)  # warm: the region's congress ids are kept between requests
    before = count_queries(client, url)
    for i in range(3):
        services.handling_record_add(
            actor=haiyan_handler,
            assignment_id=lead.pk,
            kind="progress",
            happened_on=dt.date.today(),
            note=f"进展{i}",
        )
        services.document_add(actor=haiyan_staff, case_id=case.pk, kind="photo", upload=photo(f"{i}.png"))
        services.supervision_record(actor=haiyan_staff, case_id=case.pk, kind="chase", note=f"催办{i}")
        services.follow_up_record(
            actor=station_staff, case_id=case.pk, visited_on=dt.date.today(), wish_met=False
        )
    services.claim_withdraw(actor=donor, claim_id=world["claim"].pk, reason="改为认捐")
    for amount in ("100", "150"):
        services.claim_create(actor=donor, case_id=case.pk, kind="share", amount=amount)
    assert count_queries(client, url) == before


def test_a_new_unit_is_in_the_staff_filter_at_the_next_request(client, world, haiyan_staff, haiyan_congress):
    from minsheng.units.tests.factories import UnitFactory

    client.force_login(haiyan_staff)
    url = reverse("cases:list")
    assert "海宴镇新设办公室" not in client.get(url).content.decode()
    UnitFactory(name="海宴镇新设办公室", congress=haiyan_congress, place=haiyan_congress.place)
    assert "海宴镇新设办公室" in client.get(url).content.decode()
