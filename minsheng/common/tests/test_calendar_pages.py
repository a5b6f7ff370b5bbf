"""The calendar pages and API: who sees and enters a year, the grid, a pasted notice read and checked before
saving, an Excel sheet, refusals shown with what was entered kept, the homes' notice from 1 November."""

import datetime as dt
from io import BytesIO

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from minsheng.common import workdays
from minsheng.common.models import WorkCalendarYear
from minsheng.common.testing import matrix
from minsheng.common.tests.test_workdays import NOTICE_2027

pytestmark = pytest.mark.django_db

ROLES = [
    "anonymous",
    "donor",
    "deputy_user",
    "station_staff",
    "civil_affairs_handler",
    "taishan_staff",
    "city_staff",
    "admin_user",
]


@pytest.mark.parametrize(
    "role, expected",
    matrix(
        ROLES,
        anonymous=(302, 302),
        donor=(403, 403),
        deputy_user=(200, 403),
        station_staff=(200, 403),
        civil_affairs_handler=(200, 403),
        taishan_staff=(200, 403),
        city_staff=(200, 302),
        admin_user=(200, 302),
    ),
)
def test_who_sees_the_calendar_and_who_enters_a_year(client, user_for, role, expected):
    view, edit = expected
    user = user_for(role)
    if user is not None:
        client.force_login(user)
    assert client.get(reverse("calendar:year", args=[2027])).status_code == view
    entries = workdays.parse_notice(NOTICE_2027, 2027)
    response = client.post(
        reverse("calendar:year", args=[2027]),
        {
            "days": workdays.day_lines(
                workdays.Schedule(
                    2027,
                    {e.day: e.festival for e in entries if e.kind == "off"},
                    frozenset(e.day for e in entries if e.kind == "work"),
                    True,
                )
            )
        },
    )
    assert response.status_code == edit
    assert WorkCalendarYear.objects.filter(year=2027).exists() == (edit == 302 and user is not None)


def test_a_pasted_notice_is_shown_on_the_grid_to_check_then_saved(client, admin_user):
    client.force_login(admin_user)
    url = reverse("calendar:year", args=[2027])
    page = client.post(url, {"notice": NOTICE_2027, "notice_number": "国办发明电〔2026〕9号"})
    assert page.status_code == 200 and page.context["checking"]
    assert not WorkCalendarYear.objects.filter(year=2027).exists()  # read, not yet saved
    days = page.context["form"].data["days"]
    assert "2027-02-20 上班" in days and "2027-02-06 放假 春节" in days
    saved = client.post(
        url, {"days": days, "notice_number": "国办发明电〔2026〕9号", "notice_date": "2026-11-04"}
    )
    assert saved.status_code == 302
    row = WorkCalendarYear.objects.get(year=2027)
    assert (
        row.notice_number == "国办发明电〔2026〕9号"
        and row.source == "office"
        and row.entered_by == admin_user
    )
    assert workdays.is_working_day(dt.date(2027, 2, 20))
    grid = client.get(url)
    assert b'data-day="2027-02-20"' in grid.content and "cal-work" in grid.content.decode()


def test_a_refused_schedule_keeps_what_was_entered_and_says_why(client, admin_user):
    client.force_login(admin_user)
    days = "2027-01-01 放假 元旦\n2027-02-17 上班"
    page = client.post(reverse("calendar:year", args=[2027]), {"days": days, "notice_number": "X号"})
    assert page.status_code == 200
    text = page.content.decode()
    assert "2027-02-17" in text and "春节" in text
    assert page.context["form"].data["days"] == days and page.context["form"].data["notice_number"] == "X号"
    assert not WorkCalendarYear.objects.filter(year=2027).exists()


def test_an_excel_sheet_from_the_template_is_read(client, admin_user):
    client.force_login(admin_user)
    template = client.get(reverse("calendar:template", args=[2027]))
    assert template.status_code == 200
    sheet = load_workbook(BytesIO(template.content)).active
    assert [c.value for c in sheet[1]] == ["日期", "类型", "节日"]
    sheet.append(["2027-02-20", "上班", ""])
    out = BytesIO()
    sheet.parent.save(out)
    upload = SimpleUploadedFile("2027.xlsx", out.getvalue())
    page = client.post(reverse("calendar:year", args=[2027]), {"file": upload})
    assert page.status_code == 200 and page.context["checking"], page.context["form"].errors
    assert "2027-02-20 上班" in page.context["form"].data["days"]


def test_a_bad_excel_sheet_is_refused_by_row(client, admin_user):
    client.force_login(admin_user)
    wb = Workbook()
    wb.active.append(["日期", "类型", "节日"])
    wb.active.append(["2027-13-01", "放假", "春节"])
    wb.active.append(["2027-02-08", "休息一下", ""])
    out = BytesIO()
    wb.save(out)
    page = client.post(
        reverse("calendar:year", args=[2027]), {"file": SimpleUploadedFile("x.xlsx", out.getvalue())}
    )
    errors = " ".join(page.context["form"].errors.get("days", []) + page.context["form"].non_field_errors())
    assert "2" in errors and "3" in errors
    page = client.post(
        reverse("calendar:year", args=[2027]), {"file": SimpleUploadedFile("x.xlsx", b"not a workbook")}
    )
    assert page.context["form"].errors["file"]


def test_the_api_returns_a_provisional_year_and_enters_the_official_one(client, admin_user, deputy_user):
    client.force_login(deputy_user)
    with time_machine.travel(dt.datetime(2026, 12, 1, 9).astimezone(), tick=False):
        years = client.get("/api/v1/calendar/").json()
    assert [(y["year"], y["official"]) for y in years] == [
        (2023, True),
        (2024, True),
        (2025, True),
        (2026, True),
        (2027, False),
        (2028, False),
    ]
    body = client.get("/api/v1/calendar/2027/").json()
    assert (
        body["official"] is False
        and {"day": "2027-01-01", "kind": "off", "festival": "new_year"} in body["days"]
    )
    entries = workdays.parse_notice(NOTICE_2027, 2027)
    payload = {
        "notice_number": "国办发明电〔2026〕9号",
        "days": [{"day": str(e.day), "kind": e.kind, "festival": e.festival} for e in entries],
    }
    assert client.put("/api/v1/calendar/2027/", payload, content_type="application/json").status_code == 403
    client.force_login(admin_user)
    refused = client.put(
        "/api/v1/calendar/2027/", {"days": payload["days"][:3]}, content_type="application/json"
    )
    assert refused.status_code == 400 and "中秋" in refused.json()["detail"]
    saved = client.put("/api/v1/calendar/2027/", payload, content_type="application/json")
    assert saved.status_code == 200 and saved.json()["official"] is True


@pytest.mark.parametrize("day, shown", [(dt.date(2026, 10, 31), False), (dt.date(2026, 11, 1), True)])
def test_the_staff_and_admin_homes_ask_for_next_years_schedule_from_1_november(
    client, city_staff, admin_user, day, shown
):
    with time_machine.travel(dt.datetime.combine(day, dt.time(9)).astimezone(), tick=False):
        for user in (city_staff, admin_user):
            client.force_login(user)
            page = client.get("/")
            assert (b'data-testid="calendar-missing"' in page.content) == shown
            if shown:
                assert reverse("calendar:year", args=[2027]).encode() in page.content
