"""The case forms' pickers that search (issue 12): co-signers, units of 交办, places. Through the API as the
widgets call it: the options are those the form accepts, found by name or pinyin initials, the likely first."""

from urllib.parse import parse_qsl

import pytest

from minsheng.common.idcard import with_check_digit
from minsheng.deputies.models import Seat
from minsheng.deputies.tests.factories import SeatFactory
from minsheng.places.models import Place
from minsheng.units.models import Unit
from minsheng.units.tests.factories import UnitFactory

from .factories import CaseFactory, WishFactory, beneficiary_data

DEPUTIES = "/api/v1/pick/deputies/"
UNITS = "/api/v1/pick/units/"
PLACES = "/api/v1/pick/places/"


def get(client, url: str, **params):
    """GET with the query string of `url` and `params` together (the test client replaces one by the other)."""
    path, _sep, query = url.partition("?")
    extra = {k: params.pop(k) for k in list(params) if k.startswith("HTTP_")}
    return client.get(path, {**dict(parse_qsl(query)), **params}, **extra)


def texts(response) -> list[str]:
    assert response.status_code == 200, response.content
    return [option["text"] for option in response.json()]


@pytest.fixture
def suggestion(deputy_user, haiyan_congress, station):
    """陈海's draft suggestion in 海宴镇's congress."""
    return CaseFactory(actor=deputy_user, congress=haiyan_congress, station=station)


@pytest.fixture
def haiyan_deputies(haiyan_term, taishan_term, town_deputy, city_deputy):
    """In 海宴镇's congress beside 陈海 (五丰村代表小组) and 曾丽: 周强 of his group, 白云 of another, 陈红 whose
    seat ended; 陈明 sits in 台山市's congress only."""
    SeatFactory(term=haiyan_term, deputy__name="周强", delegation="五丰村代表小组")
    SeatFactory(term=haiyan_term, deputy__name="白云", delegation="沙栏村代表小组")
    SeatFactory(term=haiyan_term, deputy__name="陈红", status=Seat.Status.ENDED)
    SeatFactory(term=taishan_term, deputy__name="陈明")


def test_cosigners_are_found_by_pinyin_initials_or_name(client, deputy_user, suggestion, haiyan_deputies):
    client.force_login(deputy_user)
    url = f"{DEPUTIES}?for=cosign:{suggestion.pk}"
    assert texts(get(client, url, q="zq")) == ["周强"]
    assert texts(get(client, url, q="zl")) == ["曾丽"]
    assert texts(get(client, url, q="Zeng")) == ["曾丽"]
    assert texts(get(client, url, q="周")) == ["周强"]


def test_cosigners_are_only_those_the_filing_form_accepts(client, deputy_user, suggestion, haiyan_deputies):
    """Neither the lead deputy, nor an ended seat, nor a deputy of another congress."""
    client.force_login(deputy_user)
    found = texts(get(client, f"{DEPUTIES}?for=cosign:{suggestion.pk}", q="ch"))
    assert found == []  # 陈海 leads, 陈红's seat ended, 陈明 sits in Taishan
    everyone = texts(get(client, f"{DEPUTIES}?for=cosign:{suggestion.pk}"))
    assert sorted(everyone) == sorted(["周强", "白云", "曾丽"])


def test_the_deputies_of_the_lead_deputys_group_come_first(client, deputy_user, suggestion, haiyan_deputies):
    client.force_login(deputy_user)
    options = get(client, f"{DEPUTIES}?for=cosign:{suggestion.pk}").json()
    assert [o["text"] for o in options] == ["周强", "白云", "曾丽"]  # 周 zhou first: 五丰村代表小组, as 陈海
    assert options[0]["hint"] == "五丰村代表小组"
    assert options[1]["hint"] == ""


def test_another_deputy_cannot_list_the_cosigners_of_a_case_not_theirs(
    client, kaiping_deputy, suggestion, haiyan_deputies
):
    from minsheng.accounts.models import User
    from minsheng.accounts.tests.factories import UserFactory

    other = UserFactory(username="deputy_ou", role=User.Role.DEPUTY, deputy=kaiping_deputy)
    client.force_login(other)
    assert get(client, f"{DEPUTIES}?for=cosign:{suggestion.pk}").status_code == 404


@pytest.fixture
def kaiping_unit(kaiping_congress):
    return UnitFactory(
        name="开平市民政局",
        level=Unit.Level.COUNTY,
        place=Place.objects.get(code="440783"),
        congress=kaiping_congress,
    )


def test_units_of_assigning_are_those_the_assign_form_accepts(
    client, haiyan_staff, wish, civil_affairs, haiyan_government, kaiping_unit
):
    client.force_login(haiyan_staff)
    url = f"{UNITS}?for=assign:{wish.pk}"
    everyone = texts(get(client, url))
    assert "江门市民政局" in everyone and "海宴镇人民政府" in everyone
    assert "开平市民政局" not in everyone
    assert texts(get(client, url, q="mzj")) == ["江门市民政局"]  # the initials, anywhere in the name
    assert texts(get(client, url, q="民政局")) == ["江门市民政局"]


def test_the_units_most_often_assigned_for_the_category_come_first(
    client, haiyan_staff, assigned_wish, deputy_user, haiyan_congress, station, civil_affairs
):
    """海宴镇人民政府 sorts after the city's units by place; it handled a material wish of this congress."""
    client.force_login(haiyan_staff)
    another = WishFactory(
        actor=deputy_user,
        congress=haiyan_congress,
        station=station,
        beneficiary=beneficiary_data(
            name="李伯", id_number=with_check_digit("44078119500101123"), address="台山市海宴镇沙栏村1号"
        ),
    )
    options = get(client, f"{UNITS}?for=assign:{another.pk}").json()
    assert options[0]["text"] == "海宴镇人民政府"
    assert "1" in options[0]["hint"]
    suggestion = CaseFactory(actor=deputy_user, congress=haiyan_congress, station=station)
    others = get(client, f"{UNITS}?for=assign:{suggestion.pk}").json()
    assert others[0]["text"] != "海宴镇人民政府"  # no suggestion of this congress went to it


def test_only_the_congress_staff_pick_units_for_a_case(
    client, deputy_user, taishan_staff, kaiping_staff, wish
):
    client.force_login(deputy_user)
    assert get(client, f"{UNITS}?for=assign:{wish.pk}").status_code == 404  # his own case, not his to assign
    client.force_login(kaiping_staff)
    assert get(client, f"{UNITS}?for=assign:{wish.pk}").status_code == 404


def test_places_are_those_of_the_seats_congress(client, deputy_user, town_deputy, haiyan_congress):
    client.force_login(deputy_user)
    seat = Seat.objects.get(deputy=town_deputy, congress=haiyan_congress)
    url = f"{PLACES}?for=record:{seat.pk}"
    options = get(client, url).json()
    assert options and all(
        Place.objects.get(pk=o["id"]).code.startswith(haiyan_congress.region_prefix) for o in options
    )
    assert texts(get(client, url, q="hyz")) == ["海宴镇"]
    assert texts(get(client, url, q="赤坎")) == []  # a town of 开平市


def test_a_seat_not_the_recorders_gives_no_places(client, deputy_user, county_deputy):
    client.force_login(deputy_user)
    seat = Seat.objects.get(deputy=county_deputy)
    assert get(client, f"{PLACES}?for=record:{seat.pk}").status_code == 404


def test_places_of_a_case_being_corrected(client, deputy_user, suggestion, kaiping_staff):
    client.force_login(deputy_user)
    assert texts(get(client, f"{PLACES}?for=case:{suggestion.pk}", q="海宴"))[0] == "海宴镇"
    client.force_login(kaiping_staff)
    assert get(client, f"{PLACES}?for=case:{suggestion.pk}").status_code == 404


@pytest.mark.parametrize(
    "params",
    [
        {"for": "cosign:abc"},
        {"for": "cosign:0"},
        {"for": "nonsense:1"},
        {"for": ""},
        {"q": "长" * 51},
    ],
)
def test_bad_input_is_refused_in_chinese(client, deputy_user, suggestion, params):
    from django.utils import translation

    params = {"for": f"cosign:{suggestion.pk}", **params}
    client.force_login(deputy_user)
    with translation.override("zh-hans"):
        response = get(client, DEPUTIES, HTTP_ACCEPT_LANGUAGE="zh-hans", **params)
    assert response.status_code == 400
    detail = response.json()["detail"]
    assert any("\u4e00" <= ch <= "\u9fff" for ch in detail), detail


def test_anonymous_visitors_get_nothing(client, suggestion):
    assert client.get(f"{DEPUTIES}?for=cosign:{suggestion.pk}").status_code in (401, 403)


def test_the_pickers_answer_in_a_few_queries(
    client, deputy_user, haiyan_staff, suggestion, haiyan_deputies, django_assert_max_num_queries
):
    client.force_login(deputy_user)
    with django_assert_max_num_queries(8):
        assert get(client, f"{DEPUTIES}?for=cosign:{suggestion.pk}", q="z").status_code == 200
    client.force_login(haiyan_staff)
    with django_assert_max_num_queries(8):
        assert get(client, f"{UNITS}?for=assign:{suggestion.pk}", q="j").status_code == 200


def test_without_javascript_the_pickers_are_the_forms_plain_selects(suggestion, haiyan_deputies):
    """The widget renders every choice the form accepts (and validates as before); the script only enhances."""
    from minsheng.cases.forms import FileForm, cosigner_choices

    form = FileForm(case=suggestion)
    html = str(form["cosigners"])
    assert html.startswith("<select") and "multiple" in html
    assert f'data-pick-for="cosign:{suggestion.pk}"' in html
    assert html.count("<option") == cosigner_choices(suggestion).count() == 3
    outsider = Seat.objects.get(deputy__name="陈明").deputy
    assert not FileForm({"cosigners": [outsider.pk]}, case=suggestion).is_valid()


def test_the_likely_units_are_counted_once_then_read_from_the_cache(client, haiyan_staff, suggestion):
    """The count over the congress's past assignments runs on the first keystroke only (LIKELY_SECONDS)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(haiyan_staff)
    url = f"{UNITS}?for=assign:{suggestion.pk}"
    with CaptureQueriesContext(connection) as first:
        assert get(client, url, q="j").status_code == 200
    with CaptureQueriesContext(connection) as second:
        assert get(client, url, q="ji").status_code == 200
    counted = [q["sql"] for q in first.captured_queries if "COUNT(" in q["sql"].upper()]
    assert counted, "the first request counts the past assignments"
    assert not [q["sql"] for q in second.captured_queries if "COUNT(" in q["sql"].upper()]
    assert len(second.captured_queries) == len(first.captured_queries) - len(counted)
