"""A reception recorded as a 微心愿 (a micro-wish) from its page and from the API: the beneficiary's fields,
needed only for a wish, go into the case (kind wish, beneficiary set) and both records link; a missing address
is refused next to its field and nothing is created; the beneficiary never reaches a public page."""

import pytest
from django.urls import reverse

from minsheng.activities.models import Reception
from minsheng.cases.models import Beneficiary, Case
from minsheng.cases.origins import origins_for
from minsheng.common.idcard import with_check_digit

from .conftest import VISITOR_NAME

RECEPTIONS = "/api/v1/receptions/"
ID_NUMBER = with_check_digit("44078119480506122")
BENEFICIARY_NAME = "黄阿婆"
ADDRESS = "海宴镇五丰村三巷8号"
PHONE = "13800138000"


def wish_post(**changes) -> dict:
    data = {
        "kind": "wish",
        "title": "为独居老人安装扶手",
        "amount": "300",
        "case_category": "material",
        "beneficiary_kind": "individual",
        "beneficiary_group": "elderly_alone",
        "beneficiary_name": BENEFICIARY_NAME,
        "beneficiary_id_number": ID_NUMBER,
        "beneficiary_phone": PHONE,
        "beneficiary_address": ADDRESS,
    }
    data.update(changes)
    return data


def assert_linked_wish(case: Case, reception: Reception, staff) -> None:
    reception = Reception.objects.get(pk=reception.pk)
    assert case.kind == Case.Kind.WISH and case.status == Case.Status.DRAFT
    assert reception.case_id == case.pk and reception.outcome == Reception.Outcome.CASE
    matter = reception.matters.get()
    assert matter.case_id == case.pk and matter.disposal == "wish" and matter.status == "closed"
    assert [r.pk for r in origins_for(staff, case)[0].context["receptions"]] == [reception.pk]


def test_the_page_offers_the_wish_fields_marked_as_needed_only_for_a_wish(client, station_staff, reception):
    client.force_login(station_staff)
    page = client.get(
        reverse("activities:reception_detail", args=[reception.pk]), HTTP_ACCEPT_LANGUAGE="zh-hans"
    ).content.decode()
    assert "data-wish-block" in page and 'name="beneficiary_address"' in page
    assert 'name="beneficiary_id_number"' in page and 'name="beneficiary_phone"' in page
    assert "仅微心愿需要" in page  # the block says so (and shows without JavaScript)
    assert "activities/reception.js" in page


def test_a_matter_turned_into_a_wish_from_the_reception_page(client, station_staff, reception, station):
    client.force_login(station_staff)
    response = client.post(reverse("activities:reception_to_case", args=[reception.pk]), wish_post())
    case = Case.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("cases:detail", args=[case.pk])
    assert (case.category, str(case.amount)) == ("material", "300.00")
    beneficiary = Beneficiary.objects.get(case=case)
    assert (beneficiary.name, beneficiary.address, beneficiary.phone, beneficiary.id_number) == (
        BENEFICIARY_NAME,
        ADDRESS,
        PHONE,
        ID_NUMBER,
    )
    assert (beneficiary.kind, beneficiary.group) == ("individual", "elderly_alone")
    assert_linked_wish(case, reception, station_staff)
    # Never on a public page: the station's public page says nothing of the beneficiary.
    client.logout()
    public = client.get(reverse("stations:public_detail", args=[station.pk])).content.decode()
    assert BENEFICIARY_NAME not in public and ADDRESS not in public and PHONE not in public


def test_the_contact_visitor_is_the_beneficiary_when_no_name_is_given(client, station_staff, reception):
    client.force_login(station_staff)
    response = client.post(
        reverse("activities:reception_to_case", args=[reception.pk]),
        wish_post(beneficiary_name="", beneficiary_id_number="", beneficiary_phone=""),
    )
    assert response.status_code == 302
    assert Beneficiary.objects.get().name == VISITOR_NAME


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"beneficiary_address": ""}, "beneficiary_address", "请输入受助对象的地址。"),
        ({"beneficiary_id_number": "440781194805061221"}, "beneficiary_id_number", "身份证"),
        ({"beneficiary_phone": "12345"}, "beneficiary_phone", "手机"),
        ({"amount": ""}, "amount", "请输入心愿的预估价值。"),
    ],
)
def test_a_wish_without_what_it_needs_is_refused_next_to_the_field_and_nothing_is_created(
    client, station_staff, reception, changes, field, message
):
    client.force_login(station_staff)
    response = client.post(
        reverse("activities:reception_to_case", args=[reception.pk]),
        wish_post(**changes),
        HTTP_ACCEPT_LANGUAGE="zh-hans",
    )
    assert response.status_code == 400
    html = response.content.decode()
    error = html[html.index(f'data-testid="error-{field}"') :][:300]
    assert message in error
    assert not Case.objects.exists() and not Beneficiary.objects.exists()
    reception = Reception.objects.get(pk=reception.pk)
    assert reception.case_id is None and reception.matters.get().case_id is None


def test_without_a_contact_visitor_the_name_is_asked_for(client, station_staff, make_reception):
    reception = make_reception(contact_name="", contact_phone="")
    client.force_login(station_staff)
    response = client.post(
        reverse("activities:reception_to_case", args=[reception.pk]),
        wish_post(beneficiary_name=""),
        HTTP_ACCEPT_LANGUAGE="zh-hans",
    )
    assert response.status_code == 400 and 'data-testid="error-beneficiary_name"' in response.content.decode()
    assert not Case.objects.exists()


def test_a_suggestion_ignores_the_wish_fields(client, station_staff, reception):
    client.force_login(station_staff)
    response = client.post(
        reverse("activities:reception_to_case", args=[reception.pk]),
        {"kind": "suggestion", "beneficiary_address": "", "beneficiary_phone": "bad"},
    )
    assert response.status_code == 302
    case = Case.objects.get()
    assert case.kind == Case.Kind.SUGGESTION and not Beneficiary.objects.exists()


def test_a_matter_turned_into_a_wish_from_the_api(api, station_staff, reception):
    api.login(station_staff)
    body = {
        "kind": "wish",
        "amount": "300",
        "category": "service",
        "beneficiary": {"name": BENEFICIARY_NAME, "address": ADDRESS, "phone": PHONE, "id_number": ID_NUMBER},
    }
    made = api.post(f"{RECEPTIONS}{reception.pk}/to-case/", body)
    assert made.status_code == 201, made.json()
    case = Case.objects.get(pk=made.json()["case"]["id"])
    assert made.json()["reception"]["case"]["id"] == case.pk
    assert (case.category, Beneficiary.objects.get(case=case).address) == ("service", ADDRESS)
    assert BENEFICIARY_NAME not in made.content.decode() and ADDRESS not in made.content.decode()
    assert_linked_wish(case, reception, station_staff)


@pytest.mark.parametrize(
    ("body", "errors"),
    [
        ({"kind": "wish", "amount": "300"}, {"beneficiary": ["address"]}),
        ({"kind": "wish", "amount": "300", "beneficiary": {"name": "黄阿婆"}}, {"beneficiary": ["address"]}),
        ({"kind": "wish", "beneficiary": {"address": ADDRESS}}, {"amount": None}),
        (
            {"kind": "wish", "amount": "1", "beneficiary": {"address": ADDRESS, "phone": "123"}},
            {"beneficiary": ["phone"]},
        ),
        (
            {"kind": "wish", "amount": "1", "beneficiary": {"address": ADDRESS, "id_number": "4407"}},
            {"beneficiary": ["id_number"]},
        ),
    ],
)
def test_the_api_refuses_a_wish_without_what_it_needs_with_field_errors(
    api, station_staff, reception, body, errors
):
    api.login(station_staff)
    response = api.post(f"{RECEPTIONS}{reception.pk}/to-case/", body)
    assert response.status_code == 400
    data = response.json()
    for field, inner in errors.items():
        assert field in data, data
        for name in inner or []:
            assert name in data[field], data
    assert not Case.objects.exists() and Reception.objects.get(pk=reception.pk).case_id is None


def test_the_api_asks_for_the_name_when_the_reception_has_no_contact(api, station_staff, make_reception):
    reception = make_reception(contact_name="", contact_phone="")
    api.login(station_staff)
    body = {"kind": "wish", "amount": "300", "beneficiary": {"address": ADDRESS}}
    response = api.post(f"{RECEPTIONS}{reception.pk}/to-case/", body)
    assert response.status_code == 400 and "name" in response.json()["beneficiary"]
    assert not Case.objects.exists()


def _phone_form(town_deputy, **matter) -> dict:
    import datetime as dt

    from minsheng.common import clock

    data = {
        "received_at": (clock.now() - dt.timedelta(hours=1)).astimezone().strftime("%Y-%m-%dT%H:%M"),
        "deputies": [town_deputy.pk],
        "visitor_count": 1,
        "contact_name": VISITOR_NAME,
        "matters-TOTAL_FORMS": 1,
        "matters-INITIAL_FORMS": 0,
        "matters-MIN_NUM_FORMS": 0,
        "matters-MAX_NUM_FORMS": 20,
        "matters-0-text": "独居老人家里需要安装扶手。",
        "matters-0-category": "social_security",
        "matters-0-disposal": "wish",
        "matters-0-amount": "300",
        "matters-0-case_category": "material",
        "matters-0-beneficiary_kind": "individual",
        "matters-0-beneficiary_group": "elderly_alone",
        "matters-0-beneficiary_address": ADDRESS,
    }
    data.update({f"matters-0-{k}": v for k, v in matter.items()})
    return data


def test_the_phone_form_turns_a_matter_into_a_wish_with_its_beneficiary(
    client, station_staff, station, town_deputy
):
    client.force_login(station_staff)
    url = reverse("activities:reception_new", args=[station.pk])
    refused = client.post(
        url, _phone_form(town_deputy, beneficiary_address=""), HTTP_ACCEPT_LANGUAGE="zh-hans"
    )
    assert refused.status_code == 400
    html = refused.content.decode()
    assert "请输入受助对象的地址。" in html[html.index('data-testid="error-beneficiary_address"') :][:200]
    assert not Reception.objects.exists() and not Case.objects.exists()
    response = client.post(url, _phone_form(town_deputy))
    assert response.status_code == 302
    reception = Reception.objects.get()
    matter = reception.matters.get()
    case = matter.case
    assert case is not None and case.kind == Case.Kind.WISH and reception.case_id == case.pk
    beneficiary = Beneficiary.objects.get(case=case)
    assert (beneficiary.name, beneficiary.address, beneficiary.group) == (
        VISITOR_NAME,
        ADDRESS,
        "elderly_alone",
    )
    assert [r.pk for r in origins_for(station_staff, case)[0].context["receptions"]] == [reception.pk]
