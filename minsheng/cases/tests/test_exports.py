"""The Excel list of cases: the case list's filters, the caller's scope, and never a beneficiary's identity or a
deputy's mobile number — not even for staff, who see them on screen."""

from io import BytesIO

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from minsheng.cases import services
from minsheng.cases.tests.conftest import BENEFICIARY
from minsheng.common.testing import status_for


@pytest.fixture
def answered_wish(assigned_wish, deputy_user, city_deputy, haiyan_handler):
    """The wish of conftest (its title naming the family), answered A and rated by 陈海."""
    from minsheng.cases.models import Case, Cosigner

    Cosigner.objects.create(case=assigned_wish, deputy=city_deputy, status=Cosigner.Status.CONFIRMED)
    Case.objects.filter(pk=assigned_wish.pk).update(title=f"为{BENEFICIARY['name']}购置轮椅")
    part = assigned_wish.assignments.get()
    services.assignment_acknowledge(actor=haiyan_handler, assignment_id=part.pk)
    services.answer_submit(
        actor=haiyan_handler, assignment_id=part.pk, answer_class="A", text="已购置轮椅。", signed_by="李镇长"
    )
    services.rating_submit(actor=deputy_user, case_id=assigned_wish.pk, value="satisfied")
    return Case.objects.get(pk=assigned_wish.pk)


@pytest.fixture
def suggestion(deputy_user, haiyan_congress, station):
    from minsheng.cases.models import Case

    case = services.case_create(
        actor=deputy_user,
        kind=Case.Kind.SUGGESTION,
        title="增设村道路灯",
        content="五丰村村道夜间无照明。",
        congress=haiyan_congress,
        lead_deputy=deputy_user.deputy,
        place=station.place,
    )
    return services.case_file(actor=deputy_user, case_id=case.pk)


def rows_of(response) -> list[tuple]:
    assert response.status_code == 200, response.content[:300]
    return list(load_workbook(BytesIO(response.content)).active.values)


def every_cell(rows) -> str:
    return "\n".join(str(v) for row in rows for v in row if v is not None)


def test_the_export_lists_the_cases_with_units_answer_class_and_rating(answered_wish, client, haiyan_staff):

    client.force_login(haiyan_staff)
    rows = rows_of(client.get(reverse("cases_stats:case_export"), HTTP_ACCEPT_LANGUAGE="en"))
    header, row = rows[0], dict(zip(rows[0], rows[1], strict=True))
    assert len(rows) == 2 and "Case number" in header
    assert row["Case number"] == answered_wish.number
    assert row["Lead deputy"] == "陈海" and row["Co-signers"] == "曾丽"
    assert row["Handling units"] == "海宴镇人民政府 (Lead unit)"
    assert row["Answer class"] == "A" and row["Rating"] == "Satisfied"
    assert row["Status"] == "Closed" and row["Congress"] == "海宴镇人民代表大会"


def test_the_export_never_holds_a_beneficiarys_identity_even_for_staff(answered_wish, client, haiyan_staff):
    client.force_login(haiyan_staff)
    text = every_cell(rows_of(client.get(reverse("cases_stats:case_export"))))
    assert answered_wish.number in text and "轮椅" in text
    for secret in ("黄阿婆", "440781194805061228"[:14], BENEFICIARY["phone"], "五丰村三巷"):
        assert secret not in text


def test_the_export_never_holds_a_deputys_mobile(answered_wish, client, haiyan_staff):
    client.force_login(haiyan_staff)
    text = every_cell(rows_of(client.get(reverse("cases_stats:case_export"))))
    for deputy in (answered_wish.lead_deputy, *answered_wish.cosigners.all()):
        assert deputy.mobile and deputy.mobile not in text


def test_the_export_takes_the_case_lists_filters(answered_wish, suggestion, client, haiyan_staff):
    client.force_login(haiyan_staff)
    url = reverse("cases_stats:case_export")
    assert len(rows_of(client.get(url))) == 3
    assert [r[0] for r in rows_of(client.get(url, {"kind": "suggestion"}))[1:]] == [suggestion.number]
    assert [r[0] for r in rows_of(client.get(url, {"status": "closed"}))[1:]] == [answered_wish.number]
    assert len(rows_of(client.get(url, {"congress": answered_wish.congress_id}))) == 3
    assert len(rows_of(client.get(url, {"filed_to": "2000-01-01"}))) == 1


def test_bad_filters_are_refused_with_a_clear_message(client, haiyan_staff):
    from django.utils import translation

    client.force_login(haiyan_staff)
    with translation.override("en"):
        response = client.get(reverse("cases_stats:case_export"), {"filed_from": "yesterday"})
    assert response.status_code == 400
    assert "filed_from" in response.content.decode()


def test_the_export_is_scoped_to_the_caller(answered_wish, suggestion, client, kaiping_staff, haiyan_handler):
    client.force_login(kaiping_staff)
    assert len(rows_of(client.get(reverse("cases_stats:case_export")))) == 1  # the header only
    client.force_login(haiyan_handler)
    assert [r[0] for r in rows_of(client.get(reverse("cases_stats:case_export")))[1:]] == [
        answered_wish.number
    ]


def test_the_export_reads_its_rows_in_a_few_queries(
    answered_wish, suggestion, client, haiyan_staff, django_assert_max_num_queries
):
    client.force_login(haiyan_staff)
    with django_assert_max_num_queries(12):
        rows_of(client.get(reverse("cases_stats:case_export")))


@pytest.mark.parametrize(
    "who, expected",
    [
        (None, 302),
        ("admin_user", 200),
        ("haiyan_staff", 200),
        ("kaiping_staff", 200),
        ("deputy_user", 200),
        ("station_staff", 200),
        ("haiyan_handler", 200),
        ("donor", 403),
    ],
)
def test_permission_matrix_of_the_case_export(request, client, haiyan_staff, who, expected):
    user = request.getfixturevalue(who) if who else None
    assert status_for(client, user, "get", reverse("cases_stats:case_export")) == expected
