"""Every step of the workflow taken through the case page: the right role's POST does it (and the audit trail
says so), the wrong role's is refused with nothing changed, a bad form shows its error on the field and
changes nothing, an illegal move shows its reason as a message and changes nothing."""

# ruff: noqa: F401, F811 - fixtures imported by name from pages_fixtures

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import translation

from minsheng.cases import services
from minsheng.cases.models import Assignment, Case, Claim, Document, Rating, ReassignmentRequest
from minsheng.common.models import AuditRecord

from .pages_fixtures import (
    SUMMARY,
    answered,
    cosigned_wish,
    cosigner_user,
    photo,
    world,
)

TODAY = dt.date.today().isoformat()


def verbs(case) -> list[str]:
    return list(
        AuditRecord.objects.filter(target_id=str(case.pk)).order_by("id").values_list("verb", flat=True)
    )


def post(client, user, name, args, data=None, **extra):
    client.force_login(user)
    # The page answers in the request's language (zh-hans by default): ask for English to read the reasons.
    extra.setdefault("HTTP_ACCEPT_LANGUAGE", "en")
    return client.post(reverse(f"cases:{name}", args=args), data or {}, **extra)


def messages_of(response) -> list[str]:
    return [str(m) for m in response.context["messages"]] if response.context else []


def field_errors(response, field: str) -> str:
    return f'data-testid="error-{field}"' in response.content.decode() and response.content.decode()


@pytest.fixture
def verified(wish, station_staff):
    services.case_verify(
        actor=station_staff,
        case_id=wish.pk,
        visited_on=dt.date.today(),
        visitors="站长",
        findings="属实",
        confirmed=True,
    )
    return wish


@pytest.fixture
def accepted(cosigned_wish, haiyan_staff):
    return services.case_accept(actor=haiyan_staff, case_id=cosigned_wish.pk)


# --- collect, verify, file, withdraw ----------------------------------------------------------------------


def test_station_staff_record_the_home_visit_through_the_page(client, wish, station_staff):
    response = post(
        client,
        station_staff,
        "verify",
        [wish.pk],
        {"visited_on": TODAY, "visitors": "站长、陈海代表", "findings": "属实", "confirmed": "on"},
    )
    assert response.status_code == 302
    wish.refresh_from_db()
    assert wish.verified_at is not None
    assert verbs(wish)[-1] == "case.verified"


def test_a_visit_in_the_future_is_refused_on_its_field(client, wish, station_staff):
    tomorrow = (dt.date.today() + dt.timedelta(days=1)).isoformat()
    response = post(
        client,
        station_staff,
        "verify",
        [wish.pk],
        {"visited_on": tomorrow, "visitors": "站长", "findings": "属实", "confirmed": "on"},
    )
    assert response.status_code == 400
    assert 'data-testid="error-visited_on"' in response.content.decode()
    assert "future" in response.content.decode()
    wish.refresh_from_db()
    assert wish.verified_at is None and verbs(wish) == ["case.created"]


def test_the_lead_deputy_files_with_a_cosigner(client, verified, deputy_user, city_deputy):
    response = post(client, deputy_user, "file", [verified.pk], {"cosigners": [city_deputy.pk]})
    assert response.status_code == 302
    verified.refresh_from_db()
    assert verified.status == Case.Status.FILED and verified.number
    assert list(verified.cosigners.all()) == [city_deputy]


def test_filing_an_unverified_wish_shows_the_reason_and_changes_nothing(client, wish, deputy_user):
    response = post(client, deputy_user, "file", [wish.pk])
    assert response.status_code == 409
    assert any("verified" in m for m in messages_of(response))
    wish.refresh_from_db()
    assert wish.status == Case.Status.DRAFT and wish.number is None


def test_a_cosigner_cannot_file_or_withdraw(client, cosigned_wish, cosigner_user):
    assert (
        post(client, cosigner_user, "withdraw", [cosigned_wish.pk], {"reason": "不需要了"}).status_code == 403
    )
    cosigned_wish.refresh_from_db()
    assert cosigned_wish.status == Case.Status.FILED


def test_the_lead_deputy_withdraws_in_writing_with_a_scanned_letter(client, cosigned_wish, deputy_user):
    response = post(
        client,
        deputy_user,
        "withdraw",
        [cosigned_wish.pk],
        {"reason": "家属已自行解决", "letter": photo("letter.png")},
    )
    assert response.status_code == 302
    cosigned_wish.refresh_from_db()
    assert cosigned_wish.status == Case.Status.WITHDRAWN
    assert cosigned_wish.documents.get().kind == Document.Kind.WITHDRAWAL


def test_withdrawing_without_a_reason_shows_the_error_on_the_field(client, cosigned_wish, deputy_user):
    response = post(client, deputy_user, "withdraw", [cosigned_wish.pk], {"reason": ""})
    assert response.status_code == 400
    assert 'data-testid="error-reason"' in response.content.decode()
    cosigned_wish.refresh_from_db()
    assert cosigned_wish.status == Case.Status.FILED


# --- review ------------------------------------------------------------------------------------------------


def test_staff_accept_through_the_page(client, cosigned_wish, haiyan_staff):
    assert post(client, haiyan_staff, "accept", [cosigned_wish.pk]).status_code == 302
    cosigned_wish.refresh_from_db()
    assert cosigned_wish.status == Case.Status.ACCEPTED
    assert verbs(cosigned_wish)[-1] == "case.accepted"


def test_accepting_twice_is_refused_with_its_reason(client, accepted, haiyan_staff):
    before = verbs(accepted)
    response = post(client, haiyan_staff, "accept", [accepted.pk])
    assert response.status_code == 409
    assert any("cannot become" in m for m in messages_of(response))
    assert verbs(accepted) == before


def test_the_lead_deputy_cannot_accept_his_own_case(client, cosigned_wish, deputy_user):
    assert post(client, deputy_user, "accept", [cosigned_wish.pk]).status_code == 403
    cosigned_wish.refresh_from_db()
    assert cosigned_wish.status == Case.Status.FILED


def test_staff_refuse_with_a_reason_from_the_list(client, cosigned_wish, haiyan_staff):
    response = post(
        client, haiyan_staff, "refuse", [cosigned_wish.pk], {"reason": "petition", "note": "信访事项"}
    )
    assert response.status_code == 302
    cosigned_wish.refresh_from_db()
    assert cosigned_wish.status == Case.Status.REFUSED and cosigned_wish.refuse_reason == "petition"


def test_refusing_without_a_reason_shows_the_field_error_and_changes_nothing(
    client, cosigned_wish, haiyan_staff
):
    response = post(client, haiyan_staff, "refuse", [cosigned_wish.pk], {"reason": ""})
    assert response.status_code == 400
    body = response.content.decode()
    assert 'data-testid="error-reason"' in body
    # the form stays open on the page, with its own ids
    assert 'id="id_refuse_reason"' in body
    cosigned_wish.refresh_from_db()
    assert cosigned_wish.status == Case.Status.FILED


def test_staff_return_a_case_for_revision_and_the_deputy_edits_it(
    client, cosigned_wish, haiyan_staff, deputy_user
):
    assert (
        post(client, haiyan_staff, "return", [cosigned_wish.pk], {"note": "请补充家庭情况"}).status_code
        == 302
    )
    cosigned_wish.refresh_from_db()
    assert cosigned_wish.status == Case.Status.RETURNED
    client.force_login(deputy_user)
    page = client.get(reverse("cases:edit", args=[cosigned_wish.pk]))
    assert page.status_code == 200 and "请补充家庭情况" in page.content.decode()


def test_staff_merge_a_duplicate_into_another_case(
    client, cosigned_wish, haiyan_staff, deputy_user, station, county_deputy
):
    other = services.case_create(
        actor=deputy_user,
        kind="suggestion",
        title="轮椅",
        content="同一户的轮椅",
        congress=cosigned_wish.congress,
        lead_deputy=deputy_user.deputy,
        place=station.place,
    )
    services.case_file(actor=deputy_user, case_id=other.pk)
    response = post(client, haiyan_staff, "merge", [other.pk], {"into": cosigned_wish.number})
    assert response.status_code == 302
    other.refresh_from_db()
    assert other.status == Case.Status.REFUSED and other.merged_into_id == cosigned_wish.pk


def test_merging_into_an_unknown_number_is_an_error_on_the_field(client, cosigned_wish, haiyan_staff):
    response = post(client, haiyan_staff, "merge", [cosigned_wish.pk], {"into": "2099S9999999"})
    assert response.status_code == 400
    assert 'data-testid="error-into"' in response.content.decode()


# --- assign ------------------------------------------------------------------------------------------------


def test_staff_assign_a_lead_and_an_assisting_unit_marked_hard(
    client, accepted, haiyan_staff, haiyan_government, civil_affairs
):
    response = post(
        client,
        haiyan_staff,
        "assign",
        [accepted.pk],
        {"mode": "lead", "lead": haiyan_government.pk, "assisting": [civil_affairs.pk], "hard": "on"},
    )
    assert response.status_code == 302
    accepted.refresh_from_db()
    assert accepted.status == Case.Status.ASSIGNED and accepted.is_hard
    roles = dict(accepted.assignments.values_list("unit_id", "role"))
    assert roles == {haiyan_government.pk: "lead", civil_affairs.pk: "assisting"}


def test_split_handling_needs_two_units(client, accepted, haiyan_staff, haiyan_government):
    response = post(
        client, haiyan_staff, "assign", [accepted.pk], {"mode": "split", "split": [haiyan_government.pk]}
    )
    assert response.status_code == 400
    assert 'data-testid="error-split"' in response.content.decode()
    accepted.refresh_from_db()
    assert accepted.status == Case.Status.ACCEPTED and not accepted.assignments.exists()


def test_split_handling_through_the_page(client, accepted, haiyan_staff, haiyan_government, civil_affairs):
    response = post(
        client,
        haiyan_staff,
        "assign",
        [accepted.pk],
        {"mode": "split", "split": [haiyan_government.pk, civil_affairs.pk]},
    )
    assert response.status_code == 302
    assert set(accepted.assignments.values_list("role", flat=True)) == {"split"}


def test_the_unit_select_offers_active_units_of_the_region_or_above_only(
    client, accepted, haiyan_staff, haiyan_government, civil_affairs, kaiping_congress
):
    from minsheng.units.models import Unit
    from minsheng.units.tests.factories import UnitFactory

    kaiping = UnitFactory(
        name="开平市民政局", level=Unit.Level.COUNTY, place=kaiping_congress.place, congress=kaiping_congress
    )
    closed = UnitFactory(name="江门市已撤销局", is_active=False)
    client.force_login(haiyan_staff)
    units = client.get(reverse("cases:detail", args=[accepted.pk])).context["actions"]
    assign = next(a for a in units if a.name == "assign")
    offered = set(assign.form.fields["lead"].queryset)
    assert {haiyan_government, civil_affairs} <= offered
    assert kaiping not in offered and closed not in offered


# --- a unit's work -----------------------------------------------------------------------------------------


def assisting_opinion_in(world, haiyan_staff):
    """Staff keep 江门市民政局 on the case and it sends its assisting opinion (协办)."""
    from minsheng.accounts.models import User

    services.reassignment_decide(actor=haiyan_staff, request_id=world["request"].pk)
    services.assisting_opinion_send(
        actor=User.objects.get(username="minzheng_world"),
        assignment_id=world["assisting"].pk,
        opinion="民政局将按规定给予临时救助。",
    )


def test_the_unit_acknowledges_records_and_answers(client, world, haiyan_handler, haiyan_staff):
    case, lead = world["case"], world["lead"]
    assert post(client, haiyan_handler, "acknowledge", [case.pk, lead.pk]).status_code == 302
    response = post(
        client,
        haiyan_handler,
        "record",
        [case.pk, lead.pk],
        {"kind": "phone", "happened_on": TODAY, "note": "与陈海代表电话沟通"},
    )
    assert response.status_code == 302
    assisting_opinion_in(world, haiyan_staff)
    response = post(
        client,
        haiyan_handler,
        "answer",
        [case.pk, lead.pk],
        {"answer_class": "A", "text": "已购置轮椅", "signed_by": "李镇长"},
    )
    assert response.status_code == 302
    lead.refresh_from_db()
    assert lead.status == Assignment.Status.ANSWERED and lead.answer.answer_class == "A"
    assert lead.records.get().kind == "phone"


def test_answering_before_acknowledging_shows_the_reason(client, world, haiyan_handler):
    case, lead = world["case"], world["lead"]
    response = post(
        client,
        haiyan_handler,
        "answer",
        [case.pk, lead.pk],
        {"answer_class": "A", "text": "已购置轮椅", "signed_by": "李镇长"},
    )
    assert response.status_code == 409
    assert any("Acknowledge" in m for m in messages_of(response))
    lead.refresh_from_db()
    assert lead.status == Assignment.Status.PENDING


def test_an_answer_class_outside_the_congress_rules_is_refused(client, world, haiyan_handler, haiyan_staff):
    case, lead = world["case"], world["lead"]
    services.assignment_acknowledge(actor=haiyan_handler, assignment_id=lead.pk)
    assisting_opinion_in(world, haiyan_staff)
    response = post(
        client,
        haiyan_handler,
        "answer",
        [case.pk, lead.pk],
        {"answer_class": "Z", "text": "x", "signed_by": "李"},
    )
    assert response.status_code == 400
    assert 'data-testid="error-answer_class"' in response.content.decode()


def test_the_answer_classes_come_from_the_congress_rules(
    client, world, haiyan_handler, haiyan_congress, haiyan_staff
):
    from minsheng.cases.models import CaseRules

    CaseRules.objects.create(
        congress=haiyan_congress,
        answer_classes=[{"code": "甲", "label": "已解决"}, {"code": "乙", "label": "未解决"}],
    )
    case, lead = world["case"], world["lead"]
    services.assignment_acknowledge(actor=haiyan_handler, assignment_id=lead.pk)
    assisting_opinion_in(world, haiyan_staff)
    client.force_login(haiyan_handler)
    body = client.get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert 'value="甲"' in body and 'value="A"' not in body


def test_the_assisting_unit_asks_for_reassignment_and_staff_reassign(
    client, world, haiyan_staff, education_bureau
):
    case, request_ = world["case"], world["request"]
    response = post(
        client,
        haiyan_staff,
        "decide_reassignment",
        [case.pk, request_.pk],
        {"decision": "reassign", "reassign_to": education_bureau.pk, "note": "改由教育局协办"},
    )
    assert response.status_code == 302
    request_.refresh_from_db()
    assert request_.decision == ReassignmentRequest.Decision.REASSIGNED
    assert case.assignments.filter(unit=education_bureau, status=Assignment.Status.PENDING).exists()


def test_reassigning_without_a_unit_is_an_error_on_the_field(client, world, haiyan_staff):
    response = post(
        client,
        haiyan_staff,
        "decide_reassignment",
        [world["case"].pk, world["request"].pk],
        {"decision": "reassign"},
    )
    assert response.status_code == 400
    assert 'data-testid="error-reassign_to"' in response.content.decode()


def test_a_handler_requests_reassignment_through_the_page(client, world, haiyan_handler):
    case, lead = world["case"], world["lead"]
    response = post(
        client, haiyan_handler, "request_reassignment", [case.pk, lead.pk], {"reason": "非本镇事务"}
    )
    assert response.status_code == 302
    lead.refresh_from_db()
    assert lead.status == Assignment.Status.REASSIGN_REQUESTED


def test_an_assisting_unit_sends_its_opinion(client, world, haiyan_staff, civil_affairs):
    from minsheng.accounts.models import User

    handler = User.objects.get(unit=civil_affairs)
    services.reassignment_decide(actor=haiyan_staff, request_id=world["request"].pk)  # confirmed: it stays
    response = post(
        client, handler, "opinion", [world["case"].pk, world["assisting"].pk], {"opinion": "建议由民政局补助"}
    )
    assert response.status_code == 302
    world["assisting"].refresh_from_db()
    assert world["assisting"].opinion == "建议由民政局补助"


def test_a_handler_uploads_evidence_linked_to_the_units_part(client, world, haiyan_handler):
    case = world["case"]
    response = post(
        client, haiyan_handler, "upload", [case.pk], {"kind": "evidence", "file": photo("receipt.png")}
    )
    assert response.status_code == 302
    document = case.documents.get(kind="evidence")
    assert document.assignment_id == world["lead"].pk


def test_an_upload_of_the_wrong_type_is_refused_on_the_field(client, world, deputy_user):
    from django.core.files.uploadedfile import SimpleUploadedFile

    fake = SimpleUploadedFile("virus.png", b"MZ\x90\x00 not a picture", content_type="image/png")
    before = world["case"].documents.count()
    response = post(client, deputy_user, "upload", [world["case"].pk], {"kind": "photo", "file": fake})
    assert response.status_code == 400
    assert 'data-testid="error-file"' in response.content.decode()
    assert world["case"].documents.count() == before


def test_documents_are_served_to_who_sees_the_case_only(client, world, deputy_user, education_handler):
    url = reverse("cases:document", args=[world["case"].pk, world["document"].pk])
    client.force_login(deputy_user)
    response = client.get(url)
    assert response.status_code == 200 and response["Content-Type"] == "image/png"
    assert b"".join(response.streaming_content).startswith(b"\x89PNG")
    client.force_login(education_handler)
    assert client.get(url).status_code == 404


# --- feedback, close, follow-up, supervise, publish -------------------------------------------------------


def test_a_cosigners_rating_is_recorded_but_the_leads_decides(client, answered, cosigner_user, deputy_user):
    assert post(client, cosigner_user, "rate", [answered.pk], {"value": "mostly"}).status_code == 302
    answered.refresh_from_db()
    assert answered.status == Case.Status.ANSWERED
    assert post(client, deputy_user, "rate", [answered.pk], {"value": "satisfied"}).status_code == 302
    answered.refresh_from_db()
    assert answered.status == Case.Status.CLOSED
    assert Rating.objects.filter(case=answered).count() == 2


def test_dissatisfied_needs_a_comment_on_the_field(client, answered, deputy_user):
    response = post(client, deputy_user, "rate", [answered.pk], {"value": "dissatisfied", "comment": ""})
    assert response.status_code == 400
    assert 'data-testid="error-comment"' in response.content.decode()
    answered.refresh_from_db()
    assert answered.status == Case.Status.ANSWERED


def test_after_dissatisfied_staff_reassign_or_close(
    client, answered, deputy_user, haiyan_staff, haiyan_government
):
    post(client, deputy_user, "rate", [answered.pk], {"value": "dissatisfied", "comment": "轮椅质量差"})
    answered.refresh_from_db()
    assert answered.status == Case.Status.DISSATISFIED
    client.force_login(haiyan_staff)
    names = [a.name for a in client.get(reverse("cases:detail", args=[answered.pk])).context["actions"]]
    assert "assign" in names and "close" in names
    response = post(
        client, haiyan_staff, "assign", [answered.pk], {"mode": "lead", "lead": haiyan_government.pk}
    )
    assert response.status_code == 302
    answered.refresh_from_db()
    assert answered.status == Case.Status.ASSIGNED and answered.round == 2


def test_staff_close_a_dissatisfied_case_with_a_note(client, answered, deputy_user, haiyan_staff):
    services.rating_submit(actor=deputy_user, case_id=answered.pk, value="dissatisfied", comment="不满意")
    assert post(client, haiyan_staff, "close", [answered.pk], {"note": "已尽力解决"}).status_code == 302
    answered.refresh_from_db()
    assert answered.status == Case.Status.CLOSED


def test_follow_up_priority_supervision_and_publishing(
    client, answered, deputy_user, station_staff, haiyan_staff
):
    assert (
        post(
            client, station_staff, "follow_up", [answered.pk], {"visited_on": TODAY, "wish_met": "on"}
        ).status_code
        == 302
    )
    assert answered.follow_ups.get().wish_met
    assert (
        post(
            client,
            haiyan_staff,
            "priority",
            [answered.pk],
            {
                "priority": "1",
                "meeting_date": TODAY,
                "meeting_name": "第3次主任会议",
                "proposed_by": "代表工委",
            },
        ).status_code
        == 302
    )
    answered.refresh_from_db()
    assert answered.is_priority
    assert (
        post(
            client, haiyan_staff, "supervise", [answered.pk], {"kind": "chase", "note": "电话催办"}
        ).status_code
        == 302
    )
    assert post(client, haiyan_staff, "priority", [answered.pk], {"priority": "0"}).status_code == 400
    assert (
        post(client, haiyan_staff, "priority", [answered.pk], {"priority": "0", "note": "已落实"}).status_code
        == 302
    )
    answered.refresh_from_db()
    assert not answered.is_priority
    services.rating_submit(actor=deputy_user, case_id=answered.pk, value="satisfied")
    assert post(client, haiyan_staff, "publish", [answered.pk]).status_code == 302
    answered.refresh_from_db()
    assert answered.published_at is not None
    assert verbs(answered)[-1] == "case.published"


def test_publishing_an_open_case_is_refused_with_its_reason(client, world, haiyan_staff):
    response = post(client, haiyan_staff, "publish", [world["case"].pk])
    assert response.status_code == 409
    assert any("closed" in m for m in messages_of(response))


# --- the wall and claims -----------------------------------------------------------------------------------


def test_staff_put_a_wish_on_the_wall_with_a_summary(client, accepted, haiyan_staff):
    response = post(client, haiyan_staff, "put_on_wall", [accepted.pk], {"public_summary": SUMMARY})
    assert response.status_code == 302
    accepted.refresh_from_db()
    assert accepted.on_wall_at is not None and accepted.public_summary == SUMMARY


@pytest.mark.parametrize(
    "summary",
    ["黄阿婆需要轮椅", "联系电话13712345678", "家住台山市海宴镇五丰村三巷8号", "身份证44078119480506122X"],
)
def test_a_wall_summary_that_identifies_the_family_is_refused(client, accepted, haiyan_staff, summary):
    response = post(client, haiyan_staff, "put_on_wall", [accepted.pk], {"public_summary": summary})
    assert response.status_code == 400
    assert 'data-testid="error-public_summary"' in response.content.decode()
    accepted.refresh_from_db()
    assert accepted.on_wall_at is None and accepted.public_summary == ""


def test_a_wall_summary_naming_the_village_is_refused(client, accepted, haiyan_staff):
    from minsheng.places.models import Place

    village = Place.objects.get(name="五丰村委会")
    Case.objects.filter(pk=accepted.pk).update(place=village)
    with pytest.raises(Exception) as caught:
        services.wish_put_on_wall(
            actor=haiyan_staff, case_id=accepted.pk, public_summary="五丰村委会的老人需要轮椅"
        )
    assert caught.value.field == "public_summary"


def test_a_verified_donor_claims_from_the_wall_and_sees_the_contact(client, accepted, haiyan_staff, donor):
    services.wish_put_on_wall(actor=haiyan_staff, case_id=accepted.pk, public_summary=SUMMARY)
    response = post(client, donor, "claim", [accepted.pk], {"kind": "whole"})
    assert response.status_code == 302 and response["Location"] == reverse("cases:claims")
    page = client.get(reverse("cases:claims")).content.decode()
    assert "13712345678" in page and 'data-testid="delivery-contact"' in page


def test_a_pledge_above_what_is_open_is_refused_on_the_amount(client, accepted, haiyan_staff, donor):
    services.wish_put_on_wall(actor=haiyan_staff, case_id=accepted.pk, public_summary=SUMMARY)
    response = post(client, donor, "claim", [accepted.pk], {"kind": "share", "amount": "900"})
    assert response.status_code == 409
    assert 'data-testid="error-amount"' in response.content.decode()
    assert not Claim.objects.exists()


def test_a_second_whole_claim_is_refused_through_the_page(client, world, haiyan_staff):
    from minsheng.accounts.models import DonorProfile
    from minsheng.accounts.tests.factories import DonorProfileFactory

    other = DonorProfileFactory(user__username="donor2", status=DonorProfile.Status.VERIFIED).user
    response = post(client, other, "claim", [world["case"].pk], {"kind": "whole"})
    assert response.status_code in (400, 409)
    assert Claim.objects.filter(case=world["case"]).count() == 1


def test_a_pending_donor_is_refused_a_claim(client, accepted, haiyan_staff, pending_donor):
    services.wish_put_on_wall(actor=haiyan_staff, case_id=accepted.pk, public_summary=SUMMARY)
    assert post(client, pending_donor, "claim", [accepted.pk], {"kind": "whole"}).status_code == 403
    assert not Claim.objects.exists()


def test_the_donor_withdraws_a_claim_from_the_claims_page(client, world, donor):
    claim = world["claim"]
    response = post(
        client,
        donor,
        "claim_withdraw",
        [world["case"].pk, claim.pk],
        {"reason": "企业预算调整", "next": reverse("cases:claims")},
    )
    assert response.status_code == 302 and response["Location"] == reverse("cases:claims")
    claim.refresh_from_db()
    assert claim.status == Claim.Status.WITHDRAWN


def test_a_foreign_next_url_is_ignored(client, world, donor):
    response = post(
        client,
        donor,
        "claim_withdraw",
        [world["case"].pk, world["claim"].pk],
        {"reason": "x", "next": "https://evil.example/"},
    )
    assert response["Location"] == reverse("cases:detail", args=[world["case"].pk])


def test_the_donor_delivers_with_photos_and_the_station_confirms(client, world, donor, station_staff):
    case, claim = world["case"], world["claim"]
    response = post(
        client, donor, "deliver", [case.pk, claim.pk], {"photos": [photo("a.png"), photo("b.png")]}
    )
    assert response.status_code == 302
    claim.refresh_from_db()
    assert claim.status == Claim.Status.DELIVERED and claim.photos.count() == 2
    assert post(client, station_staff, "confirm_delivery", [case.pk, claim.pk]).status_code == 302
    case.refresh_from_db()
    assert case.realised_at is not None


def test_a_delivery_needs_between_one_and_nine_photos(client, world, donor):
    case, claim = world["case"], world["claim"]
    response = post(
        client, donor, "deliver", [case.pk, claim.pk], {"photos": [photo(f"{i}.png") for i in range(10)]}
    )
    assert response.status_code == 400
    assert 'data-testid="error-photos"' in response.content.decode()
    response = post(client, donor, "deliver", [case.pk, claim.pk], {})
    assert response.status_code == 400
    claim.refresh_from_db()
    assert claim.status == Claim.Status.LIVE and not claim.photos.exists()


def test_another_donor_cannot_deliver_a_claim(client, world):
    from minsheng.accounts.models import DonorProfile
    from minsheng.accounts.tests.factories import DonorProfileFactory

    other = DonorProfileFactory(user__username="donor3", status=DonorProfile.Status.VERIFIED).user
    response = post(client, other, "deliver", [world["case"].pk, world["claim"].pk], {"photos": [photo()]})
    assert response.status_code == 404  # the other donor does not see the case at all


def test_the_page_offers_exactly_the_actions_of_the_moment(
    client, world, haiyan_staff, haiyan_handler, donor
):
    def offered(user):
        client.force_login(user)
        response = client.get(reverse("cases:detail", args=[world["case"].pk]))
        names = {a.name for a in response.context["actions"]}
        for assignment in response.context["assignments"]:
            names |= {a.name for a in assignment.actions}
            for request_ in assignment.pending_requests:
                names |= {a.name for a in request_.actions}
        for claim in response.context["claims"]:
            names |= {a.name for a in claim.actions}
        return names

    assert offered(haiyan_staff) == {
        "priority",
        "supervise",
        "follow_up",
        "upload",
        "withdraw",
        "decide_reassignment",
        "claim_withdraw",
    }
    assert offered(haiyan_handler) == {"acknowledge", "request_reassignment", "request_extension", "upload"}
    assert offered(donor) == {"claim_withdraw", "deliver"}
