"""The appraisal services, through a 擂台赛 of three towns and three villages scored by three judges: each legal
move, the illegal ones refused with a Chinese message and nothing changed, the audit trail."""

import datetime as dt
from collections import Counter
from decimal import Decimal as D

import pytest
import time_machine

from minsheng.appraisals import rules, services
from minsheng.appraisals.models import Appraisal, Grade, Group, JudgeSubmission, ResultVersion, Score
from minsheng.common.errors import Conflict, DomainError, PermissionDenied, TransitionNotAllowed
from minsheng.common.models import AuditRecord
from minsheng.common.permissions import can

from .factories import COMPONENTS, TIERS, component, judge_users, make_contest, score_everyone, workbook

pytestmark = pytest.mark.django_db

# 综合考核评价 × 40% + 现场竞演 (three judges, the mean of the closest two) × 60%:
# 台城街道 90, (88, 90, 70) → (88 + 90) / 2 = 89.00 → 36 + 53.4 = 89.40
# 斗山镇   85, (92, 93, 93) → 93.00 → 34 + 55.8 = 89.80   → 一等奖
# 海宴镇   80, (80, 80, 81) → 80.00 → 32 + 48 = 80.00
# 浮石村   88, (85, 85, 85) → 85.00 → 35.2 + 51 = 86.20   → 一等奖
# 那扶村   80, (90, 90, 90) → 90.00 → 32 + 54 = 86.00
# 北陡村   70, (70, 70, 70) → 70.00 → 28 + 42 = 70.00
ONSITE = {
    "台城街道": (88, 90, 70),
    "斗山镇": (92, 93, 93),
    "海宴镇": (80, 80, 81),
    "浮石村": (85, 85, 85),
    "那扶村": (90, 90, 90),
    "北陡村": (70, 70, 70),
}
ASSESSMENT = {"台城街道": 90, "斗山镇": 85, "海宴镇": 80, "浮石村": 88, "那扶村": 80, "北陡村": 70}
NOW = dt.datetime(2026, 12, 3, 10, 0).astimezone()


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def judges(db):
    return judge_users(3)


@pytest.fixture
def contest(city_staff, city_congress, judges):
    return make_contest(city_staff, city_congress, judges)


def verbs(appraisal):
    return list(
        AuditRecord.objects.filter(target_id=str(appraisal.pk), verb__startswith="appraisal.")
        .order_by("id")
        .values_list("verb", flat=True)
    )


def scored_and_submitted(contest, judges, staff):
    services.scoring_open(actor=staff, appraisal_id=contest.pk)
    score_everyone(contest, judges, ONSITE, ASSESSMENT, staff)
    for user in judges:
        for group in contest.groups.all():
            services.judge_submit(actor=user, group_id=group.pk)


def closed(contest, judges, staff):
    scored_and_submitted(contest, judges, staff)
    services.scoring_close(actor=staff, appraisal_id=contest.pk)


def test_a_contest_goes_from_preparation_through_scoring_to_a_published_result(contest, judges, city_staff):
    closed(contest, judges, city_staff)
    version = services.appraisal_compute(actor=city_staff, appraisal_id=contest.pk)
    services.appraisal_publish(
        actor=city_staff, appraisal_id=contest.pk, objection_ends_on=dt.date(2026, 12, 10)
    )
    contest.refresh_from_db()
    assert contest.status == Appraisal.Status.PUBLISHED
    assert contest.objection_ends_on == dt.date(2026, 12, 10)
    towns, villages = contest.groups.order_by("order")
    names = dict(contest.contestants.values_list("pk", "name"))
    result = version.result["groups"]
    assert [(names[int(c["id"])], c["total"], c["tier"]) for c in result[str(towns.pk)]["contestants"]] == [
        ("斗山镇", "89.80", "first"),
        ("台城街道", "89.40", "second"),
        ("海宴镇", "80.00", ""),
    ]
    assert [(names[int(c["id"])], c["tier"]) for c in result[str(villages.pk)]["contestants"]] == [
        ("浮石村", "first"),
        ("那扶村", "second"),
        ("北陡村", ""),
    ]
    assert version.result["award_total"] == "300000.00"
    assert Counter(verbs(contest)) == {
        "appraisal.created": 1,
        "appraisal.configured": 1,
        "appraisal.scoring_opened": 1,
        "appraisal.scores_entered": 6,  # the staff's 综合考核评价; the judges' scores stay secret until closed
        "appraisal.judge_submitted": 6,  # 3 judges × 2 groups
        "appraisal.scoring_closed": 1,
        "appraisal.computed": 1,
        "appraisal.published": 1,
    }
    assert verbs(contest)[:2] == ["appraisal.created", "appraisal.configured"]
    assert verbs(contest)[-3:] == ["appraisal.scoring_closed", "appraisal.computed", "appraisal.published"]


def test_a_published_result_recomputes_identically_from_its_version(contest, judges, city_staff):
    closed(contest, judges, city_staff)
    services.appraisal_compute(actor=city_staff, appraisal_id=contest.pk)
    services.appraisal_publish(
        actor=city_staff, appraisal_id=contest.pk, objection_ends_on=dt.date(2026, 12, 10)
    )
    version = ResultVersion.objects.get(appraisal=contest, is_current=True)
    assert services.version_recompute(version) == version.result
    again = rules.result_to_dict(
        rules.compute(services.rules_of(contest), services.inputs_of(contest), services.decisions_of(contest))
    )
    assert again == version.result


def test_computing_a_published_appraisal_again_is_refused(contest, judges, city_staff):
    closed(contest, judges, city_staff)
    services.appraisal_compute(actor=city_staff, appraisal_id=contest.pk)
    services.appraisal_publish(
        actor=city_staff, appraisal_id=contest.pk, objection_ends_on=dt.date(2026, 12, 10)
    )
    with pytest.raises(TransitionNotAllowed, match="结果已公布"):
        services.appraisal_compute(actor=city_staff, appraisal_id=contest.pk)
    assert ResultVersion.objects.filter(appraisal=contest).count() == 1


def test_a_correction_is_a_new_version_and_the_old_one_stays_visible_with_the_reason(
    contest, judges, city_staff
):
    closed(contest, judges, city_staff)
    services.appraisal_compute(actor=city_staff, appraisal_id=contest.pk)
    services.appraisal_publish(
        actor=city_staff, appraisal_id=contest.pk, objection_ends_on=dt.date(2026, 12, 10)
    )
    haiyan = contest.contestants.get(name="海宴镇")
    # 海宴镇's 综合考核评价 was 98, not 80: 39.2 + 48 = 87.20, still behind 台城街道's 89.40
    new = services.appraisal_correct(
        actor=city_staff,
        appraisal_id=contest.pk,
        reason="公示期内核实：海宴镇综合考核评价录入有误",
        scores=[{"contestant": haiyan.pk, "component": component(contest, "assessment").pk, "value": "98"}],
    )
    old = ResultVersion.objects.get(appraisal=contest, number=1)
    assert (old.is_current, new.is_current, new.number) == (False, True, 2)
    assert new.reason.startswith("公示期内核实")
    row = next(
        c for c in new.result["groups"][str(haiyan.group_id)]["contestants"] if c["id"] == str(haiyan.pk)
    )
    assert row["total"] == "87.20"
    assert AuditRecord.objects.filter(verb="appraisal.corrected", data__version=2).exists()


def test_a_correction_without_a_reason_is_refused_and_nothing_changes(contest, judges, city_staff):
    closed(contest, judges, city_staff)
    services.appraisal_compute(actor=city_staff, appraisal_id=contest.pk)
    services.appraisal_publish(
        actor=city_staff, appraisal_id=contest.pk, objection_ends_on=dt.date(2026, 12, 10)
    )
    haiyan = contest.contestants.get(name="海宴镇")
    with pytest.raises(DomainError):
        services.appraisal_correct(
            actor=city_staff,
            appraisal_id=contest.pk,
            reason=" ",
            scores=[
                {"contestant": haiyan.pk, "component": component(contest, "assessment").pk, "value": "98"}
            ],
        )
    assert Score.objects.get(contestant=haiyan, judge=None).value == D(80)
    assert ResultVersion.objects.filter(appraisal=contest).count() == 1


# --- the rules refused ---------------------------------------------------------------------------------------


def test_weights_not_summing_to_100_percent_are_refused_and_the_old_rules_stay(contest, city_staff):
    bad = [
        {"code": "assessment", "name": "综合考核评价", "weight": D(40), "source": rules.DIRECT},
        {"code": "onsite", "name": "现场竞演", "weight": D(50)},
    ]
    with pytest.raises(rules.RulesError, match="90.00%"):
        services.appraisal_configure(actor=city_staff, appraisal_id=contest.pk, components=bad, tiers=[])
    assert sorted(contest.components.values_list("code", "weight")) == [("assessment", 40), ("onsite", 60)]
    assert contest.tiers.count() == 2


def test_the_rules_cannot_change_once_a_score_is_entered(contest, city_staff):
    c = contest.contestants.first()
    services.score_set(
        actor=city_staff, contestant_id=c.pk, component_id=component(contest, "assessment").pk, value=90
    )
    with pytest.raises(TransitionNotAllowed, match="得分"):
        services.appraisal_configure(
            actor=city_staff,
            appraisal_id=contest.pk,
            components=COMPONENTS,
            tiers=TIERS,
            straddle=rules.ALL_LOWER,
        )
    contest.refresh_from_db()
    assert contest.straddle == rules.ALL_HIGHER
    assert Score.objects.filter(contestant=c).count() == 1


def test_quotas_exceeding_a_group_are_refused_when_the_scoring_opens(city_staff, city_congress, judges):
    contest = make_contest(city_staff, city_congress, judges, villages=["浮石村"])
    with pytest.raises(rules.RulesError, match="典型村"):
        services.scoring_open(actor=city_staff, appraisal_id=contest.pk)
    contest.refresh_from_db()
    assert contest.status == Appraisal.Status.DRAFT
    assert not contest.groups.filter(scoring=Group.Scoring.OPEN).exists()


def test_opening_with_fewer_judges_than_the_rules_need_is_refused(city_staff, city_congress, judges):
    contest = make_contest(city_staff, city_congress, judges[:2])
    with pytest.raises(DomainError, match="至少"):
        services.scoring_open(actor=city_staff, appraisal_id=contest.pk)


def test_staff_of_another_congress_cannot_manage_the_appraisal(contest, kaiping_staff):
    with pytest.raises(PermissionDenied):
        services.scoring_open(actor=kaiping_staff, appraisal_id=contest.pk)


# --- judges --------------------------------------------------------------------------------------------------


def test_a_judge_changes_a_score_until_submitting_and_not_after(contest, judges, city_staff):
    services.scoring_open(actor=city_staff, appraisal_id=contest.pk)
    on = component(contest, "onsite")
    towns = contest.groups.get(name="典型镇")
    first = towns.contestants.first()
    services.score_enter(actor=judges[0], contestant_id=first.pk, component_id=on.pk, value="80")
    services.score_enter(actor=judges[0], contestant_id=first.pk, component_id=on.pk, value="85.5")
    assert Score.objects.get(judge__user=judges[0], contestant=first).value == D("85.5")
    for c in towns.contestants.exclude(pk=first.pk):
        services.score_enter(actor=judges[0], contestant_id=c.pk, component_id=on.pk, value="90")
    services.judge_submit(actor=judges[0], group_id=towns.pk)
    with pytest.raises(TransitionNotAllowed, match="已提交"):
        services.score_enter(actor=judges[0], contestant_id=first.pk, component_id=on.pk, value="99")
    assert Score.objects.get(judge__user=judges[0], contestant=first).value == D("85.5")


def test_a_score_out_of_range_is_refused(contest, judges, city_staff):
    services.scoring_open(actor=city_staff, appraisal_id=contest.pk)
    c = contest.contestants.first()
    with pytest.raises(DomainError, match="超出范围"):
        services.score_enter(
            actor=judges[0], contestant_id=c.pk, component_id=component(contest, "onsite").pk, value="100.5"
        )
    assert not Score.objects.filter(judge__isnull=False).exists()


def test_scoring_before_the_group_opens_or_after_it_closes_is_refused(contest, judges, city_staff):
    c = contest.contestants.first()
    on = component(contest, "onsite").pk
    with pytest.raises(TransitionNotAllowed, match="未开启|not open"):
        services.score_enter(actor=judges[0], contestant_id=c.pk, component_id=on, value="90")
    services.scoring_open(actor=city_staff, appraisal_id=contest.pk)
    services.scoring_close(actor=city_staff, appraisal_id=contest.pk, group_ids=[c.group_id])
    with pytest.raises(TransitionNotAllowed):
        services.score_enter(actor=judges[0], contestant_id=c.pk, component_id=on, value="90")
    assert not Score.objects.filter(judge__isnull=False).exists()


def test_someone_who_is_not_a_judge_cannot_score_not_even_the_staff(contest, city_staff):
    services.scoring_open(actor=city_staff, appraisal_id=contest.pk)
    c = contest.contestants.first()
    with pytest.raises(DomainError, match="评委"):
        services.score_enter(
            actor=city_staff, contestant_id=c.pk, component_id=component(contest, "onsite").pk, value="90"
        )


def test_submitting_twice_or_with_scores_missing_is_refused(contest, judges, city_staff):
    services.scoring_open(actor=city_staff, appraisal_id=contest.pk)
    towns = contest.groups.get(name="典型镇")
    with pytest.raises(DomainError, match="3"):
        services.judge_submit(actor=judges[0], group_id=towns.pk)
    for c in towns.contestants.all():
        services.score_enter(
            actor=judges[0], contestant_id=c.pk, component_id=component(contest, "onsite").pk, value="90"
        )
    services.judge_submit(actor=judges[0], group_id=towns.pk)
    with pytest.raises(Conflict, match="已经提交"):
        services.judge_submit(actor=judges[0], group_id=towns.pk)
    assert JudgeSubmission.objects.count() == 1
    assert AuditRecord.objects.filter(verb="appraisal.judge_submitted").count() == 1


def test_staff_see_who_submitted_but_not_the_scores_until_the_group_closes(contest, judges, city_staff):
    services.scoring_open(actor=city_staff, appraisal_id=contest.pk)
    towns = contest.groups.get(name="典型镇")
    assert can(city_staff, "appraisals.view_submissions", contest)
    assert not can(city_staff, "appraisals.view_scores", towns)
    services.scoring_close(actor=city_staff, appraisal_id=contest.pk, group_ids=[towns.pk])
    towns.refresh_from_db()
    assert can(city_staff, "appraisals.view_scores", towns)
    assert not can(judges[0], "appraisals.view_scores", towns)


def test_the_public_sees_a_result_only_once_published(contest, judges, city_staff, client):
    from django.contrib.auth.models import AnonymousUser

    closed(contest, judges, city_staff)
    services.appraisal_compute(actor=city_staff, appraisal_id=contest.pk)
    contest.refresh_from_db()
    assert can(city_staff, "appraisals.view_result", contest)
    assert not can(AnonymousUser(), "appraisals.view_result", contest)
    services.appraisal_publish(
        actor=city_staff, appraisal_id=contest.pk, objection_ends_on=dt.date(2026, 12, 10)
    )
    contest.refresh_from_db()
    assert can(AnonymousUser(), "appraisals.view_result", contest)


def test_computing_before_the_scoring_closes_is_refused(contest, judges, city_staff):
    scored_and_submitted(contest, judges, city_staff)
    with pytest.raises(TransitionNotAllowed, match="评分中"):
        services.appraisal_compute(actor=city_staff, appraisal_id=contest.pk)
    assert not ResultVersion.objects.exists()


# --- ties waiting for a decision -----------------------------------------------------------------------------


def test_publishing_waits_for_the_organisers_decision_on_a_straddling_tie(contest, judges, city_staff):
    services.appraisal_configure(
        actor=city_staff,
        appraisal_id=contest.pk,
        components=[{"code": "assessment", "name": "综合考核评价", "weight": D(100), "source": rules.DIRECT}],
        tiers=[{"code": "first", "name": "一等奖", "quota": 1}],
        tie_breakers=[],
        straddle=rules.DECISION,
    )
    # 斗山镇 and 海宴镇 tie at 95 for the one 一等奖
    tie = {"台城街道": 90, "斗山镇": 95, "海宴镇": 95, "浮石村": 88, "那扶村": 80, "北陡村": 70}
    services.scoring_open(actor=city_staff, appraisal_id=contest.pk)
    direct = component(contest, "assessment")
    for c in contest.contestants.all():
        services.score_set(actor=city_staff, contestant_id=c.pk, component_id=direct.pk, value=tie[c.name])
    services.scoring_close(actor=city_staff, appraisal_id=contest.pk)
    version = services.appraisal_compute(actor=city_staff, appraisal_id=contest.pk)
    assert len(version.result["pending"]) == 1
    with pytest.raises(DomainError, match="决定"):
        services.appraisal_publish(
            actor=city_staff, appraisal_id=contest.pk, objection_ends_on=dt.date(2026, 12, 10)
        )
    doushan = contest.contestants.get(name="斗山镇")
    services.decision_record(
        actor=city_staff, appraisal_id=contest.pk, straddle=[(doushan.group_id, "first", [doushan.pk])]
    )
    version = services.appraisal_compute(actor=city_staff, appraisal_id=contest.pk)
    assert ResultVersion.objects.filter(appraisal=contest).count() == 1  # the unpublished one was replaced
    assert version.number == 1 and not version.result["pending"]
    services.appraisal_publish(
        actor=city_staff, appraisal_id=contest.pk, objection_ends_on=dt.date(2026, 12, 10)
    )
    first = version.result["groups"][str(doushan.group_id)]["contestants"][0]
    assert (first["id"], first["tier"]) == (str(doushan.pk), "first")


# --- Excel import --------------------------------------------------------------------------------------------


def test_scores_imported_from_excel_are_written_all_at_once(contest, judges, city_staff):
    services.scoring_open(actor=city_staff, appraisal_id=contest.pk)
    rows = [("组别", "参评对象", "评委", "综合考核评价", "现场竞演")]
    for c in contest.contestants.select_related("group"):
        rows.append((c.group.name, c.name, "", ASSESSMENT[c.name], None))
        for i, value in enumerate(ONSITE[c.name]):
            rows.append((c.group.name, c.name, f"评委{i + 1}", None, value))
    written = services.scores_import(actor=city_staff, appraisal_id=contest.pk, file=workbook(rows))
    assert written == 6 + 18
    assert Score.objects.filter(contestant__appraisal=contest).count() == 24
    assert AuditRecord.objects.filter(verb="appraisal.scores_imported", data__scores=24).exists()


def test_an_excel_file_with_wrong_rows_is_refused_whole_with_every_wrong_row_reported(
    contest, judges, city_staff
):
    services.scoring_open(actor=city_staff, appraisal_id=contest.pk)
    rows = [
        ("组别", "参评对象", "评委", "综合考核评价", "现场竞演"),
        ("典型镇", "台城街道", "", 90, None),  # good
        ("典型镇", "台城街道", "评委1", None, 101),  # out of range
        ("典型镇", "不存在镇", "", 80, None),  # no such contestant
        ("典型村", "浮石村", "评委9", None, 80),  # no such judge
        ("典型村", "那扶村", "", "八十", None),  # not a number
        ("典型村", "北陡村", "", None, 80),  # a judged component without its judge
    ]
    with pytest.raises(services.ImportRefused) as refused:
        services.scores_import(actor=city_staff, appraisal_id=contest.pk, file=workbook(rows))
    assert [number for number, _message in refused.value.rows] == [3, 4, 5, 6, 7]
    assert "超出范围" in refused.value.rows[0][1]
    assert not Score.objects.filter(contestant__appraisal=contest).exists()


# --- grades (星级评定) -------------------------------------------------------------------------------------------


@pytest.fixture
def grading_round(city_staff, city_congress):
    appraisal = services.appraisal_create(
        actor=city_staff, congress=city_congress, title="市场监管所星级评定", kind=rules.GRADING, year=2026
    )
    services.appraisal_configure(
        actor=city_staff,
        appraisal_id=appraisal.pk,
        components=[{"code": "review", "name": "评审得分", "weight": D(100), "source": rules.DIRECT}],
        tiers=[
            {
                "code": "four",
                "name": "四星",
                "threshold": D(90),
                "requires_below": True,
                "granted_by": "province",
            },
            {"code": "three", "name": "三星", "threshold": D(80), "granted_by": "city"},
        ],
        groups=["市场监管所"],
    )
    group = appraisal.groups.get()
    offices = {"城区所": 92, "蓬江所": 81, "江海所": 70}
    for name in offices:
        services.contestant_add(actor=city_staff, appraisal_id=appraisal.pk, group_id=group.pk, name=name)
    services.scoring_open(actor=city_staff, appraisal_id=appraisal.pk)
    review = appraisal.components.get()
    for c in appraisal.contestants.all():
        services.score_set(
            actor=city_staff, contestant_id=c.pk, component_id=review.pk, value=offices[c.name]
        )
    services.scoring_close(actor=city_staff, appraisal_id=appraisal.pk)
    services.appraisal_compute(actor=city_staff, appraisal_id=appraisal.pk)
    services.appraisal_publish(
        actor=city_staff, appraisal_id=appraisal.pk, objection_ends_on=dt.date(2026, 12, 10)
    )
    return appraisal


def test_a_city_grading_round_grants_three_stars_with_a_validity_period(grading_round, city_staff):
    office = grading_round.contestants.get(
        name="城区所"
    )  # 92 reaches 四星's threshold, but the city grants 三星
    grade = services.grade_grant(
        actor=city_staff,
        appraisal_id=grading_round.pk,
        contestant_id=office.pk,
        valid_from=dt.date(2027, 1, 1),
        valid_until=dt.date(2029, 12, 31),
    )
    assert (grade.tier_code, grade.tier_name, grade.status) == ("three", "三星", Grade.Status.VALID)
    assert AuditRecord.objects.filter(verb="grade.granted", target_id=str(grade.pk)).exists()


def test_granting_a_grade_the_result_did_not_give_is_refused(grading_round, city_staff):
    office = grading_round.contestants.get(name="江海所")
    with pytest.raises(DomainError, match="70"):
        services.grade_grant(
            actor=city_staff,
            appraisal_id=grading_round.pk,
            contestant_id=office.pk,
            valid_from=dt.date(2027, 1, 1),
        )
    assert not Grade.objects.exists()


def test_a_grade_is_reviewed_then_withdrawn_and_a_withdrawn_grade_cannot_be_confirmed(
    grading_round, city_staff
):
    office = grading_round.contestants.get(name="蓬江所")
    grade = services.grade_grant(
        actor=city_staff,
        appraisal_id=grading_round.pk,
        contestant_id=office.pk,
        valid_from=dt.date(2027, 1, 1),
    )
    services.grade_review_start(actor=city_staff, grade_id=grade.pk, reason="群众反映服务质量下降")
    services.grade_withdraw(actor=city_staff, grade_id=grade.pk, reason="复核不达标")
    with pytest.raises(TransitionNotAllowed):
        services.grade_confirm(actor=city_staff, grade_id=grade.pk)
    grade.refresh_from_db()
    assert grade.status == Grade.Status.WITHDRAWN
    history = AuditRecord.objects.filter(target_id=str(grade.pk), verb__startswith="grade.").order_by("id")
    assert list(history.values_list("verb", flat=True)) == [
        "grade.granted",
        "grade.review_started",
        "grade.withdrawn",
    ]
