"""Awards on the duty record (DutyAward): staff correct them and withdraw them with a reason; a withdrawn
award stays in the table but the record, its summary (also by the incremental refresh) and the points no
longer count it. Refused for a deputy; audited."""

import datetime as dt

import pytest
import time_machine

from minsheng.common.errors import Conflict, DomainError, PermissionDenied
from minsheng.common.models import AuditRecord
from minsheng.insights import duty_record as DR
from minsheng.insights import points_services as S
from minsheng.insights.models import DutyAward, DutySummary, PointsEntry

from .records_data import at

pytestmark = pytest.mark.django_db


@pytest.fixture
def award(town_deputy, haiyan_congress, taishan_staff):
    with time_machine.travel(at(2026, 5, 2), tick=False):
        S.points_scheme_create(
            actor=taishan_staff, congress=haiyan_congress, year=2026, rules={"award": (10, 10, 30)}
        )
        made = S.duty_award_create(
            actor=taishan_staff,
            deputy=town_deputy,
            congress=haiyan_congress,
            title="优秀代表",
            awarded_on=dt.date(2026, 5, 1),
            awarded_by="台山市人大常委会",
        )
    DR.refresh_duty_summaries([town_deputy.pk])
    S.points_compute(scheme=S.scheme_in_force(haiyan_congress, 2026))
    return made


def _award_points(deputy, congress) -> list:
    scheme = S.scheme_in_force(congress, 2026)
    return list(
        PointsEntry.objects.filter(scheme=scheme, deputy=deputy, kind="award").values_list(
            "points", flat=True
        )
    )


def test_staff_correct_an_award(award, taishan_staff, town_deputy, haiyan_congress):
    assert DR.duty_record(town_deputy, year=2026)["count"]["award"] == 1
    S.duty_award_update(
        actor=taishan_staff,
        award=award,
        title="优秀人大代表",
        awarded_on=dt.date(2025, 12, 30),
        awarded_by="台山市人大常委会",
    )
    award.refresh_from_db()
    assert award.title == "优秀人大代表" and award.awarded_on == dt.date(2025, 12, 30)
    DR.refresh_duty_summaries([town_deputy.pk])
    assert "award" not in DR.duty_record(town_deputy, year=2026)["count"]  # moved to 2025
    assert DR.duty_record(town_deputy, year=2025)["count"]["award"] == 1
    trail = AuditRecord.objects.get(verb="duty_award.updated", target_id=str(award.pk))
    assert trail.actor == taishan_staff and set(trail.data["changed"]) == {"title", "awarded_on"}


def test_a_correction_is_checked(award, taishan_staff):
    with pytest.raises(DomainError) as exc:
        S.duty_award_update(
            actor=taishan_staff, award=award, title=" ", awarded_on=award.awarded_on, awarded_by="x"
        )
    assert exc.value.field == "title"
    with pytest.raises(DomainError) as exc:
        S.duty_award_update(
            actor=taishan_staff, award=award, title="t", awarded_on=dt.date(2999, 1, 1), awarded_by="x"
        )
    assert exc.value.field == "awarded_on"
    award.refresh_from_db()
    assert award.title == "优秀代表"  # nothing half-saved


def test_a_withdrawn_award_is_kept_and_no_longer_counted(award, taishan_staff, town_deputy, haiyan_congress):
    assert _award_points(town_deputy, haiyan_congress) == [10]
    with pytest.raises(DomainError) as exc:
        S.duty_award_withdraw(actor=taishan_staff, award=award, reason="  ")
    assert exc.value.field == "reason"
    S.duty_award_withdraw(actor=taishan_staff, award=award, reason="重复登记")
    award.refresh_from_db()
    assert award.withdrawn_at is not None and award.withdrawn_by == taishan_staff
    assert award.withdrawal_reason == "重复登记"
    assert DutyAward.objects.filter(pk=award.pk).exists()
    assert DR.duty_record(town_deputy, year=2026)["awards"] == []  # the list is read live
    DR.refresh_duty_summaries([town_deputy.pk])  # the counts once recounted (the page does it at once)
    assert "award" not in DR.duty_record(town_deputy, year=2026)["count"]
    assert S.award_points_recompute(award) == 1
    assert _award_points(town_deputy, haiyan_congress) == []
    with pytest.raises(Conflict):
        S.duty_award_withdraw(actor=taishan_staff, award=award, reason="再次")
    with pytest.raises(Conflict):
        S.duty_award_update(
            actor=taishan_staff, award=award, title="x", awarded_on=award.awarded_on, awarded_by="x"
        )
    assert AuditRecord.objects.filter(verb="duty_award.withdrawn", target_id=str(award.pk)).count() == 1


def test_the_incremental_refresh_picks_up_a_withdrawal(award, taishan_staff, town_deputy):
    with time_machine.travel(at(2026, 6, 1, 9), tick=False):
        assert DR.duty_summaries_update().full  # the first run: everything
    assert DR.duty_record(town_deputy, year=2026)["count"]["award"] == 1
    assert DutySummary.objects.filter(deputy=town_deputy, counts__has_key="award").exists()
    with time_machine.travel(at(2026, 6, 1, 9, 30), tick=False):
        assert town_deputy.pk not in DR.changed_deputies(at(2026, 6, 1, 9, 20))
        S.duty_award_withdraw(actor=taishan_staff, award=award, reason="重复登记")
        assert town_deputy.pk in DR.changed_deputies(at(2026, 6, 1, 9, 20))
    with time_machine.travel(at(2026, 6, 1, 9, 40), tick=False):
        again = DR.duty_summaries_update()
    assert not again.full and again.deputies >= 1
    # the award was the deputy's only duty: the rows counting it are gone
    assert not DutySummary.objects.filter(deputy=town_deputy, counts__has_key="award").exists()
    assert "award" not in DR.duty_record(town_deputy, year=2026)["count"]


def test_a_deputy_may_not_correct_or_withdraw(award, deputy_user, kaiping_staff):
    for actor in (deputy_user, kaiping_staff):
        with pytest.raises(PermissionDenied):
            S.duty_award_withdraw(actor=actor, award=award, reason="不对")
        with pytest.raises(PermissionDenied):
            S.duty_award_update(
                actor=actor, award=award, title="x", awarded_on=award.awarded_on, awarded_by="x"
            )
    award.refresh_from_db()
    assert award.withdrawn_at is None and award.title == "优秀代表"


def test_the_record_page_withdraws_and_shows_it_withdrawn(
    client, award, taishan_staff, deputy_user, town_deputy
):
    client.force_login(taishan_staff)
    page = client.get(f"/deputies/{town_deputy.pk}/record/").content.decode()
    assert f"/record/awards/{award.pk}/withdraw/" in page
    response = client.post(
        f"/deputies/{town_deputy.pk}/record/awards/{award.pk}/withdraw/", {"reason": "重复登记"}
    )
    assert response.status_code == 302
    page = client.get(f"/deputies/{town_deputy.pk}/record/")
    html = page.content.decode()
    assert 'data-testid="award-withdrawn"' in html and "重复登记" in html
    assert page.context["record"]["awards"] == [] and "award" not in page.context["record"]["count"]
    assert page.context["points"][0].total == 0  # recomputed at once
    client.force_login(deputy_user)
    mine = client.get(f"/deputies/{town_deputy.pk}/record/").content.decode()
    assert "重复登记" not in mine and "/withdraw/" not in mine
