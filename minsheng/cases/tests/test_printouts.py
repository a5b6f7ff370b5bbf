"""The printed documents of cases (issue 12): each PDF read back as text for its required parts, under a
Chinese file name; refused to who may not print it; the beneficiary's identity only for who may see it."""

import datetime as dt
from urllib.parse import unquote

import pytest
from django.urls import reverse

from minsheng.cases import services
from minsheng.cases.models import Answer, Case
from minsheng.cases.pdf import letter_heading, subject_of
from minsheng.common.errors import DomainError
from minsheng.common.testing import pdf_pages, pdf_words, status_for

from .factories import CaseFactory

ANSWER_TEXT = "经核实，黄阿婆（电话13712345678）家中困难属实。\n我单位已为其购置轮椅一台，并于本月送达。"


@pytest.fixture
def city_deputy_user(city_deputy):
    from minsheng.accounts.models import User
    from minsheng.accounts.tests.factories import UserFactory

    return UserFactory(username="deputy_zeng", role=User.Role.DEPUTY, deputy=city_deputy)


@pytest.fixture
def answered_suggestion(city_staff, city_deputy_user, city_congress, civil_affairs, civil_affairs_handler):
    """曾丽's city suggestion 「关于五丰村路口增设路灯的建议」, assigned to 江门市民政局 and answered with its
    文号, 公开属性 and contact."""
    case = CaseFactory(
        actor=city_staff,
        congress=city_congress,
        lead_deputy=city_deputy_user.deputy,
        place=city_congress.place,
        title="关于五丰村路口增设路灯的建议",
    )
    services.case_file(actor=city_staff, case_id=case.pk)
    services.case_accept(actor=city_staff, case_id=case.pk)
    services.case_assign(actor=city_staff, case_id=case.pk, lead=civil_affairs)
    part = case.assignments.get()
    services.assignment_acknowledge(actor=civil_affairs_handler, assignment_id=part.pk)
    return services.answer_submit(
        actor=civil_affairs_handler,
        assignment_id=part.pk,
        answer_class="A",
        text="我局已会同镇政府完成路灯安装。",
        signed_by="李局长",
        document_number="江民函〔2026〕88号",
        disclosure=Answer.Disclosure.ON_REQUEST,
        contact_name="王科长",
        contact_phone="0750-3123456",
    )


@pytest.fixture
def answered_wish(filed_wish, deputy_user, city_deputy, haiyan_staff, haiyan_government, haiyan_handler):
    """The wish of conftest (黄阿婆, 海宴镇, a township congress), co-signed by 曾丽 and answered."""
    from minsheng.cases.models import Cosigner

    Cosigner.objects.create(case=filed_wish, deputy=city_deputy, status=Cosigner.Status.CONFIRMED)
    services.case_accept(actor=haiyan_staff, case_id=filed_wish.pk)
    services.case_assign(actor=haiyan_staff, case_id=filed_wish.pk, lead=haiyan_government)
    part = filed_wish.assignments.get()
    services.assignment_acknowledge(actor=haiyan_handler, assignment_id=part.pk)
    return services.answer_submit(
        actor=haiyan_handler, assignment_id=part.pk, answer_class="A", text=ANSWER_TEXT, signed_by="李镇长"
    )


@pytest.fixture
def cosigner_user(city_deputy):
    from minsheng.accounts.models import User
    from minsheng.accounts.tests.factories import UserFactory

    return UserFactory(username="deputy_zeng", role=User.Role.DEPUTY, deputy=city_deputy)


def file_name(response) -> str:
    header = response["Content-Disposition"]
    assert header.startswith("inline; ")
    return unquote(header.split("filename*=UTF-8''", 1)[1])


def get_pdf(client, user, url):
    client.force_login(user)
    response = client.get(url)
    assert response.status_code == 200, response.content[:300]
    assert response["Content-Type"] == "application/pdf"
    return response


def print_url(case, document: str) -> str:
    return reverse("cases:print", args=[case.pk, document])


# --- 答复函 ---------------------------------------------------------------------------------------------------


def test_the_heading_does_not_repeat_about_and_suggestion():
    assert subject_of("关于五丰村路口增设路灯的建议") == "五丰村路口增设路灯"
    assert subject_of("五丰村路口增设路灯") == "五丰村路口增设路灯"
    assert subject_of("关于") == "关于"


def test_the_answer_letter_prints_number_issuer_disclosure_contact_seal_and_copy(
    answered_suggestion, client, city_staff, settings
):
    settings.MINSHENG = {**settings.MINSHENG, "ANSWER_LETTER_CC": "江门市人大常委会选举任免代表工作委员会"}
    response = get_pdf(
        client, city_staff, reverse("cases_stats:answer_letter", args=[answered_suggestion.pk])
    )
    text = pdf_words(response.content)
    case = answered_suggestion.case
    assert "江民函〔2026〕88号" in text
    assert "签发人：李局长" in text
    assert "依申请公开" in text
    assert "关于五丰村路口增设路灯建议的答复" in text
    assert "关于“关于" not in text and "的建议”的答复" not in text
    assert "联系人：王科长" in text and "0750-3123456" in text
    assert "（印章）" in text and text.count("江门市民政局") >= 2  # letterhead, seal, signature
    assert "抄送：江门市人大常委会选举任免代表工作委员会" in text
    assert "抄送：江门市人民代表大会常委会" not in text
    assert "征询意见表" in text
    assert file_name(response) == f"答复函-{case.number}.pdf"


def test_the_copy_to_committee_is_the_setting(answered_suggestion, client, city_staff, settings):
    settings.MINSHENG = {**settings.MINSHENG, "ANSWER_LETTER_CC": "某某市人大常委会代表工作委员会"}
    response = get_pdf(
        client, city_staff, reverse("cases_stats:answer_letter", args=[answered_suggestion.pk])
    )
    assert "抄送：某某市人大常委会代表工作委员会" in pdf_words(response.content)


def test_a_township_congress_letter_goes_to_its_presidium_and_leaves_lines_for_missing_fields(
    answered_wish, client, haiyan_staff
):
    response = get_pdf(client, haiyan_staff, reverse("cases_stats:answer_letter", args=[answered_wish.pk]))
    text = pdf_words(response.content)
    assert "主席团" in text and "抄送" in text
    assert "文号：" in text and "主动公开" in text  # the default disclosure
    assert "关于“为独居老人购置轮椅”微心愿的答复" in text


def test_the_heading_of_a_micro_project(answered_wish):
    case = answered_wish.case
    case.kind = Case.Kind.MICRO_PROJECT
    assert "微实事" in letter_heading(case, "关于修缮村道的建议")


@pytest.mark.parametrize(
    "changes, field",
    [
        ({"disclosure": "secret"}, "disclosure"),
        ({"contact_name": "王科长"}, "contact_phone"),
        ({"contact_phone": "0750-3123456"}, "contact_name"),
        ({"contact_name": "王科长", "contact_phone": "电话号码"}, "contact_phone"),
        ({"contact_name": "王科长", "contact_phone": "123"}, "contact_phone"),
        ({"document_number": "文" * 51}, "document_number"),
    ],
)
def test_bad_letter_fields_are_refused_in_chinese_and_nothing_is_saved(
    assigned_wish, haiyan_handler, changes, field
):
    part = assigned_wish.assignments.get()
    services.assignment_acknowledge(actor=haiyan_handler, assignment_id=part.pk)
    with pytest.raises(DomainError) as refused:
        services.answer_submit(
            actor=haiyan_handler,
            assignment_id=part.pk,
            answer_class="A",
            text="已办理",
            signed_by="李镇长",
            **changes,
        )
    assert refused.value.field == field
    assert any("\u4e00" <= c <= "\u9fff" for c in str(refused.value.message))
    assert not Answer.objects.filter(case=assigned_wish).exists()


def test_the_answer_form_on_the_case_page_saves_the_letter_fields(assigned_wish, client, haiyan_handler):
    part = assigned_wish.assignments.get()
    services.assignment_acknowledge(actor=haiyan_handler, assignment_id=part.pk)
    client.force_login(haiyan_handler)
    response = client.post(
        reverse("cases:answer", args=[assigned_wish.pk, part.pk]),
        {
            "answer_class": "A",
            "text": "已购置轮椅。",
            "signed_by": "李镇长",
            "document_number": "海府函〔2026〕3号",
            "disclosure": "not_public",
            "contact_name": "黄干事",
            "contact_phone": "13800138000",
        },
    )
    assert response.status_code in (200, 302)
    answer = Answer.objects.get(case=assigned_wish)
    assert (answer.document_number, answer.disclosure) == ("海府函〔2026〕3号", "not_public")
    assert (answer.contact_name, answer.contact_phone) == ("黄干事", "13800138000")


# --- the other documents of a case -----------------------------------------------------------------------------


def test_the_feedback_form_has_a_page_per_deputy_with_the_boxes(answered_wish, client, deputy_user):
    response = get_pdf(client, deputy_user, print_url(answered_wish.case, "feedback-form"))
    text = pdf_words(response.content)
    assert "征询意见表" in text and "满意" in text and "基本满意" in text and "不满意" in text
    assert "陈海" in text and "曾丽" in text and "代表签名" in text
    assert pdf_pages(response.content) == 2
    assert file_name(response).startswith("征询意见表-")


def test_the_registration_form_shows_the_family_only_to_who_may_see_it(
    answered_wish, client, haiyan_staff, cosigner_user
):
    case = answered_wish.case
    staff_text = pdf_words(get_pdf(client, haiyan_staff, print_url(case, "registration")).content)
    assert "登记表" in staff_text and case.number in staff_text
    assert "黄阿婆" in staff_text and "13712345678" in staff_text and "五丰村三巷8号" in staff_text
    assert "海宴镇人民政府" in staff_text and "登记人" in staff_text
    response = get_pdf(client, cosigner_user, print_url(case, "registration"))
    text = pdf_words(response.content)
    assert "为独居老人购置轮椅" in text
    assert "黄阿婆" not in text and "13712345678" not in text and "五丰村三巷8号" not in text
    assert file_name(response) == f"建议登记表-{case.number}.pdf"


def test_the_assignment_notice_names_the_unit_role_and_deadlines(answered_wish, client, haiyan_staff):
    case = answered_wish.case
    part = case.assignments.get()
    response = get_pdf(client, haiyan_staff, print_url(case, "assignment-notice"))
    text = pdf_words(response.content)
    assert "交办通知单" in text and "海宴镇人民政府" in text and "主办" in text
    assert f"{part.answer_due.year}年{part.answer_due.month}月{part.answer_due.day}日" in text
    assert "（印章）" in text and "签收" in text
    assert file_name(response) == f"交办通知单-{case.number}.pdf"


def test_the_supervision_notice_goes_to_the_handling_units(assigned_wish, client, haiyan_staff):
    services.supervision_record(actor=haiyan_staff, case_id=assigned_wish.pk, kind="chase", note="请加快办理")
    response = get_pdf(client, haiyan_staff, print_url(assigned_wish, "supervision-notice"))
    text = pdf_words(response.content)
    assert "督办通知" in text and "海宴镇人民政府" in text and "请加快办理" in text and "（印章）" in text
    assert file_name(response) == f"督办通知-{assigned_wish.number}.pdf"


def test_the_home_verification_form_has_the_visit_and_signature_lines(filed_wish, client, station_staff):
    response = get_pdf(client, station_staff, print_url(filed_wish, "home-verification"))
    text = pdf_words(response.content)
    assert "入户核实表" in text and "黄阿婆" in text and "台山市海宴镇五丰村三巷8号" in text
    assert "情况属实，老人独居，行动不便。" in text and "联络站工作人员、陈海代表" in text
    assert "核实人" in text and "签名" in text
    assert file_name(response) == f"入户核实表-{filed_wish.number}.pdf"


def test_the_list_of_a_days_assignments(assigned_wish, client, haiyan_staff):
    day = dt.date.today()
    response = get_pdf(client, haiyan_staff, reverse("cases_stats:assignment_list") + f"?date={day}")
    text = pdf_words(response.content)
    assert "交办清单" in text and assigned_wish.number in text and "海宴镇人民政府" in text
    assert file_name(response) == f"交办清单-{day.isoformat()}.pdf"
    other_day = get_pdf(client, haiyan_staff, reverse("cases_stats:assignment_list") + "?date=2020-01-02")
    assert assigned_wish.number not in pdf_words(other_day.content)


def test_a_bad_date_of_the_assignment_list_is_400(client, haiyan_staff):
    client.force_login(haiyan_staff)
    assert client.get(reverse("cases_stats:assignment_list") + "?date=2026-13-40").status_code == 400


# --- who may print --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "who, registration, notice, verification, feedback",
    [
        (None, 302, 302, 302, 302),
        ("haiyan_staff", 200, 200, 200, 200),
        ("kaiping_staff", 404, 404, 404, 404),
        ("deputy_user", 200, 403, 200, 200),
        ("cosigner_user", 200, 403, 403, 200),
        ("station_staff", 200, 403, 200, 200),
        ("haiyan_handler", 200, 200, 403, 200),
        ("civil_affairs_handler", 404, 404, 404, 404),
        ("donor", 404, 404, 404, 404),
    ],
)
def test_permission_matrix_of_the_case_documents(
    request, client, answered_wish, who, registration, notice, verification, feedback
):
    user = request.getfixturevalue(who) if who else None
    case = answered_wish.case
    got = [
        status_for(client, user, "get", print_url(case, doc))
        for doc in ("registration", "assignment-notice", "home-verification", "feedback-form")
    ]
    assert got == [registration, notice, verification, feedback]


def test_a_suggestion_has_no_home_verification_form_and_a_draft_no_notice(
    client, city_staff, answered_suggestion, wish, haiyan_staff
):
    case = answered_suggestion.case
    assert status_for(client, city_staff, "get", print_url(case, "home-verification")) == 403
    assert status_for(client, haiyan_staff, "get", print_url(wish, "assignment-notice")) == 403
    assert status_for(client, haiyan_staff, "get", print_url(wish, "unknown-form")) == 404


@pytest.mark.parametrize(
    "who, expected", [("haiyan_staff", 200), ("deputy_user", 403), ("haiyan_handler", 403)]
)
def test_only_staff_print_the_list_of_assignments(request, client, assigned_wish, who, expected):
    user = request.getfixturevalue(who)
    assert status_for(client, user, "get", reverse("cases_stats:assignment_list")) == expected


def test_the_case_page_links_only_what_the_user_may_print(answered_wish, client, deputy_user, haiyan_handler):
    case = answered_wish.case
    client.force_login(deputy_user)
    page = client.get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert print_url(case, "registration") in page and print_url(case, "feedback-form") in page
    assert print_url(case, "assignment-notice") not in page
    client.force_login(haiyan_handler)
    page = client.get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert print_url(case, "assignment-notice") in page
    assert print_url(case, "home-verification") not in page
