"""Reception pages: who may open each, the phone form, the log's filters and export, the case page's line,
query budgets."""

import datetime as dt
from io import BytesIO

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from minsheng.activities import services
from minsheng.activities.models import Reception
from minsheng.cases.models import Case
from minsheng.common import clock
from minsheng.common.models import AuditRecord
from minsheng.common.testing import matrix, status_for

from .conftest import ROLES, VISITOR_NAME, VISITOR_PHONE


def by_role(**expected) -> list:
    return matrix(ROLES, **expected)


RECEIVERS = {
    "anonymous": 302,
    "admin_user": 200,
    "city_staff": 200,
    "taishan_staff": 200,
    "kaiping_staff": 403,
    "deputy_user": 200,
    "station_staff": 200,
    "civil_affairs_handler": 403,
    "donor": 403,
}
READERS_OF_A_RECEPTION = {**RECEIVERS, "kaiping_staff": 404, "civil_affairs_handler": 404, "donor": 404}


@pytest.mark.parametrize(("role", "expected"), by_role(**RECEIVERS))
def test_the_log_its_export_and_the_form_answer_by_role(client, user_for, station, reception, role, expected):
    for name in ("activities:receptions", "activities:reception_export", "activities:reception_new"):
        url = reverse(name, args=[station.pk])
        assert status_for(client, user_for(role), "get", url) == expected, name


@pytest.mark.parametrize(("role", "expected"), by_role(**READERS_OF_A_RECEPTION))
def test_a_reception_and_its_edit_page_answer_by_role(client, user_for, reception, role, expected):
    for name in ("activities:reception_detail", "activities:reception_edit"):
        url = reverse(name, args=[reception.pk])
        assert status_for(client, user_for(role), "get", url) == expected, name


WRITERS = {**READERS_OF_A_RECEPTION, "admin_user": 302, "city_staff": 302, "taishan_staff": 302}
WRITERS.update(deputy_user=302, station_staff=302)  # anonymous: 302 to the sign-in page


@pytest.mark.parametrize(("role", "expected"), by_role(**WRITERS))
def test_record_as_a_case_answers_by_role(client, user_for, reception, role, expected):
    url = reverse("activities:reception_to_case", args=[reception.pk])
    assert status_for(client, user_for(role), "post", url, {"kind": "suggestion"}) == expected
    made = Reception.objects.get(pk=reception.pk).case_id is not None
    assert made == (expected == 302 and role != "anonymous")


@pytest.mark.parametrize(("role", "expected"), by_role(**WRITERS))
def test_link_and_unlink_answer_by_role(client, user_for, reception, station_staff, role, expected):
    case = services.reception_to_case(actor=station_staff, reception_id=reception.pk)
    unlink = reverse("activities:reception_unlink", args=[reception.pk])
    assert status_for(client, user_for(role), "post", unlink) == expected
    link = reverse("activities:reception_link", args=[reception.pk])
    if expected == 302:
        assert status_for(client, user_for(role), "post", link, {"case": str(case.pk)}) == 302
        assert Reception.objects.get(pk=reception.pk).case_id == case.pk
    else:
        assert Reception.objects.get(pk=reception.pk).case_id == case.pk
        assert status_for(client, user_for(role), "post", link, {"case": str(case.pk)}) == expected


@pytest.mark.parametrize(
    ("role", "expected"),
    by_role(**{**dict.fromkeys(ROLES, 403), "anonymous": 302, "deputy_user": 200}),
)
def test_my_receptions_is_a_deputy_page(db, client, user_for, role, expected):
    assert status_for(client, user_for(role), "get", reverse("activities:my_receptions")) == expected


def test_a_deputy_records_a_reception_on_the_phone_form(
    client, deputy_user, station, town_deputy, civil_affairs
):
    client.force_login(deputy_user)
    form = client.get(reverse("activities:reception_new", args=[station.pk]))
    html = form.content.decode()
    assert 'type="datetime-local"' in html and 'inputmode="tel"' in html
    assert f'value="{town_deputy.pk}" selected' in html  # the deputy recording is chosen first
    when = (clock.now() - dt.timedelta(hours=1)).astimezone().strftime("%Y-%m-%dT%H:%M")
    response = client.post(
        reverse("activities:reception_new", args=[station.pk]),
        {
            "received_at": when,
            "deputies": [town_deputy.pk],
            "visitor_count": "2",
            "contact_name": VISITOR_NAME,
            "contact_phone": VISITOR_PHONE,
            "matter": "学校门口缺少斑马线。",
            "category": "transport",
            "outcome": "referred",
            "referred_to": civil_affairs.pk,
        },
    )
    reception = Reception.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("activities:reception_detail", args=[reception.pk])
    assert (reception.visitor_count, reception.referred_to, reception.contact_phone) == (
        2,
        civil_affairs,
        VISITOR_PHONE,
    )
    page = client.get(response["Location"]).content.decode()
    assert VISITOR_NAME in page and VISITOR_PHONE in page  # a deputy who received sees the visitor


def test_the_form_shows_a_refusal_next_to_its_field(client, station_staff, station, town_deputy):
    client.force_login(station_staff)
    response = client.post(
        reverse("activities:reception_new", args=[station.pk]),
        {
            "received_at": "2026-01-05T09:30",
            "deputies": [town_deputy.pk],
            "visitor_count": "1",
            "matter": "事项",
            "category": "other",
            "outcome": "referred",
        },
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 400
    assert "Choose the unit the matter was referred to." in response.content.decode()
    assert not Reception.objects.exists()


def test_another_deputy_of_the_station_sees_the_visitor_masked(client, reception, other_station_deputy_user):
    client.force_login(other_station_deputy_user)
    html = client.get(reverse("activities:reception_detail", args=[reception.pk])).content.decode()
    assert VISITOR_NAME not in html and VISITOR_PHONE not in html
    assert "梁**" in html and "139****5678" in html


def test_record_as_a_case_goes_to_the_draft_case_whose_page_names_the_reception(
    client, deputy_user, reception, station
):
    client.force_login(deputy_user)
    response = client.post(
        reverse("activities:reception_to_case", args=[reception.pk]),
        {"kind": "suggestion", "title": "修路灯"},
    )
    case = Case.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("cases:detail", args=[case.pk])
    assert case.title == "修路灯" and case.lead_deputy_id == deputy_user.deputy_id
    page = client.get(response["Location"], HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert 'data-testid="case-reception"' in page
    assert f"From a reception at {station.name} on" in page
    assert reverse("activities:reception_detail", args=[reception.pk]) in page
    detail = client.get(reverse("activities:reception_detail", args=[reception.pk])).content.decode()
    assert reverse("cases:detail", args=[case.pk]) in detail and 'data-testid="reception-unlink"' in detail


def test_the_case_page_shows_the_reception_only_to_those_who_may_read_it(
    client, reception, taishan_staff, county_deputy, taishan_congress
):
    """The lead deputy of a Taishan case, not attached to 海宴's station, reads the case but not the reception
    that staff linked to it."""
    from minsheng.accounts.models import User
    from minsheng.accounts.tests.factories import UserFactory
    from minsheng.cases.services import case_create

    case = case_create(
        actor=taishan_staff,
        kind="suggestion",
        title="台山的建议",
        content="内容",
        congress=taishan_congress,
        lead_deputy=county_deputy,
        place=taishan_congress.place,
    )
    services.reception_link_case(actor=taishan_staff, reception_id=reception.pk, case_id=case.pk)
    lead = UserFactory(role=User.Role.DEPUTY, deputy=county_deputy)
    url = reverse("cases:detail", args=[case.pk])
    client.force_login(lead)
    response = client.get(url)
    assert response.status_code == 200
    assert 'data-testid="case-reception"' not in response.content.decode()
    client.force_login(taishan_staff)
    assert 'data-testid="case-reception"' in client.get(url).content.decode()


def test_link_by_case_number(client, station_staff, reception, make_reception):
    case = services.reception_to_case(actor=station_staff, reception_id=make_reception().pk)
    Case.objects.filter(pk=case.pk).update(number="2026S0000042")
    client.force_login(station_staff)
    response = client.post(
        reverse("activities:reception_link", args=[reception.pk]), {"case": "2026s0000042"}
    )
    assert response.status_code == 302
    assert Reception.objects.get(pk=reception.pk).case_id == case.pk


def test_linking_twice_is_refused_on_the_page(client, station_staff, reception):
    case = services.reception_to_case(actor=station_staff, reception_id=reception.pk)
    client.force_login(station_staff)
    response = client.post(
        reverse("activities:reception_link", args=[reception.pk]),
        {"case": str(case.pk)},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 409
    assert "already linked to a case" in response.content.decode()
    assert AuditRecord.objects.filter(verb="reception.case_linked").count() == 0


def test_the_log_filters(client, station_staff, make_reception, city_deputy, station):
    from minsheng.stations.models import StationDeputy

    StationDeputy.objects.create(station=station, deputy=city_deputy)
    old = make_reception(received_at=clock.now() - dt.timedelta(days=40), category="education")
    zeng = make_reception(deputies=[city_deputy], outcome="none")
    linked = make_reception()
    services.reception_to_case(actor=station_staff, reception_id=linked.pk)
    client.force_login(station_staff)
    url = reverse("activities:receptions", args=[station.pk])

    def shown(**params):
        response = client.get(url, params)
        assert response.status_code == 200
        return {r.pk for r in response.context["object_list"]}

    assert shown() == {old.pk, zeng.pk, linked.pk}
    since = (clock.today() - dt.timedelta(days=7)).isoformat()
    assert shown(date_from=since) == {zeng.pk, linked.pk}
    assert shown(date_to=since) == {old.pk}
    assert shown(deputy=city_deputy.pk) == {zeng.pk}
    assert shown(category="education") == {old.pk}
    assert shown(outcome="none") == {zeng.pk}
    assert shown(linked="1") == {linked.pk}
    assert shown(linked="0") == {old.pk, zeng.pk}


def xlsx_text(content: bytes) -> str:
    book = load_workbook(BytesIO(content), read_only=True)
    return "\n".join(
        str(c) for s in book.worksheets for row in s.iter_rows(values_only=True) for c in row if c
    )


def test_the_export_never_carries_the_visitor(client, station_staff, reception, station):
    client.force_login(station_staff)
    response = client.get(
        reverse("activities:reception_export", args=[station.pk]), HTTP_ACCEPT_LANGUAGE="en"
    )
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    text = xlsx_text(response.content)
    assert reception.matter in text and "Matter" in text
    assert VISITOR_NAME not in text and VISITOR_PHONE not in text
    assert "梁**" not in text and "139****5678" not in text


def test_the_export_keeps_the_filters(client, station_staff, make_reception, station):
    make_reception(category="education", matter="学校操场积水")
    make_reception(category="health", matter="卫生院缺少儿科医生")
    client.force_login(station_staff)
    response = client.get(reverse("activities:reception_export", args=[station.pk]), {"category": "health"})
    text = xlsx_text(response.content)
    assert "卫生院缺少儿科医生" in text and "学校操场积水" not in text


def test_the_public_station_page_counts_receptions_of_this_year_and_nothing_more(
    client, make_reception, station
):
    make_reception()
    make_reception(visitor_count=7)
    make_reception(received_at=clock.now() - dt.timedelta(days=400))
    response = client.get(reverse("stations:public_detail", args=[station.pk]))
    assert response.context["receptions_this_year"] == 2
    html = response.content.decode()
    assert 'data-testid="station-receptions-this-year"' in html
    assert VISITOR_NAME not in html and VISITOR_PHONE not in html and "路灯" not in html
    assert reverse("activities:receptions", args=[station.pk]) not in html  # no log link for the public


def test_the_log_and_my_receptions_keep_to_a_query_budget(
    client, station_staff, deputy_user, make_reception, station, django_assert_max_num_queries
):
    for _ in range(3):
        make_reception()
    client.force_login(station_staff)
    url = reverse("activities:receptions", args=[station.pk])
    client.get(url)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200
    for _ in range(12):
        make_reception()
    with django_assert_max_num_queries(len(few)):
        assert client.get(url).status_code == 200
    with django_assert_max_num_queries(len(few)):
        assert client.get(reverse("activities:reception_export", args=[station.pk])).status_code == 200

    client.force_login(deputy_user)
    mine = reverse("activities:my_receptions")
    with CaptureQueriesContext(connection) as seen:
        response = client.get(mine)
    assert len(response.context["object_list"]) == 15
    make_reception(), make_reception()
    with django_assert_max_num_queries(len(seen)):
        client.get(mine)
