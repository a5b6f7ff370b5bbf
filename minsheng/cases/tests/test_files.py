"""A case's files go in only as what they are and come out only through the guarded door: stored under a random
name, never served under /media/, sent to who may open them and answered 404 to anyone else."""

# ruff: noqa: F401, F811 - fixtures imported by name from pages_fixtures

import io
import re

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from minsheng.cases import services
from minsheng.cases.models import Document
from minsheng.common.errors import DomainError
from minsheng.common.testing import media_status, tiny_image, tiny_pdf

from .pages_fixtures import cosigned_wish, cosigner_user, photo, world

RANDOM_NAME = r"cases/[0-9a-f]{2}/[0-9a-f]{32}\.%s"


def page_url(document) -> str:
    return reverse("cases:document", args=[document.case_id, document.pk])


def api_url(document) -> str:
    return f"/api/v1/case-documents/{document.pk}/download/"


def gps_jpeg() -> bytes:
    exif = Image.Exif()
    exif[0x8825] = {1: "N", 2: (22.0, 35.0, 1.0), 3: "E", 4: (113.0, 5.0, 0.0)}
    return tiny_image("JPEG", size=(16, 12), exif=exif.tobytes())


@pytest.mark.parametrize("url_of", [page_url, api_url], ids=["page", "api"])
@pytest.mark.parametrize(
    "role", ["anonymous", "kaiping_staff", "education_handler", "cosigner_user", "donor", "pending_donor"]
)
def test_who_may_not_have_a_case_file_gets_404(client, request, world, role, url_of):
    if role != "anonymous":
        client.force_login(request.getfixturevalue(role))
    assert client.get(url_of(world["document"])).status_code == 404


@pytest.mark.parametrize("url_of", [page_url, api_url], ids=["page", "api"])
def test_who_may_open_it_gets_the_file_with_safe_headers(client, world, deputy_user, url_of):
    client.force_login(deputy_user)
    response = client.get(url_of(world["document"]))
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png" and response["X-Content-Type-Options"] == "nosniff"
    assert "default-src 'none'" in response["Content-Security-Policy"]
    assert b"".join(response.streaming_content).startswith(b"\x89PNG")


def test_a_case_file_is_stored_under_a_random_name_with_its_sniffed_extension(world):
    document = world["document"]
    assert re.fullmatch(RANDOM_NAME % "png", document.file.name)
    assert document.original_name == "photo.png"


def test_the_stored_path_is_not_served_under_media(client, world):
    document = world["document"]
    assert media_status(client, document.file.name, document.file.read()) == 404


def test_a_photo_keeps_the_users_name_for_download_and_loses_its_gps(
    client, world, haiyan_staff, deputy_user
):
    document = services.document_add(
        actor=haiyan_staff,
        case_id=world["case"].pk,
        kind="photo",
        upload=SimpleUploadedFile("老人家门口.png", gps_jpeg(), content_type="image/png"),
    )
    assert re.fullmatch(RANDOM_NAME % "jpg", document.file.name)  # the content decides, not the name
    assert document.content_type == "image/jpeg" and document.original_name == "老人家门口.png"
    client.force_login(deputy_user)
    response = client.get(page_url(document))
    body = b"".join(response.streaming_content)
    assert dict(Image.open(io.BytesIO(body)).getexif()) == {}
    assert response["Content-Disposition"] == (
        "inline; filename*=utf-8''%E8%80%81%E4%BA%BA%E5%AE%B6%E9%97%A8%E5%8F%A3.png"
    )


def test_a_pdf_is_downloaded_as_an_attachment(client, world, haiyan_staff, deputy_user):
    document = services.document_add(
        actor=haiyan_staff,
        case_id=world["case"].pk,
        kind="other",
        upload=SimpleUploadedFile("书面说明.pdf", tiny_pdf(), content_type="application/pdf"),
    )
    assert re.fullmatch(RANDOM_NAME % "pdf", document.file.name)
    client.force_login(deputy_user)
    response = client.get(page_url(document))
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")


DISGUISED = {
    "HTML behind PNG magic": ("photo.png", b"\x89PNG\r\n\x1a\n<html><script>alert(1)</script></html>"),
    "an SVG": ("photo.svg", b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'),
    "a Windows program renamed .jpg": (
        "photo.jpg",
        b"MZ" + b"\0" * 58 + (0x40).to_bytes(4, "little") + b"PE\0\0" + b"\0" * 64,
    ),
    "a JPEG that is also a web page": ("photo.jpg", tiny_image("JPEG") + b"<html><script>alert(1)</script>"),
    "a truncated PNG": ("photo.png", tiny_image("PNG", size=(64, 64))[:60]),
    "a PDF that does not parse": ("scan.pdf", b"%PDF-1.7\n1 0 obj garbage\n%%EOF\n"),
}


@pytest.mark.parametrize(("name", "data"), list(DISGUISED.values()), ids=list(DISGUISED))
def test_a_disguised_file_is_refused_and_nothing_is_stored(world, haiyan_staff, name, data):
    before = Document.objects.count()
    with pytest.raises(DomainError) as caught:
        services.document_add(
            actor=haiyan_staff, case_id=world["case"].pk, kind="photo", upload=SimpleUploadedFile(name, data)
        )
    assert caught.value.field == "file" and name in str(caught.value.message)
    assert Document.objects.count() == before


def test_with_nginx_the_view_answers_with_an_internal_redirect_and_no_body(
    client, settings, world, deputy_user
):
    settings.MINSHENG = {**settings.MINSHENG, "SENDFILE": "nginx"}
    document = world["document"]
    client.force_login(deputy_user)
    for url in (page_url(document), api_url(document)):
        response = client.get(url)
        assert response.status_code == 200
        assert response["X-Accel-Redirect"] == f"/protected/{document.file.name}"
        assert response.content == b""
        assert response["X-Content-Type-Options"] == "nosniff"
    client.logout()
    assert "X-Accel-Redirect" not in client.get(page_url(document))


def test_an_old_file_keeps_its_path_and_is_sent_opaque_whatever_its_row_says(
    client, world, haiyan_staff, deputy_user
):
    """Rows stored before random names keep their path; a row whose type says HTML goes out as bytes."""
    path = default_storage.save("cases/2025/01/家.png", ContentFile(b"<html><script>alert(1)</script>"))
    legacy = Document.objects.create(
        case=world["case"],
        kind="photo",
        file=path,
        original_name="家.png",
        content_type="text/html",
        size=32,
        uploaded_by=haiyan_staff,
    )
    client.force_login(deputy_user)
    response = client.get(page_url(legacy))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/octet-stream"
    assert response["Content-Disposition"].startswith("attachment;")
    assert b"".join(response.streaming_content) == b"<html><script>alert(1)</script>"
