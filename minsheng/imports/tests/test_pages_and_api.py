"""The imports pages and API: who may use them, and what they show."""

import re

import pytest
from django.urls import reverse
from django.utils import translation

from minsheng.common.export import XLSX
from minsheng.common.testing import CAST_ROLES, status_for
from minsheng.imports.models import ImportJob

from .conftest import deputy_row, read_xlsx, upload
from .factories import ImportJobFactory

pytestmark = pytest.mark.django_db

ROLES = CAST_ROLES

# Pages every staff member may open, and pages about taishan_staff's import (404 outside Taishan's scope).
OPEN_TO_STAFF = {
    "anonymous": 302,
    "admin_user": 200,
    "city_staff": 200,
    "taishan_staff": 200,
    "kaiping_staff": 200,
}
ABOUT_TAISHANS_JOB = {**OPEN_TO_STAFF, "kaiping_staff": 404}
NOT_STAFF = 403
# A stored file answers 404 to anyone who may not have it, anonymous too (minsheng.common.uploads.guarded).
TAISHANS_FILE = {"admin_user": 200, "city_staff": 200, "taishan_staff": 200}


def user_for(request, role):
    return None if role == "anonymous" else request.getfixturevalue(role)


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(
    ("name", "about_job", "expected"),
    [
        ("imports:list", False, OPEN_TO_STAFF),
        ("imports:create", False, OPEN_TO_STAFF),
        ("imports:template", False, OPEN_TO_STAFF),
        ("imports:detail", True, ABOUT_TAISHANS_JOB),
        ("imports:progress", True, ABOUT_TAISHANS_JOB),
        ("imports:error_report", True, TAISHANS_FILE),
    ],
)
def test_page_permission_matrix(request, client, refused_job, role, name, about_job, expected):
    if about_job:
        url = reverse(name, args=[refused_job.pk])
    elif name == "imports:template":
        url = reverse(name, args=["deputies"])
    else:
        url = reverse(name)

    default = 404 if expected is TAISHANS_FILE else NOT_STAFF
    assert status_for(client, user_for(request, role), "get", url) == expected.get(role, default)


API_CREATE = {**dict.fromkeys(("admin_user", "city_staff", "taishan_staff"), 202), "anonymous": 403}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(
    ("method", "path", "expected"),
    [
        ("get", "/api/v1/imports/", {**OPEN_TO_STAFF, "anonymous": 403}),
        ("get", "/api/v1/imports/{id}/", {**ABOUT_TAISHANS_JOB, "anonymous": 403}),
        ("get", "/api/v1/imports/{id}/error-report/", TAISHANS_FILE),
        ("post", "/api/v1/imports/", API_CREATE),
    ],
)
def test_api_permission_matrix(request, client, refused_job, taishan_congress, role, method, path, expected):
    data = None
    if method == "post":
        data = {
            "kind": "deputies",
            "congress": taishan_congress.pk,
            "file": upload("deputies", [deputy_row(9)]),
        }

    status = status_for(client, user_for(request, role), method, path.format(id=refused_job.pk), data=data)

    assert status == expected.get(role, 404 if expected is TAISHANS_FILE else NOT_STAFF)


# --- pages ------------------------------------------------------------------------------------------------


def test_uploading_a_roster_through_the_page_runs_it_and_shows_the_counts(
    client, taishan_staff, taishan_term, django_capture_on_commit_callbacks
):
    client.force_login(taishan_staff)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("imports:create"),
            {
                "kind": "deputies",
                "congress": taishan_staff.congress_id,
                "file": upload("deputies", [deputy_row(1)]),
            },
        )
    job = ImportJob.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("imports:detail", args=[job.pk])

    page = client.get(response["Location"]).content.decode()

    assert 'data-status="succeeded"' in page
    assert re.search(r'data-testid="created">\s*1<', page)
    assert "hx-get" not in page  # a finished job is not polled


def test_a_bad_file_is_refused_on_the_upload_page_with_a_form_error(client, taishan_staff):
    client.force_login(taishan_staff)
    with translation.override("en"):
        response = client.post(
            reverse("imports:create"),
            {
                "kind": "deputies",
                "congress": taishan_staff.congress_id,
                "file": upload("deputies", [deputy_row(1)], name="roster.csv"),
            },
            HTTP_ACCEPT_LANGUAGE="en",
        )

    assert response.status_code == 200
    assert response.context["form"].errors["file"]
    assert 'data-testid="error-file"' in response.content.decode()
    assert not ImportJob.objects.exists()


def test_the_upload_page_offers_only_congresses_within_the_staffs_scope(client, taishan_staff):
    client.force_login(taishan_staff)

    choices = response_choices = (
        client.get(reverse("imports:create")).context["form"].fields["congress"].queryset
    )
    names = {c.name for c in response_choices}

    assert "台山市人民代表大会" in names and "海宴镇人民代表大会" in names
    assert "开平市人民代表大会" not in names and "江门市人民代表大会" not in names
    assert choices.count() == len(names)


def test_a_running_import_page_polls_its_progress_without_inline_scripts(client, taishan_staff, queued_job):
    client.force_login(taishan_staff)

    page = client.get(reverse("imports:detail", args=[queued_job.pk])).content.decode()

    assert f'hx-get="{reverse("imports:progress", args=[queued_job.pk])}"' in page
    assert 'hx-trigger="every 1s"' in page
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", page)


def test_the_progress_partial_of_a_running_job_keeps_polling(client, taishan_staff, queued_job):
    client.force_login(taishan_staff)

    response = client.get(reverse("imports:progress", args=[queued_job.pk]), HTTP_HX_REQUEST="true")

    assert 'hx-trigger="every 1s"' in response.content.decode()
    assert "<html" not in response.content.decode()


def test_the_progress_partial_of_a_finished_job_refreshes_the_page(client, taishan_staff, refused_job):
    client.force_login(taishan_staff)

    response = client.get(reverse("imports:progress", args=[refused_job.pk]), HTTP_HX_REQUEST="true")

    assert response["HX-Refresh"] == "true"


def test_a_refused_import_page_lists_the_errors_masked_and_links_the_report(
    client, taishan_staff, refused_job
):
    client.force_login(taishan_staff)
    bad_number = refused_job.errors[0]["value"]

    page = client.get(reverse("imports:detail", args=[refused_job.pk])).content.decode()

    assert 'data-testid="import-errors"' in page and bad_number in page and "*" in bad_number
    assert reverse("imports:error_report", args=[refused_job.pk]) in page


def test_the_error_report_download_is_the_masked_xlsx(client, taishan_staff, refused_job):
    client.force_login(taishan_staff)

    response = client.get(reverse("imports:error_report", args=[refused_job.pk]))

    assert response["Content-Type"] == XLSX
    rows = read_xlsx(b"".join(response.streaming_content))
    assert rows[1][0] == 3 and rows[1][2] == refused_job.errors[0]["value"]


def test_a_succeeded_import_has_no_error_report(client, taishan_staff, run_import, taishan_term):
    job = run_import(taishan_staff, "deputies", taishan_staff.congress, [deputy_row(1)])
    client.force_login(taishan_staff)

    assert client.get(reverse("imports:error_report", args=[job.pk])).status_code == 404


def test_an_unknown_template_kind_is_not_found(client, taishan_staff):
    client.force_login(taishan_staff)

    assert client.get(reverse("imports:template", args=["voters"])).status_code == 404


def test_the_template_download_is_an_xlsx_attachment(client, taishan_staff):
    client.force_login(taishan_staff)

    response = client.get(reverse("imports:template", args=["stations"]))

    assert response["Content-Type"] == XLSX
    assert response["Content-Disposition"].startswith("attachment; filename*=UTF-8''")
    assert read_xlsx(response.content)[0][0] == "名称"


def test_the_list_shows_the_staffs_imports_filtered_by_status(
    client, city_staff, refused_job, run_import, taishan_term
):
    job = run_import(city_staff, "deputies", city_staff.congress, [deputy_row(5)])
    client.force_login(city_staff)

    everything = client.get(reverse("imports:list")).context["object_list"]
    refused = client.get(reverse("imports:list"), {"status": "refused"}).context["object_list"]

    assert set(everything) == {job, refused_job}
    assert list(refused) == [refused_job]


def test_the_list_page_query_count_does_not_grow_with_the_imports(
    client, taishan_staff, taishan_term, queued_job, django_assert_max_num_queries
):
    for n in range(10):
        ImportJobFactory(actor=taishan_staff, rows=[deputy_row(n)])
    client.force_login(taishan_staff)

    with django_assert_max_num_queries(8):
        response = client.get(reverse("imports:list"))
    assert len(response.context["object_list"]) == 11


# --- API --------------------------------------------------------------------------------------------------


def test_posting_a_roster_to_the_api_answers_202_and_runs_it(
    client, taishan_staff, taishan_term, django_capture_on_commit_callbacks
):
    client.force_login(taishan_staff)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/api/v1/imports/",
            {
                "kind": "deputies",
                "congress": taishan_staff.congress_id,
                "file": upload("deputies", [deputy_row(1)]),
            },
        )

    assert response.status_code == 202
    assert response.json()["status"] == "queued"
    detail = client.get(f"/api/v1/imports/{response.json()['id']}/").json()
    assert (detail["status"], detail["progress_percent"], detail["created_count"]) == ("succeeded", 100, 1)


def test_a_bad_file_posted_to_the_api_answers_400_on_the_file_field(client, taishan_staff):
    client.force_login(taishan_staff)

    response = client.post(
        "/api/v1/imports/",
        {
            "kind": "deputies",
            "congress": taishan_staff.congress_id,
            "file": upload("deputies", [], name="empty.xlsx"),
        },
    )

    assert response.status_code == 400
    assert (response.json()["field"], response.json()["code"]) == ("file", "no_rows")


def test_the_api_detail_of_a_refused_import_has_its_first_errors_masked(client, taishan_staff, refused_job):
    client.force_login(taishan_staff)

    body = client.get(f"/api/v1/imports/{refused_job.pk}/").json()

    assert body["status"] == "refused" and body["error_count"] == 1
    assert body["errors"][0]["row"] == 3 and "*" in body["errors"][0]["value"]
    assert body["error_report_url"].endswith(f"/api/v1/imports/{refused_job.pk}/error-report/")


def test_the_api_list_is_scoped_to_the_caller(client, kaiping_staff, city_staff, refused_job):
    client.force_login(kaiping_staff)
    assert client.get("/api/v1/imports/").json()["count"] == 0

    client.force_login(city_staff)
    assert [j["id"] for j in client.get("/api/v1/imports/").json()["results"]] == [refused_job.pk]


def test_the_api_error_report_is_the_xlsx(client, taishan_staff, refused_job):
    client.force_login(taishan_staff)

    response = client.get(f"/api/v1/imports/{refused_job.pk}/error-report/", HTTP_ACCEPT=XLSX)

    assert response.status_code == 200 and response["Content-Type"] == XLSX
    assert read_xlsx(b"".join(response.streaming_content))[1][0] == 3
