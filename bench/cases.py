"""The cases part of `python -m bench` (issue 3): build N cases (`cases_data.py`), then time the case pages
over real HTTP beside the bare /healthz/ view, and count the SQL queries of each page for a small and a large
answer (the same count for both: no N+1).

Who asks what:

- the public wish wall `/cases/wall/` with its filters (state, category, group, town) and pages, anonymous;
- the staff queue `/cases/?queue=overdue` (overdue first: the earliest deadline first) with its pages and the
  kind filter, as the staff of the city whose region has the most cases;
- a unit's inbox `/cases/inbox/` with its status filter and pages, as the handler of the unit with the most
  assignments;
- a case page `/cases/<id>/` of a random case of that city, as its staff;
- the statistics `/cases/stats/` as that city's staff and as an admin (every case of the region);
- full-text search `/cases/?q=<word>` and `/api/v1/cases/?q=<word>` as the city's staff, over common words
  of the cases' titles and contents;
- `/healthz/`, the floor.

The statistics cost seconds at the largest scale, so they are asked one round in `STATS_EVERY` (ten); every
other endpoint once a round, the endpoints interleaved.
"""

from __future__ import annotations

import json
import os
import random
import re
import time
from collections import Counter
from dataclasses import dataclass
from urllib.parse import urlencode

from .clients import Sample

STATS_EVERY = 10
# Words of the cases' titles and contents (see cases_data.TOPICS, MICRO_PROJECTS, WISHES), common and rare.
SEARCH_WORDS = [
    "道路",
    "养老",
    "学校",
    "路灯",
    "轮椅",
    "垃圾",
    "卫生院",
    "停车",
    "留守儿童",
    "排水",
    "公交",
    "农村 公路",
]
RARE_WORDS = ["护理床", "燃气", "碉楼"]


@dataclass
class Endpoint:
    key: str
    name: str
    url: str
    who: str | None  # None: anonymous; else the name of the session
    marker: bytes | None  # what counts the rows found on the page; None: the API's count or nothing
    every: int = 1


ENDPOINTS = [
    Endpoint("wall", "public wish wall", "/cases/wall/?<filters>", None, b'data-testid="wall-card"'),
    Endpoint(
        "queue",
        "staff queue, overdue first",
        "/cases/?queue=overdue[&kind][&page]",
        "staff",
        b'data-testid="case-row"',
    ),
    Endpoint("inbox", "unit inbox", "/cases/inbox/[?status][&page]", "handler", b'data-testid="inbox-row"'),
    Endpoint("case", "case page", "/cases/<id>/", "staff", b'data-testid="case-header"'),
    Endpoint("stats_city", "statistics, city staff", "/cases/stats/", "staff", b"", STATS_EVERY),
    Endpoint("stats_admin", "statistics, admin", "/cases/stats/", "admin", b"", STATS_EVERY),
    Endpoint("search", "full-text search page", "/cases/?q=<word>", "staff", b'data-testid="case-row"'),
    Endpoint("search_api", "full-text search API", "/api/v1/cases/?q=<word>", "staff", None),
    Endpoint("healthz", "bare view /healthz/", "/healthz/", None, None),
]
_TOTAL = re.compile(rb'data-testid="total-cases">([\d,\s]+)<')


def say(message: str) -> None:
    print(message, flush=True)


# --- who and what -----------------------------------------------------------------------------------------


@dataclass
class Cast:
    admin: object
    staff: object  # the staff of the city with the most cases
    city_prefix: str
    handler: object  # the handler of the unit with the most assignments
    unit_id: int


def find_cast(admin) -> Cast:
    from django.db.models import Count
    from django.db.models.functions import Substr

    from minsheng.accounts.models import User
    from minsheng.cases.models import Assignment, Case
    from minsheng.congresses.models import Congress

    cities = (
        Case.objects.annotate(city=Substr("congress__region_prefix", 1, 4))
        .values("city")
        .annotate(n=Count("id"))
        .order_by("-n", "city")
    )
    prefix = cities[0]["city"]
    city = Congress.objects.get(level="city", region_prefix=prefix)
    staff = User.objects.filter(role="congress_staff", congress=city, is_active=True).order_by("id").first()
    top = (
        Assignment.objects.exclude(status="removed")
        .values("unit_id")
        .annotate(n=Count("id"))
        .order_by("-n", "unit_id")
        .first()
    )
    handler = (
        User.objects.filter(role="unit_handler", unit_id=top["unit_id"], is_active=True)
        .order_by("id")
        .first()
    )
    return Cast(admin=admin, staff=staff, city_prefix=prefix, handler=handler, unit_id=top["unit_id"])


class Plan:
    """The URLs of every endpoint, drawn from a seeded generator among answers that are not empty."""

    def __init__(self, cast: Cast, rng: random.Random):
        from django.db.models import Count

        from minsheng.cases import selectors
        from minsheng.cases.models import Case
        from minsheng.cases.views._base import PAGE_SIZE
        from minsheng.cases.views.public import WALL_PAGE_SIZE

        self.rng = rng
        # The wall: the filters people use, each kept only when it shows something.
        wall = []
        for state in ("", "open", "claimed", "realised"):
            wall.append({"state": state} if state else {})
        for category in ("material", "service"):
            wall.append({"category": category})
        for group in ("elderly_alone", "child", "subsistence", "disabled"):
            wall.append({"group": group, "state": "open"})
        towns = sorted(wall_towns())
        for town in rng.sample(towns, min(8, len(towns))):
            wall.append({"township": town})
        self.wall = []
        for query in wall:
            n = selectors.wall_list(
                township_code=query.get("township", ""),
                category=query.get("category", ""),
                group=query.get("group", ""),
                state=query.get("state", ""),
            ).count()
            if n:
                self.wall.append((query, (n + WALL_PAGE_SIZE - 1) // WALL_PAGE_SIZE))
        # The staff queue, by kind and page.
        scope = selectors.case_scope_for(cast.staff)
        overdue = selectors.apply_queue(scope, "overdue")
        self.queue = [({}, (overdue.count() + PAGE_SIZE - 1) // PAGE_SIZE)]
        for kind, n in overdue.values_list("kind").annotate(n=Count("id")).order_by("kind"):
            self.queue.append(({"kind": kind}, (n + PAGE_SIZE - 1) // PAGE_SIZE))
        # The inbox, by status and page.
        inbox = selectors.unit_inbox_for(cast.handler)
        self.inbox = [({}, (inbox.count() + PAGE_SIZE - 1) // PAGE_SIZE)]
        for status, n in inbox.values_list("status").annotate(n=Count("id")).order_by("status"):
            self.inbox.append(({"status": status}, (n + PAGE_SIZE - 1) // PAGE_SIZE))
        # Case pages: random cases of the city.
        ids = list(scope.order_by("id").values_list("id", flat=True))
        self.cases = ids
        # Searches: the words that find something in the city.
        self.words = [w for w in SEARCH_WORDS if selectors.case_list_for(cast.staff, q=w).exists()]
        self.sizes = {
            "wall_filters": len(self.wall),
            "queue_overdue": overdue.count(),
            "inbox": inbox.count(),
            "city_cases": len(ids),
            "search_words": len(self.words),
        }
        self.case_count = Case.objects.count()

    def _page(self, options):
        query, pages = self.rng.choice(options)
        query = dict(query)
        if pages > 1 and self.rng.random() < 0.4:
            query["page"] = self.rng.randint(2, min(pages, 20))
        return query

    def url(self, key: str) -> str:
        rng = self.rng
        if key == "wall":
            return "/cases/wall/?" + urlencode(self._page(self.wall))
        if key == "queue":
            return "/cases/?" + urlencode({"queue": "overdue", **self._page(self.queue)})
        if key == "inbox":
            query = self._page(self.inbox)
            return "/cases/inbox/" + ("?" + urlencode(query) if query else "")
        if key == "case":
            return f"/cases/{rng.choice(self.cases)}/"
        if key in ("stats_city", "stats_admin"):
            return "/cases/stats/"
        if key == "search":
            return "/cases/?" + urlencode({"q": rng.choice(self.words)})
        if key == "search_api":
            return "/api/v1/cases/?" + urlencode({"q": rng.choice(self.words)})
        return "/healthz/"


# --- query counts ---------------------------------------------------------------------------------------------


def query_counts(cast: Cast) -> dict:
    """SQL queries of one request of each page, in process, for a small and a large answer. A page whose
    count grows with its rows has an N+1."""
    from django.db import connection
    from django.db.models import Count
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from minsheng.accounts.models import User
    from minsheng.cases import selectors
    from minsheng.cases.models import Assignment, Case

    def count(user, url: str) -> dict:
        client = Client()
        if user is not None:
            client.force_login(user)
        if (
            "/stats/" not in url
        ):  # warm the process's caches (content types, ...) as a serving worker has them
            client.get(url)
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(url)
        body = response.content
        rows = max(
            body.count(b'data-testid="case-row"'),
            body.count(b'data-testid="inbox-row"'),
            body.count(b'data-testid="wall-card"'),
        )
        if url.startswith("/api/"):
            rows = len(json.loads(body).get("results", []))
        return {
            "url": url,
            "status": response.status_code,
            "queries": len(ctx.captured_queries),
            "rows": rows,
        }

    # Small answers: a town congress's staff with a few overdue cases, a unit with a few assignments, a
    # case with one of everything, a town on the wall with a few wishes, a rare word.
    small_staff = None
    for congress_id, _n in (
        selectors.apply_queue(Case.objects.filter(congress__level="township"), "overdue")
        .values_list("congress_id")
        .annotate(n=Count("id"))
        .order_by("n", "congress_id")[:50]
    ):
        small_staff = User.objects.filter(role="congress_staff", congress_id=congress_id).first()
        if small_staff is not None:
            break
    small_unit = (
        Assignment.objects.exclude(status="removed")
        .values("unit_id")
        .annotate(n=Count("id"))
        .filter(n__gte=2)
        .order_by("n", "unit_id")
        .first()
    )
    small_handler = User.objects.filter(role="unit_handler", unit_id=small_unit["unit_id"]).first()
    inbox = selectors.unit_inbox_for(small_handler)
    small_inbox = _smallest(
        [({}, inbox.count())] + [({"status": s}, inbox.filter(status=s).count()) for s in Assignment.LIVE]
    )
    closed = Case.objects.filter(status="closed", kind="suggestion")
    small_case = (
        closed.filter(round=1)
        .annotate(a=Count("assignments", distinct=True), c=Count("cosigner_links", distinct=True))
        .filter(a=1, c=0)
        .order_by("id")
        .first()
    )
    large_case = (
        closed.filter(round=2)
        .annotate(a=Count("assignments", distinct=True), c=Count("cosigner_links", distinct=True))
        .filter(c__gte=1)
        .order_by("-a", "-c", "id")
        .first()
    ) or closed.annotate(a=Count("assignments")).order_by("-a", "id").first()
    towns = wall_towns()
    town = min(sorted(towns), key=towns.get)
    small_wall = _smallest(
        [
            ({"township": town, "state": state}, selectors.wall_list(township_code=town, state=state).count())
            for state in ("", "open", "claimed", "realised")
        ]
    )
    hits = {w: selectors.case_list_for(cast.staff, q=w).count() for w in RARE_WORDS + SEARCH_WORDS}
    rare = min((w for w in hits if hits[w]), key=hits.get)
    small_search = _smallest(
        [({"q": rare}, hits[rare])]
        + [
            ({"q": rare, "status": s}, selectors.case_list_for(cast.staff, q=rare, status=s).count())
            for s in Case.Status.values
        ]
    )
    pairs = {
        "wall": (
            (None, "/cases/wall/?" + urlencode(small_wall)),
            (None, "/cases/wall/"),
        ),
        "queue": ((small_staff, "/cases/?queue=overdue"), (cast.staff, "/cases/?queue=overdue")),
        "inbox": (
            (small_handler, "/cases/inbox/?" + urlencode(small_inbox)),
            (cast.handler, "/cases/inbox/"),
        ),
        "case": ((cast.admin, f"/cases/{small_case.pk}/"), (cast.admin, f"/cases/{large_case.pk}/")),
        "stats": ((small_staff, "/cases/stats/"), (cast.admin, "/cases/stats/")),
        "search": ((cast.staff, "/cases/?" + urlencode(small_search)), (cast.staff, "/cases/?q=道路")),
        "search_api": (
            (cast.staff, "/api/v1/cases/?" + urlencode(small_search)),
            (cast.staff, "/api/v1/cases/?q=道路"),
        ),
    }
    counts = {}
    for key, ((small_user, small_url), (large_user, large_url)) in pairs.items():
        small = count(small_user, small_url)
        large = count(large_user, large_url)
        counts[key] = {"small": small, "large": large, "n_plus_1": large["queries"] > small["queries"]}
    if small_case and large_case:
        counts["case"]["small"]["related"] = _related(small_case.pk)
        counts["case"]["large"]["related"] = _related(large_case.pk)
    return counts


def _smallest(candidates: list[tuple[dict, int]]) -> dict:
    """The query of the smallest answer that is not empty."""
    found = [(n, i) for i, (_query, n) in enumerate(candidates) if n]
    return candidates[min(found)[1]][0] if found else candidates[0][0]


def wall_towns() -> Counter:
    """The towns and streets the wall's filter offers (those of the default city), with how many wishes of
    the wall each holds (the ones that hold some)."""
    from django.db.models.functions import Substr

    from minsheng.cases import selectors
    from minsheng.cases.views.public import _townships

    offered = set(_townships().values_list("code", flat=True))
    prefix = next(iter(offered), "")[:4]
    codes = (
        selectors.wall_list(state="")
        .filter(place__code__startswith=prefix)
        .annotate(town=Substr("place__code", 1, 9))
        .values_list("town", flat=True)
        .order_by()
    )
    return Counter(code for code in codes.iterator(chunk_size=10_000) if code in offered)


def _related(case_id: int) -> dict:
    from minsheng.cases.models import Answer, Assignment, Claim, Cosigner, Rating
    from minsheng.common.models import AuditRecord

    return {
        "cosigners": Cosigner.objects.filter(case_id=case_id).count(),
        "assignments": Assignment.objects.filter(case_id=case_id).count(),
        "answers": Answer.objects.filter(case_id=case_id).count(),
        "ratings": Rating.objects.filter(case_id=case_id).count(),
        "claims": Claim.objects.filter(case_id=case_id).count(),
        "audit_records": AuditRecord.objects.filter(target_id=str(case_id), verb__startswith="case.").count(),
    }


# --- timing ---------------------------------------------------------------------------------------------------


def time_endpoints(client, plan: Plan, *, requests: int, warmup: int) -> dict[str, Sample]:
    samples = {e.key: Sample(e.name, e.url) for e in ENDPOINTS}
    for i in range(warmup + requests):
        for e in ENDPOINTS:
            if i % e.every:
                continue
            status, body, ms = client.get(plan.url(e.key), signed_in=e.who or False)
            sample = samples[e.key]
            if i < warmup:
                if status != 200:
                    sample.add(ms, status)  # a failure during warm-up still fails the run
                continue
            sample.add(ms, status)
            if status != 200 or e.key == "healthz":
                continue
            if e.key == "search_api":
                try:
                    sample.found(int(json.loads(body).get("count") or 0))
                except ValueError:
                    sample.found(0)
            elif e.key.startswith("stats"):
                match = _TOTAL.search(body)
                sample.found(int(re.sub(rb"\D", b"", match.group(1)) or 0) if match else 0)
            else:
                sample.found(body.count(e.marker))
    return samples


def sessions_for(users: dict) -> dict[str, dict[str, str]]:
    from django.conf import settings
    from django.test import Client

    sessions = {}
    for name, user in users.items():
        client = Client()
        client.force_login(user)
        sessions[name] = {settings.SESSION_COOKIE_NAME: client.cookies[settings.SESSION_COOKIE_NAME].value}
    return sessions


def run(args, *, admin, analyze) -> dict:
    """Build the cases (unless the database has them: --reuse), count queries, time the pages."""
    from django.db import connections

    from minsheng.cases.models import Case

    from .cases_data import SIZES, build_cases

    result: dict = {}
    existing = Case.objects.count()
    if existing and args.reuse:
        say(f"cases: reusing the {existing} cases in the database")
        result["built"] = None
    else:
        count = args.cases if args.cases is not None else SIZES[args.scale]
        say(f"building {count} cases ...")
        built = build_cases(scale=args.scale, seed=args.seed, count=count, progress=say)
        say(f"cases built in {built.timings['total_s']} s ({built.timings})")
        result["built"] = {"counts": built.counts, "timings": built.timings}
    t = time.perf_counter()
    vacuum_analyze(analyze)
    result["vacuum_analyze_s"] = round(time.perf_counter() - t, 2)
    result["rollup"] = time_rollup(random.Random(args.seed))
    say(f"statistics summary: {result['rollup']}")
    result["sizes"] = table_sizes()

    cast = find_cast(admin)
    say(
        f"cast: city staff {cast.staff.username} ({cast.city_prefix}), handler {cast.handler.username} "
        f"(unit {cast.unit_id})"
    )
    t = time.perf_counter()
    plan = Plan(cast, random.Random(args.seed))
    result["plan"] = {**plan.sizes, "seconds": round(time.perf_counter() - t, 2)}
    say(f"plan: {plan.sizes}")
    t = time.perf_counter()
    result["queries"] = query_counts(cast)
    result["queries_s"] = round(time.perf_counter() - t, 2)
    for key, pair in result["queries"].items():
        small, large = pair["small"], pair["large"]
        what = "related" if "related" in small else "rows"
        say(
            f"  queries {key}: small {small['queries']} ({small.get(what)} {what}), "
            f"large {large['queries']} ({large.get(what)} {what})"
        )
    users = {"staff": cast.staff, "handler": cast.handler, "admin": cast.admin}
    if args.in_process:
        from .clients import InProcessClient

        client = InProcessClient(users=users)
    else:
        from .clients import GunicornClient

        sessions = sessions_for(users)
        connections.close_all()
        client = GunicornClient(workers=args.workers, sessions=sessions)
    say(
        f"timing the case pages: {args.case_rounds} rounds after {args.case_warmup} warm-up "
        f"({client.description}) ..."
    )
    load_before = os.getloadavg()
    try:
        t = time.perf_counter()
        samples = time_endpoints(client, plan, requests=args.case_rounds, warmup=args.case_warmup)
        result["http_s"] = round(time.perf_counter() - t, 2)
    finally:
        client.stop()
    result["loadavg_1m_before_http"] = round(load_before[0], 2)
    result["loadavg_1m_after_http"] = round(os.getloadavg()[0], 2)
    result["cast"] = {
        "staff": cast.staff.username,
        "city_prefix": cast.city_prefix,
        "handler": cast.handler.username,
        "unit_id": cast.unit_id,
    }
    result["http"] = {
        "mode": client.mode,
        "description": client.description,
        "rounds": args.case_rounds,
        "warmup": args.case_warmup,
        "endpoints": {key: {"name": s.name, **s.summary()} for key, s in samples.items()},
    }
    failures = []
    for key, sample in samples.items():
        if not sample.ok:
            failures.append(f"cases {key}: statuses {sample.statuses}")
        if key != "healthz" and sample.results and sample.empty_results:
            failures.append(
                f"cases {key}: {sample.empty_results} of {len(sample.results)} answers were empty"
            )
    for key, pair in result["queries"].items():
        if pair["small"]["status"] != 200 or pair["large"]["status"] != 200:
            failures.append(
                f"cases queries {key}: statuses {pair['small']['status']}, {pair['large']['status']}"
            )
        if pair["n_plus_1"]:
            failures.append(
                f"cases queries {key}: {pair['large']['queries']} queries for {pair['large']['rows']} rows, "
                f"{pair['small']['queries']} for {pair['small']['rows']}: an N+1"
            )
    result["failures"] = failures
    return result


def time_rollup(rng: random.Random) -> dict:
    """The statistics' summary table (`insights/rollup.py`): a full rebuild (the nightly job), an incremental
    refresh with nothing changed (the cost of finding the changes) and one after 50 cases of random
    congresses changed (a few minutes of work: an audit record on each, as the services leave), then
    `ANALYZE` of the table. The statistics pages timed below read it."""
    from django.db import connection
    from django.db.models import Max, Min

    from minsheng.cases.models import Case
    from minsheng.common import audit
    from minsheng.insights.models import CaseStatsRollup
    from minsheng.insights.rollup import rollup_refresh

    t = time.perf_counter()
    full = rollup_refresh(full=True)
    timings = {
        "full_s": round(time.perf_counter() - t, 2),
        "rows": full.rows,
        "congresses": full.congresses,
    }
    t = time.perf_counter()
    # "unchanged" but for the cases whose generated audit records are dated later today
    unchanged = rollup_refresh()
    timings["incremental_unchanged_s"] = round(time.perf_counter() - t, 2)
    timings["incremental_unchanged_congresses"] = unchanged.congresses
    bounds = Case.objects.aggregate(first=Min("id"), last=Max("id"))
    touched = [rng.randint(bounds["first"], bounds["last"]) for _ in range(50)]
    for case in Case.objects.filter(id__in=touched):  # as a service would: an audit record on the case
        audit.record(None, "case.updated", case)
    t = time.perf_counter()
    changed = rollup_refresh()
    timings["incremental_50_cases_s"] = round(time.perf_counter() - t, 2)
    timings["incremental_congresses"] = changed.congresses
    with connection.cursor() as cursor:
        cursor.execute(f"ANALYZE {CaseStatsRollup._meta.db_table}")
    return timings


def vacuum_analyze(analyze) -> None:
    """Statistics and, on PostgreSQL, the visibility map, as a database that has lived a while has them
    (autovacuum visits a table after a bulk insert): index-only scans depend on it."""
    from django.db import connection

    if connection.vendor != "postgresql":
        analyze()
        return
    with connection.cursor() as cursor:
        cursor.execute("VACUUM (ANALYZE)")


def table_sizes() -> dict:
    from django.db import connection

    tables = [
        "cases_case",
        "cases_assignment",
        "cases_answer",
        "cases_rating",
        "cases_beneficiary",
        "cases_claim",
        "cases_cosigner",
        "common_auditrecord",
    ]
    if connection.vendor != "postgresql":
        return {}
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_database_size(current_database())")
        sizes = {"database_mb": round(cursor.fetchone()[0] / 2**20)}
        for table in tables:
            cursor.execute("SELECT pg_total_relation_size(%s)", [table])
            sizes[f"{table}_mb"] = round(cursor.fetchone()[0] / 2**20)
    return sizes


def print_table(result: dict) -> None:
    rows = []
    for key, s in result["http"]["endpoints"].items():
        q = result["queries"].get(key) or result["queries"].get(
            "stats" if key.startswith("stats") else "", {}
        )
        queries = f"{q['small']['queries']}/{q['large']['queries']} queries" if q else ""
        rows.append(
            (
                s["name"],
                f"{s['requests']} req",
                f"p50 {s['p50_ms']} ms",
                f"p95 {s['p95_ms']} ms",
                queries,
                "ok" if s["statuses"] == {"200": s["requests"]} else f"statuses {s['statuses']}",
            )
        )
    widths = [max(len(r[i]) for r in rows) for i in range(6)]
    for r in rows:
        say("  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)).rstrip())
