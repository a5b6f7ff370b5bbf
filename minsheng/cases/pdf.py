"""The answer letter (答复函) with its feedback form (征询意见表), as a printable PDF (WeasyPrint).

The letter goes to the lead deputy and every co-signer who confirmed (联名); the feedback form follows, one page per deputy,
with 满意 / 基本满意 / 不满意 boxes, lines for comments and the deputy's signature. Chinese is set in the Noto CJK
fonts of Debian's `fonts-noto-cjk`.

A co-signer may not see the beneficiary of a wish: unless the viewer may (`cases.view_beneficiary`), the
title and the answer pass through `privacy.redact`, like every text that leaves the case page.
"""

from __future__ import annotations

from django.template.loader import render_to_string
from django.utils import timezone

from minsheng.common.permissions import can

from . import rules as R
from .models import Answer, Cosigner, Rating
from .privacy import redact


def answer_letter_context(*, actor, answer: Answer) -> dict:
    case = answer.case
    unit = answer.assignment.unit
    deputies = [case.lead_deputy] + [
        link.deputy
        for link in Cosigner.objects.filter(case=case, status=Cosigner.Status.CONFIRMED)
        .select_related("deputy")
        .order_by("added_at", "id")
        if link.deputy_id != case.lead_deputy_id
    ]
    rules = R.rules_for(case.congress)
    if can(actor, "cases.view_beneficiary", case):
        title, text = case.title, answer.text
    else:
        title, text = redact(case.title, case), redact(answer.text, case)
    return {
        "case": case,
        "answer": answer,
        "unit": unit,
        "congress": case.congress,
        "deputies": deputies,
        "title": title,
        "paragraphs": [p.strip() for p in text.splitlines() if p.strip()],
        "answer_class": answer.answer_class,
        "answer_class_label": rules.answer_class_label(answer.answer_class),
        "answered_on": timezone.localtime(answer.answered_at).date(),
        "rating_values": Rating.Value.choices,
        "comment_lines": range(6),
    }


def answer_letter_html(*, actor, answer: Answer) -> str:
    return render_to_string("cases/pdf/answer_letter.html", answer_letter_context(actor=actor, answer=answer))


def answer_letter_pdf(*, actor, answer: Answer) -> bytes:
    """The letter and the feedback forms as PDF bytes. The caller has checked that `actor` may view the case."""
    from weasyprint import HTML  # imported late: loading Pango takes a moment

    return HTML(string=answer_letter_html(actor=actor, answer=answer)).write_pdf()


def priority_list_pdf(*, context: dict) -> bytes:
    """The year's list of 重点督办 cases (`views.lists.priority_list_context`), A4 landscape, as PDF bytes."""
    from weasyprint import HTML

    return HTML(string=render_to_string("cases/pdf/priority_list.html", context)).write_pdf()
