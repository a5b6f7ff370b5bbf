"""A progress report's photos: real photos only, stored under a random name without their EXIF, never served
under /media/, and 404 to anyone who may not see the project."""

import io
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from minsheng.common.errors import DomainError
from minsheng.common.testing import media_status, tiny_image
from minsheng.projects import services
from minsheng.projects.models import ProgressPhoto

pytestmark = pytest.mark.django_db


def gps_jpeg() -> bytes:
    exif = Image.Exif()
    exif[0x8825] = {1: "N", 2: (22.0, 35.0, 1.0), 3: "E", 4: (113.0, 5.0, 0.0)}
    return tiny_image("JPEG", size=(16, 12), exif=exif.tobytes())


@pytest.fixture
def report_photo(planned, lead_handler):
    report = services.progress_report_add(
        actor=lead_handler,
        project_id=planned.pk,
        percent=20,
        narrative="开工",
        photos=[SimpleUploadedFile("工地.jpg", gps_jpeg(), content_type="image/jpeg")],
    )
    return report.photos.get()


def test_a_report_photo_is_stored_under_a_random_name_without_its_exif(report_photo):
    assert re.fullmatch(r"projects/[0-9a-f]{2}/[0-9a-f]{32}\.jpg", report_photo.file.name)
    assert report_photo.original_name == "工地.jpg"
    assert dict(Image.open(io.BytesIO(report_photo.file.read())).getexif()) == {}


@pytest.mark.parametrize("role", [None, "kaiping_staff", "civil_affairs_handler", "other_deputy_user"])
def test_who_may_not_see_the_project_gets_404_for_its_photo(client, request, report_photo, role):
    if role:
        client.force_login(request.getfixturevalue(role))
    assert client.get(f"/projects/photos/{report_photo.pk}/").status_code == 404
    assert client.get(f"/projects/public/photos/{report_photo.pk}/").status_code == 404  # not a public report


def test_the_lead_unit_gets_the_photo_with_safe_headers(client, report_photo, lead_handler):
    client.force_login(lead_handler)
    response = client.get(f"/projects/photos/{report_photo.pk}/")
    assert response.status_code == 200 and response["Content-Type"] == "image/jpeg"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "filename*=utf-8''%E5%B7%A5%E5%9C%B0.jpg" in response["Content-Disposition"]


def test_the_stored_path_is_not_served_under_media(client, report_photo):
    assert media_status(client, report_photo.file.name, report_photo.file.read()) == 404


@pytest.mark.parametrize(
    "data",
    [
        b"\x89PNG\r\n\x1a\n<html><script>alert(1)</script>",
        b'<svg xmlns="http://www.w3.org/2000/svg"/>',
        tiny_image("JPEG") + b"<script>alert(1)</script>",
        tiny_image("PNG", size=(64, 64))[:60],
    ],
    ids=["png-magic html", "svg", "jpeg+html", "truncated png"],
)
def test_a_disguised_photo_is_refused(planned, lead_handler, data):
    with pytest.raises(DomainError):
        services.progress_report_add(
            actor=lead_handler,
            project_id=planned.pk,
            percent=20,
            narrative="开工",
            photos=[SimpleUploadedFile("photo.png", data)],
        )
    assert not ProgressPhoto.objects.exists()
