"""The public API (/api/v1/wall/ and /api/v1/answers/): open without sign-in, and a privacy scanner over every
response: no beneficiary's name, ID number, phone or address, ever; the wall never shows a title, content,
village or file either."""

import json

import pytest

from minsheng.cases import services
from minsheng.cases.models import Assignment, Case

from .test_api_fixtures import *  # noqa: F403 (the shared fixtures)
from .test_api_fixtures import ANSWERS, WALL, photo, today

pytestmark = pytest.mark.django_db

WALL_KEYS = {
    "id",
    "label",
    "public_summary",
    "category",
    "township",
    "amount",
    "open_amount",
    "state",
    "on_wall_at",
}


@pytest.fixture
def village(haiyan_congress):
    """五丰村, a village of 海宴镇."""
    from minsheng.places.models import Place
    from minsheng.places.tests.factories import PlaceFactory

    township = haiyan_congress.place
    return PlaceFactory(
        code=f"{township.code}201",
        name="五丰村",
        parent=township,
        level=Place.Level.VILLAGE,
        kind=Place.Kind.VILLAGE,
    )


@pytest.fixture
def leaky_wish(
    deputy_user,
    haiyan_congress,
    station,
    village,
    station_staff,
    haiyan_staff,
    haiyan_government,
    haiyan_handler,
    beneficiary_data,
):
    """A wish whose every text names the family, as careless people write them: on the wall, answered,
    closed and published."""
    b = beneficiary_data
    secrets = f"{b['name']}（身份证{b['id_number']}，电话{b['phone']}，住{b['address']}）"
    case = services.case_create(
        actor=deputy_user,
        kind=Case.Kind.WISH,
        title=f"为{b['name']}购置轮椅",
        content=f"{secrets}行动不便，希望有一台轮椅。代表电话13900001111。",
        congress=haiyan_congress,
        lead_deputy=deputy_user.deputy,
        place=village,
        station=station,
        category=Case.Category.MATERIAL,
        amount="450",
        beneficiary=b,
    )
    services.document_add(actor=deputy_user, case_id=case.pk, kind="photo", upload=photo("face.png"))
    services.case_verify(
        actor=station_staff,
        case_id=case.pk,
        visited_on=today(),
        visitors="站长",
        findings=secrets,
        confirmed=True,
    )
    services.case_file(actor=deputy_user, case_id=case.pk)
    services.case_accept(actor=haiyan_staff, case_id=case.pk)
    services.case_assign(actor=haiyan_staff, case_id=case.pk, lead=haiyan_government)
    services.wish_put_on_wall(actor=haiyan_staff, case_id=case.pk, public_summary="独居老人需要一台轮椅")
    # what staff typed before the service checked it: the API must still not show it
    Case.objects.filter(pk=case.pk).update(public_summary=f"{b['name']}需要轮椅，电话{b['phone']}")
    assignment = Assignment.objects.get(case=case)
    services.assignment_acknowledge(actor=haiyan_handler, assignment_id=assignment.pk)
    services.answer_submit(
        actor=haiyan_handler,
        assignment_id=assignment.pk,
        answer_class="A",
        text=f"已为{secrets}送去轮椅。",
        signed_by="李镇长",
    )
    services.rating_submit(actor=deputy_user, case_id=case.pk, value="satisfied")
    return services.case_publish(actor=haiyan_staff, case_id=case.pk)


def public_texts(api, case) -> dict[str, str]:
    urls = [
        f"{WALL}?state=all",
        f"{WALL}?state=open",
        f"{WALL}{case.pk}/",
        ANSWERS,
        f"{ANSWERS}{case.pk}/",
        f"{ANSWERS}?q=轮椅",
    ]
    texts = {}
    for url in urls:
        response = api.login(None).get(url)
        assert response.status_code == 200, url
        texts[url] = json.dumps(response.json(), ensure_ascii=False)
    return texts


def test_no_public_response_contains_the_beneficiarys_name_id_number_phone_or_address(
    api, leaky_wish, beneficiary_data
):
    texts = public_texts(api, leaky_wish)
    assert str(leaky_wish.pk) in texts[f"{ANSWERS}{leaky_wish.pk}/"]
    secrets = [beneficiary_data[k] for k in ("name", "id_number", "phone", "address")]
    secrets += ["13900001111", "face.png"]  # a deputy's mobile, a photo's name
    for url, text in texts.items():
        for secret in secrets:
            assert secret not in text, (url, secret)


def test_the_wall_shows_only_the_label_the_need_and_the_area_at_township_level(api, leaky_wish, village):
    response = api.login(None).get(WALL, state="all")
    [item] = response.json()["results"]
    assert set(item) == WALL_KEYS
    assert item["township"] == "海宴镇" and "海宴镇" in item["label"]
    text = json.dumps(response.json(), ensure_ascii=False)
    for hidden in (leaky_wish.title, "行动不便", village.name, "download", "李镇长"):
        assert hidden not in text, hidden


def test_published_answers_carry_unit_class_and_dates_but_no_contact_or_identity(api, leaky_wish):
    [published] = api.login(None).get(ANSWERS).json()["results"]
    assert published["area"] == "海宴镇" and published["lead_deputy"] == "陈海"
    assert "***" in published["title"] and "***" in published["content"]
    [answer] = published["answers"]
    assert answer["unit"] == "海宴镇人民政府" and answer["answer_class"] == "A"
    assert answer["answer_class_label"] == "已解决或基本解决" and answer["answered_at"]
    assert "signed_by" not in answer and "beneficiary" not in published


def test_an_unpublished_case_is_not_among_the_answers(api, closed_wish):
    assert api.login(None).get(ANSWERS).json()["results"] == []
    assert api.login(None).get(f"{ANSWERS}{closed_wish.pk}/").status_code == 404


def test_a_wish_not_on_the_wall_is_not_there(api, handled_wish):
    assert api.login(None).get(WALL, state="all").json()["results"] == []
    assert api.login(None).get(f"{WALL}{handled_wish.pk}/").status_code == 404


def test_the_wall_filters_by_area_category_group_and_state(api, wall_wish, haiyan_congress):
    def ids(**params):
        return [w["id"] for w in api.login(None).get(WALL, **params).json()["results"]]

    assert ids() == [wall_wish.pk]
    assert ids(township=haiyan_congress.place.code) == [wall_wish.pk]
    assert ids(township="440783") == []
    assert ids(category="material") == [wall_wish.pk]
    assert ids(category="service") == []
    assert ids(group="subsistence") == [wall_wish.pk]
    assert ids(group="child") == []
    assert ids(state="realised") == []


def test_the_public_api_is_read_only(api, wall_wish):
    assert api.login(None).post(WALL, {}).status_code == 405
    assert api.login(None).post(ANSWERS, {}).status_code == 405
