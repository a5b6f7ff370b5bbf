"""Reception days (接待日) and matters (反映事项), issue 11: the permission matrix (role × page/endpoint) as a
table, and a reception day from schedule to archive through the pages."""

import datetime as dt

import pytest
from django.urls import reverse

from minsheng.activities import services
from minsheng.activities.models import Reception, ReceptionDay
from minsheng.common import clock
from minsheng.common.testing import matrix, status_for

from .conftest import ROLES

#                         anon  admin city  taishan kaiping deputy station handler donor
TABLE = {
    "days_list": (302, 200, 200, 200, 403, 200, 200, 403, 403),
    "days_export": (302, 200, 200, 200, 403, 200, 200, 403, 403),
    "day_new": (302, 200, 200, 200, 403, 403, 200, 403, 403),
    "day_edit": (302, 200, 200, 200, 404, 403, 200, 404, 404),
    "matters": (302, 200, 200, 200, 403, 200, 200, 403, 403),
    "matters_export": (302, 200, 200, 200, 403, 200, 200, 403, 403),
    "matter_answer_post": (302, 302, 302, 302, 404, 403, 302, 302, 404),
    "unit_matters": (302, 404, 404, 404, 404, 404, 404, 200, 404),
    "api_days": (403, 200, 200, 200, 403, 200, 200, 403, 403),
    "api_matters": (403, 200, 200, 200, 403, 200, 200, 403, 403),
    "api_matter": (403, 200, 200, 200, 404, 200, 200, 200, 404),
}
COLUMNS = ["anonymous", "admin_user", "city_staff", "taishan_staff", "kaiping_staff", "deputy_user"]
COLUMNS += ["station_staff", "civil_affairs_handler", "donor"]
CASES = [
    (target, role, expected)
    for target, row in TABLE.items()
    for role, expected in matrix(ROLES, **dict(zip(COLUMNS, row, strict=True)))
]


@pytest.fixture
def scene(station, station_staff, town_deputy, civil_affairs, make_reception):
    day = services.reception_day_schedule(
        actor=station_staff,
        station_id=station.pk,
        day=clock.today() + dt.timedelta(days=5),
        starts_at=dt.time(9),
        ends_at=dt.time(11),
        deputies=[town_deputy],
    )
    reception = make_reception(
        matters=[
            {
                "text": "河道垃圾。",
                "category": "environment",
                "disposal": "higher",
                "referred_to": civil_affairs,
            }
        ]
    )
    return day, reception.matters.get()


def _request(target, station, day, matter):
    return {
        "days_list": ("get", reverse("activities:reception_days", args=[station.pk]), None),
        "days_export": ("get", reverse("activities:reception_days_export", args=[station.pk]), None),
        "day_new": ("get", reverse("activities:reception_day_new", args=[station.pk]), None),
        "day_edit": ("get", reverse("activities:reception_day_edit", args=[day.pk]), None),
        "matters": ("get", reverse("activities:matters", args=[station.pk]), None),
        "matters_export": ("get", reverse("activities:matter_export", args=[station.pk]), None),
        "matter_answer_post": (
            "post",
            reverse("activities:matter_answer", args=[matter.pk]),
            {f"m{matter.pk}-answer": "已清理", f"m{matter.pk}-answered_on": clock.today().isoformat()},
        ),
        "unit_matters": ("get", reverse("activities:unit_matters"), None),
        "api_days": ("get", f"/api/v1/reception-days/?station={station.pk}", None),
        "api_matters": ("get", f"/api/v1/reception-matters/?station={station.pk}", None),
        "api_matter": ("get", f"/api/v1/reception-matters/{matter.pk}/", None),
    }[target]


@pytest.mark.parametrize(("target", "role", "expected"), CASES)
def test_permission_matrix(client, user_for, station, scene, target, role, expected):
    day, matter = scene
    method, url, data = _request(target, station, day, matter)
    assert status_for(client, user_for(role), method, url, data) == expected, (target, role)


def test_a_reception_day_from_schedule_to_archive_through_the_pages(
    client, station, station_staff, town_deputy, civil_affairs
):
    client.force_login(station_staff)
    day = clock.today() + dt.timedelta(days=4)
    response = client.post(
        reverse("activities:reception_day_new", args=[station.pk]),
        {"day": day.isoformat(), "starts_at": "09:00", "ends_at": "11:30", "deputies": [town_deputy.pk]},
    )
    assert response.status_code == 302
    reception_day = ReceptionDay.objects.get()
    public = client.get(reverse("stations:public_detail", args=[station.pk])).content.decode()
    assert 'data-testid="public-reception-day"' in public and town_deputy.name in public
    import time_machine

    with time_machine.travel(dt.datetime.combine(day, dt.time(10)).astimezone(), tick=False):
        client.force_login(station_staff)  # a new session on that day
        form = client.get(reverse("activities:reception_new", args=[station.pk])).content.decode()
        assert f'value="{town_deputy.pk}" selected' in form  # today's duty deputy chosen
        data = {
            "received_at": f"{day:%Y-%m-%d}T10:00",
            "deputies": [town_deputy.pk],
            "visitor_count": 2,
            "matters-TOTAL_FORMS": 3,
            "matters-INITIAL_FORMS": 0,
            "matters-MIN_NUM_FORMS": 0,
            "matters-MAX_NUM_FORMS": 20,
            "matters-0-text": "村道路灯坏了。",
            "matters-0-category": "urban_rural",
            "matters-0-disposal": "town",
            "matters-0-referred_to_name": "海宴镇政府",
            "matters-1-text": "咨询医保。",
            "matters-1-category": "health",
            "matters-1-disposal": "answered",
            "matters-1-note": "当场解释",
        }
        response = client.post(reverse("activities:reception_new", args=[station.pk]), data)
        assert response.status_code == 302, response.content.decode()[:2000]
        reception = Reception.objects.get()
        assert reception.reception_day == reception_day and reception.matters.count() == 2
        town = reception.matters.get(position=1)
        p = f"m{town.pk}"
        client.post(
            reverse("activities:matter_answer", args=[town.pk]),
            {f"{p}-answer": "已修好", f"{p}-answered_on": day.isoformat()},
        )
        page = client.get(reverse("activities:reception_detail", args=[reception.pk])).content.decode()
        assert 'data-testid="matter-feedback-form"' in page
        client.post(
            reverse("activities:matter_feedback", args=[town.pk]),
            {f"{p}-feedback_on": day.isoformat(), f"{p}-how": "phone", f"{p}-note": "满意"},
        )
        page = client.get(reverse("activities:reception_detail", args=[reception.pk])).content.decode()
    assert 'data-testid="reception-archived"' in page
    assert Reception.objects.get().archived_at is not None


def test_the_reception_days_page_refuses_a_day_too_soon_in_chinese(
    client, station, station_staff, town_deputy
):
    client.force_login(station_staff)
    response = client.post(
        reverse("activities:reception_day_new", args=[station.pk]),
        {
            "day": (clock.today() + dt.timedelta(days=1)).isoformat(),
            "starts_at": "09:00",
            "ends_at": "10:00",
            "deputies": [town_deputy.pk],
        },
    )
    assert response.status_code == 400
    assert not ReceptionDay.objects.exists()


def test_a_unit_answers_the_matters_sent_to_it_on_its_own_page(
    client, scene, civil_affairs_handler, education_handler
):
    """The handler, who may not read the reception, finds the matter on the unit's page and answers it there;
    a refused answer comes back on that page with what was typed; another unit sees nothing."""
    _day, matter = scene
    url = reverse("activities:unit_matters")
    client.force_login(education_handler)
    assert 'data-testid="unit-matter"' not in client.get(url).content.decode()
    client.force_login(civil_affairs_handler)
    page = client.get(url).content.decode()
    assert "河道垃圾" in page and 'data-testid="matter-answer-form"' in page
    p = f"m{matter.pk}"
    refused = client.post(
        reverse("activities:matter_answer", args=[matter.pk]),
        {f"{p}-answer": "", f"{p}-answered_on": "2020-13-01"},
    )
    assert refused.status_code == 400
    assert (
        'data-testid="form-errors"' in refused.content.decode() and "2020-13-01" in refused.content.decode()
    )
    matter.refresh_from_db()
    assert matter.status == "open"
    done = client.post(
        reverse("activities:matter_answer", args=[matter.pk]),
        {f"{p}-answer": "已清理", f"{p}-answered_on": clock.today().isoformat()},
    )
    assert done.status_code == 302 and done["Location"] == url
    matter.refresh_from_db()
    assert matter.status == "answered" and matter.answer == "已清理"
    assert "已清理" in client.get(url + "?status=answered").content.decode()
    assert 'data-testid="unit-matter"' not in client.get(url).content.decode()  # none open any more
