"""`python -m bench.pickers`: the pickers' type-ahead endpoints (issue 12) beside the /healthz/ floor.

Times, in one run over real HTTP (gunicorn, as `python -m bench`; `--in-process`: Django's test client), p50 and
p95 of `/api/v1/pick/deputies/?for=reception:<station>` (the station with the most attached deputies, as its
staff), `…/deputies/?for=cosign:<case>` (a case of the congress with the most active seats, as its staff),
`…/units/?for=assign:<case>` (the same case), `…/places/?for=record:<seat>` (a seat of the congress whose region
holds the most places, as an admin: the widest scope) and `…/congresses/` (as an admin), interleaved with
`/healthz/`. The typed queries are drawn from the seeded RNG among what a user types: nothing (the likely
choices), the first one or two characters of a name in the scope, its pinyin initials (1–3 letters) or the
first syllable of its pinyin.

Its own database by default (`var/bench/minsheng_bench_pickers.sqlite3`); `DATABASE_URL` names another (its
name must contain `bench`). `--reuse` keeps the database and what it holds (the deputies, units and places the
main bench built): it applies new migrations (the pinyin columns are filled by them) and builds the scale's
data only when there is none; the accounts and the one case it needs are added when missing. Exit 1 when a
response is not 200, an answer has more than 20 options, or an endpoint answers nothing to most queries.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import time
from pathlib import Path

from . import database

OUT = Path(__file__).resolve().parent / "out"
MAX_OPTIONS = 20


def parse_args(argv):
    parser = argparse.ArgumentParser(prog="python -m bench.pickers", description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", default="tiny", choices=["tiny", "jiangmen", "guangdong"])
    parser.add_argument("--seed", type=int, default=20261127)
    parser.add_argument(
        "--requests", type=int, default=None, help="timed rounds (default 60 tiny, 300 otherwise)"
    )
    parser.add_argument(
        "--warmup", type=int, default=None, help="untimed rounds (default 5 tiny, 30 otherwise)"
    )
    parser.add_argument("--reuse", action="store_true", help="keep the bench database and its data")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--in-process", action="store_true", help="Django's test client instead of gunicorn")
    parser.add_argument("--out", type=Path, default=None)
    args = parser.parse_args(argv)
    tiny = args.scale == "tiny"
    args.requests = args.requests if args.requests is not None else (60 if tiny else 300)
    args.warmup = args.warmup if args.warmup is not None else (5 if tiny else 30)
    return args


def say(message: str) -> None:
    print(message, flush=True)


def _user(username: str, **fields):
    from minsheng.accounts.models import User

    user, _created = User.objects.get_or_create(
        username=username, defaults={"display_name": username, "password": "!", **fields}
    )
    return user


def find_cast() -> dict:
    """Who asks and for what: the widest scopes of the data, with the accounts they need (added if missing)."""
    from django.db.models import Count

    from minsheng.accounts.models import User
    from minsheng.cases import services
    from minsheng.cases.models import Case
    from minsheng.congresses.models import Congress
    from minsheng.deputies.models import Seat
    from minsheng.places.models import Place
    from minsheng.stations.models import Station, StationDeputy

    admin = _user("bench_admin", role=User.Role.ADMIN, is_superuser=True, is_staff=True)
    top_station = (
        StationDeputy.objects.values("station_id")
        .annotate(n=Count("id"))
        .order_by("-n", "station_id")
        .first()
    )
    station = Station.objects.get(pk=top_station["station_id"])
    station_staff = _user(f"bench_pick_station{station.pk}", role=User.Role.STATION_STAFF, station=station)

    top = (
        Seat.objects.filter(status=Seat.Status.ACTIVE)
        .values("congress_id")
        .annotate(n=Count("id"))
        .order_by("-n", "congress_id")
        .first()
    )
    congress = Congress.objects.get(pk=top["congress_id"])
    staff = _user(f"bench_pick_staff{congress.pk}", role=User.Role.CONGRESS_STAFF, congress=congress)
    case = Case.objects.filter(congress=congress).order_by("id").first()
    if case is None:  # a database without cases: one draft suggestion, recorded by the congress's staff
        seat = Seat.objects.filter(congress=congress, status=Seat.Status.ACTIVE).order_by("id").first()
        case = services.case_create(
            actor=staff,
            kind=Case.Kind.SUGGESTION,
            title="关于增设农村公交站点的建议",
            content="村民出行不便，建议增设公交站点。",
            congress=congress,
            lead_deputy=seat.deputy,
            place=congress.place,
        )

    # The widest places' scope: the congress whose region holds the most places (the province's).
    widest = max(
        Congress.objects.filter(seats__status=Seat.Status.ACTIVE).distinct().only("id", "region_prefix"),
        key=lambda c: (-len(c.region_prefix), c.pk),
    )
    seat = Seat.objects.filter(congress=widest, status=Seat.Status.ACTIVE).order_by("id").first()
    places = Place.objects.filter(code__startswith=widest.region_prefix).count()
    return {
        "admin": admin,
        "station": station,
        "station_staff": station_staff,
        "congress": congress,
        "staff": staff,
        "case": case,
        "seat": seat,
        "places_in_scope": places,
    }


def query_samples(rng: random.Random, names: list[str], count: int) -> list[str]:
    """What people type into a picker: nothing, a name's first characters, its initials, its first syllable."""
    from minsheng.common.pinyin import name_syllables, syllables

    samples = []
    for _ in range(count):
        name = rng.choice(names) if names else ""
        how = rng.random()
        parts = (name_syllables(name) if len(name) <= 4 else syllables(name)) if name else []
        if how < 0.15 or not parts:
            samples.append("")
        elif how < 0.45:
            samples.append(name[: rng.choice((1, 2))])
        elif how < 0.85:
            samples.append("".join(p[0] for p in parts if p)[: rng.choice((1, 2, 3))])
        else:
            samples.append(parts[0])
    return samples


def endpoints(cast: dict, rng: random.Random, rounds: int) -> dict[str, tuple[str, str | bool, list[str]]]:
    """key → (path with `for`, who asks, the queries of each round)."""
    from minsheng.activities.selectors import reception_deputy_choices
    from minsheng.cases.actions import units_for_assigning
    from minsheng.cases.forms import cosigner_choices, places_within_queryset
    from minsheng.congresses.models import Congress

    def names(queryset, n=2000):
        return list(queryset.values_list("name", flat=True)[:n])

    case, seat, station = cast["case"], cast["seat"], cast["station"]
    return {
        "reception": (
            f"/api/v1/pick/deputies/?for=reception:{station.pk}",
            "station",
            query_samples(rng, names(reception_deputy_choices(station)), rounds),
        ),
        "cosign": (
            f"/api/v1/pick/deputies/?for=cosign:{case.pk}",
            "staff",
            query_samples(rng, names(cosigner_choices(case).order_by("id")), rounds),
        ),
        "assign": (
            f"/api/v1/pick/units/?for=assign:{case.pk}",
            "staff",
            query_samples(rng, names(units_for_assigning(case)), rounds),
        ),
        "places": (
            f"/api/v1/pick/places/?for=record:{seat.pk}",
            "admin",
            query_samples(rng, names(places_within_queryset([seat.congress.region_prefix])), rounds),
        ),
        "congresses": (
            "/api/v1/pick/congresses/?for=",
            "admin",
            query_samples(rng, names(Congress.objects.order_by("id")), rounds),
        ),
    }


def main(argv=None) -> int:
    args = parse_args(argv)
    started = time.perf_counter()
    os.environ.setdefault(
        "DATABASE_URL", f"sqlite:///{database.DEFAULT_SQLITE.with_name('minsheng_bench_pickers.sqlite3')}"
    )
    url = database.resolve()
    say(f"bench.pickers: scale {args.scale}, seed {args.seed}, database {database.redact(url)}")
    if args.reuse:
        database.refuse_unless_bench(url)
    else:
        database.recreate(url)
    os.environ["DJANGO_SETTINGS_MODULE"] = "bench.settings"
    for folder in ("media", "static"):
        (Path(__file__).resolve().parent.parent / "var" / "bench" / folder).mkdir(parents=True, exist_ok=True)
    import django

    django.setup()
    from urllib.parse import quote

    from django.core.management import call_command
    from django.db import connections

    from minsheng.demo.services import data_build, demo_is_built

    from .cases import sessions_for
    from .clients import Sample
    from .run import analyze, healthz_floor, machine, versions

    timings: dict = {}
    t = time.perf_counter()
    call_command("migrate", verbosity=0)
    timings["migrate_s"] = round(time.perf_counter() - t, 2)
    say(f"migrated in {timings['migrate_s']} s")
    if args.reuse and demo_is_built():
        say("reusing the data in the database")
        data: dict = {"reused": True}
    else:
        t = time.perf_counter()
        built = data_build(scale=args.scale, seed=args.seed, progress=say)
        timings["generate_s"] = round(time.perf_counter() - t, 2)
        data = built.counts
        analyze()
    cast = find_cast()
    rng = random.Random(args.seed)
    rounds = args.warmup + args.requests
    plan = endpoints(cast, rng, rounds)
    say(
        f"station {cast['station'].pk}, congress {cast['congress'].name} (case {cast['case'].pk}), "
        f"places' scope {cast['seat'].congress.name} ({cast['places_in_scope']} places)"
    )
    users = {"station": cast["station_staff"], "staff": cast["staff"], "admin": cast["admin"]}
    if args.in_process:
        from .clients import InProcessClient

        client = InProcessClient(users=users)
    else:
        from .clients import GunicornClient

        sessions = sessions_for(users)
        connections.close_all()
        client = GunicornClient(workers=args.workers, sessions=sessions)
    samples = {key: Sample(key, path + "&q=…") for key, (path, _who, _qs) in plan.items()}
    samples["healthz"] = Sample("healthz", "/healthz/")
    too_many = 0
    say(f"timing {args.requests} rounds after {args.warmup} warm-up ({client.description}) ...")
    load_before = os.getloadavg()
    try:
        for i in range(rounds):
            for key, (path, who, queries) in plan.items():
                status, body, ms = client.get(f"{path}&q={quote(queries[i])}", signed_in=who)
                if i < args.warmup:
                    continue
                samples[key].add(ms, status)
                if status == 200:
                    options = json.loads(body)
                    samples[key].found(len(options))
                    too_many += len(options) > MAX_OPTIONS
            status, _body, ms = client.get("/healthz/")
            if i >= args.warmup:
                samples["healthz"].add(ms, status)
    finally:
        client.stop()
    load_after = os.getloadavg()
    floor = healthz_floor()

    failures = []
    for key, sample in samples.items():
        if not sample.ok:
            failures.append(f"{key}: statuses {sample.statuses}")
        if key != "healthz" and sample.results and sample.empty_results > len(sample.results) / 2:
            failures.append(f"{key}: {sample.empty_results} of {len(sample.results)} queries found nothing")
    if too_many:
        failures.append(f"{too_many} answers had more than {MAX_OPTIONS} options")
    result = {
        "date": dt.date.today().isoformat(),
        "scale": args.scale,
        "seed": args.seed,
        "machine": {
            **machine(),
            "loadavg_1m_before_http": round(load_before[0], 2),
            "loadavg_1m_after_http": round(load_after[0], 2),
        },
        "versions": versions(),
        "database": database.redact(url),
        "data": data,
        "cast": {
            "station": cast["station"].pk,
            "congress": cast["congress"].pk,
            "case": cast["case"].pk,
            "seat": cast["seat"].pk,
            "places_in_scope": cast["places_in_scope"],
        },
        "timings": timings,
        "http": {
            "mode": client.mode,
            "description": client.description,
            "warmup": args.warmup,
            "endpoints": {key: s.summary() for key, s in samples.items()},
        },
        "healthz_in_process": floor,
        "total_s": round(time.perf_counter() - started, 2),
        "failures": failures,
    }
    out = args.out or OUT / f"{result['date']}-{args.scale}-pickers.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(result, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    say(f"{result['versions']['database']} · {client.mode}")
    say(f"{'endpoint':<12} {'p50 ms':>8} {'p95 ms':>8} {'mean options':>13}")
    for key, summary in result["http"]["endpoints"].items():
        say(f"{key:<12} {summary['p50_ms']:>8} {summary['p95_ms']:>8} {summary['mean_results'] or '':>13}")
    say(f"/healthz/ in process: p50 {floor['p50_ms']} ms, p95 {floor['p95_ms']} ms")
    say(f"total {result['total_s']} s; results in {out}")
    for failure in failures:
        say(f"FAILED {failure}")
    return 1 if failures else 0


if __name__ == "__main__":
    import sys

    sys.exit(main())
