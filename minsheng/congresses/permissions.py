from minsheng.accounts.permissions import staff_covers
from minsheng.common.permissions import rule


@rule("congresses.view")
def can_view(actor, obj) -> bool:
    return True


@rule("congresses.manage")
def can_manage(actor, congress) -> bool:
    """Terms and sessions: staff of the congress or of a congress above it."""
    return staff_covers(actor, congress)
