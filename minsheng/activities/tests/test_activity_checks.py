"""Checks on the records (`activities.checks`): each finds its planted case and not the clean one beside it."""

# ruff: noqa: F401, F811 - fixtures imported by name

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from minsheng.activities import activity_services as services
from minsheng.activities import checks
from minsheng.activities.models import ActivityPhoto, ReceptionDay, ReceptionMatter
from minsheng.common.testing import tiny_image

from .activity_fixtures import county_user, frozen, kaiping_user, kind, make_activity

pytestmark = pytest.mark.django_db

JULY = dt.datetime(2026, 7, 6, 9, 0)  # a Monday
SCOPE = checks.Scope(prefix="4407", date_from=dt.date(2026, 7, 1), date_to=dt.date(2026, 7, 31))


def _aware(value: dt.datetime) -> dt.datetime:
    return timezone.make_aware(value)


@pytest.fixture
def reception_at(make_reception, city_deputy, station):
    """`reception_at(when, deputies=None, text=...)`: a reception at 海宴镇's station with one matter."""

    def make(when: dt.datetime, *, deputies=None, text: str = ""):
        with frozen(when + dt.timedelta(hours=3)):
            kwargs = {"received_at": _aware(when)}
            if deputies is not None:
                kwargs["deputies"] = deputies
            reception = make_reception(**kwargs)
        if text:  # the reception's first matter (recording a reception makes one) says `text`
            ReceptionMatter.objects.update_or_create(
                reception=reception,
                position=1,
                defaults={"text": text, "category": "urban_rural", "disposal": "town"},
            )
        return reception

    return make


def test_the_same_matter_recorded_by_two_deputies_in_one_week(
    reception_at, town_deputy, city_deputy, station
):
    from minsheng.stations.models import StationDeputy

    StationDeputy.objects.create(station=station, deputy=city_deputy)
    text = "五丰村路灯损坏，夜间出行不便，希望尽快维修。"
    first = reception_at(JULY, deputies=[town_deputy], text=text)
    second = reception_at(
        JULY + dt.timedelta(days=2),
        deputies=[city_deputy],
        text="五丰村的路灯损坏了，夜间出行不便，希望尽快维修",
    )
    reception_at(
        JULY + dt.timedelta(days=3), deputies=[city_deputy], text="学校门口缺少斑马线，学生过马路危险。"
    )  # clean
    reception_at(
        JULY + dt.timedelta(days=8), deputies=[city_deputy], text=text
    )  # the same text, the next week
    found = checks.duplicate_matters(SCOPE)
    assert len(found) == 1
    assert {m.reception_id for m in found[0]["matters"]} == {first.pk, second.pk}
    assert found[0]["week"] == "2026-W28"
    assert found[0]["similarity"] >= 0.8


def test_the_same_photo_on_two_activities(make_activity, taishan_staff):
    with frozen(JULY - dt.timedelta(days=5)):
        first = make_activity(starts_at=JULY)
        second = make_activity(
            starts_at=JULY + dt.timedelta(days=1), title="集中视察", kind=kind("inspection")
        )
        clean = make_activity(starts_at=JULY + dt.timedelta(days=2), title="代表小组活动", kind=kind("group"))
        same = tiny_image("JPEG", size=(20, 10))
        for activity in (first, second):
            services.activity_photo_add(
                actor=taishan_staff, activity_id=activity.pk, upload=SimpleUploadedFile("a.jpg", same)
            )
        services.activity_photo_add(
            actor=taishan_staff,
            activity_id=clean.pk,
            upload=SimpleUploadedFile("b.png", tiny_image("PNG", size=(30, 30))),
        )
    found = checks.shared_photos(SCOPE)
    assert len(found) == 1
    assert {a.pk for a in found[0]["activities"]} == {first.pk, second.pk}


def test_attendance_overlapping_another_activity_or_a_reception(
    make_activity, taishan_staff, town_deputy, county_deputy, reception_at
):
    from minsheng.activities.models import Participation

    with frozen(JULY - dt.timedelta(days=5)):
        first = make_activity(starts_at=JULY)
        second = make_activity(
            starts_at=JULY + dt.timedelta(hours=1), title="集中视察", kind=kind("inspection")
        )
        third = make_activity(starts_at=JULY + dt.timedelta(days=1), title="代表小组活动", kind=kind("group"))
    # Planted around the service (an import or an older record): 单国强 present at two overlapping activities.
    for activity in (first, second):
        Participation.objects.create(
            activity=activity, deputy=county_deputy, status="present", method="staff"
        )
    # 陈海 present at the group activity while recorded at a reception (assumed to last an hour) that day.
    Participation.objects.create(activity=third, deputy=town_deputy, status="present", method="staff")
    reception_at(JULY + dt.timedelta(days=1, minutes=30), deputies=[town_deputy])
    reception_at(JULY + dt.timedelta(days=1, hours=5), deputies=[town_deputy])  # clean: after the activity
    found = checks.overlapping_attendance(SCOPE)
    pairs = {
        (f["deputy"].pk, f["activity"].pk, f["other_activity"].pk if f["other_activity"] else "reception")
        for f in found
    }
    assert len(found) == 2
    assert (county_deputy.pk, first.pk, second.pk) in pairs or (
        county_deputy.pk,
        second.pk,
        first.pk,
    ) in pairs
    assert (town_deputy.pk, third.pk, "reception") in pairs


def test_a_reception_linked_to_its_day_lasts_the_days_hours(
    reception_at, station, station_staff, town_deputy, make_activity
):
    from minsheng.activities.models import Participation

    with frozen(JULY - dt.timedelta(days=5)):
        activity = make_activity(starts_at=JULY + dt.timedelta(hours=3))  # 12:00–14:00
    Participation.objects.create(activity=activity, deputy=town_deputy, status="present", method="staff")
    reception = reception_at(JULY, deputies=[town_deputy])  # recorded before the day was scheduled
    day = ReceptionDay.objects.create(
        station=station,
        day=JULY.date(),
        starts_at=dt.time(9),
        ends_at=dt.time(12, 30),
        created_by=station_staff,
    )
    assert checks.overlapping_attendance(SCOPE) == []  # an hour from 09:00: no overlap
    reception.reception_day = day
    reception.save(update_fields=["reception_day"])
    assert len(checks.overlapping_attendance(SCOPE)) == 1  # the day runs until 12:30


def test_receptions_on_days_not_scheduled(reception_at, station, station_staff):
    ReceptionDay.objects.create(
        station=station, day=JULY.date(), starts_at=dt.time(9), ends_at=dt.time(12), created_by=station_staff
    )
    ReceptionDay.objects.create(
        station=station,
        day=(JULY + dt.timedelta(days=2)).date(),
        starts_at=dt.time(9),
        ends_at=dt.time(12),
        is_cancelled=True,
        created_by=station_staff,
    )
    scheduled = reception_at(JULY)
    cancelled_day = reception_at(JULY + dt.timedelta(days=2))
    unscheduled = reception_at(JULY + dt.timedelta(days=1))
    found = {f["reception"].pk for f in checks.unscheduled_receptions(SCOPE)}
    assert found == {cancelled_day.pk, unscheduled.pk}
    assert scheduled.pk not in found


def test_checks_stay_in_the_region(reception_at, station):
    reception_at(JULY + dt.timedelta(days=1))
    kaiping = checks.Scope(prefix="440783", date_from=SCOPE.date_from, date_to=SCOPE.date_to)
    assert checks.unscheduled_receptions(kaiping) == []
    assert len(checks.unscheduled_receptions(SCOPE)) == 1


def test_similarity_is_cheap_and_sane():
    assert checks.similarity("路灯坏了", "路灯坏了") == 1.0
    assert checks.similarity("路灯坏了", "学校门口缺少斑马线") < 0.8
    assert checks.similarity("", "x") == 0.0
