"""Writes of the livelihood projects through the year: projects from the vote, groups, milestones, progress
reports, inspections, status moves and the next year's satisfaction vote.

Each service is atomic, locks the project row it changes (FOR UPDATE) before reading the state it decides on,
asks the rule of permissions.py, and writes one audit record. Milestone weights may not exceed 100 in total;
a milestone is marked done, and a project completed, only when the plan's weights total exactly 100.
"""

import datetime as dt
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.db.models import Sum
from django.utils.translation import gettext as _

from minsheng.common import audit, clock, uploads
from minsheng.common import validators as checks
from minsheng.common.errors import Conflict, DomainError, TransitionNotAllowed
from minsheng.common.permissions import ensure
from minsheng.deputies.models import Deputy
from minsheng.voting import services as voting
from minsheng.voting.models import CandidateResult, Solicitation, VoteSession

from . import actions, pages
from .models import GroupMember, Inspection, Milestone, ProgressPhoto, ProgressReport, Project

FULL_WEIGHT = 100
MAX_PHOTO_BYTES = 10 * 1024 * 1024  # a progress report's photo


def _lock(model, pk):
    try:
        return model.objects.select_for_update().get(pk=pk)
    except (model.DoesNotExist, ValueError, TypeError):
        raise DomainError(
            _("%(model)s not found.") % {"model": model._meta.verbose_name}, code="not_found"
        ) from None


def _lock_project(project_id) -> Project:
    return _lock(Project, project_id)


def _budget(value) -> Decimal:
    try:
        budget = Decimal(str(value))
    except (InvalidOperation, ValueError):
        raise DomainError(_("Enter the budget as a number."), field="budget", code="invalid") from None
    if not budget.is_finite() or budget < 0:
        raise DomainError(_("The budget cannot be negative."), field="budget", code="negative")
    budget = budget.quantize(Decimal("0.01"))
    if budget >= Decimal("1e10"):
        raise DomainError(_("The budget is too large."), field="budget", code="too_large")
    return budget


# --- projects ---------------------------------------------------------------------------------------------


@transaction.atomic
def projects_create_for_vote(*, actor, vote_id) -> list[Project]:
    """One project per chosen candidate of a published selection or further ballot; those already made are
    left alone (idempotent). Locks the vote row so two staff running it at once make each project once."""
    vote = _lock(VoteSession, vote_id)
    actions.require(actor, "create_projects", vote)  # staff of the congress, a published selection or runoff
    chosen = (
        CandidateResult.objects.filter(vote=vote, outcome=CandidateResult.Outcome.CHOSEN)
        .select_related("candidate")
        .order_by("candidate__number")
    )
    existing = set(
        Project.objects.filter(candidate__results__vote=vote).values_list("candidate_id", flat=True)
    )
    created = []
    for result in chosen:
        candidate = result.candidate
        if candidate.pk in existing:
            continue
        project = Project.objects.create(
            candidate=candidate,
            congress=vote.congress,
            year=vote.solicitation.year,
            title=candidate.title,
            description=candidate.description,
            lead_unit=candidate.lead_unit,
            budget=candidate.budget,
            place=candidate.place,
        )
        audit.record(actor, "project.created", project, vote=vote.pk, candidate=candidate.pk)
        created.append(project)
        pages.project_changed(project)
    return created


EDITABLE = ("title", "description", "lead_unit", "budget", "place", "leader_name", "leader_post")


@transaction.atomic
def project_update(*, actor, project_id, **changes) -> Project:
    """Refine a project's particulars (title, description, lead unit, budget, place, responsible leader)."""
    project = _lock_project(project_id)
    offer = actions.require(actor, "update", project)
    unknown = set(changes) - set(EDITABLE)
    if unknown:
        raise DomainError(_("These particulars cannot be changed here."), code="not_editable")
    if "title" in changes:
        changes["title"] = checks.required_text(changes["title"], field="title", message=_("Enter a title."))[
            :200
        ]
    if "description" in changes:
        changes["description"] = checks.required_text(
            changes["description"], field="description", message=_("Describe the project.")
        )
        checks.check_length(changes["description"], field="description", model=Project)
    if "lead_unit" in changes and changes["lead_unit"] is None:
        raise DomainError(_("Choose the lead unit."), field="lead_unit", code="required")
    if "lead_unit" in changes and changes["lead_unit"].pk not in offer.choices["lead_units"]:
        raise DomainError(
            _("Choose a unit of this congress, of a congress in its region or of one above it."),
            field="lead_unit",
            code="foreign_unit",
        )
    place = changes.get("place")
    if place is not None and not place.code.startswith(offer.choices["place_prefix"]):
        raise DomainError(_("Choose a place of this congress's region."), field="place", code="foreign_place")
    if "budget" in changes:
        changes["budget"] = _budget(changes["budget"])
    for field in ("leader_name", "leader_post"):
        if field in changes:
            changes[field] = (changes[field] or "").strip()
    changed = {}
    for field, value in changes.items():
        old = getattr(project, field)
        if old != value:
            setattr(project, field, value)
            changed[field] = str(getattr(value, "pk", value)) if value is not None else None
    if changed:
        project.save(update_fields=[*changed, "updated_at"])
        audit.record(actor, "project.updated", project, fields=sorted(changed))
        pages.project_changed(project)
    return project


@transaction.atomic
def group_set(*, actor, project_id, deputy_ids, leader_id=None) -> Project:
    """The deputies' supervision group: deputies with an active seat in the project's congress, one of them
    (optionally) its leader. Replaces the group as a whole."""
    project = _lock_project(project_id)
    offer = actions.require(actor, "set_group", project)  # staff, while under way
    wanted = {int(d) for d in deputy_ids}
    if leader_id is not None:
        leader_id = int(leader_id)
        if leader_id not in wanted:
            raise DomainError(
                _("The group leader must be in the group."), field="leader", code="leader_outside"
            )
    if not wanted <= set(offer.choices["deputies"]):  # deputies in office in the project's congress
        raise DomainError(
            _("Choose deputies of %(congress)s only.") % {"congress": project.congress.name},
            field="deputies",
            code="foreign",
        )
    GroupMember.objects.filter(project=project).delete()
    GroupMember.objects.bulk_create(
        [GroupMember(project=project, deputy_id=d, is_leader=d == leader_id) for d in sorted(wanted)]
    )
    audit.record(actor, "project.group_set", project, deputies=sorted(wanted), leader=leader_id)
    return project


def _weights(project: Project, *, excluding=None) -> int:
    qs = Milestone.objects.filter(project=project)
    if excluding is not None:
        qs = qs.exclude(pk=excluding)
    return qs.aggregate(total=Sum("weight"))["total"] or 0


def _check_weight(project: Project, weight, *, excluding=None) -> int:
    try:
        weight = int(weight)
    except (TypeError, ValueError):
        weight = 0
    if not 1 <= weight <= FULL_WEIGHT:
        raise DomainError(_("The weight is a whole number from 1 to 100."), field="weight", code="weight")
    others = _weights(project, excluding=excluding)
    if others + weight > FULL_WEIGHT:
        raise DomainError(
            _("The weights of a project's milestones total 100; %(left)d is left.")
            % {"left": FULL_WEIGHT - others},
            field="weight",
            code="weights_over_100",
        )
    return weight


@transaction.atomic
def milestone_add(*, actor, project_id, title: str, due_on: dt.date, weight: int) -> Milestone:
    project = _lock_project(project_id)
    actions.require(actor, "add_milestone", project)  # staff, under way, weight left
    title = checks.required_text(title, field="title", message=_("Enter a title."))[:200]
    if due_on is None:
        raise DomainError(_("Enter the due date."), field="due_on", code="required")
    checks.check_planned_date(due_on, field="due_on")
    weight = _check_weight(project, weight)
    milestone = Milestone.objects.create(project=project, title=title, due_on=due_on, weight=weight)
    audit.record(actor, "milestone.added", project, milestone=milestone.pk, weight=weight, due_on=str(due_on))
    pages.project_changed(project)
    return milestone


@transaction.atomic
def milestone_update(*, actor, milestone_id, title: str, due_on: dt.date, weight: int) -> Milestone:
    milestone = _lock(Milestone, milestone_id)
    project = _lock_project(milestone.project_id)
    actions.require(actor, "update_milestone", project)
    if milestone.done_on is not None:
        raise TransitionNotAllowed(_("A milestone that is done cannot be changed."), code="milestone_done")
    milestone.title = checks.required_text(title, field="title", message=_("Enter a title."))[:200]
    if due_on is None:
        raise DomainError(_("Enter the due date."), field="due_on", code="required")
    checks.check_planned_date(due_on, field="due_on")
    milestone.due_on = due_on
    milestone.weight = _check_weight(project, weight, excluding=milestone.pk)
    milestone.save(update_fields=["title", "due_on", "weight", "updated_at"])
    audit.record(
        actor,
        "milestone.updated",
        project,
        milestone=milestone.pk,
        weight=milestone.weight,
        due_on=str(due_on),
    )
    pages.project_changed(project)
    return milestone


@transaction.atomic
def milestone_complete(*, actor, milestone_id, done_on: dt.date | None = None) -> Milestone:
    """Mark a milestone done (on a day not in the future). The plan's weights must total 100."""
    milestone = _lock(Milestone, milestone_id)
    project = _lock_project(milestone.project_id)
    actions.require(actor, "complete_milestone", project)  # staff, under way, a full plan
    if milestone.done_on is not None:
        raise TransitionNotAllowed(_("The milestone is already done."), code="milestone_done")
    done_on = done_on or clock.today()
    if done_on > clock.today():
        raise DomainError(_("The date cannot be in the future."), field="done_on", code="future")
    checks.check_past_date(done_on, field="done_on")
    milestone.done_on = done_on
    milestone.save(update_fields=["done_on", "updated_at"])
    audit.record(
        actor,
        "milestone.completed",
        project,
        milestone=milestone.pk,
        done_on=str(done_on),
        late=done_on > milestone.due_on,
    )
    pages.project_changed(project)
    return milestone


@transaction.atomic
def project_complete(*, actor, project_id, completed_on: dt.date | None = None) -> Project:
    """完成: every milestone of a full plan (weights 100) is done."""
    project = _lock_project(project_id)
    actions.require(actor, "complete", project)  # staff, under way, every milestone of a full plan done
    project.move_to(Project.Status.COMPLETED)
    completed_on = completed_on or clock.today()
    if completed_on > clock.today():
        raise DomainError(_("The date cannot be in the future."), field="completed_on", code="future")
    checks.check_past_date(completed_on, field="completed_on")
    project.completed_on = completed_on
    project.save(update_fields=["status", "completed_on", "updated_at"])
    audit.record(actor, "project.completed", project, completed_on=str(completed_on))
    pages.project_changed(project)
    return project


@transaction.atomic
def project_terminate(*, actor, project_id, reason: str) -> Project:
    """已终止: the standing committee (a town's presidium) agreed to stop the project; the reason is kept."""
    project = _lock_project(project_id)
    actions.require(actor, "terminate", project)
    project.move_to(Project.Status.TERMINATED)
    project.termination_reason = checks.required_text(
        reason, field="reason", message=_("Give the reason for terminating.")
    )
    checks.check_length(
        project.termination_reason, field="reason", limit=checks.limit(Project, "termination_reason")
    )
    project.save(update_fields=["status", "termination_reason", "updated_at"])
    audit.record(actor, "project.terminated", project)
    pages.project_changed(project)
    return project


# --- the lead unit and the deputies -----------------------------------------------------------------------


@transaction.atomic
def progress_report_add(
    *, actor, project_id, percent: int, narrative: str, photos=(), is_public: bool = False
) -> ProgressReport:
    """The lead unit reports progress: its estimate (0–100 %), what was done, 0–9 photos (JPEG/PNG/WebP)."""
    project = _lock_project(project_id)
    actions.require(actor, "report", project)  # the lead unit's handlers, while under way
    try:
        percent = int(percent)
    except (TypeError, ValueError):
        percent = -1
    if not 0 <= percent <= 100:
        raise DomainError(_("Progress is a whole number from 0 to 100."), field="percent", code="percent")
    narrative = checks.required_text(narrative, field="narrative", message=_("Describe what was done."))
    checks.check_length(narrative, field="narrative", model=ProgressReport)
    photos = list(photos or [])
    if len(photos) > ProgressReport.MAX_PHOTOS:
        raise DomainError(
            _("At most %(n)d photos.") % {"n": ProgressReport.MAX_PHOTOS}, field="photos", code="too_many"
        )
    checked = [
        uploads.check_upload(upload, accept=uploads.PHOTOS, max_bytes=MAX_PHOTO_BYTES) for upload in photos
    ]
    report = ProgressReport.objects.create(
        project=project,
        unit_id=project.lead_unit_id,
        percent=percent,
        narrative=narrative,
        is_public=bool(is_public),
        reported_by=actor,
    )
    for photo in checked:
        ProgressPhoto.objects.create(
            report=report,
            file=photo.content,
            original_name=photo.original_name,
            content_type=photo.content_type,
            size=photo.size,
        )
    audit.record(
        actor,
        "progress.reported",
        project,
        report=report.pk,
        percent=percent,
        photos=len(photos),
        public=report.is_public,
    )
    if report.is_public:
        pages.project_changed(project)
    return report


@transaction.atomic
def inspection_record(
    *, actor, project_id, kind: str, held_on: dt.date, deputy_ids, findings: str, suggestions: str = ""
) -> Inspection:
    """视察 / 专题询问 / 调研 by deputies of the congress (a group deputy or staff records it)."""
    project = _lock_project(project_id)
    offer = actions.require(actor, "inspect", project)
    if kind not in Inspection.Kind.values:
        raise DomainError(_("Choose the kind of inspection."), field="kind", code="invalid_choice")
    if held_on is None:
        raise DomainError(_("Enter the date."), field="held_on", code="required")
    if held_on > clock.today():
        raise DomainError(_("The date cannot be in the future."), field="held_on", code="future")
    checks.check_past_date(held_on, field="held_on")
    findings = checks.required_text(findings, field="findings", message=_("Record what was found."))
    checks.check_length(findings, field="findings", model=Inspection)
    checks.check_length((suggestions or "").strip(), field="suggestions", model=Inspection)
    wanted = {int(d) for d in deputy_ids}
    if not wanted:
        raise DomainError(_("Choose the deputies taking part."), field="deputies", code="required")
    if not wanted <= set(offer.choices["deputies"]):  # deputies of the project's congress
        raise DomainError(
            _("Choose deputies of %(congress)s only.") % {"congress": project.congress.name},
            field="deputies",
            code="foreign",
        )
    inspection = Inspection.objects.create(
        project=project,
        kind=kind,
        held_on=held_on,
        findings=findings,
        suggestions=(suggestions or "").strip(),
        recorded_by=actor,
    )
    inspection.deputies.set(Deputy.objects.filter(pk__in=wanted))
    audit.record(
        actor, "inspection.recorded", project, inspection=inspection.pk, kind=kind, deputies=len(wanted)
    )
    return inspection


# --- the satisfaction vote (满意度测评) -------------------------------------------------------------------


@transaction.atomic
def satisfaction_vote_create(*, actor, congress, session, year: int) -> VoteSession:
    """Prepare the satisfaction vote on `year`'s projects of `congress` at a session of a later year: a
    voting.VoteSession of kind "satisfaction" over the projects' candidates (terminated projects are not rated).
    Refused if one exists already for that year."""
    ensure(actor, "projects.manage", congress)
    try:
        solicitation = Solicitation.objects.select_for_update().get(congress=congress, year=year)
    except Solicitation.DoesNotExist:
        raise DomainError(
            _("%(congress)s has no livelihood projects for %(year)d.")
            % {"congress": congress.name, "year": year},
            field="year",
            code="no_projects",
        ) from None
    if session is None or session.start_date.year <= year:
        raise DomainError(
            _("The projects of %(year)d are rated at a session of a later year.") % {"year": year},
            field="session",
            code="session_too_early",
        )
    if solicitation.votes.filter(kind=VoteSession.Kind.SATISFACTION).exists():
        raise Conflict(
            _("The satisfaction vote on the projects of %(year)d is already prepared.") % {"year": year},
            code="duplicate",
        )
    candidate_ids = list(
        Project.objects.filter(congress=congress, year=year)
        .exclude(status=Project.Status.TERMINATED)
        .order_by("candidate__number")
        .values_list("candidate_id", flat=True)
    )
    if not candidate_ids:
        raise DomainError(
            _("%(congress)s has no livelihood projects for %(year)d.")
            % {"congress": congress.name, "year": year},
            field="year",
            code="no_projects",
        )
    vote = voting.vote_create(
        actor=actor,
        solicitation_id=solicitation.pk,
        session=session,
        seats=len(candidate_ids),
        title=_("Satisfaction vote on the livelihood projects of %(year)d") % {"year": year},
        candidate_ids=candidate_ids,
        kind=VoteSession.Kind.SATISFACTION,
    )
    audit.record(actor, "project.satisfaction_vote_created", vote, year=year, projects=len(candidate_ids))
    return vote
