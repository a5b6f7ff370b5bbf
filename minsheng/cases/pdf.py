"""The printed documents of cases (WeasyPrint, A4, through `minsheng.common.printing`).

- 答复函 (`answer_letter_*`): the unit's letter — 文号, 签发人, 公开属性, the heading 「关于…建议的答复」, the
  answer, 联系人 and 联系电话, the unit's 公章 block, 抄送 (`settings.MINSHENG["ANSWER_LETTER_CC"]`) — with a
  征询意见表 for the lead deputy and every co-signer who confirmed (联名), one page each.
- 征询意见表 alone (`feedback_form_pdf`), for the answer of the current round.
- 建议登记表 (`registration_pdf`), 交办通知单 (`assignment_notice_pdf`, one page per unit of the round),
  督办通知 (`supervision_notice_pdf`), 入户核实表 of a wish (`home_verification_pdf`) and the day's
  交办清单 (`assignment_list_pdf`).
- The 重点督办 list of a year (`priority_list_pdf`).

Who may print which is `cases.print` (permissions.py; the views ask it). What they show of a beneficiary is
`privacy`'s: the full record only for `cases.view_beneficiary`, masked otherwise, and every text of the case
(title, content, answers, findings) through `privacy.text_for` — a co-signer reads the answer without the
family's name and phone.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from minsheng.common import clock, printing
from minsheng.common.permissions import can

from . import rules as R
from .models import Answer, Assignment, Case, Cosigner, Rating
from .privacy import beneficiary_for, text_for

_PREFIX = "关于"
_SUFFIXES = ("的建议", "建议")


def subject_of(title: str) -> str:
    """The subject of a case's title without a leading 关于 and a trailing 的建议, so that the letter's
    heading does not read 「关于"关于…的建议"的答复」."""
    subject = (title or "").strip()
    if subject.startswith(_PREFIX) and len(subject) > len(_PREFIX):
        subject = subject[len(_PREFIX) :]
    for suffix in _SUFFIXES:
        if subject.endswith(suffix) and len(subject) > len(suffix):
            subject = subject[: -len(suffix)]
            break
    return subject.strip()


def letter_heading(case: Case, title: str) -> str:
    subject = subject_of(title)
    if case.kind == Case.Kind.SUGGESTION:
        return _("Answer to the suggestion on %(subject)s") % {"subject": subject}
    if case.kind == Case.Kind.WISH:
        return _("Answer to the micro-wish “%(subject)s”") % {"subject": subject}
    return _("Answer to the micro-project “%(subject)s”") % {"subject": subject}


def answer_letter_cc(congress) -> str:
    """抄送: the committee of the standing committee that looks after deputies (a setting); a township
    congress has no standing committee: its presidium."""
    if congress.level == congress.Level.TOWNSHIP:
        return _("the presidium of %(congress)s") % {"congress": congress.name}
    return str(settings.MINSHENG.get("ANSWER_LETTER_CC") or "")


def _deputies(case: Case) -> list:
    return [case.lead_deputy] + [
        link.deputy
        for link in Cosigner.objects.filter(case=case, status=Cosigner.Status.CONFIRMED)
        .select_related("deputy")
        .order_by("added_at", "id")
        if link.deputy_id != case.lead_deputy_id
    ]


def _paragraphs(text: str) -> list[str]:
    return [p.strip() for p in (text or "").splitlines() if p.strip()]


def _local_date(moment) -> dt.date | None:
    return timezone.localtime(moment).date() if moment else None


def answer_letter_context(*, actor, answer: Answer) -> dict:
    case = answer.case
    unit = answer.assignment.unit
    rules = R.rules_for(case.congress)
    read = text_for(actor, case)
    title = read(case.title)
    return {
        "case": case,
        "answer": answer,
        "unit": unit,
        "congress": case.congress,
        "deputies": _deputies(case),
        "title": title,
        "heading": letter_heading(case, title),
        "paragraphs": _paragraphs(read(answer.text)),
        "answer_class": answer.answer_class,
        "answer_class_label": rules.answer_class_label(answer.answer_class),
        "answered_on": _local_date(answer.answered_at),
        "disclosure_label": _disclosure_label(answer.disclosure),
        "cc": answer_letter_cc(case.congress),
        "rating_values": Rating.Value.choices,
        "comment_lines": range(6),
        "with_feedback_forms": True,
    }


def _disclosure_label(value: str) -> str:
    """主动公开 / 依申请公开 / 不予公开, as the letter prints it."""
    return {
        Answer.Disclosure.ACTIVE: _("published on the unit's initiative"),
        Answer.Disclosure.ON_REQUEST: _("disclosed on request"),
        Answer.Disclosure.NOT_PUBLIC: _("not disclosed"),
    }.get(value, "")


def answer_letter_html(*, actor, answer: Answer) -> str:
    return printing.render_html(
        "cases/pdf/answer_letter.html", answer_letter_context(actor=actor, answer=answer)
    )


def answer_letter_pdf(*, actor, answer: Answer) -> bytes:
    """The letter and the feedback forms as PDF bytes. The caller has asked `cases.print`."""
    return printing.render_pdf(
        "cases/pdf/answer_letter.html", answer_letter_context(actor=actor, answer=answer)
    )


def current_answer(case: Case) -> Answer | None:
    """The answer of the case's current round (the lead unit's, or the first of a split case)."""
    return (
        case.answers.filter(round=case.round)
        .select_related("assignment__unit", "case__congress", "case__lead_deputy")
        .order_by("answered_at", "id")
        .first()
    )


def feedback_form_pdf(*, actor, case: Case) -> bytes:
    """征询意见表 alone: one page per deputy for the current round's answer."""
    answer = current_answer(case)
    assert answer is not None  # `cases.print` says there is one
    context = {**answer_letter_context(actor=actor, answer=answer), "with_letter": False}
    return printing.render_pdf("cases/pdf/feedback_form.html", context)


def _case_context(actor, case: Case) -> dict:
    read = text_for(actor, case)
    return {
        "case": case,
        "congress": case.congress,
        "title": read(case.title),
        "content": _paragraphs(read(case.content)),
        "deputies": _deputies(case),
        "beneficiary": beneficiary_for(actor, case),
        "filed_on": _local_date(case.filed_at),
        "printed_on": clock.today(),
    }


def registration_pdf(*, actor, case: Case) -> bytes:
    """建议登记表: who filed what, where, when; its handling so far (units and deadlines)."""
    context = _case_context(actor, case)
    context["assignments"] = list(
        case.assignments.exclude(status=Assignment.Status.REMOVED)
        .select_related("unit")
        .order_by("round", "id")
    )
    context["signers"] = [
        printing.signer(pgettext("print", "Lead deputy (signature)")),
        printing.signer(pgettext("print", "Registered by")),
    ]
    return printing.render_pdf("cases/pdf/registration.html", context)


def _parts(actor, case: Case) -> list:
    """The units' parts of the current round that `actor` may print: all for staff, the own unit's for a
    unit's handler."""
    parts = (
        case.assignments.filter(round=case.round)
        .exclude(status=Assignment.Status.REMOVED)
        .select_related("unit")
        .order_by("role", "id")
    )
    if not can(actor, "cases.review", case):
        parts = parts.filter(unit_id=getattr(actor, "unit_id", None))
    return list(parts)


def assignment_notice_pdf(*, actor, case: Case) -> bytes:
    """交办通知单: one page per unit of the round: the case, its role (主办/协办/分办), the deadlines."""
    context = _case_context(actor, case)
    parts = _parts(actor, case)
    context.update(
        {
            "parts": parts,
            "lead_units": "、".join(p.unit.name for p in parts if p.role != Assignment.Role.ASSISTING),
            "assigned_on": _local_date(case.assigned_at),
            "issuer": _issuer(case.congress),
        }
    )
    return printing.render_pdf("cases/pdf/assignment_notice.html", context)


def supervision_notice_pdf(*, actor, case: Case) -> bytes:
    """督办通知: to the units handling the case, with what supervision recorded and the answer deadline."""
    context = _case_context(actor, case)
    context.update(
        {
            "parts": _parts(actor, case),
            "actions": list(case.supervision.order_by("recorded_at", "id")),
            "issuer": _issuer(case.congress),
        }
    )
    return printing.render_pdf("cases/pdf/supervision_notice.html", context)


def home_verification_pdf(*, actor, case: Case) -> bytes:
    """入户核实表 of a wish: the family (as `privacy.beneficiary_for` allows), the wish, the recorded visits,
    and empty rows for the next one, with the visitors' and the family's signatures."""
    context = _case_context(actor, case)
    read = text_for(actor, case)
    visits = list(case.verifications.order_by("visited_on", "id"))
    for visit in visits:
        visit.findings_read = read(visit.findings)
    context.update(
        {
            "visits": visits,
            "station": case.station,
            "signers": [
                printing.signer(pgettext("print", "Visited by (signatures)")),
                printing.signer(pgettext("print", "Beneficiary or family member (signature)")),
                printing.signer(pgettext("print", "Village or community committee (seal)")),
            ],
        }
    )
    return printing.render_pdf("cases/pdf/home_verification.html", context)


def _issuer(congress) -> str:
    """Who issues notices: the standing committee's office (a township congress: its presidium)."""
    return _("%(congress)s %(body)s") % {"congress": congress.name, "body": congress.body_name}


def assignment_list_context(*, actor, cases, day: dt.date) -> dict:
    """交办清单: the parts assigned on `day` among `cases` (the caller's scope), by case number."""
    start = timezone.make_aware(dt.datetime.combine(day, dt.time.min))
    end = start + dt.timedelta(days=1)
    parts = (
        Assignment.objects.filter(case__in=cases, created_at__gte=start, created_at__lt=end)
        .exclude(status=Assignment.Status.REMOVED)
        .select_related("case", "case__lead_deputy", "case__congress", "unit")
        .order_by("case__number", "case_id", "role", "id")
    )
    parts = list(parts)
    rows = [{"part": part, "title": text_for(actor, part.case)(part.case.title)} for part in parts]
    congresses = {part.case.congress for part in parts}
    return {
        "day": day,
        "rows": rows,
        "case_count": len({part.case_id for part in parts}),
        "issuer": _issuer(congresses.pop()) if len(congresses) == 1 else "",
        "printed_on": clock.today(),
    }


def assignment_list_pdf(*, context: dict) -> bytes:
    return printing.render_pdf("cases/pdf/assignment_list.html", context)


def priority_list_pdf(*, context: dict) -> bytes:
    """The year's list of 重点督办 cases (`views.lists.priority_list_context`), A4 landscape, as PDF bytes."""
    from weasyprint import HTML

    return HTML(string=render_to_string("cases/pdf/priority_list.html", context)).write_pdf()
