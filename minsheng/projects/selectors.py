"""Reads of the livelihood projects, scoped to the caller.

Staff see the projects of the congresses they cover, a unit handler those his or her unit leads, a deputy those
whose supervision group he or she is in; the public pages read `public_projects` (every project: they were
chosen by a published vote) and show only what `PUBLIC_FIELDS` lists.
"""

import datetime as dt
from dataclasses import dataclass
from fractions import Fraction

from django.db.models import Count, IntegerField, OuterRef, Q, QuerySet, Subquery, Sum
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404

from minsheng.accounts.permissions import Role, has_role, staff_scope_prefix
from minsheng.common import clock
from minsheng.voting.models import CandidateResult, VoteSession
from minsheng.voting.tally import satisfaction_rate

from .models import Milestone, ProgressReport, Project


def projects_for(actor) -> QuerySet[Project]:
    """The projects `actor` may see inside the platform (none for the public)."""
    qs = Project.objects.all()
    prefix = staff_scope_prefix(actor)
    if prefix is not None:
        return qs.filter(congress__region_prefix__startswith=prefix)
    if has_role(actor, Role.UNIT_HANDLER) and actor.unit_id:
        return qs.filter(lead_unit_id=actor.unit_id)
    if has_role(actor, Role.DEPUTY) and actor.deputy_id:
        return qs.filter(members__deputy_id=actor.deputy_id)
    return qs.none()


def with_progress(qs: QuerySet[Project], *, today: dt.date | None = None) -> QuerySet[Project]:
    """Annotate done_weight, total_weight, late_count (milestones) and latest_percent (the unit's last
    report), in the same query as the projects."""
    today = today or clock.today()
    latest = ProgressReport.objects.filter(project=OuterRef("pk")).order_by("-reported_at", "-id")
    return qs.annotate(
        total_weight=Coalesce(Sum("milestones__weight"), 0),
        done_weight=Coalesce(Sum("milestones__weight", filter=Q(milestones__done_on__isnull=False)), 0),
        late_count=Count(
            "milestones", filter=Q(milestones__done_on__isnull=True, milestones__due_on__lt=today)
        ),
        latest_percent=Subquery(latest.values("percent")[:1], output_field=IntegerField()),
    )


def progress_of(done_weight: int, total_weight: int) -> int:
    """Overall progress: the weighted share of milestones done, 0–100 (the weights total 100 in a full plan)."""
    if not total_weight:
        return 0
    return int(Fraction(100 * done_weight, total_weight))


def project_list_for(actor, *, congress=None, year=None, status="", unit=None, late_only=False):
    qs = with_progress(projects_for(actor)).select_related("congress", "lead_unit")
    if congress is not None:
        qs = qs.filter(congress=congress)
    if year:
        qs = qs.filter(year=year)
    if status:
        qs = qs.filter(status=status)
    if unit is not None:
        qs = qs.filter(lead_unit=unit)
    if late_only:
        qs = qs.filter(late_count__gt=0)
    return qs.order_by("-year", "congress__region_prefix", "candidate__number")


def project_get_for(actor, pk) -> Project:
    """One project the caller may see, or 404."""
    return get_object_or_404(
        with_progress(projects_for(actor)).select_related("congress", "lead_unit", "place", "candidate"),
        pk=pk,
    )


def public_projects(*, congress=None, year=None) -> QuerySet[Project]:
    qs = with_progress(Project.objects.all()).select_related("congress", "lead_unit", "place")
    if congress is not None:
        qs = qs.filter(congress=congress)
    if year:
        qs = qs.filter(year=year)
    return qs.order_by("-year", "congress__region_prefix", "candidate__number")


def milestones_of(project: Project) -> list[Milestone]:
    return list(project.milestones.order_by("due_on", "id"))


# --- satisfaction -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Satisfaction:
    """A project's published satisfaction result: counts and 满意率 (satisfied + mostly over votes cast)."""

    vote_id: int
    satisfied: int
    mostly: int
    dissatisfied: int

    @property
    def cast(self) -> int:
        return self.satisfied + self.mostly + self.dissatisfied

    @property
    def rate(self) -> Fraction | None:
        return satisfaction_rate(self.satisfied, self.mostly, self.dissatisfied)

    @property
    def percent(self) -> float | None:
        rate = self.rate
        return None if rate is None else round(float(rate) * 100, 1)


def satisfaction_of(projects) -> dict[int, Satisfaction]:
    """{project id: its published satisfaction result} (one query; the latest published vote wins)."""
    by_candidate = {p.candidate_id: p.pk for p in projects}
    rows = (
        CandidateResult.objects.filter(
            candidate_id__in=list(by_candidate),
            vote__kind=VoteSession.Kind.SATISFACTION,
            vote__status=VoteSession.Status.PUBLISHED,
        )
        .order_by("vote__published_at", "vote_id")
        .values_list("candidate_id", "vote_id", "satisfied", "mostly", "dissatisfied")
    )
    result = {}
    for cid, vote_id, satisfied, mostly, dissatisfied in rows:
        result[by_candidate[cid]] = Satisfaction(vote_id, satisfied, mostly, dissatisfied)
    return result


# --- the dashboard ----------------------------------------------------------------------------------------


def progress_summary(congress_ids, year: int, *, today: dt.date | None = None) -> dict[int, dict]:
    """{congress id: {projects, completed, terminated, average_progress (0–100), late_milestones}} for one
    year, in two queries whatever the number of congresses. Congresses without projects are left out."""
    today = today or clock.today()
    congress_ids = list(congress_ids)
    projects = (
        Project.objects.filter(congress_id__in=congress_ids, year=year)
        .annotate(
            total_weight=Coalesce(Sum("milestones__weight"), 0),
            done_weight=Coalesce(Sum("milestones__weight", filter=Q(milestones__done_on__isnull=False)), 0),
        )
        .values_list("congress_id", "status", "total_weight", "done_weight")
        .order_by()
    )
    summary: dict[int, dict] = {}
    progress: dict[int, list[int]] = {}
    for congress_id, status, total, done in projects:
        row = summary.setdefault(
            congress_id,
            {"projects": 0, "completed": 0, "terminated": 0, "average_progress": 0, "late_milestones": 0},
        )
        row["projects"] += 1
        row["completed"] += status == Project.Status.COMPLETED
        row["terminated"] += status == Project.Status.TERMINATED
        progress.setdefault(congress_id, []).append(progress_of(done, total))
    for congress_id, values in progress.items():
        summary[congress_id]["average_progress"] = round(sum(values) / len(values))
    late = (
        Milestone.objects.filter(
            project__congress_id__in=congress_ids,
            project__year=year,
            project__status=Project.Status.UNDER_WAY,
            done_on__isnull=True,
            due_on__lt=today,
        )
        .values_list("project__congress_id")
        .annotate(n=Count("id"))
        .order_by()
    )
    for congress_id, n in late:
        summary[congress_id]["late_milestones"] = n
    return summary
