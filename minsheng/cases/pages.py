"""The cases' public pages in the cache (common/pagecache.py): their scopes, and the one call the services make.

`WALL`: the wish wall, its filters and pages, and a wish's public page (`views/public.py`). `ANSWERS`: the
published answers and an answer's public page. A service that changes what they show calls `case_changed(case)`
in its transaction; the version moves on commit."""

from minsheng.common import pagecache

from .models import Case

WALL = "cases.wall"
ANSWERS = "cases.answers"


def case_changed(case: Case) -> None:
    """The public pages that show `case` are new once this transaction commits: the wall for a wish on it (call
    before taking it off), the published answers for a published case."""
    if case.kind == Case.Kind.WISH and case.on_wall_at is not None:
        pagecache.bump(WALL)
    if case.published_at is not None:
        pagecache.bump(ANSWERS)
