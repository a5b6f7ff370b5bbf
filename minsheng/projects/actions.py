"""One rule per action: what an actor may do with a livelihood project now — its particulars, its supervision
group, its plan (milestones), its status, the lead unit's progress reports, the deputies' inspections — and
with which choices (units, a place prefix, deputies, milestones, the weight left); and with a published vote
(its projects).

Pages render this answer (`data-action="<name>"` on each offered control), the API returns it as
`available_actions` on the project's detail (the same names), and every service calls `require()` before it
writes. `tests/test_actions.py` walks every role × state × action and checks that the three agree. The
`Offer`, the refusal order (permission, then state, then data) and the asking are `minsheng.common.actions`'.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db.models import Sum
from django.utils.translation import gettext as _

from minsheng.common.actions import Offer, Refusal, Tables, move_refusal, not_allowed
from minsheng.common.actions import first_refusal as _offer
from minsheng.common.errors import DomainError, TransitionNotAllowed
from minsheng.common.permissions import can
from minsheng.deputies.models import Seat
from minsheng.voting import selectors as voting_selectors
from minsheng.voting.models import VoteSession

from .models import Milestone, Project

FULL_WEIGHT = 100


def _rule(actor, name: str, obj) -> Callable[[], Refusal | None]:
    return lambda: None if can(actor, name, obj) else not_allowed()


def under_way_refusal(project: Project) -> TransitionNotAllowed | None:
    if project.status != Project.Status.UNDER_WAY:
        return TransitionNotAllowed(
            _("The project is “%(status)s”: it can no longer be changed.")
            % {"status": project.get_status_display()},
            code="not_under_way",
        )
    return None


def weights_of(project: Project) -> int:
    return Milestone.objects.filter(project=project).aggregate(total=Sum("weight"))["total"] or 0


def full_plan_refusal(project: Project) -> DomainError | None:
    total = weights_of(project)
    if total != FULL_WEIGHT:
        return DomainError(
            _("The milestones' weights total %(total)d, not 100: complete the plan first.")
            % {"total": total},
            field="weight",
            code="weights_not_100",
        )
    return None


def _ids(qs) -> list[int]:
    return [int(pk) for pk in qs]


def _manage(actor, project: Project) -> Callable[[], Refusal | None]:
    return _rule(actor, "projects.manage", project.congress)


def _open_milestones(project: Project) -> list[int]:
    return _ids(
        project.milestones.filter(done_on__isnull=True).order_by("due_on", "id").values_list("pk", flat=True)
    )


# --- a project ----------------------------------------------------------------------------------------------


def _update(actor, project: Project) -> Offer:
    return _offer(
        "update",
        _manage(actor, project),
        lambda: under_way_refusal(project),
        choices=lambda: {
            "lead_units": _ids(
                voting_selectors.lead_units_for(project.congress).values_list("pk", flat=True)
            ),
            "place_prefix": project.congress.region_prefix,
        },
    )


def _set_group(actor, project: Project) -> Offer:
    return _offer(
        "set_group",
        _manage(actor, project),
        lambda: under_way_refusal(project),
        choices=lambda: {"deputies": seated_deputies(project, active_only=True)},
    )


def _add_milestone(actor, project: Project) -> Offer:
    state: dict[str, int] = {}

    def weight_left():
        state["left"] = FULL_WEIGHT - weights_of(project)
        if state["left"] < 1:
            return DomainError(
                _("The weights of a project's milestones total 100; %(left)d is left.") % {"left": 0},
                field="weight",
                code="weights_over_100",
            )
        return None

    return _offer(
        "add_milestone",
        _manage(actor, project),
        lambda: under_way_refusal(project),
        weight_left,
        choices=lambda: {"max_weight": state["left"]},
    )


def _milestones_left(name: str, project: Project, *checks) -> Offer:
    state: dict[str, list[int]] = {}

    def some_left():
        state["milestones"] = _open_milestones(project)
        if not state["milestones"]:
            return TransitionNotAllowed(_("No milestone is left to do."), code="milestone_done")
        return None

    return _offer(name, *checks, some_left, choices=lambda: {"milestones": state["milestones"]})


def _update_milestone(actor, project: Project) -> Offer:
    return _milestones_left(
        "update_milestone", project, _manage(actor, project), lambda: under_way_refusal(project)
    )


def _complete_milestone(actor, project: Project) -> Offer:
    return _milestones_left(
        "complete_milestone",
        project,
        _manage(actor, project),
        lambda: under_way_refusal(project),
        lambda: full_plan_refusal(project),
    )


def _complete(actor, project: Project) -> Offer:
    def all_done():
        if project.milestones.filter(done_on__isnull=True).exists():
            return TransitionNotAllowed(_("Some milestones are not done yet."), code="milestones_open")
        return None

    return _offer(
        "complete",
        _manage(actor, project),
        lambda: move_refusal(project, Project.Status.COMPLETED),
        lambda: full_plan_refusal(project),
        all_done,
    )


def _terminate(actor, project: Project) -> Offer:
    return _offer(
        "terminate", _manage(actor, project), lambda: move_refusal(project, Project.Status.TERMINATED)
    )


def _report(actor, project: Project) -> Offer:
    return _offer(
        "report",
        _rule(actor, "projects.report", project),
        lambda: under_way_refusal(project),
        choices=lambda: {"max_photos": 9},
    )


def _inspect(actor, project: Project) -> Offer:
    """Inspections may be recorded at any time, also of a completed or terminated project."""
    return _offer(
        "inspect",
        _rule(actor, "projects.inspect", project),
        choices=lambda: {"deputies": seated_deputies(project, active_only=False)},
    )


def seated_deputies(project: Project, *, active_only: bool) -> list[int]:
    """The deputies of the project's congress: a group has deputies in office, an inspection any of its
    deputies (a seat ended since is still a seat)."""
    seats = Seat.objects.filter(congress_id=project.congress_id)
    if active_only:
        seats = seats.filter(status=Seat.Status.ACTIVE)
    return sorted({int(d) for d in seats.values_list("deputy_id", flat=True)})


PROJECT_ACTIONS: dict[str, Callable[[Any, Project], Offer]] = {
    "update": _update,
    "set_group": _set_group,
    "add_milestone": _add_milestone,
    "update_milestone": _update_milestone,
    "complete_milestone": _complete_milestone,
    "complete": _complete,
    "terminate": _terminate,
    "report": _report,
    "inspect": _inspect,
}


# --- a published vote: its projects ---------------------------------------------------------------------------


def _create_projects(actor, vote: VoteSession) -> Offer:
    def kind():
        if vote.kind not in (VoteSession.Kind.SELECTION, VoteSession.Kind.RUNOFF):
            return DomainError(_("Projects come from a vote choosing projects."), code="wrong_kind")
        return None

    def published():
        if vote.status != VoteSession.Status.PUBLISHED:
            return TransitionNotAllowed(_("The vote's result must be published first."), code="not_published")
        return None

    return _offer("create_projects", _rule(actor, "projects.manage", vote.congress), kind, published)


VOTE_ACTIONS: dict[str, Callable[[Any, VoteSession], Offer]] = {"create_projects": _create_projects}


# --- asking (common/actions.py) -----------------------------------------------------------------------------

TABLES = Tables({Project: PROJECT_ACTIONS, VoteSession: VOTE_ACTIONS}, what="project actions")
offer = TABLES.offer
offers = TABLES.offers
offered = TABLES.offered
available_actions = TABLES.available_actions
require = TABLES.require
