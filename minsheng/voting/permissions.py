"""Who may do what in votes. Voting itself is only for a deputy of the electorate (checked in the service)."""

from minsheng.accounts.permissions import Role, has_role, staff_covers, staff_scope_prefix
from minsheng.common.permissions import rule


@rule("voting.manage")
def can_manage(actor, congress) -> bool:
    """Solicitations, screening, candidates, opening/closing votes, check-in, paper ballots, publishing."""
    return congress is not None and staff_covers(actor, congress)


@rule("voting.vote")
def can_vote(actor, vote) -> bool:
    """Deputies cast their own ballot; the service checks they are in the electorate."""
    return vote is not None and has_role(actor, Role.DEPUTY)


@rule("voting.propose")
def can_propose(actor, solicitation) -> bool:
    """Anyone, with or without an account, while the window is open (checked in the service)."""
    return solicitation is not None


@rule("voting.view_result")
def can_view_result(actor, vote) -> bool:
    return vote is not None and (vote.status == vote.Status.PUBLISHED or staff_covers(actor, vote.congress))


@rule("voting.view_dashboard")
def can_view_dashboard(actor, obj) -> bool:
    """The three-level dashboard: congress staff (scoped to their region by the selector) and admins."""
    return staff_scope_prefix(actor) is not None
