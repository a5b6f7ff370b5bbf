"""Activities' services: the window, the transitions, attendance (QR sign-in within the window, once, by
eligible deputies, never at two places at once), leave, photos, suggestions; each refusal in Chinese and
nothing changed."""

# ruff: noqa: F401, F811 - fixtures imported by name

import datetime as dt
import hashlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone, translation

from minsheng.activities import activity_services as services
from minsheng.activities.models import Activity, ActivityKind, Participation
from minsheng.common.audit import history_of
from minsheng.common.errors import Conflict, DomainError, PermissionDenied, TransitionNotAllowed
from minsheng.common.testing import tiny_image

from .activity_fixtures import county_user, frozen, kaiping_user, kind, make_activity

pytestmark = pytest.mark.django_db

JULY = dt.datetime(2026, 7, 10, 9, 0)


def zh(exc_info) -> str:
    with translation.override("zh-hans"):
        return str(exc_info.value.message)


def test_create_plans_an_activity_with_audit(make_activity):
    with frozen(JULY - dt.timedelta(days=5)):
        activity = make_activity(starts_at=JULY)
    assert activity.status == Activity.Status.PLANNED
    assert activity.checkin_token
    assert [r.verb for r in history_of(activity)] == ["activity.created"]


@pytest.mark.parametrize(
    ("start", "end", "code"),
    [
        (JULY, JULY - dt.timedelta(hours=1), "ends_before_start"),
        (JULY, JULY, "ends_before_start"),
        (JULY, JULY + dt.timedelta(days=40), "too_long"),
        (dt.datetime(1899, 7, 1, 9), dt.datetime(1899, 7, 1, 10), "date_too_early"),
        (dt.datetime(2099, 7, 1, 9), dt.datetime(2099, 7, 1, 10), "date_too_late"),
    ],
)
def test_impossible_dates_are_refused_in_chinese(make_activity, start, end, code):
    with frozen(JULY - dt.timedelta(days=5)), pytest.raises(DomainError) as exc:
        make_activity(starts_at=start, ends_at=timezone.make_aware(end))
    assert exc.value.code == code or code.startswith("date_")
    message = zh(exc)
    assert any("\u4e00" <= ch <= "\u9fff" for ch in message), message
    assert Activity.objects.count() == 0


def test_only_the_organisers_staff_plan(make_activity, kaiping_staff, city_staff, taishan_congress):
    with frozen(JULY - dt.timedelta(days=5)):
        with pytest.raises(PermissionDenied):
            make_activity(starts_at=JULY, actor=kaiping_staff)
        assert (
            make_activity(starts_at=JULY, actor=city_staff).congress == taishan_congress
        )  # the city's above


def test_hold_only_once_started_and_absentees_recorded(
    make_activity, taishan_staff, town_deputy, county_deputy
):
    with frozen(JULY - dt.timedelta(days=5)):
        activity = make_activity(starts_at=JULY)
        services.activity_invite(
            actor=taishan_staff, activity_id=activity.pk, deputies=[town_deputy, county_deputy]
        )
        with pytest.raises(TransitionNotAllowed) as exc:
            services.activity_hold(actor=taishan_staff, activity_id=activity.pk)
        assert exc.value.code == "not_started"
    with frozen(JULY + dt.timedelta(minutes=10)):
        services.attendance_mark(
            actor=taishan_staff, activity_id=activity.pk, deputy=town_deputy, status="present"
        )
    with frozen(JULY + dt.timedelta(hours=3)):
        services.activity_hold(actor=taishan_staff, activity_id=activity.pk, minutes="议定三项建议。")
        statuses = dict(activity.participations.values_list("deputy_id", "status"))
        assert statuses == {town_deputy.pk: "present", county_deputy.pk: "absent"}
        with pytest.raises(TransitionNotAllowed):
            services.activity_cancel(actor=taishan_staff, activity_id=activity.pk, reason="x")


def test_cancelled_activity_takes_no_sign_in(make_activity, taishan_staff, deputy_user):
    with frozen(JULY - dt.timedelta(days=5)):
        activity = make_activity(starts_at=JULY)
        services.activity_cancel(actor=taishan_staff, activity_id=activity.pk, reason="台风")
    with frozen(JULY + dt.timedelta(minutes=5)), pytest.raises(TransitionNotAllowed):
        services.activity_checkin(actor=deputy_user, token=activity.checkin_token)
    assert not Participation.objects.exists()


# --- sign-in by the QR code --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("offset_minutes", "ok", "code"),
    [
        (-31, False, "too_early"),
        (-30, True, ""),
        (60, True, ""),
        (150, True, ""),  # 30 minutes after the end (2 hours)
        (151, False, "too_late"),
    ],
)
def test_checkin_only_within_the_window(make_activity, deputy_user, offset_minutes, ok, code):
    with frozen(JULY - dt.timedelta(days=5)):
        activity = make_activity(starts_at=JULY)
    with frozen(JULY + dt.timedelta(minutes=offset_minutes)):
        if ok:
            participation = services.activity_checkin(actor=deputy_user, token=activity.checkin_token)
            assert participation.status == "present" and participation.method == "qr"
        else:
            with pytest.raises(DomainError) as exc:
                services.activity_checkin(actor=deputy_user, token=activity.checkin_token)
            assert exc.value.code == code
            assert "签到" in zh(exc)
            assert not Participation.objects.exists()


def test_checkin_across_the_year_end(make_activity, deputy_user):
    new_year = dt.datetime(2026, 12, 31, 23, 0)
    with frozen(new_year - dt.timedelta(days=3)):
        activity = make_activity(starts_at=new_year, hours=1.5, kind=kind("briefing"), title="跨年政情通报会")
    with frozen(dt.datetime(2027, 1, 1, 1, 5)):  # the window closed at 01:00
        with pytest.raises(DomainError) as exc:
            services.activity_checkin(actor=deputy_user, token=activity.checkin_token)
        assert exc.value.code == "too_late"
        assert "2027-01-01 01:00" in zh(exc)
    with frozen(dt.datetime(2027, 1, 1, 0, 55)):
        assert services.activity_checkin(actor=deputy_user, token=activity.checkin_token).status == "present"


def test_second_scan_says_so_and_changes_nothing(make_activity, deputy_user):
    with frozen(JULY - dt.timedelta(days=5)):
        activity = make_activity(starts_at=JULY)
    with frozen(JULY + dt.timedelta(minutes=5)):
        first = services.activity_checkin(actor=deputy_user, token=activity.checkin_token)
    with frozen(JULY + dt.timedelta(minutes=20)), pytest.raises(Conflict) as exc:
        services.activity_checkin(actor=deputy_user, token=activity.checkin_token)
    assert exc.value.code == "already_present"
    assert "已" in zh(exc)
    again = Participation.objects.get()
    assert again.checked_in_at == first.checked_in_at
    assert [r.verb for r in history_of(activity)].count("activity.checked_in") == 1


def test_an_uninvited_deputy_of_a_congress_below_joins_one_of_another_county_does_not(
    make_activity, deputy_user, kaiping_user
):
    with frozen(JULY - dt.timedelta(days=5)):
        activity = make_activity(starts_at=JULY)
    with frozen(JULY + dt.timedelta(minutes=5)):
        with pytest.raises((DomainError, PermissionDenied)):
            services.activity_checkin(actor=kaiping_user, token=activity.checkin_token)
        assert (
            services.activity_checkin(actor=deputy_user, token=activity.checkin_token).deputy
            == deputy_user.deputy
        )


def test_an_invited_deputy_of_another_county_signs_in(make_activity, taishan_staff, kaiping_user):
    with frozen(JULY - dt.timedelta(days=5)):
        activity = make_activity(starts_at=JULY)
        services.activity_invite(actor=taishan_staff, activity_id=activity.pk, deputies=[kaiping_user.deputy])
    with frozen(JULY + dt.timedelta(minutes=5)):
        assert services.activity_checkin(actor=kaiping_user, token=activity.checkin_token).status == "present"


def test_a_bad_or_rotated_token_is_refused(make_activity, taishan_staff, deputy_user):
    with frozen(JULY - dt.timedelta(days=5)):
        activity = make_activity(starts_at=JULY)
        old = activity.checkin_token
        services.activity_rotate_token(actor=taishan_staff, activity_id=activity.pk)
    with frozen(JULY + dt.timedelta(minutes=5)):
        for token in (old, "nonsense", ""):
            with pytest.raises(DomainError) as exc:
                services.activity_checkin(actor=deputy_user, token=token)
            assert exc.value.code == "bad_token"
    assert not Participation.objects.exists()


def test_nobody_is_at_two_places_at_once(make_activity, taishan_staff, deputy_user, town_deputy):
    with frozen(JULY - dt.timedelta(days=5)):
        first = make_activity(starts_at=JULY)
        second = make_activity(
            starts_at=JULY + dt.timedelta(hours=1), title="集中视察", kind=kind("inspection")
        )
        later = make_activity(
            starts_at=JULY + dt.timedelta(hours=2), title="代表小组活动", kind=kind("group")
        )
    with frozen(JULY + dt.timedelta(minutes=5)):
        services.activity_checkin(actor=deputy_user, token=first.checkin_token)
    with frozen(JULY + dt.timedelta(minutes=65)):
        with pytest.raises(Conflict) as exc:
            services.activity_checkin(actor=deputy_user, token=second.checkin_token)
        assert exc.value.code == "two_places"
        assert "同一时间" in zh(exc) and "江门市居家社区养老服务" in zh(exc)
        with pytest.raises(Conflict):
            services.attendance_mark(
                actor=taishan_staff, activity_id=second.pk, deputy=town_deputy, status="present"
            )
    assert not second.participations.exists()
    with frozen(JULY + dt.timedelta(hours=2, minutes=5)):  # back to back: no overlap
        assert services.activity_checkin(actor=deputy_user, token=later.checkin_token).status == "present"


# --- staff attendance, leave, training ------------------------------------------------------------------------


def test_leave_needs_a_reason_and_training_in_part(make_activity, taishan_staff, town_deputy):
    with frozen(JULY - dt.timedelta(days=5)):
        training = make_activity(starts_at=JULY, kind=kind("training"), title="代表履职培训")
        with pytest.raises(DomainError) as exc:
            services.attendance_mark(
                actor=taishan_staff, activity_id=training.pk, deputy=town_deputy, status="leave"
            )
        assert exc.value.field == "leave_reason" and "请假" in zh(exc)
        assert not training.participations.exists()
        leave = services.attendance_mark(
            actor=taishan_staff,
            activity_id=training.pk,
            deputy=town_deputy,
            status="leave",
            leave_reason="出差",
        )
        assert leave.status == "leave" and leave.leave_reason == "出差"
        with pytest.raises(DomainError) as exc:  # present before it begins
            services.attendance_mark(
                actor=taishan_staff, activity_id=training.pk, deputy=town_deputy, status="present"
            )
    with frozen(JULY + dt.timedelta(minutes=90)):
        present = services.attendance_mark(
            actor=taishan_staff, activity_id=training.pk, deputy=town_deputy, status="present", in_full=False
        )
    assert (present.status, present.method, present.in_full, present.leave_reason) == (
        "present",
        "staff",
        False,
        "",
    )


def test_station_staff_take_attendance_of_their_stations_activity(
    make_activity, station, station_staff, town_deputy
):
    with frozen(JULY - dt.timedelta(days=5)):
        activity = make_activity(starts_at=JULY, station=station)
        other = make_activity(starts_at=JULY + dt.timedelta(days=1))
    with frozen(JULY + dt.timedelta(minutes=5)):
        services.attendance_mark(
            actor=station_staff, activity_id=activity.pk, deputy=town_deputy, status="present"
        )
        with pytest.raises(PermissionDenied):
            services.attendance_mark(
                actor=station_staff, activity_id=other.pk, deputy=town_deputy, status="absent"
            )


# --- sign-up -----------------------------------------------------------------------------------------------


def test_signup_when_open_and_eligible(make_activity, deputy_user, kaiping_user):
    with frozen(JULY - dt.timedelta(days=5)):
        closed = make_activity(starts_at=JULY)
        open_ = make_activity(starts_at=JULY + dt.timedelta(days=1), signup_open=True)
        with pytest.raises(PermissionDenied):
            services.activity_signup(actor=deputy_user, activity_id=closed.pk)
        with pytest.raises(PermissionDenied):
            services.activity_signup(actor=kaiping_user, activity_id=open_.pk)
        assert services.activity_signup(actor=deputy_user, activity_id=open_.pk).status == "signed_up"
        with pytest.raises(Conflict):
            services.activity_signup(actor=deputy_user, activity_id=open_.pk)


# --- photos, report, suggestions, concerns ----------------------------------------------------------------


def test_photo_is_reencoded_and_hashed_wrong_type_refused(make_activity, taishan_staff):
    with frozen(JULY - dt.timedelta(days=5)):
        activity = make_activity(starts_at=JULY)
        photo = services.activity_photo_add(
            actor=taishan_staff,
            activity_id=activity.pk,
            upload=SimpleUploadedFile("现场.jpg", tiny_image("JPEG"), content_type="image/jpeg"),
        )
        with photo.file.open("rb") as f:
            assert hashlib.sha256(f.read()).hexdigest() == photo.sha256
        with pytest.raises(Conflict):
            services.activity_photo_add(
                actor=taishan_staff,
                activity_id=activity.pk,
                upload=SimpleUploadedFile("again.jpg", tiny_image("JPEG"), content_type="image/jpeg"),
            )
        bad = [
            SimpleUploadedFile("x.gif", b"GIF89a" + b"\x00" * 40, content_type="image/gif"),
            SimpleUploadedFile(
                "x.svg", b"<svg xmlns='http://www.w3.org/2000/svg'></svg>", content_type="image/svg+xml"
            ),
            SimpleUploadedFile(
                "big.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * (11 * 1024 * 1024), content_type="image/png"
            ),
        ]
        for upload in bad:
            with pytest.raises(DomainError) as exc:
                services.activity_photo_add(actor=taishan_staff, activity_id=activity.pk, upload=upload)
            assert exc.value.field == "photo"
            assert any("\u4e00" <= ch <= "\u9fff" for ch in zh(exc))
    assert activity.photos.count() == 1


def test_suggestion_produced_is_apart_from_cases_concerned(make_activity, taishan_staff, town_deputy):
    from minsheng.cases.models import Case

    with frozen(JULY - dt.timedelta(days=5)):
        activity = make_activity(starts_at=JULY)
        with pytest.raises(DomainError):  # not taking part
            services.activity_suggestion_create(
                actor=taishan_staff, activity_id=activity.pk, deputy=town_deputy, title="t", content="c"
            )
        services.activity_invite(actor=taishan_staff, activity_id=activity.pk, deputies=[town_deputy])
        case = services.activity_suggestion_create(
            actor=taishan_staff,
            activity_id=activity.pk,
            deputy=town_deputy,
            title="加快长者饭堂建设",
            content="建议每个镇街建设长者饭堂。",
        )
        assert case.kind == Case.Kind.SUGGESTION and case.lead_deputy == town_deputy
        assert list(activity.produced.all()) == [case]
        assert not activity.cases.exists()
        services.activity_link_case(actor=taishan_staff, activity_id=activity.pk, case_id=case.pk)
        assert list(activity.cases.all()) == [case]
        with pytest.raises(Conflict):
            services.activity_link_case(actor=taishan_staff, activity_id=activity.pk, case_id=case.pk)


def test_a_project_is_linked_through_the_registry(make_activity, taishan_staff):
    from minsheng.activities import concerns

    assert "project" in concerns.kinds()  # registered by InsightsConfig.ready()
    with frozen(JULY - dt.timedelta(days=5)):
        activity = make_activity(starts_at=JULY)
        with pytest.raises(DomainError) as exc:
            services.activity_concern_add(
                actor=taishan_staff, activity_id=activity.pk, kind="project", object_id=999999
            )
        assert exc.value.code == "not_found"
        with pytest.raises(DomainError):
            services.activity_concern_add(
                actor=taishan_staff, activity_id=activity.pk, kind="spaceship", object_id=1
            )
    assert not activity.concerns.exists()


def test_a_congress_adds_its_own_kind(taishan_staff, taishan_congress, kaiping_staff):
    with frozen(JULY):
        custom = services.kind_create(actor=taishan_staff, congress=taishan_congress, name="侨乡调研")
        assert custom.code == ActivityKind.Code.CUSTOM
        with pytest.raises(Conflict):
            services.kind_create(actor=taishan_staff, congress=taishan_congress, name="侨乡调研")
        with pytest.raises(PermissionDenied):
            services.kind_create(actor=kaiping_staff, congress=taishan_congress, name="别的")


def test_participations_for_deputy_once_per_activity_not_cancelled(make_activity, taishan_staff, city_deputy):
    from minsheng.activities.activity_selectors import participations_for_deputy

    with frozen(JULY - dt.timedelta(days=5)):
        kept = make_activity(starts_at=JULY)
        dropped = make_activity(starts_at=JULY + dt.timedelta(days=1), title="取消的活动")
        outside = make_activity(starts_at=JULY + dt.timedelta(days=40), title="八月活动")
        for a in (kept, dropped, outside):
            services.activity_invite(actor=taishan_staff, activity_id=a.pk, deputies=[city_deputy])
        services.activity_cancel(actor=taishan_staff, activity_id=dropped.pk, reason="台风")
    # 曾丽 sits in the city's and 海宴镇's congresses: each activity is listed once.
    rows = list(participations_for_deputy(city_deputy, dt.date(2026, 7, 1), dt.date(2026, 7, 31)))
    assert [p.activity_id for p in rows] == [kept.pk]
    assert [p.activity_id for p in participations_for_deputy(city_deputy)] == [kept.pk, outside.pk]
