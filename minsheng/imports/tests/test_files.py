"""A roster's file and its error report: stored under random names, never served under /media/, the report sent
only to who may see the import (404 to anyone else); a file that is not a real workbook is refused."""

import io
import re
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from minsheng.common.errors import DomainError
from minsheng.common.testing import media_status
from minsheng.imports import rosters
from minsheng.imports.models import ImportJob
from minsheng.imports.services import import_create

from .conftest import deputy_row

pytestmark = pytest.mark.django_db

REPORT = "/imports/{pk}/errors.xlsx"
API_REPORT = "/api/v1/imports/{pk}/error-report/"


def test_the_roster_and_its_report_are_stored_under_random_names(refused_job):
    assert re.fullmatch(r"imports/[0-9a-f]{2}/[0-9a-f]{32}\.xlsx", refused_job.file.name)
    assert re.fullmatch(r"imports/reports/[0-9a-f]{2}/[0-9a-f]{32}\.xlsx", refused_job.error_report.name)
    assert refused_job.original_name == "roster.xlsx"


@pytest.mark.parametrize("url", [REPORT, API_REPORT], ids=["page", "api"])
@pytest.mark.parametrize("role", [None, "kaiping_staff", "deputy_user", "civil_affairs_handler", "donor"])
def test_who_may_not_see_the_import_gets_404_for_its_report(client, request, refused_job, role, url):
    if role:
        client.force_login(request.getfixturevalue(role))
    assert client.get(url.format(pk=refused_job.pk)).status_code == 404


@pytest.mark.parametrize("url", [REPORT, API_REPORT], ids=["page", "api"])
def test_the_report_is_an_attachment_named_after_the_roster(client, refused_job, taishan_staff, url):
    client.force_login(taishan_staff)
    response = client.get(url.format(pk=refused_job.pk))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "roster" in response["Content-Disposition"]


def test_neither_stored_file_is_served_under_media(client, refused_job):
    assert media_status(client, refused_job.file.name, refused_job.file.read()) == 404
    assert media_status(client, refused_job.error_report.name, refused_job.error_report.read()) == 404


def test_with_nginx_the_report_is_an_internal_redirect(client, settings, refused_job, taishan_staff):
    settings.MINSHENG = {**settings.MINSHENG, "SENDFILE": "nginx"}
    client.force_login(taishan_staff)
    response = client.get(REPORT.format(pk=refused_job.pk))
    assert response["X-Accel-Redirect"] == f"/protected/{refused_job.error_report.name}"
    assert response.content == b""


def test_a_roster_with_macros_is_refused(taishan_staff, taishan_term):
    data = io.BytesIO(rosters.write_roster("deputies", [deputy_row(1)]))
    with zipfile.ZipFile(data, "a") as archive:
        archive.writestr("xl/vbaProject.bin", b"\0" * 16)
    with pytest.raises(DomainError) as caught:
        import_create(
            actor=taishan_staff,
            kind="deputies",
            congress=taishan_staff.congress,
            upload=SimpleUploadedFile("名册.xlsx", data.getvalue()),
            enqueue=False,
        )
    assert caught.value.code == "macros" and "名册.xlsx" in str(caught.value.message)
    assert not ImportJob.objects.exists()
