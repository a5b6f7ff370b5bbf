"""Uploaded files: the one door in and the one door out.

In: `check_upload` reads the file's own bytes (never its name or the browser's declared type), accepts a photo
only when Pillow verifies and then decodes it, a PDF only when pypdf parses it, an Excel roster only when openpyxl
opens it, and refuses programs, SVG and HTML, and polyglots (a photo or PDF that is also a web page, an archive or a
program). Photos are re-encoded, which drops EXIF (GPS places a family's home) with every other byte the camera or
an attacker put beside the pixels; their orientation is applied first.

Stored: under a random name with the extension of the sniffed type (`cases/ab/<uuid4 hex>.jpg`, `RandomName`),
in MEDIA_ROOT, which no URL serves.

Out: `file_response` is the only way a stored file leaves: a safe Content-Type from the stored type, nosniff, a
CSP that runs nothing, attachment for anything that is not a photo, the user's file name (RFC 5987), and in
production an empty body with `X-Accel-Redirect` so that nginx sends the bytes (README, "Uploads").
"""

from __future__ import annotations

import functools
import os
import struct
import uuid
import warnings
import zipfile
from dataclasses import dataclass
from io import BytesIO
from urllib.parse import quote

from django.conf import settings
from django.core.files.base import ContentFile
from django.http import FileResponse, Http404, HttpResponse
from django.utils.deconstruct import deconstructible
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _

from .errors import DomainError
from .export import XLSX

JPEG = "image/jpeg"
PNG = "image/png"
WEBP = "image/webp"
PDF = "application/pdf"
OCTET_STREAM = "application/octet-stream"

PHOTOS = (JPEG, PNG, WEBP)
DOCUMENTS = (*PHOTOS, PDF)
EXTENSIONS = {JPEG: "jpg", PNG: "png", WEBP: "webp", PDF: "pdf", XLSX: "xlsx"}
_PILLOW_FORMATS = {JPEG: "JPEG", PNG: "PNG", WEBP: "WEBP"}

MAX_PHOTO_PIXELS = 50_000_000  # a 50-megapixel photo; more is a decompression bomb, not a phone's picture
MAX_XLSX_UNPACKED_BYTES = 512 * 1024 * 1024  # a zip bomb dressed as a roster

# Markup a browser would run if it ever took the file for a page. Looked for in the first KB of every file and in
# the whole of a photo (a camera writes none of it; XMP metadata is `<x:xmpmeta`, `<rdf:`, never these).
_MARKUP = (b"<html", b"<script", b"<svg", b"<!doctype", b"<body", b"<head", b"<iframe", b"<object", b"<embed")
_MARKUP_IN_PHOTOS = (b"<html", b"<script", b"<svg", b"<iframe", b"<!doctype")
_PROGRAMS = (
    b"MZ",  # Windows (PE) and DOS
    b"\x7fELF",  # Linux
    b"\xfe\xed\xfa\xce",  # macOS (Mach-O), both byte orders and 32/64 bit, and fat binaries
    b"\xfe\xed\xfa\xcf",
    b"\xce\xfa\xed\xfe",
    b"\xcf\xfa\xed\xfe",
    b"\xca\xfe\xba\xbe",
    b"#!",  # scripts
)


@dataclass(frozen=True)
class CheckedFile:
    """An accepted upload: what to store (`content`, already cleaned), its sniffed type and the user's name."""

    content: ContentFile
    content_type: str
    original_name: str

    @property
    def size(self) -> int:
        return self.content.size

    @property
    def extension(self) -> str:
        return EXTENSIONS[self.content_type]


def original_name_of(upload, default: str = "file") -> str:
    """The user's file name without any folder, at most 255 characters (the model fields' length)."""
    name = os.path.basename(str(getattr(upload, "name", "") or "").replace("\\", "/")).strip()
    return (name or default)[:255]


def sniff(data: bytes) -> str | None:
    """The type a file's first bytes say it is, among the types we accept; None for anything else."""
    if data.startswith(b"\xff\xd8\xff"):
        return JPEG
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return WEBP
    if data.startswith(b"%PDF-"):
        return PDF
    if data.startswith(b"PK\x03\x04"):
        return XLSX  # a zip; `_check_xlsx` decides whether it is a workbook
    return None


def check_upload(upload, *, accept: tuple[str, ...], max_bytes: int, field: str = "file") -> CheckedFile:
    """The one check of an uploaded file. Returns what to store; raises DomainError (on `field`, with a message
    that names the file) for a file too big or empty, a type not in `accept`, a program, SVG or HTML, a polyglot,
    or a file that does not open as what it claims to be."""
    name = original_name_of(upload)

    def refuse(message: str, code: str, **params) -> DomainError:
        return DomainError(message % {"name": name, **params}, field=field, code=code)

    size = getattr(upload, "size", None)
    if size is not None and size > max_bytes:
        raise refuse(TOO_BIG(), "too_big", mb=max_bytes // 1048576)
    if hasattr(upload, "seek"):
        upload.seek(0)
    data = upload.read(max_bytes + 1)
    if hasattr(upload, "seek"):
        upload.seek(0)
    if len(data) > max_bytes:
        raise refuse(TOO_BIG(), "too_big", mb=max_bytes // 1048576)
    if not data:
        raise refuse(_("“%(name)s” is empty."), "empty")
    if data.startswith(_PROGRAMS) or _embedded_program(data):
        raise refuse(
            _("“%(name)s” is a program, not a photo or a document: it cannot be uploaded."), "program"
        )
    content_type = sniff(data)
    if content_type is None and _looks_like_markup(data):
        raise refuse(
            _(
                "“%(name)s” is a web page or a drawing (HTML or SVG), not a photo or a document: it cannot be uploaded."
            ),
            "markup",
        )
    if content_type not in accept:
        raise refuse(_not_accepted(accept), "type")
    if _hides_markup(data, content_type) or (content_type != XLSX and _embedded_zip(data)):
        raise refuse(
            _(
                "“%(name)s” hides something else (a web page, an archive or a program) inside the file: it cannot "
                "be uploaded. Save it again from the camera or the office program and upload the new file."
            ),
            "polyglot",
        )
    damaged = _(
        "“%(name)s” is damaged or is not really the kind of file it claims to be: it cannot be opened."
    )
    if content_type in PHOTOS:
        data = _clean_photo(data, content_type, refuse=refuse, damaged=damaged)
    elif content_type == PDF:
        _check_pdf(data, refuse=refuse, damaged=damaged)
    else:
        _check_xlsx(data, refuse=refuse, damaged=damaged)
    return CheckedFile(
        content=ContentFile(data, name=f"upload.{EXTENSIONS[content_type]}"),
        content_type=content_type,
        original_name=name,
    )


def TOO_BIG() -> str:  # noqa: N802 - a message, looked up in the language of the moment
    return _("“%(name)s” is too large (at most %(mb)d MB).")


def TOO_MANY_PIXELS() -> str:  # noqa: N802
    return _("“%(name)s” has too many pixels (at most %(mp)d million).")


def _not_accepted(accept: tuple[str, ...]) -> str:
    if set(accept) <= set(PHOTOS):
        return _("“%(name)s” is not a photo: upload a JPEG, PNG or WebP photo.")
    if set(accept) <= set(DOCUMENTS):
        return _("“%(name)s” is neither a photo nor a PDF: upload a JPEG, PNG or WebP photo or a PDF.")
    return _("“%(name)s” is not an Excel .xlsx workbook.")


def _looks_like_markup(data: bytes) -> bool:
    head = data[:1024].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    return head.startswith((b"<", b"\xff\xfe<", b"\xfe\xff\x00<")) or any(m in head for m in _MARKUP)


def _hides_markup(data: bytes, content_type: str) -> bool:
    head = data[:1024].lower()
    if any(marker in head for marker in _MARKUP):
        return True
    if content_type in PHOTOS:
        whole = data.lower()
        return any(marker in whole for marker in _MARKUP_IN_PHOTOS)
    return False


def _embedded_zip(data: bytes) -> bool:
    """A zip archive (or .jar, .docx, .apk) appended to the file: its end record, where every zip reader starts,
    sits in the last 64 KB with a comment length that reaches exactly to the end of the file."""
    tail_start = max(0, len(data) - (22 + 65535))
    pos = data.rfind(b"PK\x05\x06", tail_start)
    while pos >= 0:
        if pos + 22 <= len(data):
            (comment_length,) = struct.unpack_from("<H", data, pos + 20)
            if pos + 22 + comment_length == len(data):
                return True
        pos = data.rfind(b"PK\x05\x06", tail_start, pos)
    return False


def _embedded_program(data: bytes) -> bool:
    """A Windows program inside the file: "MZ" whose header points at a "PE\\0\\0" signature."""
    pos = data.find(b"MZ")
    while pos >= 0:
        if pos + 0x40 <= len(data):
            (offset,) = struct.unpack_from("<I", data, pos + 0x3C)
            if 0 < offset < 1 << 20 and data[pos + offset : pos + offset + 4] == b"PE\x00\x00":
                return True
        pos = data.find(b"MZ", pos + 1)
    return False


def _clean_photo(data: bytes, content_type: str, *, refuse, damaged: str) -> bytes:
    """Verify the photo, decode it in full on a fresh open, apply its orientation and encode it again: only the
    pixels (and the colour profile) survive; EXIF with its GPS position, XMP, comments and trailing bytes do not."""
    from PIL import Image, ImageOps, UnidentifiedImageError

    expected = _PILLOW_FORMATS[content_type]
    bad = (UnidentifiedImageError, OSError, SyntaxError, ValueError, EOFError, struct.error, IndexError)
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            with Image.open(BytesIO(data), formats=[expected]) as probe:
                if probe.width * probe.height > MAX_PHOTO_PIXELS:
                    raise refuse(TOO_MANY_PIXELS(), "too_many_pixels", mp=MAX_PHOTO_PIXELS // 1_000_000)
                probe.verify()
            with Image.open(BytesIO(data), formats=[expected]) as image:
                image.load()
                image = ImageOps.exif_transpose(image)
        except (Image.DecompressionBombError, Image.DecompressionBombWarning):
            raise refuse(TOO_MANY_PIXELS(), "too_many_pixels", mp=MAX_PHOTO_PIXELS // 1_000_000) from None
        except bad:
            raise refuse(damaged, "damaged") from None
    keep = {key: image.info[key] for key in ("icc_profile", "transparency") if key in image.info}
    image.info = {}
    options: dict = {}
    if keep.get("icc_profile"):
        options["icc_profile"] = keep["icc_profile"]
    if content_type == JPEG:
        if image.mode not in ("RGB", "L", "CMYK"):
            image = image.convert("RGB")
        options.update(quality=90)
    elif content_type == WEBP:
        options.update(quality=90)
    elif "transparency" in keep:
        options["transparency"] = keep["transparency"]
    out = BytesIO()
    image.save(out, format=expected, **options)
    return out.getvalue()


def _check_pdf(data: bytes, *, refuse, damaged: str) -> None:
    from pypdf import PdfReader
    from pypdf.errors import PyPdfError

    if b"%%EOF" not in data[-2048:]:
        raise refuse(damaged, "damaged")
    try:
        reader = PdfReader(BytesIO(data), strict=False)
        if reader.is_encrypted:
            raise refuse(
                _("“%(name)s” is protected by a password: save it without the password and upload it again."),
                "encrypted",
            )
        if len(reader.pages) < 1:
            raise refuse(damaged, "damaged")
        reader.pages[0].mediabox  # noqa: B018 - parses the first page's dictionary
    except DomainError:
        raise
    except (PyPdfError, OSError, ValueError, KeyError, TypeError, AttributeError, RecursionError):
        raise refuse(damaged, "damaged") from None


def _check_xlsx(data: bytes, *, refuse, damaged: str) -> None:
    import openpyxl

    try:
        with zipfile.ZipFile(BytesIO(data)) as archive:
            names = set(archive.namelist())
            unpacked = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, OSError, ValueError):
        raise refuse(damaged, "damaged") from None
    if "xl/workbook.xml" not in names:
        raise refuse(_("“%(name)s” is not an Excel .xlsx workbook."), "type")
    if "xl/vbaProject.bin" in names:
        raise refuse(
            _("“%(name)s” contains macros: save it as “Excel Workbook (*.xlsx)” and upload it again."),
            "macros",
        )
    if unpacked > MAX_XLSX_UNPACKED_BYTES:
        raise refuse(damaged, "damaged")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # openpyxl warns about styles it does not know; harmless here
            workbook = openpyxl.load_workbook(BytesIO(data), read_only=True, data_only=True)
            workbook.close()
    except Exception:  # openpyxl raises anything from KeyError to its own errors on a broken workbook
        raise refuse(damaged, "damaged") from None


# --- stored under a random name -------------------------------------------------------------------------------


@deconstructible
class RandomName:
    """`upload_to` of every uploaded file: `<folder>/<2 hex>/<uuid4 hex>.<ext>`. The extension is the one
    `check_upload` gave the content (the sniffed type's); anything else becomes `.bin`. The user's name is
    kept in the row (`original_name`), never in the path."""

    def __init__(self, folder: str):
        self.folder = folder.strip("/")

    def __call__(self, instance, filename: str) -> str:
        ext = os.path.splitext(filename)[1].lstrip(".").lower()
        if ext == "jpeg":
            ext = "jpg"
        if ext not in EXTENSIONS.values():
            ext = "bin"
        key = uuid.uuid4().hex
        return f"{self.folder}/{key[:2]}/{key}.{ext}"

    def __eq__(self, other) -> bool:
        return isinstance(other, RandomName) and other.folder == self.folder

    def __hash__(self) -> int:
        return hash(self.folder)


# --- the one door out -----------------------------------------------------------------------------------------


def guarded(view):
    """Decorator of every view (page or API action) that sends a stored file: to anyone who may not have the
    file, anonymous included, it answers 404 (not a sign-in redirect or a 403 that would tell the file exists).
    The view still decides who may have it (its scoped query and checks); this only hides the refusal. An API
    action needs `permission_classes=[AllowAny]` so that DRF lets the anonymous request reach it."""
    from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
    from rest_framework.exceptions import NotAuthenticated
    from rest_framework.exceptions import PermissionDenied as ApiPermissionDenied

    @functools.wraps(view)
    def wrapper(*args, **kwargs):
        request = next(arg for arg in args if hasattr(arg, "user") and hasattr(arg, "method"))
        if not request.user.is_authenticated:
            raise Http404
        try:
            return view(*args, **kwargs)
        except (DjangoPermissionDenied, ApiPermissionDenied, NotAuthenticated):
            raise Http404 from None

    return wrapper


# Nothing the browser could run: no script, no plugin, no frame, no form; a sandboxed document even if opened.
FILE_CSP = "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; sandbox"


def safe_content_type(stored: str) -> str:
    """The Content-Type a stored file is sent with: its stored (sniffed) type when it is one we accept, else
    octet-stream. Never text/html or image/svg+xml, whatever a row says."""
    return stored if stored in EXTENSIONS else OCTET_STREAM


def file_response(stored_file, *, content_type: str, filename: str, public: bool = False):
    """Send a stored file from a guarded view (the caller has already decided the actor may have it).

    Photos are shown inline; everything else is an attachment. With `MINSHENG["SENDFILE"] == "nginx"` the
    answer is empty and carries `X-Accel-Redirect: <SENDFILE_PREFIX><path>`: nginx's internal location sends the
    bytes (README, "Uploads")."""
    content_type = safe_content_type(content_type)
    inline = content_type in PHOTOS
    sendfile = settings.MINSHENG.get("SENDFILE", "")
    if sendfile == "nginx":
        prefix = "/" + settings.MINSHENG.get("SENDFILE_PREFIX", "/protected/").strip("/") + "/"
        response = HttpResponse(b"", content_type=content_type)
        response["X-Accel-Redirect"] = prefix + quote(stored_file.name.lstrip("/"))
        response["Content-Disposition"] = content_disposition_header(not inline, filename)
    else:
        try:
            handle = stored_file.open("rb")
        except FileNotFoundError:  # a row whose file was lost (a restore without MEDIA_ROOT): no such file
            raise Http404 from None
        response = FileResponse(
            handle, content_type=content_type, as_attachment=not inline, filename=filename
        )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = FILE_CSP
    response["Cross-Origin-Resource-Policy"] = "same-origin"
    response["Cache-Control"] = "public, max-age=3600" if public else "private, no-store"
    return response
