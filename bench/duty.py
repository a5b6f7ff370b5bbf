"""The duty part of `python -m bench` (issue 11): build the duty month (`duty_data.py`), refresh the summaries
its pages read, then time the pages over real HTTP beside the bare /healthz/ view, in the same run.

Who asks what (`ENDPOINTS`, the one list of the part's URLs):

- the campaign dashboard `/campaigns/<pk>/` of the provincial campaign for the whole province, narrowed to
  Jiangmen's city congress (`?congress=`) and to one of its county congresses (the one with the most
  receptions), as the provincial congress's staff;
- the duty record `/deputies/<pk>/record/` of the deputy with the most duties (participations and
  receptions), signed in as that deputy;
- the points league `/points/<congress id>/<year>/` of Jiangmen's city congress for the campaign's year, as
  that congress's staff;
- `/healthz/`, the floor.

Before timing, the summary-refresh hooks (`HOOKS`) are called when they exist, each timed. A page that does not
exist yet (its URL resolves to nothing) is reported as "missing page" for its row and not timed: the pages
are written in other branches. With `REQUIRE_ALL_PAGES` (set at merge) a missing page or hook fails the run.
"""

from __future__ import annotations

import importlib
import os
import time
from dataclasses import dataclass

from .clients import Sample

# Every row is measured: a missing page or hook fails the run (CI's smoke run too).
REQUIRE_ALL_PAGES = True
# The functions that rebuild what the pages read, called (without arguments) before the timing, in order; a
# "#label" after a path calls it again under that name (the duty summaries: the first call rewrites every
# deputy, the second finds what changed since, here nothing: the worker's cost every 10 minutes).
HOOKS = [
    "minsheng.insights.campaigns.refresh_campaign_summaries",
    "minsheng.insights.duty_record.duty_summaries_update",
    "minsheng.insights.duty_record.duty_summaries_update#incremental",
]


@dataclass
class Endpoint:
    key: str
    name: str
    url: str  # formatted with the ids of `Cast.ids()`
    who: str | None  # the session: None anonymous


ENDPOINTS = [
    Endpoint("campaign_province", "campaign dashboard, province", "/campaigns/{campaign}/", "province"),
    Endpoint(
        "campaign_city", "campaign dashboard, a city", "/campaigns/{campaign}/?congress={city}", "province"
    ),
    Endpoint(
        "campaign_county",
        "campaign dashboard, a county",
        "/campaigns/{campaign}/?congress={county}",
        "province",
    ),
    Endpoint("duty_record", "duty record of a busy deputy", "/deputies/{deputy}/record/", "deputy"),
    Endpoint("points_league", "points league of a city", "/points/{city}/{year}/", "city"),
    Endpoint("healthz", "bare view /healthz/", "/healthz/", None),
]


def say(message: str) -> None:
    print(message, flush=True)


# --- who and what -----------------------------------------------------------------------------------------


@dataclass
class Cast:
    campaign: int
    year: int
    city: int  # Jiangmen's city congress
    county: int  # its county congress with the most receptions
    deputy: int  # the deputy with the most duties
    duties: int
    users: dict  # session name -> User

    def ids(self) -> dict:
        return {
            "campaign": self.campaign,
            "year": self.year,
            "city": self.city,
            "county": self.county,
            "deputy": self.deputy,
        }


def find_cast(campaign_id: int, admin) -> Cast:
    from django.db.models import Count

    from minsheng.accounts.models import User
    from minsheng.activities.models import Campaign, Participation, Reception
    from minsheng.congresses.models import Congress

    campaign = Campaign.objects.get(pk=campaign_id)
    city = Congress.objects.get(level="city", place__code="440700")
    counties = Congress.objects.filter(level="county", parent=city)
    busiest = (
        Reception.objects.filter(station__congress__region_prefix__startswith=city.region_prefix)
        .exclude(station__congress__level="city")
        .values_list("station__congress__region_prefix")
        .annotate(n=Count("id"))
        .order_by("-n")
    )
    county = None
    for prefix, _n in busiest[:20]:
        county = counties.filter(region_prefix=prefix[:6]).first()
        if county:
            break
    county = county or counties.order_by("region_prefix").first()
    top = (
        Participation.objects.filter(status="present")
        .values_list("deputy_id")
        .annotate(n=Count("id"))
        .order_by("-n", "deputy_id")
        .first()
    )
    deputy_id, duties = top
    duties += Reception.deputies.through.objects.filter(deputy_id=deputy_id).count()
    deputy_user = User.objects.filter(deputy_id=deputy_id, is_active=True).order_by("id").first()
    if deputy_user is None:
        deputy_user = User.objects.create(
            username=f"bench_d{deputy_id}", role="deputy", deputy_id=deputy_id, password="!"
        )
    users = {
        "province": User.objects.get(username=f"bench_s{campaign.congress_id}"),
        "city": User.objects.get(username=f"bench_s{city.pk}"),
        "deputy": deputy_user,
        "admin": admin,
    }
    return Cast(
        campaign=campaign.pk,
        year=campaign.starts_on.year,
        city=city.pk,
        county=county.pk,
        deputy=deputy_id,
        duties=duties,
        users=users,
    )


def ensure_points(cast: Cast) -> dict:
    """The league table needs a points scheme: the city congress gets the example scheme for the campaign's
    year (once; with --reuse the one there is kept), and its entries are computed."""
    from minsheng.congresses.models import Congress
    from minsheng.insights import points_services as S
    from minsheng.insights.models import PointsEntry

    city = Congress.objects.get(pk=cast.city)
    scheme = S.scheme_in_force(city, cast.year)
    if scheme is None:
        scheme = S.points_scheme_create(
            actor=cast.users["city"], congress=city, year=cast.year, rules=S.EXAMPLE_RULES, note="bench"
        )
    else:
        S.points_compute(scheme=scheme)
    return {"scheme": scheme.pk, "entries": PointsEntry.objects.filter(scheme=scheme).count()}


def resolvable(path: str) -> bool:
    from django.urls import Resolver404, resolve

    try:
        resolve(path.split("?", 1)[0])
    except Resolver404:
        return False
    return True


def run_hooks() -> dict:
    """Each hook by import path: its time, or why it was not called."""
    out = {}
    for entry in HOOKS:
        path = entry.partition("#")[0]
        module_name, _dot, name = path.rpartition(".")
        try:
            hook = getattr(importlib.import_module(module_name), name)
        except (ImportError, AttributeError) as exc:
            say(f"  hook {entry}: missing ({exc.__class__.__name__}: {exc}); the pages read what they find")
            out[entry] = {"missing": str(exc)}
            continue
        t = time.perf_counter()
        hook()
        out[entry] = {"seconds": round(time.perf_counter() - t, 2)}
        say(f"  hook {entry}: {out[entry]['seconds']} s")
    return out


def time_endpoints(client, endpoints: list[Endpoint], ids: dict, *, rounds: int, warmup: int):
    samples = {e.key: Sample(e.name, e.url) for e in endpoints}
    for i in range(warmup + rounds):
        for e in endpoints:
            status, _body, ms = client.get(e.url.format(**ids), signed_in=e.who or False)
            if i < warmup and status == 200:
                continue
            samples[e.key].add(ms, status)  # a failure during warm-up still fails the run
    return samples


def run(args, *, admin, analyze) -> dict:
    """Build the duty month (what the database lacks, with --reuse), refresh the summaries, time the pages."""
    from django.db import connections

    from .cases import sessions_for, vacuum_analyze
    from .duty_data import build_duty

    result: dict = {}
    default = "the scale's"
    say(
        f"building the duty month ({args.receptions or default} receptions, "
        f"{args.activities or default} activities) ..."
    )
    built = build_duty(
        scale=args.scale,
        seed=args.seed,
        receptions=args.receptions,
        activities=args.activities,
        progress=say,
    )
    say(f"duty month built in {built.timings['total_s']} s ({built.timings})")
    result["built"] = {"counts": built.counts, "timings": built.timings}
    t = time.perf_counter()
    vacuum_analyze(analyze)
    result["vacuum_analyze_s"] = round(time.perf_counter() - t, 2)
    say(f"vacuum/analyze in {result['vacuum_analyze_s']} s")
    result["rows"] = row_counts()
    result["sizes"] = table_sizes()
    say(f"rows: {result['rows']}; sizes: {result['sizes']}")
    t = time.perf_counter()
    result["hooks"] = run_hooks()
    result["hooks_s"] = round(time.perf_counter() - t, 2)

    cast = find_cast(built.campaign_id, admin)
    result["cast"] = {
        **cast.ids(),
        "duties": cast.duties,
        **{f"{k}_user": u.username for k, u in cast.users.items()},
    }
    say(f"cast: {result['cast']}")
    t = time.perf_counter()
    result["points"] = ensure_points(cast)
    result["points"]["seconds"] = round(time.perf_counter() - t, 2)
    say(f"points: {result['points']}")
    missing = [e for e in ENDPOINTS if not resolvable(e.url.format(**cast.ids()))]
    present = [e for e in ENDPOINTS if e not in missing]
    for e in missing:
        say(f"  {e.name}: missing page ({e.url.format(**cast.ids())} resolves to no view)")
    users = {e.who: cast.users[e.who] for e in present if e.who}
    if args.in_process:
        from .clients import InProcessClient

        client = InProcessClient(users=users)
    else:
        from .clients import GunicornClient

        sessions = sessions_for(users)
        connections.close_all()
        client = GunicornClient(workers=args.workers, sessions=sessions)
    say(
        f"timing the duty pages: {args.duty_rounds} rounds after {args.duty_warmup} warm-up "
        f"({client.description}) ..."
    )
    load_before = os.getloadavg()
    try:
        t = time.perf_counter()
        samples = time_endpoints(
            client, present, cast.ids(), rounds=args.duty_rounds, warmup=args.duty_warmup
        )
        result["http_s"] = round(time.perf_counter() - t, 2)
    finally:
        client.stop()
    result["loadavg_1m_before_http"] = round(load_before[0], 2)
    result["loadavg_1m_after_http"] = round(os.getloadavg()[0], 2)
    endpoints = {key: {"name": s.name, **s.summary()} for key, s in samples.items()}
    for e in missing:
        endpoints[e.key] = {"name": e.name, "url": e.url, "missing": True}
    result["http"] = {
        "mode": client.mode,
        "description": client.description,
        "rounds": args.duty_rounds,
        "warmup": args.duty_warmup,
        "endpoints": {e.key: endpoints[e.key] for e in ENDPOINTS},
    }
    failures = [f"duty {key}: statuses {s.statuses}" for key, s in samples.items() if not s.ok]
    if REQUIRE_ALL_PAGES:
        failures += [f"duty {e.key}: missing page {e.url}" for e in missing]
        failures += [f"duty hook {p}: missing" for p, h in result["hooks"].items() if "missing" in h]
    result["failures"] = failures
    return result


def row_counts() -> dict:
    from minsheng.activities.models import (
        Activity,
        Campaign,
        Participation,
        Reception,
        ReceptionDay,
        ReceptionMatter,
    )

    return {
        "receptions": Reception.objects.count(),
        "reception_matters": ReceptionMatter.objects.count(),
        "reception_deputies": Reception.deputies.through.objects.count(),
        "reception_days": ReceptionDay.objects.count(),
        "reception_day_deputies": ReceptionDay.deputies.through.objects.count(),
        "activities": Activity.objects.count(),
        "participations": Participation.objects.count(),
        "activity_cases": Activity.cases.through.objects.count(),
        "campaigns": Campaign.objects.count(),
    }


def table_sizes() -> dict:
    from django.db import connection

    from .duty_data import tables

    if connection.vendor != "postgresql":
        return {}
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_database_size(current_database())")
        sizes = {"database_mb": round(cursor.fetchone()[0] / 2**20)}
        for table in tables().values():
            name = table.model._meta.db_table
            cursor.execute("SELECT pg_total_relation_size(%s)", [name])
            sizes[f"{name}_mb"] = round(cursor.fetchone()[0] / 2**20)
    return sizes


def print_table(result: dict) -> None:
    rows = []
    for s in result["http"]["endpoints"].values():
        if s.get("missing"):
            rows.append((s["name"], "missing page", "", "", ""))
            continue
        rows.append(
            (
                s["name"],
                f"{s['requests']} req",
                f"p50 {s['p50_ms']} ms",
                f"p95 {s['p95_ms']} ms",
                "ok" if s["statuses"] == {"200": s["requests"]} else f"statuses {s['statuses']}",
            )
        )
    widths = [max(len(r[i]) for r in rows) for i in range(5)]
    for r in rows:
        say("  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)).rstrip())
