"""接待登记表 (issue 12): the reception as an A4 PDF for whoever may see the reception, the visitor in full only
for who may see the visitor, under a Chinese file name; the reception page links it."""

from urllib.parse import unquote

import pytest
from django.urls import reverse

from minsheng.common.testing import matrix, pdf_words, status_for

from .conftest import ROLES, VISITOR_NAME, VISITOR_PHONE

READERS_OF_A_RECEPTION = {
    "anonymous": 302,
    "admin_user": 200,
    "city_staff": 200,
    "taishan_staff": 200,
    "kaiping_staff": 404,
    "deputy_user": 200,
    "station_staff": 200,
    "civil_affairs_handler": 404,
    "donor": 404,
}


def print_url(reception) -> str:
    return reverse("activities:reception_print", args=[reception.pk])


@pytest.mark.parametrize(("role", "expected"), matrix(ROLES, **READERS_OF_A_RECEPTION))
def test_the_reception_form_follows_the_rule_of_the_reception_page(
    client, user_for, reception, role, expected
):
    assert status_for(client, user_for(role), "get", print_url(reception)) == expected
    detail = reverse("activities:reception_detail", args=[reception.pk])
    assert status_for(client, user_for(role), "get", detail) == expected


def test_the_reception_form_prints_its_parts_and_the_visitor_for_the_station(
    client, station_staff, reception
):
    client.force_login(station_staff)
    response = client.get(print_url(reception))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text = pdf_words(response.content)
    assert "代表接待选民登记表" in text and "海宴镇人大代表联络站" in text
    assert "陈海" in text and "五丰村路灯损坏" in text
    assert VISITOR_NAME in text and VISITOR_PHONE in text
    assert "接待代表（签名）" in text and "记录人（签名）" in text
    name = unquote(response["Content-Disposition"].split("filename*=UTF-8''", 1)[1])
    assert name.startswith("接待登记表-海宴镇人大代表联络站-") and name.endswith(".pdf")


def test_another_deputy_of_the_station_gets_the_visitor_masked(client, reception, other_station_deputy_user):
    client.force_login(other_station_deputy_user)
    response = client.get(print_url(reception))
    assert response.status_code == 200
    text = pdf_words(response.content)
    assert VISITOR_NAME not in text and VISITOR_PHONE not in text
    assert "139****5678" in text


def test_the_reception_page_links_the_form(client, station_staff, reception):
    client.force_login(station_staff)
    page = client.get(reverse("activities:reception_detail", args=[reception.pk])).content.decode()
    assert print_url(reception) in page
