"""The answer letter (答复函) with its feedback forms (征询意见表) as a PDF: rendered for those who may view the
case, refused (404) to others, and without the beneficiary's identity for deputies who may not see it."""

import shutil
import subprocess

import pytest
from django.urls import reverse

from minsheng.cases import services
from minsheng.cases.pdf import answer_letter_html
from minsheng.common.testing import status_for

ANSWER_TEXT = "经核实，黄阿婆（电话13712345678）家中困难属实。\n我单位已为其购置轮椅一台，并于本月送达。"


@pytest.fixture
def answered_wish(filed_wish, deputy_user, city_deputy, haiyan_staff, haiyan_government, haiyan_handler):
    """The wish of conftest, co-signed by 曾丽, assigned to 海宴镇人民政府 and answered (class A)."""
    from minsheng.cases.models import Cosigner

    Cosigner.objects.create(case=filed_wish, deputy=city_deputy, status=Cosigner.Status.CONFIRMED)
    services.case_accept(actor=haiyan_staff, case_id=filed_wish.pk)
    services.case_assign(actor=haiyan_staff, case_id=filed_wish.pk, lead=haiyan_government)
    part = filed_wish.assignments.get()
    services.assignment_acknowledge(actor=haiyan_handler, assignment_id=part.pk)
    answer = services.answer_submit(
        actor=haiyan_handler, assignment_id=part.pk, answer_class="A", text=ANSWER_TEXT, signed_by="李镇长"
    )
    return answer


@pytest.fixture
def cosigner_user(city_deputy):
    from minsheng.accounts.models import User
    from minsheng.accounts.tests.factories import UserFactory

    return UserFactory(username="deputy_zeng", role=User.Role.DEPUTY, deputy=city_deputy)


def pdf_text(content: bytes, tmp_path) -> str:
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (poppler-utils) is not installed")
    path = tmp_path / "letter.pdf"
    path.write_bytes(content)
    return subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], check=True, capture_output=True, text=True
    ).stdout


def letter_url(answer) -> str:
    return reverse("cases_stats:answer_letter", args=[answer.pk])


def test_the_letter_renders_as_a_pdf_with_the_case_number_unit_and_deputies(
    answered_wish, client, haiyan_staff, tmp_path
):
    client.force_login(haiyan_staff)
    response = client.get(letter_url(answered_wish))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    text = pdf_text(response.content, tmp_path)
    case = answered_wish.case
    assert case.number in text
    assert "海宴镇人民政府" in text and "李镇长" in text
    assert "陈海" in text and "曾丽" in text
    # staff may see the beneficiary: the answer is printed as written
    assert "黄阿婆" in text


def test_a_feedback_form_page_follows_the_letter_for_each_deputy(
    answered_wish, client, haiyan_staff, tmp_path
):
    if shutil.which("pdfinfo") is None:
        pytest.skip("pdfinfo (poppler-utils) is not installed")
    client.force_login(haiyan_staff)
    path = tmp_path / "letter.pdf"
    path.write_bytes(client.get(letter_url(answered_wish)).content)
    info = subprocess.run(["pdfinfo", str(path)], check=True, capture_output=True, text=True).stdout
    pages = int(next(line.split()[-1] for line in info.splitlines() if line.startswith("Pages:")))
    assert pages == 3  # the letter, and a form for 陈海 and one for 曾丽


def test_a_co_signer_who_may_not_see_the_beneficiary_gets_the_answer_redacted(
    answered_wish, client, cosigner_user, tmp_path
):
    client.force_login(cosigner_user)
    response = client.get(letter_url(answered_wish))
    assert response.status_code == 200
    text = pdf_text(response.content, tmp_path)
    assert answered_wish.case.number in text
    assert "黄阿婆" not in text and "13712345678" not in text
    assert "轮椅" in text


def test_the_html_of_the_letter_names_the_boxes_and_the_signature_line(answered_wish, haiyan_staff):
    from django.utils import translation

    with translation.override("en"):
        html = answer_letter_html(actor=haiyan_staff, answer=answered_wish)
    assert "Satisfied" in html and "Mostly satisfied" in html and "Dissatisfied" in html
    assert "Deputy&#x27;s signature:" in html or "Deputy's signature:" in html
    assert 'font-family: "Noto Serif CJK SC"' in html


@pytest.mark.parametrize(
    "who, expected",
    [
        (None, 302),
        ("admin_user", 200),
        ("city_staff", 200),
        ("haiyan_staff", 200),
        ("taishan_staff", 200),
        ("kaiping_staff", 404),
        ("deputy_user", 200),
        ("cosigner_user", 200),
        ("station_staff", 200),
        ("haiyan_handler", 200),
        ("civil_affairs_handler", 404),
        ("education_handler", 404),
        ("donor", 404),
    ],
)
def test_permission_matrix_of_the_answer_letter(request, client, answered_wish, who, expected):
    user = request.getfixturevalue(who) if who else None
    assert status_for(client, user, "get", letter_url(answered_wish)) == expected


def test_an_unknown_answer_is_404(client, haiyan_staff):
    client.force_login(haiyan_staff)
    assert client.get(reverse("cases_stats:answer_letter", args=[999999])).status_code == 404
