"""The shared printing helper: an A4 PDF in Chinese fonts, a Chinese file name that browsers keep, the seal and
signature blocks, and the system check that warns when no CJK font is installed."""

import shutil
from io import BytesIO
from urllib.parse import unquote

import pytest
from django.core.checks import Warning as CheckWarning
from django.template import Context, Template
from pypdf import PdfReader

from minsheng.common import printing
from minsheng.common.testing import pdf_words

DOC = Template(
    '{% extends "common/print/base.html" %}{% block content %}<h1>测试文书</h1>'
    '{% include "common/print/_signatures.html" with signers=signers date=True %}'
    '{% include "common/print/_seal.html" with organisation=org date=day %}{% endblock %}'
)


def render(context: dict) -> bytes:
    from weasyprint import HTML

    html = DOC.render(Context({**printing.print_context(), **context}))
    return HTML(string=html).write_pdf()


def test_a_document_is_an_a4_pdf_with_its_seal_and_signature_lines():
    import datetime as dt

    content = render(
        {
            "signers": [printing.signer("监票人"), printing.signer("计票人", "张三")],
            "org": "某某局",
            "day": dt.date(2026, 3, 5),
        }
    )
    page = PdfReader(BytesIO(content)).pages[0]
    width, height = float(page.mediabox.width), float(page.mediabox.height)
    assert (round(width), round(height)) == (595, 842)  # A4 in points
    text = pdf_words(content)
    assert "测试文书" in text and "监票人" in text and "计票人" in text and "张三" in text
    assert "某某局" in text and "2026年3月5日" in text and "（印章）" in text


def test_a_seal_without_a_date_leaves_the_date_to_be_written():
    text = pdf_words(render({"signers": [], "org": "某某局", "day": None}))
    assert "____年____月____日" in text


@pytest.mark.skipif(shutil.which("fc-list") is None, reason="fontconfig's fc-list is not installed")
def test_the_machine_has_a_cjk_font_and_the_templates_name_it_first():
    fonts = printing.cjk_fonts()
    assert fonts, "install fonts-noto-cjk"
    assert printing.SERIF[0] in fonts or printing.SANS[0] in fonts
    assert printing.font_stack(("Noto Serif CJK SC", "serif")) == '"Noto Serif CJK SC", serif'


def test_the_check_warns_when_no_cjk_font_is_found(monkeypatch):
    monkeypatch.setattr(printing, "cjk_fonts", lambda: ())
    (warning,) = printing.check_fonts()
    assert isinstance(warning, CheckWarning) and warning.id == "common.W010"
    monkeypatch.setattr(printing, "cjk_fonts", lambda: ("Noto Sans CJK SC",))
    assert printing.check_fonts() == []


def test_the_file_name_is_kept_in_chinese_with_an_ascii_fallback():
    header = printing.content_disposition("答复函-2026-001.pdf")
    assert header.startswith('inline; filename="')
    fallback = header.split('filename="', 1)[1].split('"', 1)[0]
    assert fallback.isascii() and fallback.endswith(".pdf")
    assert unquote(header.split("filename*=UTF-8''", 1)[1]) == "答复函-2026-001.pdf"
    assert printing.content_disposition("表.pdf", inline=False).startswith("attachment; ")
    assert printing.safe_name('a/b:c*"d') == "a_b_c__d"


def test_the_response_is_a_pdf():
    response = printing.pdf_response(b"%PDF-1.7", "表.pdf")
    assert response["Content-Type"] == "application/pdf"
    assert "filename*=UTF-8''%E8%A1%A8.pdf" in response["Content-Disposition"]
