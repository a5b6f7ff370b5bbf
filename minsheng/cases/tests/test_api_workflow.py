"""Every step of the case workflow through the REST API, by the role that takes it; illegal moves answer 409 and
change nothing; bad input answers 400 naming the field."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation

from minsheng.cases.models import Assignment, Case, Claim, Document, ReassignmentRequest
from minsheng.common.models import AuditRecord

from .test_api_fixtures import *  # noqa: F403 (the shared fixtures)
from .test_api_fixtures import ASSIGNMENTS, CASES, CLAIMS, PDF, REQUESTS, photo, today

pytestmark = pytest.mark.django_db


def verbs(case_id) -> list[str]:
    return list(
        AuditRecord.objects.filter(target_id=str(case_id)).order_by("id").values_list("verb", flat=True)
    )


def ok(response, code: int = 200) -> dict:
    assert response.status_code == code, response.content[:800]
    return response.json()


# --- the whole story ---------------------------------------------------------------------------------------


def test_the_whole_story_of_a_wish_runs_through_the_api(
    api,
    deputy_user,
    station_staff,
    station,
    haiyan_congress,
    haiyan_staff,
    haiyan_government,
    haiyan_handler,
    donor,
    beneficiary_data,
):
    # 陈海 records the wish on his phone: a draft with the family's personal data
    case = ok(
        api.login(deputy_user).post(
            CASES,
            {
                "kind": "wish",
                "title": "为独居老人购置轮椅",
                "content": "黄阿婆行动不便，希望有一台轮椅方便出行和就医。",
                "congress": haiyan_congress.pk,
                "place": station.place_id,
                "station": station.pk,
                "category": "material",
                "amount": "450.00",
                "beneficiary": beneficiary_data,
            },
        ),
        201,
    )
    pk = case["id"]
    assert case["status"] == "draft" and case["lead_deputy"]["id"] == deputy_user.deputy_id
    assert case["beneficiary"]["full"] and case["beneficiary"]["name"] == "黄阿婆"
    assert "file" not in case["allowed_actions"]  # not verified yet
    assert {"update", "verify", "withdraw", "upload"} <= set(case["allowed_actions"])

    # the station verifies it at home; 陈海 files it
    visit = {
        "visited_on": str(today()),
        "visitors": "联络站工作人员",
        "findings": "情况属实",
        "confirmed": True,
    }
    assert ok(api.login(station_staff).post(f"{CASES}{pk}/verify/", visit))["verified_at"]
    case = ok(api.login(deputy_user).post(f"{CASES}{pk}/file/", {}))
    assert case["status"] == "filed" and case["number"] and case["deadlines"]["assign_due"]

    # 海宴镇's staff accept, assign and put it on the wall
    staff = api.login(haiyan_staff)
    assert {"accept", "refuse", "return", "merge"} <= set(ok(staff.get(f"{CASES}{pk}/"))["allowed_actions"])
    assert ok(staff.post(f"{CASES}{pk}/accept/"))["status"] == "accepted"
    case = ok(staff.post(f"{CASES}{pk}/assign/", {"lead": haiyan_government.pk}))
    assert case["status"] == "assigned" and case["deadlines"]["answer_due"]
    [assignment] = case["assignments"]
    assert assignment["unit"]["id"] == haiyan_government.pk and assignment["role"] == "lead"
    case = ok(staff.post(f"{CASES}{pk}/put-on-wall/", {"public_summary": "独居老人需要一台轮椅"}))
    assert case["on_wall_at"] and case["open_amount"] == "450.00"

    # a donor claims it on the wall, sees the contact to deliver, delivers with a photo
    wall_item = ok(api.login(donor).get(f"/api/v1/wall/{pk}/"))
    assert wall_item["state"] == "open"
    claim = ok(api.login(donor).post(CLAIMS, {"case": pk, "kind": "whole"}), 201)
    assert claim["amount"] == "450.00" and claim["status"] == "live"
    assert claim["beneficiary"]["phone"] == "13712345678" and "id_number" not in claim["beneficiary"]
    assert claim["allowed_actions"] == ["withdraw", "deliver"]
    claim = ok(api.login(donor).upload(f"{CLAIMS}{claim['id']}/deliver/", {"photos": [photo()]}))
    assert claim["status"] == "delivered" and len(claim["photos"]) == 1
    assert claim["beneficiary"]["full"] is False and "*" in claim["beneficiary"]["phone"]  # no longer live

    # the station confirms the delivery: the wish is realised
    claim = ok(api.login(station_staff).post(f"{CLAIMS}{claim['id']}/confirm/"))
    assert claim["status"] == "confirmed"

    # the unit signs for it, records a call with the deputy and answers
    unit = api.login(haiyan_handler)
    inbox = ok(unit.get(ASSIGNMENTS))["results"]
    assert [row["id"] for row in inbox] == [assignment["id"]]
    ok(unit.post(f"{ASSIGNMENTS}{assignment['id']}/acknowledge/"))
    record = {"kind": "phone", "happened_on": str(today()), "note": "与陈海代表电话沟通"}
    ok(unit.post(f"{ASSIGNMENTS}{assignment['id']}/record/", record))
    case = ok(
        unit.post(
            f"{ASSIGNMENTS}{assignment['id']}/answer/",
            {"answer_class": "A", "text": "已协调爱心企业捐赠轮椅。", "signed_by": "李镇长"},
        )
    )
    assert case["status"] == "answered"
    assert case["assignments"][0]["answer"]["answer_class"] == "A"
    assert case["assignments"][0]["records"][0]["kind"] == "phone"

    # 陈海 is satisfied: the case closes; staff publish it
    case = ok(api.login(deputy_user).post(f"{CASES}{pk}/rate/", {"value": "satisfied", "comment": "谢谢"}))
    assert case["status"] == "closed" and case["deadlines"]["publish_due"]
    case = ok(api.login(haiyan_staff).post(f"{CASES}{pk}/publish/"))
    assert case["published_at"]

    # the public sees the answer and the realised wish
    answers = ok(api.login(None).get("/api/v1/answers/"))["results"]
    assert [a["id"] for a in answers] == [pk]
    realised = ok(api.login(None).get("/api/v1/wall/", state="realised"))["results"]
    assert [w["id"] for w in realised] == [pk] and realised[0]["state"] == "realised"

    assert verbs(pk) == [
        "case.created",
        "case.verified",
        "case.filed",
        "case.accepted",
        "case.assigned",
        "wish.on_wall",
        "claim.created",
        "claim.delivered",
        "claim.confirmed",
        "wish.realised",
        "assignment.acknowledged",
        "assignment.recorded",
        "case.answer_given",
        "case.answered",
        "case.rated",
        "case.closed",
        "case.published",
    ]


def test_a_dissatisfied_deputy_sends_the_case_back_and_staff_reassign_or_close_it(
    api, answered_wish, deputy_user, cosigner, haiyan_staff, haiyan_government
):
    pk = answered_wish.pk
    # the co-signer's rating is recorded, the lead deputy's decides
    case = ok(api.login(cosigner).post(f"{CASES}{pk}/rate/", {"value": "mostly"}))
    assert case["status"] == "answered" and "rate" not in case["allowed_actions"]
    case = ok(
        api.login(deputy_user).post(f"{CASES}{pk}/rate/", {"value": "dissatisfied", "comment": "未解决"})
    )
    assert case["status"] == "dissatisfied"
    assert {r["deputy"]["id"] for r in case["ratings"]} == {deputy_user.deputy_id, cosigner.deputy_id}

    staff = api.login(haiyan_staff)
    assert {"assign", "close"} <= set(ok(staff.get(f"{CASES}{pk}/"))["allowed_actions"])
    case = ok(staff.post(f"{CASES}{pk}/assign/", {"lead": haiyan_government.pk}))
    assert case["status"] == "assigned" and case["round"] == 2
    assert [a["round"] for a in case["assignments"]] == [1, 2]
    assert verbs(pk)[-1] == "case.reassigned"


def test_staff_close_a_case_after_dissatisfaction_with_a_reason(api, dissatisfied_wish, haiyan_staff):
    staff = api.login(haiyan_staff)
    assert (
        ok(staff.post(f"{CASES}{dissatisfied_wish.pk}/close/", {"note": "经核实已尽力"}))["status"]
        == "closed"
    )
    assert verbs(dissatisfied_wish.pk)[-1] == "case.closed"


def test_a_returned_case_is_edited_with_patch_and_filed_again(api, cosigned_wish, deputy_user, haiyan_staff):
    pk = cosigned_wish.pk
    case = ok(api.login(haiyan_staff).post(f"{CASES}{pk}/return/", {"note": "请补充家庭情况"}))
    assert case["status"] == "returned" and case["status_note"] == "请补充家庭情况"
    deputy = api.login(deputy_user)
    case = ok(deputy.patch(f"{CASES}{pk}/", {"content": "补充：老人独居，低保户。", "amount": "480"}))
    assert case["content"] == "补充：老人独居，低保户。" and case["amount"] == "480.00"
    assert ok(deputy.post(f"{CASES}{pk}/file/"))["status"] == "filed"
    assert verbs(pk)[-3:] == ["case.returned", "case.updated", "case.filed"]


def test_patch_changes_the_beneficiary_of_a_draft(api, wish, deputy_user, beneficiary_data):
    changed = {**beneficiary_data, "phone": "13812345678", "group": "elderly_alone"}
    case = ok(api.login(deputy_user).patch(f"{CASES}{wish.pk}/", {"beneficiary": changed}))
    assert case["beneficiary"]["phone"] == "13812345678"
    assert str(case["beneficiary"]["group"]) != ""


def test_staff_refuse_with_a_reason_from_the_list(api, cosigned_wish, haiyan_staff):
    case = ok(
        api.login(haiyan_staff).post(
            f"{CASES}{cosigned_wish.pk}/refuse/", {"reason": "petition", "note": "属信访事项"}
        )
    )
    assert case["status"] == "refused" and case["refuse_reason"] == "petition"


def test_the_deputy_withdraws_in_writing(api, handled_wish, deputy_user):
    case = ok(
        api.login(deputy_user).post(f"{CASES}{handled_wish.pk}/withdraw/", {"reason": "家属已自行解决"})
    )
    assert case["status"] == "withdrawn"
    assert {a["status"] for a in case["assignments"]} == {"removed"}


def test_a_duplicate_is_merged_and_its_deputies_become_cosigners(
    api, cosigned_wish, other_filed_case, haiyan_staff, cosigner
):
    case = ok(
        api.login(haiyan_staff).post(f"{CASES}{cosigned_wish.pk}/merge/", {"into": other_filed_case.pk})
    )
    assert case["status"] == "refused" and case["merged_into"] == other_filed_case.pk
    target = ok(api.login(haiyan_staff).get(f"{CASES}{other_filed_case.pk}/"))
    assert cosigner.deputy_id in {d["id"] for d in target["cosigners"]}


def test_merging_into_a_case_the_caller_cannot_see_is_a_bad_request(
    api, cosigned_wish, haiyan_staff, kaiping_staff
):
    from minsheng.cases import services

    kaiping = kaiping_staff.congress
    other = services.case_create(
        actor=kaiping_staff,
        kind="suggestion",
        title="开平的建议",
        content="内容",
        congress=kaiping,
        lead_deputy=kaiping_deputy_of(kaiping),
        place=kaiping.place,
    )
    response = api.login(haiyan_staff).post(f"{CASES}{cosigned_wish.pk}/merge/", {"into": other.pk})
    assert response.status_code == 400 and "into" in response.json()
    assert Case.objects.get(pk=cosigned_wish.pk).status == "filed"


def kaiping_deputy_of(congress):
    from minsheng.deputies.tests.factories import SeatFactory, TermFactory

    term = TermFactory(
        congress=congress, number=17, start_date=dt.date(2021, 10, 1), end_date=dt.date(2026, 9, 30)
    )
    return SeatFactory(term=term, deputy__name="区文").deputy


MEETING = {"meeting_name": "第5次主任会议", "proposed_by": "代表工作委员会"}


def test_priority_supervision_and_supervision_actions(api, handled_wish, haiyan_staff):
    staff = api.login(haiyan_staff)
    url = f"{CASES}{handled_wish.pk}/priority/"
    refused = staff.post(url, {"priority": True, "note": "主任会议确定"})
    assert refused.status_code == 400 and refused.json()["field"] == "meeting_date"
    case = ok(staff.post(url, {"priority": True, "meeting_date": str(today()), **MEETING}))
    assert case["is_priority"]
    marked = next(s for s in case["supervision_actions"] if s["kind"] == "priority")
    assert marked["meeting_name"] == "第5次主任会议" and marked["proposed_by"] == "代表工作委员会"
    case = ok(staff.post(f"{CASES}{handled_wish.pk}/supervise/", {"kind": "chase", "note": "电话催办"}))
    assert {s["kind"] for s in case["supervision_actions"]} == {"priority", "chase"}
    listed = ok(staff.get(CASES, priority="true"))["results"]
    assert [c["id"] for c in listed] == [handled_wish.pk]
    year_list = ok(staff.get(f"{CASES}priority-list/", year=today().year))["results"]
    assert [(r["case"], r["meeting_name"]) for r in year_list] == [(handled_wish.pk, "第5次主任会议")]
    assert ok(staff.get(f"{CASES}priority-list/", year=today().year - 1))["results"] == []
    assert staff.post(url, {"priority": False}).json()["field"] == "note"
    case = ok(staff.post(url, {"priority": False, "note": "问题已基本解决"}))
    assert not case["is_priority"]
    assert {s["kind"] for s in case["supervision_actions"]} == {"priority", "chase", "lifted"}
    assert verbs(handled_wish.pk)[-3:] == ["case.priority_marked", "case.supervised", "case.priority_lifted"]


def test_the_station_records_a_follow_up_visit(api, closed_wish, station_staff):
    case = ok(
        api.login(station_staff).post(
            f"{CASES}{closed_wish.pk}/follow-up/",
            {"visited_on": str(today()), "wish_met": True, "note": "已用上"},
        )
    )
    assert case["follow_ups"][0]["wish_met"] is True


def test_a_unit_asks_for_reassignment_and_staff_reassign_it(
    api, lead_assignment, haiyan_handler, haiyan_staff, civil_affairs, civil_affairs_handler
):
    case = ok(
        api.login(haiyan_handler).post(
            f"{ASSIGNMENTS}{lead_assignment.pk}/request-reassignment/", {"reason": "属民政部门职责"}
        )
    )
    [request] = case["assignments"][0]["reassignment_requests"]
    assert case["assignments"][0]["status"] == "reassign_requested"
    staff = api.login(haiyan_staff)
    pending = ok(staff.get(REQUESTS, decision="pending"))["results"]
    assert [r["id"] for r in pending] == [request["id"]]
    assert ok(staff.get(f"{CASES}{lead_assignment.case_id}/"))["assignments"][0]["reassignment_requests"][0][
        "allowed_actions"
    ] == ["decide"]
    case = ok(
        staff.post(f"{REQUESTS}{request['id']}/decide/", {"reassign_to": civil_affairs.pk, "note": "同意"})
    )
    assert {(a["unit"]["id"], a["status"]) for a in case["assignments"]} == {
        (lead_assignment.unit_id, "removed"),
        (civil_affairs.pk, "pending"),
    }
    # the unit relieved of it no longer sees the case; the new one does
    assert api.login(haiyan_handler).get(f"{CASES}{lead_assignment.case_id}/").status_code == 404
    assert api.login(civil_affairs_handler).get(f"{CASES}{lead_assignment.case_id}/").status_code == 200


def test_staff_confirm_an_assignment_the_unit_wanted_to_leave(api, pending_request, haiyan_staff):
    case = ok(api.login(haiyan_staff).post(f"{REQUESTS}{pending_request.pk}/decide/", {}))
    assert case["assignments"][0]["status"] == "handling"
    assert ReassignmentRequest.objects.get(pk=pending_request.pk).decision == "confirmed"


def test_an_assisting_unit_sends_its_opinion_to_the_lead_unit(
    api, assisting_assignment, civil_affairs_handler, haiyan_handler
):
    handler = api.login(civil_affairs_handler)
    detail = ok(handler.get(f"{ASSIGNMENTS}{assisting_assignment.pk}/"))
    assert "opinion" in detail["allowed_actions"] and "answer" not in detail["allowed_actions"]
    ok(
        handler.post(
            f"{ASSIGNMENTS}{assisting_assignment.pk}/opinion/", {"opinion": "同意协助，提供低保名单"}
        )
    )
    # the lead unit reads the opinion on the case
    case = ok(api.login(haiyan_handler).get(f"{CASES}{assisting_assignment.case_id}/"))
    opinions = {a["unit"]["id"]: a["opinion"] for a in case["assignments"]}
    assert opinions[assisting_assignment.unit_id] == "同意协助，提供低保名单"


def test_uploads_are_listed_and_downloaded_only_by_who_may_open_them(
    api, handled_wish, lead_assignment, acknowledged_assignment, haiyan_handler, deputy_user, cosigner
):
    pdf = SimpleUploadedFile("evidence.pdf", PDF, content_type="application/pdf")
    case = ok(
        api.login(haiyan_handler).upload(
            f"{CASES}{handled_wish.pk}/upload/",
            {"kind": "evidence", "file": pdf, "assignment": lead_assignment.pk},
        )
    )
    [document] = case["documents"]
    assert document["kind"] == "evidence" and document["assignment"] == lead_assignment.pk
    download = api.login(deputy_user).get(document["download_url"])
    assert download.status_code == 200 and b"".join(download.streaming_content) == PDF
    assert download["Content-Type"] == "application/pdf"
    assert ok(api.login(cosigner).get(f"{CASES}{handled_wish.pk}/"))["documents"] == []
    assert api.login(cosigner).get(document["download_url"]).status_code == 404


def test_an_upload_names_an_assignment_of_the_same_case(api, handled_wish, other_filed_case, haiyan_staff):
    response = api.login(haiyan_staff).upload(
        f"{CASES}{other_filed_case.pk}/upload/",
        {"kind": "photo", "file": photo(), "assignment": Assignment.objects.get(case=handled_wish).pk},
    )
    assert response.status_code == 400 and response.json()["field"] == "assignment"
    assert not Document.objects.exists()


def test_a_withdrawn_claim_returns_the_wish_to_the_wall_and_shares_are_pledged(
    api, wall_wish, donor, haiyan_staff
):
    from minsheng.accounts.models import DonorProfile
    from minsheng.accounts.tests.factories import DonorProfileFactory

    second = DonorProfileFactory(user__username="donor2", status=DonorProfile.Status.VERIFIED).user
    claim = ok(api.login(donor).post(CLAIMS, {"case": wall_wish.pk, "kind": "whole"}), 201)
    assert api.login(None).get("/api/v1/wall/", state="claimed").json()["results"][0]["id"] == wall_wish.pk
    ok(api.login(donor).post(f"{CLAIMS}{claim['id']}/withdraw/", {"reason": "资金未到位"}))
    assert ok(api.login(donor).get(CLAIMS))["results"][0]["status"] == "withdrawn"
    open_wish = ok(api.login(None).get(f"/api/v1/wall/{wall_wish.pk}/"))
    assert open_wish["state"] == "open" and open_wish["open_amount"] == "450.00"
    ok(api.login(donor).post(CLAIMS, {"case": wall_wish.pk, "kind": "share", "amount": "300"}), 201)
    ok(api.login(second).post(CLAIMS, {"case": wall_wish.pk, "kind": "share", "amount": "150"}), 201)
    assert ok(api.login(None).get(f"/api/v1/wall/{wall_wish.pk}/"))["open_amount"] == "0.00"
    # each donor lists only his or her own claims; staff see every claim on the case
    assert [c["amount"] for c in ok(api.login(second).get(CLAIMS))["results"]] == ["150.00"]
    staff_view = ok(api.login(haiyan_staff).get(f"{CASES}{wall_wish.pk}/"))
    assert len(staff_view["claims"]) == 3
    donor_view = ok(api.login(second).get(f"{CASES}{wall_wish.pk}/"))
    assert [c["amount"] for c in donor_view["claims"]] == ["150.00"]


def test_staff_withdraw_a_donors_claim(api, live_claim, haiyan_staff):
    claim = ok(api.login(haiyan_staff).post(f"{CLAIMS}{live_claim.pk}/withdraw/", {"reason": "联系不上"}))
    assert claim["status"] == "withdrawn"


# --- what the caller may do, and what the caller sees -------------------------------------------------------


ACTIONS_TO_TRY = {
    "accept": ("post", "accept/", {}),
    "refuse": ("post", "refuse/", {"reason": "petition"}),
    "withdraw": ("post", "withdraw/", {"reason": "家属已自行解决"}),
    "verify": (
        "post",
        "verify/",
        {"visited_on": "2020-01-01", "visitors": "站长", "findings": "属实", "confirmed": True},
    ),
    "priority": (
        "post",
        "priority/",
        {"meeting_date": "2020-01-01", "meeting_name": "第1次主任会议", "proposed_by": "代表工委"},
    ),
    "follow-up": ("post", "follow-up/", {"visited_on": "2020-01-01", "wish_met": False}),
}


@pytest.mark.parametrize("action", list(ACTIONS_TO_TRY))
@pytest.mark.parametrize("role", ["admin_user", "haiyan_staff", "deputy_user", "cosigner", "station_staff"])
def test_allowed_actions_say_exactly_which_steps_succeed(api, user_for, cosigned_wish, role, action):
    user = user_for(role)
    allowed = ok(api.login(user).get(f"{CASES}{cosigned_wish.pk}/"))["allowed_actions"]
    method, suffix, payload = ACTIONS_TO_TRY[action]
    response = getattr(api.login(user), method)(f"{CASES}{cosigned_wish.pk}/{suffix}", payload)
    assert (response.status_code == 200) == (action in allowed), (role, action, response.status_code)


def test_the_beneficiary_is_shown_whole_masked_or_not_at_all_as_privacy_decides(
    api, handled_wish, haiyan_staff, deputy_user, cosigner, haiyan_handler
):
    url = f"{CASES}{handled_wish.pk}/"
    for user in (haiyan_staff, deputy_user, haiyan_handler):
        shown = ok(api.login(user).get(url))
        assert shown["beneficiary"]["full"] and shown["beneficiary"]["id_number"].endswith(
            handled_wish.beneficiary.id_number[-4:]
        )
        assert "黄阿婆" in shown["content"]
    masked = ok(api.login(cosigner).get(url))
    assert masked["beneficiary"]["full"] is False
    text = str(masked)
    for secret in ("黄阿婆", handled_wish.beneficiary.id_number, "13712345678", "五丰村三巷8号"):
        assert secret not in text


def test_token_authentication_works_like_a_session(client, haiyan_staff, handled_wish):
    from rest_framework.authtoken.models import Token

    token = Token.objects.create(user=haiyan_staff)
    response = client.get(f"{CASES}{handled_wish.pk}/", HTTP_AUTHORIZATION=f"Token {token.key}")
    assert response.status_code == 200 and response.json()["id"] == handled_wish.pk


def test_the_case_list_filters_by_every_parameter(
    api, handled_wish, other_filed_case, haiyan_staff, haiyan_government, deputy_user, cosigner
):
    staff = api.login(haiyan_staff)

    def ids(**params):
        return {c["id"] for c in ok(staff.get(CASES, **params))["results"]}

    both = {handled_wish.pk, other_filed_case.pk}
    assert ids() == both
    assert ids(kind="wish") == {handled_wish.pk}
    assert ids(status="filed") == {other_filed_case.pk}
    assert ids(congress=handled_wish.congress_id) == both
    assert ids(place=handled_wish.place.code[:6]) == both
    assert ids(place="440783") == set()
    assert ids(unit=haiyan_government.pk) == {handled_wish.pk}
    assert ids(deputy=cosigner.deputy_id) == {handled_wish.pk}
    assert ids(deputy=deputy_user.deputy_id) == both
    assert ids(filed_from=str(today()), filed_to=str(today())) == both
    assert ids(filed_from=str(today() + dt.timedelta(days=1))) == set()
    assert ids(queue="to_review") == {other_filed_case.pk}
    assert ids(overdue="true") == set()
    assert ids(q="路灯") == {other_filed_case.pk}
    # the list never shows the family's name, not even to staff
    assert "黄阿婆" not in str(ok(staff.get(CASES)))


def test_a_unit_inbox_lists_only_its_own_assignments(
    api, assisting_assignment, haiyan_handler, civil_affairs_handler
):
    assert [a["unit"]["name"] for a in ok(api.login(haiyan_handler).get(ASSIGNMENTS))["results"]] == [
        "海宴镇人民政府"
    ]
    rows = ok(api.login(civil_affairs_handler).get(ASSIGNMENTS, status="handling"))["results"]
    assert [a["id"] for a in rows] == [assisting_assignment.pk]
    assert ok(api.login(civil_affairs_handler).get(ASSIGNMENTS, status="pending"))["results"] == []


# --- illegal moves: 409, nothing changed ---------------------------------------------------------------------


ILLEGAL = {
    "accepting a draft": ("wish", f"{CASES}{{case}}/accept/", {}, "haiyan_staff"),
    "filing an unverified wish": ("wish", f"{CASES}{{case}}/file/", {}, "deputy_user"),
    "assigning a filed case before accepting it": (
        "cosigned_wish",
        f"{CASES}{{case}}/assign/",
        {"lead": "haiyan_government"},
        "haiyan_staff",
    ),
    "publishing an open case": ("handled_wish", f"{CASES}{{case}}/publish/", {}, "haiyan_staff"),
    "rating an unanswered case": (
        "handled_wish",
        f"{CASES}{{case}}/rate/",
        {"value": "satisfied"},
        "deputy_user",
    ),
    "closing a case nobody was dissatisfied with": (
        "answered_wish",
        f"{CASES}{{case}}/close/",
        {"note": "结束"},
        "haiyan_staff",
    ),
    "putting a wish on the wall twice": (
        "wall_wish",
        f"{CASES}{{case}}/put-on-wall/",
        {"public_summary": "轮椅"},
        "haiyan_staff",
    ),
    "editing a filed case": ("cosigned_wish", f"{CASES}{{case}}/", {"title": "新标题"}, "deputy_user"),
    "withdrawing a closed case": (
        "closed_wish",
        f"{CASES}{{case}}/withdraw/",
        {"reason": "不需要了"},
        "deputy_user",
    ),
    "acknowledging twice": (
        "acknowledged_assignment",
        f"{ASSIGNMENTS}{{assignment}}/acknowledge/",
        {},
        "haiyan_handler",
    ),
    "answering before acknowledging": (
        "lead_assignment",
        f"{ASSIGNMENTS}{{assignment}}/answer/",
        {"answer_class": "A", "text": "已解决", "signed_by": "李镇长"},
        "haiyan_handler",
    ),
    "a second whole claim": ("live_claim", CLAIMS, {"case": "{case}", "kind": "whole"}, "donor"),
    "confirming a claim not yet delivered": (
        "live_claim",
        f"{CLAIMS}{{claim}}/confirm/",
        {},
        "station_staff",
    ),
    "withdrawing a delivered claim": (
        "delivered_claim",
        f"{CLAIMS}{{claim}}/withdraw/",
        {"reason": "太晚了"},
        "donor",
    ),
}


@pytest.mark.parametrize("move", list(ILLEGAL))
def test_an_illegal_move_answers_409_and_changes_nothing(request, api, user_for, move):
    state, url, payload, role = ILLEGAL[move]
    obj = request.getfixturevalue(state)
    case = obj if isinstance(obj, Case) else obj.case
    ids = {"case": case.pk, "assignment": getattr(obj, "pk", None), "claim": getattr(obj, "pk", None)}
    url = url.format(**ids)
    payload = {
        k: (
            request.getfixturevalue(v).pk
            if v == "haiyan_government"
            else v.format(**ids)
            if isinstance(v, str)
            else v
        )
        for k, v in payload.items()
    }
    before = (
        Case.objects.get(pk=case.pk).status,
        verbs(case.pk),
        list(Claim.objects.values_list("status", flat=True)),
    )

    caller = api.login(user_for(role))
    response = caller.patch(url, payload) if move == "editing a filed case" else caller.post(url, payload)

    assert response.status_code == 409, response.content
    body = response.json()
    assert body["detail"] and body["code"] in ("transition_not_allowed", "invalid")
    after = (
        Case.objects.get(pk=case.pk).status,
        verbs(case.pk),
        list(Claim.objects.values_list("status", flat=True)),
    )
    assert after == before


# --- bad input: 400 naming the field -------------------------------------------------------------------------


def wish_body(get, **changes) -> dict:
    station = get("station")
    return {
        "kind": "wish",
        "title": "购置冰箱",
        "content": "需要一台冰箱",
        "congress": get("haiyan_congress").pk,
        "place": station.place_id,
        "station": station.pk,
        "category": "material",
        "amount": "300",
        "beneficiary": dict(get("beneficiary_data")),
        **changes,
    }


def test_a_wish_over_the_cap_is_refused_naming_the_amount(request, api, deputy_user):
    with translation.override("en"):
        response = api.login(deputy_user).post(CASES, wish_body(request.getfixturevalue, amount="800"))
    assert response.status_code == 400
    assert response.json()["field"] == "amount" and "500" in response.json()["detail"]
    assert response.json()["code"] == "invalid"
    assert not Case.objects.exists()


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        (
            {"beneficiary": {"name": "黄阿婆", "address": "五丰村", "id_number": "440781194805061220"}},
            "beneficiary_id_number",
        ),
        ({"beneficiary": {"name": "黄阿婆", "address": "五丰村", "phone": "12345"}}, "beneficiary_phone"),
        ({"beneficiary": {"name": " ", "address": "五丰村"}}, "beneficiary"),
        ({"category": ""}, "category"),
        ({"amount": None}, "amount"),
        ({"title": "  "}, "title"),
    ],
)
def test_a_wish_with_bad_data_is_refused_naming_the_field_and_nothing_is_saved(
    request, api, deputy_user, changes, field
):
    response = api.login(deputy_user).post(CASES, wish_body(request.getfixturevalue, **changes))
    assert response.status_code == 400, response.content
    body = response.json()
    assert body.get("field") == field or field in body, body
    assert not Case.objects.exists()


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"kind": "petition"}, "kind"),
        ({"congress": 999999}, "congress"),
        ({"amount": "lots"}, "amount"),
        ({"beneficiary": {"address": "五丰村"}}, "beneficiary"),
        ({"station": "abc"}, "station"),
    ],
)
def test_malformed_input_answers_with_the_fields_errors(request, api, deputy_user, changes, field):
    response = api.login(deputy_user).post(CASES, wish_body(request.getfixturevalue, **changes))
    assert response.status_code == 400 and field in response.json(), response.content
    assert not Case.objects.exists()


BAD_STEPS = {
    "a visit in the future": (
        "wish",
        "station_staff",
        "verify/",
        lambda: {
            "visited_on": str(today() + dt.timedelta(days=3)),
            "visitors": "站长",
            "findings": "属实",
            "confirmed": True,
        },
        "visited_on",
    ),
    "a withdrawal without a reason": (
        "handled_wish",
        "deputy_user",
        "withdraw/",
        lambda: {"reason": " "},
        "reason",
    ),
    "a refusal with a reason off the list": (
        "cosigned_wish",
        "haiyan_staff",
        "refuse/",
        lambda: {"reason": "because"},
        "reason",
    ),
    "a return without a note": ("cosigned_wish", "haiyan_staff", "return/", lambda: {"note": ""}, "note"),
    "an assignment without a unit": ("accepted_wish", "haiyan_staff", "assign/", lambda: {}, "lead"),
    "dissatisfied without saying why": (
        "answered_wish",
        "deputy_user",
        "rate/",
        lambda: {"value": "dissatisfied"},
        "comment",
    ),
    "a wall summary naming the family": (
        "handled_wish",
        "haiyan_staff",
        "put-on-wall/",
        lambda: {"public_summary": "黄阿婆需要轮椅"},
        "public_summary",
    ),
    "supervision of the priority kind": (
        "handled_wish",
        "haiyan_staff",
        "supervise/",
        lambda: {"kind": "priority", "note": "x"},
        "kind",
    ),
}


@pytest.mark.parametrize("step", list(BAD_STEPS))
def test_a_step_with_bad_input_answers_400_naming_the_field_and_changes_nothing(request, api, user_for, step):
    state, role, suffix, payload, field = BAD_STEPS[step]
    case = request.getfixturevalue(state)
    before = (Case.objects.get(pk=case.pk).status, verbs(case.pk))
    response = api.login(user_for(role)).post(f"{CASES}{case.pk}/{suffix}", payload())
    assert response.status_code == 400, response.content
    body = response.json()
    assert body.get("field") == field or field in body, body
    assert (Case.objects.get(pk=case.pk).status, verbs(case.pk)) == before


def test_cosigning_by_a_deputy_without_a_seat_in_the_congress_is_refused(
    api, verified_wish, deputy_user, kaiping_deputy
):
    response = api.login(deputy_user).post(
        f"{CASES}{verified_wish.pk}/file/", {"cosigners": [kaiping_deputy.pk]}
    )
    assert response.status_code == 400 and response.json()["field"] == "cosigners"
    assert Case.objects.get(pk=verified_wish.pk).status == "draft"


@pytest.mark.parametrize(
    ("photos", "field"),
    [
        (lambda: [], "photos"),
        (lambda: [photo(f"{i}.png") for i in range(10)], "photos"),
        (lambda: [SimpleUploadedFile("x.png", b"MZ not an image", "image/png")], "file"),
    ],
    ids=["no photo", "ten photos", "not an image"],
)
def test_a_delivery_needs_one_to_nine_real_photos(api, live_claim, donor, photos, field):
    response = api.login(donor).upload(f"{CLAIMS}{live_claim.pk}/deliver/", {"photos": photos()})
    assert response.status_code == 400, response.content
    body = response.json()
    assert body.get("field") == field or field in body
    assert Claim.objects.get(pk=live_claim.pk).status == "live"
    assert not Document.objects.filter(kind="handover").exists()


def test_a_pledge_without_an_amount_or_beyond_the_open_value_is_refused(api, wall_wish, donor):
    response = api.login(donor).post(CLAIMS, {"case": wall_wish.pk, "kind": "share"})
    assert response.status_code == 400 and response.json()["field"] == "amount"
    response = api.login(donor).post(CLAIMS, {"case": wall_wish.pk, "kind": "share", "amount": "451"})
    assert response.status_code == 409 and response.json()["field"] == "amount"
    assert not Claim.objects.exists()


def test_a_claim_on_a_wish_that_is_not_on_the_wall_is_a_bad_request(api, handled_wish, donor):
    response = api.login(donor).post(CLAIMS, {"case": handled_wish.pk, "kind": "whole"})
    assert response.status_code == 400 and "case" in response.json()


def test_an_unknown_filter_value_is_a_bad_request(api, haiyan_staff):
    assert api.login(haiyan_staff).get(CASES, kind="petition").status_code == 400
    assert api.login(haiyan_staff).get(CASES, queue="someday").status_code == 400
    assert api.login(None).get("/api/v1/wall/", state="gone").status_code == 400


def test_a_path_id_that_is_not_a_number_is_not_found(api, haiyan_staff):
    assert api.login(haiyan_staff).get(f"{CASES}abc/").status_code == 404
    assert api.login(None).get("/api/v1/wall/abc/").status_code == 404


def test_amounts_are_decimal_strings(api, wall_wish, haiyan_staff):
    case = ok(api.login(haiyan_staff).get(f"{CASES}{wall_wish.pk}/"))
    assert Decimal(case["amount"]) == Decimal("450")


def test_a_donor_sees_the_case_only_through_the_claim(api, live_claim, collected_photo, donor):
    case = ok(api.login(donor).get(f"{CASES}{live_claim.case_id}/"))
    assert [c["id"] for c in case["claims"]] == [live_claim.pk]
    assert case["claims"][0]["allowed_actions"] == ["withdraw", "deliver"]
    for hidden in (
        "verifications",
        "assignments",
        "ratings",
        "follow_ups",
        "supervision_actions",
        "documents",
    ):
        assert case[hidden] == [], hidden
    assert case["beneficiary"]["name"] == "黄阿婆" and "id_number" not in case["beneficiary"]
    # A file one may not open does not exist for one (not even its metadata).
    assert api.login(donor).get(f"/api/v1/case-documents/{collected_photo.pk}/").status_code == 404
