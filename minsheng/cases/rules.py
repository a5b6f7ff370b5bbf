"""The rules of case handling: the law's defaults in settings, each congress's own values in `CaseRules`.

Deadlines: the 1/3/6-month rules are calendar months; the 5/7/20-day rules are working days of the official
Chinese calendar (with 调休 working weekends). A working-day deadline is a `Deadline`, a date that says whether it
was counted on a provisional year's calendar (`.provisional`: see `minsheng.common.workdays`); the case and the
assignment store that beside the date, and the deadlines are recomputed when the year's schedule is entered
(`minsheng.cases.deadlines`)."""

import calendar
import datetime as dt
from dataclasses import dataclass, fields
from decimal import Decimal

from django.conf import settings

from minsheng.common.clock import Deadline, working_deadline

DEFAULTS = {
    "wish_cap": Decimal("500"),
    "one_open_wish_per_household": True,
    "micro_project_cap": Decimal("300000"),
    "assign_working_days": 5,
    "answer_months": 3,
    "hard_answer_months": 6,
    "assisting_opinion_months": 1,
    "reassign_request_working_days": 7,
    "reanswer_months": 1,
    "publish_working_days": 20,
    "reminder_days_before": 7,
    "answer_classes": [
        {"code": "A", "label": "已解决或基本解决"},
        {"code": "B", "label": "正在解决或列入计划逐步解决"},
        {"code": "C", "label": "因条件限制需以后解决"},
        {"code": "D", "label": "留作参考"},
    ],
    # The deputy rates the answer within this many calendar months of it; afterwards staff may close the
    # case as 未反馈 (not rated).
    "rating_months": 1,
    # The answer classes that count as 落实 (implemented) in the statistics' 落实率.
    "implemented_classes": ["A", "B"],
}


@dataclass(frozen=True)
class Rules:
    wish_cap: Decimal
    one_open_wish_per_household: bool
    micro_project_cap: Decimal
    assign_working_days: int
    answer_months: int
    hard_answer_months: int
    assisting_opinion_months: int
    reassign_request_working_days: int
    reanswer_months: int
    publish_working_days: int
    reminder_days_before: int
    answer_classes: list
    rating_months: int
    implemented_classes: list

    @property
    def answer_class_codes(self) -> list[str]:
        return [c["code"] for c in self.answer_classes]

    def answer_class_label(self, code: str) -> str:
        return next((c["label"] for c in self.answer_classes if c["code"] == code), code)


def rules_for(congress) -> Rules:
    values = {**DEFAULTS, **settings.MINSHENG.get("CASE_RULES", {})}
    own = getattr(congress, "case_rules", None) if congress is not None else None
    if own is not None:
        for f in fields(Rules):
            value = getattr(own, f.name, None)
            if value is not None:
                values[f.name] = value
    values["wish_cap"] = Decimal(values["wish_cap"])
    values["micro_project_cap"] = Decimal(values["micro_project_cap"])
    return Rules(**{f.name: values[f.name] for f in fields(Rules)})


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day `months` calendar months later, clamped to the month's end (11-30 + 3 → 02-28)."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def assign_due(filed_on: dt.date, rules: Rules) -> Deadline:
    return working_deadline(filed_on, rules.assign_working_days)


def answer_due(assigned_on: dt.date, rules: Rules, *, hard: bool, round: int) -> dt.date:
    if round > 1:
        return add_months(assigned_on, rules.reanswer_months)
    return add_months(assigned_on, rules.hard_answer_months if hard else rules.answer_months)


def opinion_due(assigned_on: dt.date, rules: Rules) -> dt.date:
    return add_months(assigned_on, rules.assisting_opinion_months)


def reassign_request_due(assigned_on: dt.date, rules: Rules) -> Deadline:
    return working_deadline(assigned_on, rules.reassign_request_working_days)


def publish_due(answered_on: dt.date, rules: Rules) -> Deadline:
    """Publication within 20 working days of the answer (not of closing)."""
    return working_deadline(answered_on, rules.publish_working_days)


def rating_due(answered_on: dt.date, rules: Rules) -> dt.date:
    """The last day the deputy may rate an answer given on `answered_on` (calendar months)."""
    return add_months(answered_on, rules.rating_months)


def extension_cap(assigned_on: dt.date, rules: Rules) -> dt.date:
    """延期: the latest answer date an extension may give. Hard cases: the six-month rule (assigned date +
    `hard_answer_months`); ordinary cases and answers of a later round get the same cap, as no extension may
    take an answer beyond what the law allows the hardest case. Counted from the unit's own 交办 date."""
    return add_months(assigned_on, rules.hard_answer_months)
