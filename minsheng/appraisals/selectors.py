"""Reads of appraisals, scoped to the caller: staff see the appraisals of the congresses they cover, a judge
those they judge, everyone the published ones. What a page or the API shows comes from here (and permissions)."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Q, QuerySet
from django.shortcuts import get_object_or_404

from minsheng.accounts.permissions import staff_scope_prefix
from minsheng.common.errors import PermissionDenied
from minsheng.common.permissions import can

from . import rules, services
from .models import Appraisal, Group, Judge, JudgeSubmission, ResultVersion, Score


def appraisals_for(actor) -> QuerySet[Appraisal]:
    """The appraisals `actor` may see: staff by region, a judge those on whose panel they sit, anyone the
    published ones."""
    qs = Appraisal.objects.select_related("congress")
    published = Q(status=Appraisal.Status.PUBLISHED)
    prefix = staff_scope_prefix(actor)
    if prefix is not None:
        return qs.filter(published | Q(congress__region_prefix__startswith=prefix))
    if getattr(actor, "is_authenticated", False):
        return qs.filter(published | Q(judges__user=actor)).distinct()
    return qs.filter(published)


def appraisal_get(actor, appraisal_id: int) -> Appraisal:
    """One appraisal the caller may see (404 otherwise, never 403: another congress's appraisal is not there)."""
    return get_object_or_404(appraisals_for(actor), pk=appraisal_id)


@dataclass(frozen=True)
class PanelRow:
    judge: str  # the judge's label, never the scores
    group: str
    submitted_at: Any


def submissions_for(actor, appraisal: Appraisal) -> list[PanelRow]:
    """Who has submitted which group (staff): labels and times, not scores."""
    if not can(actor, "appraisals.view_submissions", appraisal):
        raise PermissionDenied
    done = {
        (s.judge_id, s.group_id): s.submitted_at
        for s in JudgeSubmission.objects.filter(group__appraisal=appraisal)
    }
    rows = []
    groups = list(appraisal.groups.order_by("order", "id"))
    for judge in appraisal.judges.order_by("label"):
        for group in groups:
            if judge.judges_group(group):
                rows.append(PanelRow(judge.label, group.name, done.get((judge.pk, group.pk))))
    return rows


@dataclass
class JudgeSheet:
    """What a judge's phone shows: per open group the contestants, the judged components and the judge's own
    scores, and whether the group is submitted."""

    judge: Judge
    groups: list[dict] = field(default_factory=list)


def judge_sheet_for(actor, appraisal: Appraisal) -> JudgeSheet:
    authenticated = getattr(actor, "is_authenticated", False)
    judge = Judge.objects.filter(appraisal=appraisal, user=actor).first() if authenticated else None
    if judge is None or not can(actor, "appraisals.score", judge):
        raise PermissionDenied
    components = list(appraisal.components.filter(source=rules.JUDGES).order_by("order", "id"))
    own = {(s.contestant_id, s.component_id): s.value for s in Score.objects.filter(judge=judge)}
    submitted = set(JudgeSubmission.objects.filter(judge=judge).values_list("group_id", flat=True))
    sheet = JudgeSheet(judge=judge)
    for group in appraisal.groups.order_by("order", "id").prefetch_related("contestants"):
        if not judge.judges_group(group):
            continue
        sheet.groups.append(
            {
                "group": group,
                "open": group.scoring == Group.Scoring.OPEN,
                "submitted": group.pk in submitted,
                "components": components,
                "contestants": [
                    {"contestant": c, "scores": {comp.pk: own.get((c.pk, comp.pk)) for comp in components}}
                    for c in group.contestants.all()
                ],
            }
        )
    return sheet


def scores_for(actor, group: Group) -> dict[tuple[int, int, int | None], Decimal]:
    """Every score of a group, (contestant, component, judge) -> value: staff, once the group is closed."""
    if not can(actor, "appraisals.view_scores", group):
        raise PermissionDenied
    return {
        (s.contestant_id, s.component_id, s.judge_id): s.value
        for s in Score.objects.filter(contestant__group=group)
    }


@dataclass(frozen=True)
class ResultRow:
    contestant_id: int
    name: str
    rank: int
    total: str
    tier: str  # the tier's name
    award: str
    shared: bool
    pending: bool
    components: dict  # component code -> {"value", "raw", "judges", "dropped"}
    explanation: tuple[str, ...]


@dataclass(frozen=True)
class ResultPage:
    appraisal: Appraisal
    version: ResultVersion
    groups: list[tuple[str, list[ResultRow], str]]  # group name, rows, the group's award total
    award_total: str
    older: list[ResultVersion]  # earlier versions, still shown with their reasons


def result_for(actor, appraisal: Appraisal, *, number: int | None = None) -> ResultPage:
    """The current result (or version `number`) with each contestant's explanation: the public sees it once
    published, staff once computed. The explanation is computed again from the version's frozen rules and
    inputs, which gives the frozen result."""
    if not can(actor, "appraisals.view_result", appraisal):
        raise PermissionDenied
    versions = list(appraisal.versions.order_by("-number"))
    if appraisal.status == Appraisal.Status.PUBLISHED:
        versions = [v for v in versions if v.published_at is not None]
    if not versions:
        raise PermissionDenied
    version = next((v for v in versions if v.number == number), None) if number else versions[0]
    if version is None:
        raise PermissionDenied
    frozen_rules = rules.rules_from_dict(version.rules)
    contestants, decisions = services.inputs_from_dict(version.inputs)
    computed = rules.compute(frozen_rules, contestants, decisions)
    group_names = dict(appraisal.groups.values_list("pk", "name"))
    groups = []
    for key, group in version.result["groups"].items():
        names = {t.code: t.name for t in frozen_rules.tiers_of(key)}
        rows = [
            ResultRow(
                contestant_id=int(c["id"]),
                name=computed.by_id[c["id"]].name,
                rank=c["rank"],
                total=c["total"],
                tier=names.get(c["tier"], ""),
                award=c["award"],
                shared=c["shared"],
                pending=c["pending"],
                components=c["components"],
                explanation=tuple(computed.by_id[c["id"]].explain(frozen_rules)),
            )
            for c in group["contestants"]
        ]
        groups.append((group_names.get(int(key), key), rows, group["award_total"]))
    return ResultPage(
        appraisal=appraisal,
        version=version,
        groups=groups,
        award_total=version.result["award_total"],
        older=[v for v in versions if v.number < version.number],
    )
