"""The campaign dashboard's tables as Excel workbooks (one per table). Counts and sums only: no visitor, no
beneficiary and no individual donor appears."""

from __future__ import annotations

from typing import Any

from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _

from minsheng.common.export import xlsx_attachment, xlsx_sheets_bytes


def _as_of(dash) -> list[list]:
    if dash["as_of"] is None:
        return [[_("Not summarised yet.")]]
    time = timezone.localtime(dash["as_of"]).strftime("%Y-%m-%d %H:%M")
    return [[_("Figures as of %(time)s.") % {"time": time}]]


def _number(v):
    return None if v is None else float(v)


def tables(dash: dict[str, Any]) -> dict[str, tuple[str, list, list]]:
    levels = dash["levels"]
    heat_headers = [_("Area")] + [f"{row['label']} (%)" for row in levels]
    heat_rows = [[r["name"], *[_number(c["pct"]) for c in r["cells"]]] for r in dash["heat_rows"]]
    return {
        "participation": (
            _("Participation"),
            [_("Level"), _("Deputies"), _("Took part"), _("Share (%)")],
            [[r["label"], r["deputies"], r["participants"], _number(r["pct"])] for r in levels],
        ),
        "heat": (_("By level and area"), heat_headers, heat_rows),
        "areas": (
            _("By area"),
            [_("Area"), _("Receptions"), _("Visitors"), _("Matters raised"), _("Wishes collected")]
            + [_("Wishes realised"), _("Activities"), _("Social funds raised (yuan)")],
            [
                [r["name"], r["receptions"], r["visitors"], r["matters"], r["wishes"], r["realised"]]
                + [r["activities"], _number(r["funds"])]
                for r in dash["area_rows"]
            ],
        ),
        "matters": (
            _("Matters"),
            [_("How it is dealt with"), _("Matters")],
            [[d["label"], d["n"]] for d in dash["disposals"]]
            + [[s["label"], s["n"]] for s in dash["matter_statuses"]],
        ),
        "activities": (
            _("Activities"),
            [_("Kind"), _("Activities")],
            [[k["label"], k["n"]] for k in dash["kinds"]],
        ),
        "funds": (
            _("Social funds"),
            [_("Month"), _("Raised in the month (yuan)"), _("Running total (yuan)")],
            [[m["month"], _number(m["amount"]), _number(m["running"])] for m in dash["months"]]
            + [[p["label"], _number(p["amount"]), None] for p in dash["purposes"]],
        ),
        "targets": (
            _("Targets"),
            [_("Target"), _("Aim"), _("Reached"), _("Progress (%)")],
            [
                [t["label"], _number(t["target"]), _number(t["actual"]), _number(t["pct"])]
                for t in dash["targets"]
            ],
        ),
    }


def table_response(dash: dict[str, Any], name: str) -> HttpResponse | None:
    table = tables(dash).get(name)
    if table is None:
        return None
    title, headers, rows = table
    content = xlsx_sheets_bytes([(title, headers, [*rows, *_as_of(dash)])])
    filename = f"{dash['campaign'].name}-{dash['scope'].name}-{title}.xlsx"
    return xlsx_attachment(content, filename=filename)
