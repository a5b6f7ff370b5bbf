"""Forms that help (issue 12, part 7), on the case form: every error in one round, beside its field and once
above the form; valid photos kept while another field is corrected; 必填 and 选填 said truthfully."""

import re

import pytest
from django.urls import reverse
from django.utils import translation

from minsheng.cases.models import Case, Document
from minsheng.places.models import Place

from .pages_fixtures import photo
from .test_pages_create import create, seat_of, wish_data


@pytest.fixture
def village():
    return Place.objects.get(name="南丰村委会", code__startswith="440781")


def test_every_error_shows_in_one_round(client, deputy_user, haiyan_congress, village):
    seat = seat_of(deputy_user.deputy, haiyan_congress)
    data = wish_data(seat, village, title="", beneficiary_id_number="4407811948", beneficiary_phone="12345")
    html = create(client, deputy_user, data).content.decode()
    for field in ("title", "beneficiary_id_number", "beneficiary_phone"):
        assert f'data-testid="error-{field}"' in html, field
    assert html.count('role="alert"') == 1, "one banner above the form, not two"
    assert not Case.objects.exists()


def test_valid_photos_are_kept_while_another_field_is_corrected(
    client, deputy_user, haiyan_congress, village
):
    seat = seat_of(deputy_user.deputy, haiyan_congress)
    first = create(
        client, deputy_user, wish_data(seat, village, title="", photos=[photo("a.png"), photo("b.png")])
    )
    assert first.status_code == 400
    html = first.content.decode()
    assert 'data-testid="kept-photos"' in html and "a.png" in html and "b.png" in html
    token = re.search(r'name="photos_kept" value="([^"]+)"', html).group(1)
    again = create(client, deputy_user, wish_data(seat, village, photos_kept=token))
    assert again.status_code == 302
    case = Case.objects.get()
    assert sorted(
        case.documents.filter(kind=Document.Kind.PHOTO).values_list("original_name", flat=True)
    ) == [
        "a.png",
        "b.png",
    ]


def test_a_forged_token_keeps_nothing(client, deputy_user, haiyan_congress, village):
    seat = seat_of(deputy_user.deputy, haiyan_congress)
    response = create(client, deputy_user, wish_data(seat, village, photos_kept="kept-uploads/x/0"))
    assert response.status_code == 302
    assert not Case.objects.get().documents.exists()


def test_labels_say_required_or_optional(client, deputy_user):
    client.force_login(deputy_user)
    with translation.override("zh-hans"):
        html = client.get(f"{reverse('cases:create')}?kind=wish", headers={"accept-language": "zh-hans"})
    html = html.content.decode()
    marks = dict(re.findall(r'data-testid="requirement-(\w+)">\(([^)]*)\)', html))
    assert marks["title"] == "必填" and marks["beneficiary_name"] == "必填"
    assert marks["beneficiary_id_number"] == "选填" and marks["photos"] == "选填"
