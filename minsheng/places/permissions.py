from minsheng.accounts.permissions import staff_covers_prefix
from minsheng.common.permissions import rule


@rule("places.view")
def can_view(actor, obj) -> bool:
    return True


@rule("places.create")
def can_create(actor, parent) -> bool:
    """Staff add places within their congress's region (`parent` is the place above the new one)."""
    return parent is not None and staff_covers_prefix(actor, parent.code)


@rule("places.rename")
def can_rename(actor, place) -> bool:
    return place is not None and staff_covers_prefix(actor, place.code)
