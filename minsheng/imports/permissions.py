"""Who imports rosters and sees the imports.

- Congress staff import rosters into their congress and the congresses within its region; admins anywhere
  (`imports.start`, given the congress the import is for).
- Staff see the imports of the congresses they cover and their own; admins all (`imports.view_list`,
  `imports.view`). Nobody else sees the imports page, the templates or the API.
"""

from minsheng.accounts.permissions import is_admin, staff_covers, staff_scope_prefix
from minsheng.common.permissions import rule


@rule("imports.view_list")
def can_view_list(actor, obj) -> bool:
    """The imports pages and the roster templates: staff and admins."""
    return staff_scope_prefix(actor) is not None


@rule("imports.start")
def can_start(actor, congress) -> bool:
    return congress is not None and staff_covers(actor, congress)


@rule("imports.view")
def can_view(actor, job) -> bool:
    if job is None or staff_scope_prefix(actor) is None:
        return False
    return is_admin(actor) or job.created_by_id == actor.pk or staff_covers(actor, job.congress)
