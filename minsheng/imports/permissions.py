from minsheng.accounts.permissions import is_admin, staff_covers
from minsheng.common.permissions import rule


@rule("imports.start")
def can_start(actor, congress) -> bool:
    return congress is not None and staff_covers(actor, congress)


@rule("imports.view")
def can_view(actor, job) -> bool:
    if job is None:
        return False
    return is_admin(actor) or job.created_by_id == actor.pk or staff_covers(actor, job.congress)
