"""Activity pages and API beyond who may open them: the list's filters and export, the form's refusals in
Chinese, the QR page and the sign-in page with the clock frozen inside and outside the window, the 回选举单位
check (who has and who has not gone back in a campaign's period), the checks page, the API."""

# ruff: noqa: F401, F811 - fixtures imported by name

import datetime as dt
from io import BytesIO

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from minsheng.activities import activity_services as services
from minsheng.activities.models import Activity, Campaign, Participation

from .activity_fixtures import frozen, kaiping_user, kind, make_activity

pytestmark = pytest.mark.django_db

JULY = dt.datetime(2026, 7, 10, 9, 0)


def test_list_filters_and_exports(client, make_activity, taishan_staff):
    with frozen(JULY - dt.timedelta(days=5)):
        make_activity(starts_at=JULY)
        make_activity(starts_at=JULY + dt.timedelta(days=3), kind=kind("planting"), title="人大代表林植树")
        client.force_login(taishan_staff)
        page = client.get(reverse("activities:activity_list"), {"q": "植树"}).content.decode()
        assert "人大代表林植树" in page and "江门市居家社区养老服务" not in page
        page = client.get(reverse("activities:activity_list"), {"kind": kind("research").pk}).content.decode()
        assert "江门市居家社区养老服务" in page and "人大代表林植树" not in page
        page = client.get(reverse("activities:activity_list"), {"date_from": "2026-07-12"}).content.decode()
        assert "人大代表林植树" in page and "江门市居家社区养老服务" not in page
        response = client.get(reverse("activities:activity_export"))
        rows = list(load_workbook(BytesIO(response.content)).active.iter_rows(values_only=True))
        assert len(rows) == 3 and rows[1][1] == "人大代表林植树"


def test_the_form_refuses_an_end_before_the_start_in_chinese(client, taishan_staff, taishan_congress):
    client.force_login(taishan_staff)
    with frozen(JULY - dt.timedelta(days=5)):
        response = client.post(
            reverse("activities:activity_new"),
            {
                "kind": kind("research").pk,
                "title": "专题调研",
                "congress": taishan_congress.pk,
                "place": taishan_congress.place.pk,
                "location": "台城",
                "starts_at": "2026-07-10T09:00",
                "ends_at": "2026-07-10T08:00",
            },
            HTTP_ACCEPT_LANGUAGE="zh-hans",
        )
    assert response.status_code == 200
    assert "结束时间须晚于开始时间" in response.content.decode()
    assert not Activity.objects.exists()


def test_the_place_of_an_activity_is_typed_from_its_region(client, make_activity, taishan_staff, deputy_user):
    """The form's place is a picker over the region's places (台山市 has hundreds: the page renders only the
    chosen one); the picker answers the same places the form accepts, and no one else."""
    from minsheng.places.models import Place

    with frozen(JULY - dt.timedelta(days=5)):
        activity = make_activity(starts_at=JULY)
        client.force_login(taishan_staff)
        page = client.get(reverse("activities:activity_new")).content.decode()
        assert 'data-pick-for="activity:"' in page
        page = client.get(reverse("activities:activity_edit", args=[activity.pk])).content.decode()
        assert f'data-pick-for="activity:{activity.pk}"' in page
        assert page.count("<option") < 20  # the kinds and stations, the chosen place; not 300 places
        assert Place.objects.filter(code__startswith="440781").count() > 300
        found = client.get("/api/v1/pick/places/", {"q": "海宴", "for": f"activity:{activity.pk}"}).json()
        assert "海宴镇" in [o["text"] for o in found]
        found = client.get("/api/v1/pick/places/", {"q": "蓬江", "for": "activity:"}).json()
        assert found == []  # 蓬江区 lies outside 台山市
        client.force_login(deputy_user)
        assert client.get("/api/v1/pick/places/", {"for": "activity:"}).status_code in (403, 404)


def test_qr_page_shows_the_code_and_the_link(client, make_activity, taishan_staff):
    with frozen(JULY - dt.timedelta(days=5)):
        activity = make_activity(starts_at=JULY)
    client.force_login(taishan_staff)
    html = client.get(reverse("activities:activity_qr", args=[activity.pk])).content.decode()
    assert "<svg" in html and f"/activities/checkin/{activity.checkin_token}/" in html
    png = client.get(reverse("activities:activity_qr_png", args=[activity.pk]))
    assert png["Content-Type"] == "image/png" and png.content.startswith(b"\x89PNG")


@pytest.mark.parametrize(
    ("when", "ok"), [(JULY + dt.timedelta(minutes=10), True), (JULY + dt.timedelta(hours=5), False)]
)
def test_checkin_page_inside_and_outside_the_window(client, make_activity, deputy_user, when, ok):
    with frozen(JULY - dt.timedelta(days=5)):
        activity = make_activity(starts_at=JULY)
    url = reverse("activities:activity_checkin", args=[activity.checkin_token])
    client.force_login(deputy_user)
    with frozen(when):
        assert client.get(url).status_code == 200
        response = client.post(url, HTTP_ACCEPT_LANGUAGE="zh-hans")
    html = response.content.decode()
    if ok:
        assert response.status_code == 200 and "签到成功" in html
        assert Participation.objects.get().status == "present"
    else:
        assert response.status_code == 400 and "签到已于" in html
        assert not Participation.objects.exists()


def test_electoral_unit_check_in_a_campaigns_period(
    client, make_activity, taishan_staff, taishan_congress, taishan_term
):
    from minsheng.deputies.tests.factories import SeatFactory

    gone = SeatFactory(
        term=taishan_term, deputy__name="甲干部", deputy__is_leading_cadre=True, constituency="台城街道"
    ).deputy
    not_yet = SeatFactory(term=taishan_term, deputy__name="乙干部", deputy__is_leading_cadre=True).deputy
    early = SeatFactory(term=taishan_term, deputy__name="丙干部", deputy__is_leading_cadre=True).deputy
    SeatFactory(term=taishan_term, deputy__name="丁代表")  # not a leading cadre: not listed
    campaign = Campaign.objects.create(
        name="绿美江门·人大代表在行动",
        congress=taishan_congress,
        starts_on=dt.date(2026, 7, 1),
        ends_on=dt.date(2026, 7, 31),
        created_by=taishan_staff,
    )
    with frozen(JULY - dt.timedelta(days=60)):
        in_june = make_activity(
            starts_at=JULY - dt.timedelta(days=30), kind=kind("electoral_unit"), title="六月回选举单位"
        )
        in_july = make_activity(starts_at=JULY, kind=kind("electoral_unit"), title="七月回选举单位")
    with frozen(JULY - dt.timedelta(days=30, hours=-1)):
        services.attendance_mark(actor=taishan_staff, activity_id=in_june.pk, deputy=early, status="present")
    with frozen(JULY + dt.timedelta(hours=1)):
        services.attendance_mark(actor=taishan_staff, activity_id=in_july.pk, deputy=gone, status="present")
        services.attendance_mark(
            actor=taishan_staff, activity_id=in_july.pk, deputy=not_yet, status="leave", leave_reason="出差"
        )
        client.force_login(taishan_staff)
        params = {"congress": taishan_congress.pk, "campaign": campaign.pk}
        response = client.get(
            reverse("activities:electoral_unit_check"), params, HTTP_ACCEPT_LANGUAGE="zh-hans"
        )
        html = response.content.decode()
        assert "3 名党员领导干部代表中已有 1 名回选举单位" in html
        assert "丁代表" not in html
        export = client.get(reverse("activities:electoral_unit_export"), params)
    rows = list(load_workbook(BytesIO(export.content)).active.iter_rows(values_only=True))
    went = {row[0]: row[3] for row in rows[1:]}
    assert went == {"甲干部": "是", "乙干部": "否", "丙干部": "否"}
    assert rows[1][0] in ("乙干部", "丙干部")  # those who have not gone back first


def test_checks_page_lists_the_planted_photo(client, make_activity, taishan_staff, city_staff):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from minsheng.common.testing import tiny_image

    with frozen(JULY - dt.timedelta(days=5)):
        first = make_activity(starts_at=JULY, title="第一次活动")
        second = make_activity(starts_at=JULY + dt.timedelta(days=1), title="第二次活动")
        for a in (first, second):
            services.activity_photo_add(
                actor=taishan_staff, activity_id=a.pk, upload=SimpleUploadedFile("a.jpg", tiny_image("JPEG"))
            )
    client.force_login(city_staff)
    with frozen(JULY + dt.timedelta(days=5)):
        html = client.get(reverse("activities:checks")).content.decode()
        export = client.get(reverse("activities:checks_export"))
    assert "第一次活动" in html and "第二次活动" in html
    assert len(load_workbook(BytesIO(export.content)).worksheets) == 4


def test_api_create_checkin_and_participations(client, taishan_staff, taishan_congress, deputy_user):
    with frozen(JULY - dt.timedelta(days=5)):
        client.force_login(taishan_staff)
        payload = {
            "kind": kind("inspection").pk,
            "title": "集中视察",
            "congress": taishan_congress.pk,
            "place": taishan_congress.place.pk,
            "location": "台城",
            "starts_at": "2026-07-10T09:00:00+08:00",
            "ends_at": "2026-07-10T08:00:00+08:00",
        }
        bad = client.post(
            "/api/v1/activities/", payload, content_type="application/json", HTTP_ACCEPT_LANGUAGE="zh-hans"
        )
        assert bad.status_code == 400 and "结束时间须晚于开始时间" in bad.content.decode()
        payload["ends_at"] = "2026-07-10T11:00:00+08:00"
        created = client.post("/api/v1/activities/", payload, content_type="application/json")
        assert created.status_code == 201, created.content
        activity = Activity.objects.get()
    client.force_login(deputy_user)
    with frozen(JULY + dt.timedelta(minutes=5)):
        done = client.post(
            "/api/v1/activities/checkin/", {"token": activity.checkin_token}, content_type="application/json"
        )
        assert done.status_code == 201 and done.json()["status"] == "present"
        again = client.post(
            "/api/v1/activities/checkin/", {"token": activity.checkin_token}, content_type="application/json"
        )
        assert again.status_code == 409
    rows = client.get(f"/api/v1/activities/{activity.pk}/participations/").json()
    assert [r["deputy"]["name"] for r in rows] == [deputy_user.deputy.name]


def test_staff_add_a_kind_of_their_own(client, taishan_staff, taishan_congress):
    from minsheng.activities.models import ActivityKind

    client.force_login(taishan_staff)
    response = client.post(
        reverse("activities:activity_kinds"), {"congress": taishan_congress.pk, "name": "侨乡调研"}
    )
    assert response.status_code == 302
    assert ActivityKind.objects.get(name="侨乡调研").congress == taishan_congress
    again = client.post(
        reverse("activities:activity_kinds"),
        {"congress": taishan_congress.pk, "name": "侨乡调研"},
        HTTP_ACCEPT_LANGUAGE="zh-hans",
    )
    assert "该活动类型已存在" in again.content.decode()


def test_a_deputy_signs_up_from_my_activities(client, make_activity, deputy_user):
    with frozen(JULY - dt.timedelta(days=5)):
        activity = make_activity(starts_at=JULY, signup_open=True)
        closed = make_activity(starts_at=JULY + dt.timedelta(days=1), title="不开放报名")
        client.force_login(deputy_user)
        html = client.get(reverse("activities:my_activities")).content.decode()
        assert activity.title in html and closed.title not in html
        assert client.post(reverse("activities:activity_signup", args=[activity.pk])).status_code == 302
        assert Participation.objects.get().status == "signed_up"
        html = client.get(reverse("activities:my_activities")).content.decode()
        assert html.count(activity.title) == 1  # now under "taking part", no longer open to sign up


def test_staff_keep_the_leading_cadre_flag(client, taishan_staff, kaiping_staff, county_deputy, deputy_user):
    url = reverse("deputies:leading_cadre", args=[county_deputy.pk])
    client.force_login(deputy_user)
    assert client.post(url, {"is_leading_cadre": "1"}).status_code in (403, 404)
    client.force_login(kaiping_staff)
    assert client.post(url, {"is_leading_cadre": "1"}).status_code in (403, 404)
    county_deputy.refresh_from_db()
    assert not county_deputy.is_leading_cadre
    client.force_login(taishan_staff)
    assert client.post(url, {"is_leading_cadre": "1"}).status_code == 302
    county_deputy.refresh_from_db()
    assert county_deputy.is_leading_cadre
    assert (
        "党员领导干部"
        in client.get(
            reverse("deputies:detail", args=[county_deputy.pk]), HTTP_ACCEPT_LANGUAGE="zh-hans"
        ).content.decode()
    )
    api = client.get(f"/api/v1/deputies/{county_deputy.pk}/").json()
    assert api["is_leading_cadre"] is True
