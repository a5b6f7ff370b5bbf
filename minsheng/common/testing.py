"""Helpers for tests: permission matrices read as tables, the cast's roles, small real files.

`user_of` is a fixture: the root conftest.py registers it for every app's tests.
"""

import pytest

# The cast of the root conftest.py that the permission matrices of the people apps walk (congresses, deputies,
# places, units), "anonymous" being no user at all.
CAST_ROLES = [
    "anonymous",
    "admin_user",
    "city_staff",
    "taishan_staff",
    "kaiping_staff",
    "deputy_user",
    "station_staff",
    "civil_affairs_handler",
    "donor",
]


@pytest.fixture
def user_of(request, jiangmen):
    """`user_of("taishan_staff")` → that fixture's user; `user_of("anonymous")` → None."""

    def get(role: str):
        return None if role == "anonymous" else request.getfixturevalue(role)

    return get


def status_for(client, user, method: str, url: str, data=None, **extra) -> int:
    """Sign in as `user` (None: anonymous) and return the HTTP status of one request."""
    client.logout()
    if user is not None:
        client.force_login(user)
    response = getattr(client, method.lower())(url, data=data or {}, **extra)
    return response.status_code


def matrix(roles: list[str], **expected) -> list[tuple[str, object]]:
    """A permission matrix as pytest parameters: `matrix(ROLES, anonymous=403, city_staff=200, ...)` →
    [(role, expected), ...] in the order of `roles`. Every role must be given, and no other: a role added
    to the cast or left out of a row is an error, not a silently skipped case."""
    missing, extra = set(roles) - set(expected), set(expected) - set(roles)
    if missing or extra:
        raise ValueError(f"permission matrix: missing {sorted(missing)}, unknown {sorted(extra)}")
    return [(role, expected[role]) for role in roles]


def tiny_image(fmt: str = "PNG", *, size: tuple[int, int] = (8, 6), exif: bytes | None = None) -> bytes:
    """A small real picture (PNG, JPEG or WEBP) that Pillow decodes, as uploads must be."""
    from io import BytesIO

    from PIL import Image

    out = BytesIO()
    options = {"exif": exif} if exif is not None else {}
    Image.new("RGB", size, (200, 30, 30)).save(out, format=fmt, **options)
    return out.getvalue()


def tiny_pdf() -> bytes:
    """A one-page PDF that pypdf parses."""
    from io import BytesIO

    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    out = BytesIO()
    writer.write(out)
    return out.getvalue()


def media_status(client, name: str, content: bytes = b"\x89PNG\r\n\x1a\n") -> int:
    """The status of `/media/<name>` with DEBUG on (where Django's static media route used to be added) and the
    file on disk in MEDIA_ROOT, as it would be in the demo: uploads must never be served there."""
    import importlib
    import tempfile
    from pathlib import Path

    from django.conf import settings
    from django.test import override_settings
    from django.urls import clear_url_caches

    urls = importlib.import_module(settings.ROOT_URLCONF)  # the project's, whichever it is

    with tempfile.TemporaryDirectory() as media_root:
        path = Path(media_root) / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content)
        try:
            with override_settings(DEBUG=True, MEDIA_ROOT=media_root):
                importlib.reload(urls)
                clear_url_caches()
                return client.get(f"/media/{name}").status_code
        finally:
            importlib.reload(urls)
            clear_url_caches()


def pdf_text(content: bytes) -> str:
    """The text of a PDF as a reader finds it: pdftotext (poppler-utils) when installed, else pypdf."""
    import shutil
    import subprocess
    import tempfile
    from io import BytesIO

    assert content.startswith(b"%PDF"), "not a PDF"
    if shutil.which("pdftotext"):
        with tempfile.NamedTemporaryFile(suffix=".pdf") as file:
            file.write(content)
            file.flush()
            return subprocess.run(
                ["pdftotext", "-layout", file.name, "-"], check=True, capture_output=True, text=True
            ).stdout
    from pypdf import PdfReader

    return "\n".join(page.extract_text() or "" for page in PdfReader(BytesIO(content)).pages)


def pdf_words(content: bytes) -> str:
    """`pdf_text` without white space: a phrase the layout wrapped over two lines is still found."""
    import re

    return re.sub(r"\s+", "", pdf_text(content))


def pdf_pages(content: bytes) -> int:
    from io import BytesIO

    from pypdf import PdfReader

    return len(PdfReader(BytesIO(content)).pages)
