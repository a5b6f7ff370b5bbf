"""The one door in and out of uploaded files (minsheng.common.uploads): what is accepted, what is refused, what
is stored, and how a stored file leaves."""

import io
import re
import zipfile
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.files.base import ContentFile
from django.core.files.storage import InMemoryStorage
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from minsheng.common import uploads
from minsheng.common.errors import DomainError
from minsheng.common.testing import media_status, tiny_image, tiny_pdf
from minsheng.settings.base import check_media_root

MB = 1024 * 1024
GPS = {1: "N", 2: (22.0, 35.0, 1.0), 3: "E", 4: (113.0, 5.0, 0.0)}  # 江门, to the metre


def exif_with_gps(orientation: int = 1) -> bytes:
    exif = Image.Exif()
    exif[0x0112] = orientation
    exif[0x010F] = "FamilyPhone"
    exif[0x8825] = GPS
    return exif.tobytes()


def check(name: str, data: bytes, accept=uploads.DOCUMENTS, max_bytes=10 * MB) -> uploads.CheckedFile:
    return uploads.check_upload(SimpleUploadedFile(name, data), accept=accept, max_bytes=max_bytes)


def refusal(name: str, data: bytes, accept=uploads.DOCUMENTS) -> DomainError:
    with pytest.raises(DomainError) as caught:
        check(name, data, accept=accept)
    return caught.value


def a_zip(member: str = "payload.html", text: str = "<script>alert(1)</script>") -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr(member, text)
    return out.getvalue()


def a_windows_program() -> bytes:
    header = bytearray(b"MZ" + b"\0" * 0x3E)
    header[0x3C:0x40] = (0x40).to_bytes(4, "little")
    return bytes(header) + b"PE\0\0" + b"\0" * 200


JPEG = tiny_image("JPEG", size=(40, 30))
DISGUISED = {
    "HTML behind PNG magic": ("photo.png", b"\x89PNG\r\n\x1a\n<html><script>alert(document.cookie)</script>"),
    "an SVG": ("photo.svg", b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'),
    "an SVG with an XML prolog": (
        "map.jpg",
        b'<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg"/>',
    ),
    "an HTML page": ("letter.pdf", b"<!DOCTYPE html><html><body>hi</body></html>"),
    "a Windows program renamed .jpg": ("photo.jpg", a_windows_program()),
    "a Linux program": ("photo.jpg", b"\x7fELF\x02\x01\x01" + b"\0" * 64),
    "a JPEG that is also a web page": ("photo.jpg", JPEG + b"<html><script>alert(1)</script></html>"),
    "a JPEG with a web page in its first KB": ("photo.jpg", JPEG[:20] + b"<script>x</script>" + JPEG[20:]),
    "a JPEG with a zip appended": ("photo.jpg", JPEG + a_zip()),
    "a PDF with a zip appended": ("scan.pdf", tiny_pdf() + a_zip()),
    "a JPEG with a program inside": ("photo.jpg", JPEG + a_windows_program()),
    "a truncated PNG": ("photo.png", tiny_image("PNG", size=(64, 64))[:50]),
    "PNG magic and nothing of a PNG": ("photo.png", b"\x89PNG\r\n\x1a\n" + b"\0" * 64),
    "a truncated JPEG": ("photo.jpg", JPEG[: len(JPEG) // 2]),
    "a PDF that does not parse": ("scan.pdf", b"%PDF-1.4\nnothing of a PDF here\n%%EOF\n"),
    "a PDF cut short": ("scan.pdf", tiny_pdf()[:200]),
    "a GIF": ("photo.png", b"GIF89a" + b"\0" * 32),
    "a zip that claims to be a photo": ("photo.jpg", a_zip()),
}


@pytest.mark.parametrize(("name", "data"), list(DISGUISED.values()), ids=list(DISGUISED))
def test_a_disguised_file_is_refused_with_a_message_naming_it(name, data):
    error = refusal(name, data)
    assert error.field == "file"
    assert f"“{name}”" in str(error.message)


@pytest.mark.parametrize(
    ("data", "code"),
    [
        (DISGUISED["HTML behind PNG magic"][1], "polyglot"),
        (DISGUISED["an SVG"][1], "markup"),
        (DISGUISED["a Windows program renamed .jpg"][1], "program"),
        (DISGUISED["a JPEG that is also a web page"][1], "polyglot"),
        (DISGUISED["a JPEG with a zip appended"][1], "polyglot"),
        (DISGUISED["a truncated PNG"][1], "damaged"),
        (DISGUISED["a PDF that does not parse"][1], "damaged"),
    ],
)
def test_each_kind_of_disguise_has_its_own_reason(data, code):
    assert refusal("x.jpg", data).code == code


def test_the_refusal_is_in_chinese_by_default():
    message = str(refusal("photo.png", DISGUISED["an SVG"][1]).message)
    assert "“photo.png”" in message and re.search(r"[\u4e00-\u9fff]", message)


def test_a_pdf_where_a_photo_is_asked_for_is_refused():
    assert refusal("scan.pdf", tiny_pdf(), accept=uploads.PHOTOS).code == "type"


def test_a_file_over_the_limit_or_empty_is_refused():
    with pytest.raises(DomainError) as caught:
        check("big.jpg", JPEG, max_bytes=100)
    assert caught.value.code == "too_big"
    assert refusal("empty.jpg", b"").code == "empty"


@pytest.mark.parametrize("fmt", ["JPEG", "PNG", "WEBP"])
def test_a_real_photo_is_accepted_and_stored_as_its_sniffed_type(fmt):
    checked = check("微信图片_2026.dat", tiny_image(fmt, size=(20, 10)))
    assert checked.content_type == f"image/{fmt.lower()}"
    assert checked.content.name == f"upload.{uploads.EXTENSIONS[checked.content_type]}"
    assert checked.original_name == "微信图片_2026.dat"
    assert Image.open(io.BytesIO(checked.content.read())).size == (20, 10)


def test_a_photo_loses_its_exif_and_keeps_its_orientation():
    # Orientation 6: the camera was turned; the picture is 40×30 as stored and 30×40 as seen.
    original = tiny_image("JPEG", size=(40, 30), exif=exif_with_gps(orientation=6))
    assert Image.open(io.BytesIO(original)).getexif().get_ifd(0x8825)  # the GPS position is there

    stored = check("家门口.jpg", original).content.read()

    image = Image.open(io.BytesIO(stored))
    assert dict(image.getexif()) == {}
    assert "exif" not in image.info and b"Exif" not in stored and b"FamilyPhone" not in stored
    assert image.size == (30, 40)


def test_a_real_pdf_is_accepted_as_it_is():
    pdf = tiny_pdf()
    checked = check("答复函.pdf", pdf)
    assert checked.content_type == uploads.PDF and checked.content.read() == pdf


def workbook(*, macros: bool = False) -> bytes:
    from openpyxl import Workbook

    out = io.BytesIO()
    book = Workbook()
    book.active.append(["姓名", "身份证号码"])
    book.save(out)
    if not macros:
        return out.getvalue()
    with zipfile.ZipFile(out, "a") as archive:
        archive.writestr("xl/vbaProject.bin", b"\0" * 16)
    return out.getvalue()


def test_an_excel_workbook_is_accepted_only_when_it_opens_and_has_no_macros():
    assert check("名册.xlsx", workbook(), accept=(uploads.XLSX,)).content_type == uploads.XLSX
    assert refusal("名册.xlsx", workbook(macros=True), accept=(uploads.XLSX,)).code == "macros"
    assert refusal("名册.xlsx", a_zip("notes.txt", "名单"), accept=(uploads.XLSX,)).code == "type"
    assert refusal("名册.xlsx", a_zip(), accept=(uploads.XLSX,)).code == "polyglot"
    assert refusal("名册.xlsx", JPEG, accept=(uploads.XLSX,)).code == "type"


def test_stored_names_are_random_with_the_sniffed_extension():
    name = uploads.RandomName("cases")
    first, second = name(None, "upload.jpg"), name(None, "upload.jpg")
    assert re.fullmatch(r"cases/([0-9a-f]{2})/\1[0-9a-f]{30}\.jpg", first)
    assert first != second
    assert name(None, "家的照片.HTML").endswith(".bin") and name(None, "x.jpeg").endswith(".jpg")


# --- out ---------------------------------------------------------------------------------------------------


@pytest.fixture
def stored():
    storage = InMemoryStorage()
    name = storage.save("cases/ab/abcdef.png", ContentFile(tiny_image("PNG")))

    class Stored:
        def __init__(self):
            self.name = name

        def open(self, mode="rb"):
            return storage.open(self.name, mode)

    return Stored()


def test_a_photo_is_sent_inline_with_headers_that_let_nothing_run(stored):
    response = uploads.file_response(stored, content_type="image/png", filename="家门口.png")
    assert response["Content-Type"] == "image/png"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "default-src 'none'" in response["Content-Security-Policy"]
    assert "sandbox" in response["Content-Security-Policy"]
    assert response["Content-Disposition"].startswith("inline;")
    assert "filename*=utf-8''%E5%AE%B6%E9%97%A8%E5%8F%A3.png" in response["Content-Disposition"]
    assert response["Cache-Control"] == "private, no-store"
    assert b"".join(response.streaming_content).startswith(b"\x89PNG")


@pytest.mark.parametrize("declared", ["text/html", "image/svg+xml", "application/x-msdos-program", ""])
def test_a_row_that_says_html_or_svg_is_sent_as_an_opaque_attachment(stored, declared):
    response = uploads.file_response(stored, content_type=declared, filename="x.html")
    assert response["Content-Type"] == "application/octet-stream"
    assert response["Content-Disposition"].startswith("attachment;")


def test_a_pdf_is_an_attachment(stored):
    response = uploads.file_response(stored, content_type=uploads.PDF, filename="答复.pdf")
    assert response["Content-Disposition"].startswith("attachment;")


def test_with_nginx_the_answer_is_an_internal_redirect_with_no_body(settings, stored):
    settings.MINSHENG = {**settings.MINSHENG, "SENDFILE": "nginx"}
    response = uploads.file_response(stored, content_type="image/png", filename="家门口.png")
    assert response["X-Accel-Redirect"] == "/protected/cases/ab/abcdef.png"
    assert response.content == b""
    assert response["Content-Type"] == "image/png"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "filename*=utf-8''" in response["Content-Disposition"]


def test_the_media_url_serves_nothing_even_in_debug(client):
    assert media_status(client, "cases/ab/abcdef.png") == 404
    assert media_status(client, "cases/2025/01/家.png") == 404


def test_media_root_may_not_lie_in_a_served_folder(tmp_path):
    static = tmp_path / "staticfiles"
    with pytest.raises(ImproperlyConfigured):
        check_media_root(static / "media", [static])
    with pytest.raises(ImproperlyConfigured):
        check_media_root(tmp_path, [static])
    check_media_root(tmp_path / "var" / "media", [static])


def test_the_settings_keep_media_root_out_of_every_served_folder(settings):
    media = Path(settings.MEDIA_ROOT).resolve()
    for served in [settings.STATIC_ROOT, *settings.STATICFILES_DIRS]:
        assert not media.is_relative_to(Path(served).resolve())


def test_a_row_whose_file_is_lost_answers_404():
    from django.http import Http404

    class Lost:
        name = "cases/2025/01/gone.png"

        def open(self, mode="rb"):
            raise FileNotFoundError(self.name)

    with pytest.raises(Http404):
        uploads.file_response(Lost(), content_type="image/png", filename="gone.png")
