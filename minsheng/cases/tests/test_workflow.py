"""The legal moves of a case, each with its audit record, and illegal ones refused with nothing changed."""

import datetime as dt
from decimal import Decimal

import pytest
import time_machine
from django.utils import translation

from minsheng.cases import services
from minsheng.cases.models import Assignment, Case, Rating
from minsheng.common.errors import Conflict, DomainError, PermissionDenied, TransitionNotAllowed
from minsheng.common.models import AuditRecord

from .factories import CaseFactory, WishFactory


def verbs(case):
    return list(
        AuditRecord.objects.filter(target_id=str(case.pk)).order_by("id").values_list("verb", flat=True)
    )


def test_a_deputy_records_a_wish_with_the_beneficiary_encrypted(wish):
    from django.db import connection

    assert wish.status == Case.Status.DRAFT
    assert verbs(wish) == ["case.created"]
    with connection.cursor() as cursor:
        cursor.execute("SELECT name, address FROM cases_beneficiary WHERE case_id = %s", [wish.pk])
        raw_name, raw_address = cursor.fetchone()
    assert "黄阿婆" not in raw_name and "五丰村" not in raw_address


def test_an_unverified_wish_cannot_be_filed(wish, deputy_user):
    with pytest.raises(TransitionNotAllowed):
        services.case_file(actor=deputy_user, case_id=wish.pk)
    wish.refresh_from_db()
    assert wish.status == Case.Status.DRAFT and wish.number is None


def test_a_wish_over_the_cap_is_refused(deputy_user, haiyan_congress, station, beneficiary_data):
    with translation.override("en"), pytest.raises(DomainError) as caught:
        WishFactory(
            actor=deputy_user,
            title="冰箱",
            content="需要一台冰箱",
            congress=haiyan_congress,
            station=station,
            amount="800",
            beneficiary=beneficiary_data,
        )
    assert caught.value.field == "amount" and "500" in str(caught.value.message)
    assert not Case.objects.exists()


def test_the_cap_is_a_setting_of_each_congress(deputy_user, haiyan_congress, station, beneficiary_data):
    from minsheng.cases.models import CaseRules

    CaseRules.objects.create(congress=haiyan_congress, wish_cap=Decimal("1000"))
    case = WishFactory(
        actor=deputy_user,
        title="冰箱",
        content="需要一台冰箱",
        congress=haiyan_congress,
        station=station,
        amount="800",
        beneficiary=beneficiary_data,
    )
    assert case.amount == Decimal("800")


def test_one_open_wish_per_household(wish, deputy_user, haiyan_congress, station, beneficiary_data):
    with pytest.raises(Conflict):
        WishFactory(
            actor=deputy_user,
            title="另一个心愿",
            content="再要一台电视",
            congress=haiyan_congress,
            station=station,
            amount="300",
            beneficiary=beneficiary_data,
        )
    assert Case.objects.count() == 1


def test_a_case_goes_to_the_congress_of_the_deputys_seat(
    deputy_user, city_congress, station, beneficiary_data
):
    with pytest.raises(DomainError) as caught:
        CaseFactory(
            actor=deputy_user,
            title="路灯",
            content="五丰村路口需要路灯",
            congress=city_congress,
            place=station.place,
        )
    assert caught.value.field == "congress"


def test_the_whole_story_of_a_wish_moves_through_every_step(
    filed_wish, deputy_user, haiyan_staff, haiyan_government, haiyan_handler, donor, station_staff
):
    case = filed_wish
    assert case.number and case.assign_due
    services.case_accept(actor=haiyan_staff, case_id=case.pk)
    services.case_assign(actor=haiyan_staff, case_id=case.pk, lead=haiyan_government)
    services.wish_put_on_wall(actor=haiyan_staff, case_id=case.pk, public_summary="独居老人需要一台轮椅")
    assignment = Assignment.objects.get(case=case)
    services.assignment_acknowledge(actor=haiyan_handler, assignment_id=assignment.pk)
    services.handling_record_add(
        actor=haiyan_handler,
        assignment_id=assignment.pk,
        kind="phone",
        happened_on=dt.date.today(),
        note="与代表电话沟通",
    )
    claim = services.claim_create(actor=donor, case_id=case.pk, kind="whole")
    services.answer_submit(
        actor=haiyan_handler,
        assignment_id=assignment.pk,
        answer_class="A",
        text="已协调爱心企业捐赠轮椅。",
        signed_by="李镇长",
    )
    services.rating_submit(actor=deputy_user, case_id=case.pk, value=Rating.Value.SATISFIED)
    case.refresh_from_db()
    assert case.status == Case.Status.CLOSED and case.publish_due
    services.case_publish(actor=haiyan_staff, case_id=case.pk)
    assert claim.status == "live"
    assert verbs(case) == [
        "case.created",
        "case.verified",
        "case.filed",
        "case.accepted",
        "case.assigned",
        "wish.on_wall",
        "assignment.acknowledged",
        "assignment.recorded",
        "claim.created",
        "case.answer_given",
        "case.answered",
        "case.rated",
        "case.closed",
        "case.published",
    ]


@pytest.mark.parametrize("move", ["accept", "assign", "publish", "rate"])
def test_illegal_moves_on_a_draft_are_refused_and_change_nothing(
    wish, haiyan_staff, deputy_user, haiyan_government, move
):
    calls = {
        "accept": lambda: services.case_accept(actor=haiyan_staff, case_id=wish.pk),
        "assign": lambda: services.case_assign(actor=haiyan_staff, case_id=wish.pk, lead=haiyan_government),
        "publish": lambda: services.case_publish(actor=haiyan_staff, case_id=wish.pk),
        "rate": lambda: services.rating_submit(actor=deputy_user, case_id=wish.pk, value="satisfied"),
    }
    before = verbs(wish)
    with pytest.raises(TransitionNotAllowed):
        calls[move]()
    wish.refresh_from_db()
    assert wish.status == Case.Status.DRAFT
    assert verbs(wish) == before


def test_refusal_needs_a_reason_from_the_list(filed_wish, haiyan_staff):
    with pytest.raises(DomainError):
        services.case_refuse(actor=haiyan_staff, case_id=filed_wish.pk, reason="because")
    services.case_refuse(actor=haiyan_staff, case_id=filed_wish.pk, reason="petition", note="属信访事项")
    filed_wish.refresh_from_db()
    assert filed_wish.status == Case.Status.REFUSED and filed_wish.refuse_reason == "petition"
    assert verbs(filed_wish)[-1] == "case.refused"


def test_a_returned_case_is_revised_and_filed_again(filed_wish, haiyan_staff, deputy_user):
    services.case_return(actor=haiyan_staff, case_id=filed_wish.pk, note="请补充家庭情况")
    services.case_update(actor=deputy_user, case_id=filed_wish.pk, content="补充：老人独居，低保户。")
    services.case_file(actor=deputy_user, case_id=filed_wish.pk)
    filed_wish.refresh_from_db()
    assert filed_wish.status == Case.Status.FILED
    assert verbs(filed_wish)[-3:] == ["case.returned", "case.updated", "case.filed"]


def test_the_deputy_withdraws_in_writing_before_closing(assigned_wish, deputy_user):
    with pytest.raises(DomainError):
        services.case_withdraw(actor=deputy_user, case_id=assigned_wish.pk, reason=" ")
    services.case_withdraw(actor=deputy_user, case_id=assigned_wish.pk, reason="家属已自行解决")
    assigned_wish.refresh_from_db()
    assert assigned_wish.status == Case.Status.WITHDRAWN
    assert not Assignment.objects.filter(case=assigned_wish, status__in=Assignment.LIVE).exists()


def test_staff_of_another_congress_cannot_review(filed_wish, kaiping_staff):
    with pytest.raises(PermissionDenied):
        services.case_accept(actor=kaiping_staff, case_id=filed_wish.pk)


def test_dissatisfied_sends_the_case_back_and_the_unit_answers_again_within_a_month(
    assigned_wish, deputy_user, haiyan_staff, haiyan_government, haiyan_handler
):
    first = Assignment.objects.get(case=assigned_wish)
    services.assignment_acknowledge(actor=haiyan_handler, assignment_id=first.pk)
    services.answer_submit(
        actor=haiyan_handler, assignment_id=first.pk, answer_class="C", text="暂无资金", signed_by="李镇长"
    )
    with pytest.raises(DomainError):
        services.rating_submit(actor=deputy_user, case_id=assigned_wish.pk, value="dissatisfied")
    services.rating_submit(
        actor=deputy_user, case_id=assigned_wish.pk, value="dissatisfied", comment="未解决实际困难"
    )
    assigned_wish.refresh_from_db()
    assert assigned_wish.status == Case.Status.DISSATISFIED
    with time_machine.travel(dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC), tick=False):
        services.case_assign(actor=haiyan_staff, case_id=assigned_wish.pk, lead=haiyan_government)
    assigned_wish.refresh_from_db()
    assert assigned_wish.round == 2
    second = Assignment.objects.get(case=assigned_wish, round=2)
    assert second.answer_due == dt.date(2026, 4, 2)
    assert verbs(assigned_wish)[-1] == "case.reassigned"


def test_a_rating_twice_is_refused(assigned_wish, deputy_user, haiyan_handler):
    a = Assignment.objects.get(case=assigned_wish)
    services.assignment_acknowledge(actor=haiyan_handler, assignment_id=a.pk)
    services.answer_submit(
        actor=haiyan_handler, assignment_id=a.pk, answer_class="A", text="已解决", signed_by="李镇长"
    )
    services.rating_submit(actor=deputy_user, case_id=assigned_wish.pk, value="satisfied")
    with pytest.raises(TransitionNotAllowed):
        services.rating_submit(actor=deputy_user, case_id=assigned_wish.pk, value="satisfied")


def test_a_unit_asks_for_reassignment_within_seven_working_days_and_staff_reassign(
    assigned_wish, haiyan_handler, haiyan_staff, civil_affairs
):
    a = Assignment.objects.get(case=assigned_wish)
    request = services.assignment_request_reassignment(
        actor=haiyan_handler, assignment_id=a.pk, reason="属民政部门职责"
    )
    services.reassignment_decide(actor=haiyan_staff, request_id=request.pk, reassign_to=civil_affairs)
    a.refresh_from_db()
    assert a.status == Assignment.Status.REMOVED
    assert Assignment.objects.get(case=assigned_wish, unit=civil_affairs).role == Assignment.Role.LEAD


def test_reassignment_asked_too_late_is_refused(assigned_wish, haiyan_handler):
    a = Assignment.objects.get(case=assigned_wish)
    with (
        time_machine.travel(a.reassign_request_due + dt.timedelta(days=1)),
        pytest.raises(TransitionNotAllowed),
    ):
        services.assignment_request_reassignment(
            actor=haiyan_handler, assignment_id=a.pk, reason="不属于本单位"
        )


def test_another_unit_cannot_touch_an_assignment(assigned_wish, education_handler):
    a = Assignment.objects.get(case=assigned_wish)
    with pytest.raises(PermissionDenied):
        services.assignment_acknowledge(actor=education_handler, assignment_id=a.pk)


def test_split_handling_waits_for_every_unit_before_the_case_is_answered(
    filed_wish, haiyan_staff, haiyan_government, civil_affairs, haiyan_handler, civil_affairs_handler
):
    services.case_accept(actor=haiyan_staff, case_id=filed_wish.pk)
    services.case_assign(actor=haiyan_staff, case_id=filed_wish.pk, split=[haiyan_government, civil_affairs])
    for handler in (haiyan_handler, civil_affairs_handler):
        a = Assignment.objects.get(case=filed_wish, unit=handler.unit)
        services.assignment_acknowledge(actor=handler, assignment_id=a.pk)
        services.answer_submit(
            actor=handler, assignment_id=a.pk, answer_class="B", text="正在办理", signed_by="负责人"
        )
        filed_wish.refresh_from_db()
    assert filed_wish.status == Case.Status.ANSWERED
    assert filed_wish.answers.count() == 2


def test_an_assisting_unit_sends_an_opinion_but_does_not_answer(
    filed_wish, haiyan_staff, haiyan_government, civil_affairs, civil_affairs_handler
):
    services.case_accept(actor=haiyan_staff, case_id=filed_wish.pk)
    services.case_assign(
        actor=haiyan_staff, case_id=filed_wish.pk, lead=haiyan_government, assisting=[civil_affairs]
    )
    a = Assignment.objects.get(case=filed_wish, unit=civil_affairs)
    assert a.opinion_due is not None
    services.assignment_acknowledge(actor=civil_affairs_handler, assignment_id=a.pk)
    with pytest.raises(TransitionNotAllowed):
        services.answer_submit(
            actor=civil_affairs_handler, assignment_id=a.pk, answer_class="A", text="x", signed_by="y"
        )
    services.assisting_opinion_send(actor=civil_affairs_handler, assignment_id=a.pk, opinion="同意协助")


def test_merging_a_duplicate_makes_its_deputy_a_cosigner_so_every_deputy_is_answered(
    filed_wish, haiyan_staff, county_deputy, deputy_user, haiyan_congress, station
):
    from minsheng.deputies.tests.factories import SeatFactory

    other_deputy = SeatFactory(term=filed_wish.congress.terms.first(), deputy__name="林晓").deputy
    from minsheng.accounts.models import User
    from minsheng.accounts.tests.factories import UserFactory

    other_user = UserFactory(username="lin", role=User.Role.DEPUTY, deputy=other_deputy)
    duplicate = CaseFactory(
        actor=other_user,
        title="为黄阿婆解决轮椅",
        content="同一诉求",
        congress=haiyan_congress,
        place=station.place,
    )
    services.case_file(actor=other_user, case_id=duplicate.pk)
    services.case_merge(actor=haiyan_staff, case_id=duplicate.pk, into_id=filed_wish.pk)
    duplicate.refresh_from_db()
    assert duplicate.merged_into_id == filed_wish.pk and duplicate.refuse_reason == "duplicate"
    assert filed_wish.cosigner_links.filter(deputy=other_deputy).exists()


def test_priority_supervision_and_supervision_actions_are_recorded(assigned_wish, haiyan_staff):
    services.case_mark_priority(
        actor=haiyan_staff,
        case_id=assigned_wish.pk,
        priority=True,
        meeting_date=dt.date.today(),
        meeting_name="第5次主任会议",
        proposed_by="代表工作委员会",
        note="主任会议确定",
    )
    services.supervision_record(actor=haiyan_staff, case_id=assigned_wish.pk, kind="chase", note="电话催办")
    assigned_wish.refresh_from_db()
    assert assigned_wish.is_priority
    assert verbs(assigned_wish)[-2:] == ["case.priority_marked", "case.supervised"]
