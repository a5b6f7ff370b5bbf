"""The cases' cached pages and figures (common/pagecache.py): their scopes, and the calls the services make.

`WALL`: the wish wall, its filters and pages, and a wish's public page (`views/public.py`). `ANSWERS`: the
published answers and an answer's public page. A service that changes what they show calls `case_changed(case)`
in its transaction; the version moves on commit. `QUEUES`: the staff's queue counts (`selectors.
queue_counts_for`), kept per region prefix; every service that locks a case (`services._base._lock`) or
records one calls `queues_changed(case)`, which moves the versions of every region above the case's congress."""

from minsheng.common import pagecache

from .models import Case

WALL = "cases.wall"
ANSWERS = "cases.answers"
QUEUES = "cases.queues"
CONGRESSES = "cases.congress_ids"  # the ids of a region's congresses (selectors.congress_ids_under)
FILTER_UNITS = "cases.filter_units"  # the staff list's drop-downs of units and counties (views/lists.py)
FILTER_PLACES = "cases.filter_places"
# the lengths of a region prefix (Place codes: province 2, city 4, county 6, township 9, village 12)
PREFIX_LENGTHS = (2, 4, 6, 9, 12)


def case_changed(case: Case) -> None:
    """The public pages that show `case` are new once this transaction commits: the wall for a wish on it (call
    before taking it off), the published answers for a published case."""
    if case.kind == Case.Kind.WISH and case.on_wall_at is not None:
        pagecache.bump(WALL)
    if case.published_at is not None:
        pagecache.bump(ANSWERS)


def queues_changed(case: Case) -> None:
    """The queue counts of the staff over `case` are new once this transaction commits: those of each region
    above its congress (and the admins', who see everything: the unkeyed version, moved by every keyed bump)."""
    region = case.congress.region_prefix
    prefixes = {region[:n] for n in PREFIX_LENGTHS if n < len(region)} | {region}
    pagecache.bump(QUEUES, keys=tuple(sorted(p for p in prefixes if p)))


def congresses_changed(**kwargs) -> None:
    """A congress was made, changed or removed (post_save / post_delete, connected in apps.py): the regions'
    lists of congress ids are read again, at once and after the commit."""
    pagecache.bump(CONGRESSES, now=True)


def units_changed(**kwargs) -> None:
    """A unit was made, changed or removed: the staff list's unit drop-downs are read again."""
    pagecache.bump(FILTER_UNITS, now=True)


def places_changed(**kwargs) -> None:
    """A place was made, changed or removed: the staff list's county drop-downs are read again."""
    pagecache.bump(FILTER_PLACES, now=True)
