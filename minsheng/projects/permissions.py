"""Who may do what with livelihood projects.

Staff covering the project's congress manage it (create from the vote, edit, group, milestones, status, the
satisfaction vote) and may record inspections; handlers of the lead unit report progress; deputies of the
supervision group record inspections. Those three see the project; everyone else sees only the public page.
Lists are scoped in selectors.projects_for with the same predicates (another congress's project answers 404).
"""

from minsheng.accounts.permissions import Role, has_role, staff_covers
from minsheng.common.permissions import rule


def is_lead_unit_handler(actor, project) -> bool:
    return bool(
        project is not None
        and has_role(actor, Role.UNIT_HANDLER)
        and actor.unit_id is not None
        and actor.unit_id == project.lead_unit_id
    )


def is_group_deputy(actor, project) -> bool:
    return bool(
        project is not None
        and has_role(actor, Role.DEPUTY)
        and actor.deputy_id is not None
        and project.members.filter(deputy_id=actor.deputy_id).exists()
    )


@rule("projects.manage")
def can_manage(actor, congress) -> bool:
    """Create projects from a vote, edit them, set groups and milestones, move their status."""
    return congress is not None and staff_covers(actor, congress)


@rule("projects.report")
def can_report(actor, project) -> bool:
    """Progress reports come from the lead unit's handlers only."""
    return is_lead_unit_handler(actor, project)


@rule("projects.inspect")
def can_inspect(actor, project) -> bool:
    """Inspections are recorded by a deputy of the supervision group or by the congress's staff."""
    return project is not None and (staff_covers(actor, project.congress) or is_group_deputy(actor, project))


@rule("projects.view")
def can_view(actor, project) -> bool:
    """The internal project page: staff of the congress, the lead unit, the supervision group."""
    return project is not None and (
        staff_covers(actor, project.congress)
        or is_lead_unit_handler(actor, project)
        or is_group_deputy(actor, project)
    )
