"""Printable documents: a template rendered to an A4 PDF by WeasyPrint, answered under a Chinese file name.

- `render_pdf(template, context, request=None)`: the PDF bytes of a template that extends
  `common/print/base.html` (A4, the margins of 党政机关公文格式 GB/T 9704, page numbers, the CJK fonts below).
- `pdf_response(content, filename)`: the answer, `inline` with the file name in `filename*` (RFC 6266/5987),
  so a browser saves 「答复函-2026-001.pdf」 and not a percent-encoded or ASCII-only name.
- `content_disposition(filename)`: that header alone (the Excel exports may use it too).
- Fonts: WeasyPrint finds fonts through fontconfig; the templates name the families of `SERIF` and `SANS`
  (Debian's `fonts-noto-cjk` first, then the usual Windows and macOS ones). `cjk_fonts()` lists what
  fontconfig has for Chinese (`fc-list :lang=zh`); the system check `common.W010` warns when it is none,
  since Chinese then prints as empty boxes.

The include templates for what offices print under a document: `common/print/_seal.html` (公章: a circle
standing for the seal, with the organisation's name and the date; the real seal is stamped on paper) and
`common/print/_signatures.html` (lines for signatures, each with its label). Who may print what is each app's
rule (its permissions.py); this module decides nothing.
"""

from __future__ import annotations

import functools
import shutil
import subprocess

from django.http import HttpResponse
from django.template.loader import render_to_string

from . import export

SERIF = ("Noto Serif CJK SC", "Source Han Serif SC", "Songti SC", "SimSun", "FangSong", "serif")
SANS = ("Noto Sans CJK SC", "Source Han Sans SC", "PingFang SC", "Microsoft YaHei", "SimHei", "sans-serif")
GENERIC = {"serif", "sans-serif", "monospace"}


def font_stack(families: tuple[str, ...]) -> str:
    """A CSS font-family value: quoted names, generic families bare."""
    return ", ".join(f if f in GENERIC else f'"{f}"' for f in families)


def print_context() -> dict:
    """What `common/print/base.html` reads besides the document's own context."""
    return {"print_serif": font_stack(SERIF), "print_sans": font_stack(SANS)}


def render_html(template: str, context: dict, *, request=None) -> str:
    return render_to_string(template, {**print_context(), **context}, request=request)


def render_pdf(template: str, context: dict, *, request=None) -> bytes:
    """The PDF bytes of `template` rendered with `context`. The caller has checked the rule."""
    from weasyprint import HTML  # imported late: loading Pango takes a moment

    return HTML(string=render_html(template, context, request=request)).write_pdf()


def content_disposition(filename: str, *, inline: bool = True) -> str:
    """`inline; filename="…"; filename*=UTF-8''…` (`common.export.content_disposition`, inline by default)."""
    return export.content_disposition(filename, inline=inline)


def pdf_response(content: bytes, filename: str, *, inline: bool = True) -> HttpResponse:
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = content_disposition(filename, inline=inline)
    return response


def signer(label, name: str = "", date=None) -> dict:
    """One line of `common/print/_signatures.html`: its label, and the name and date when known."""
    return {"label": label, "name": name, "date": date}


def safe_name(text: object) -> str:
    """A piece of a file name: no path separators or characters Windows refuses."""
    return "".join("_" if c in '\\/:*?"<>|\r\n\t' else c for c in str(text)).strip() or "_"


@functools.cache
def cjk_fonts() -> tuple[str, ...]:
    """The font families fontconfig offers for Chinese (empty when fc-list is missing or finds none)."""
    fc_list = shutil.which("fc-list")
    if fc_list is None:
        return ()
    try:
        out = subprocess.run(
            [fc_list, ":lang=zh", "family"], capture_output=True, text=True, timeout=10, check=False
        ).stdout
    except (OSError, subprocess.SubprocessError):
        return ()
    families = {name.strip() for line in out.splitlines() for name in line.split(",") if name.strip()}
    return tuple(sorted(families))


def check_fonts(app_configs=None, **kwargs) -> list:
    """System check: a CJK font for the printed documents (registered in CommonConfig.ready)."""
    from django.core.checks import Warning

    if cjk_fonts():
        return []
    return [
        Warning(
            "No font with Chinese glyphs is installed: printed documents show boxes instead of Chinese.",
            hint="Install Debian's fonts-noto-cjk (apt-get install fonts-noto-cjk).",
            id="common.W010",
        )
    ]
