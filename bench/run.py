"""`python -m bench`: build a scale's data on a bench database, then time the roster import, the deputy
search page, the deputies API and the bare /healthz/ view (part `deputies`, issue 2), and the case pages
beside /healthz/ with their query counts (part `cases`, issue 3, see cases.py), and the duty month's pages beside
/healthz/ (part `duty`, issue 11, see duty.py), in one run on one machine.

Exit status 0 when every check passed (all rows imported, every response 200, no empty answer, no N+1),
1 otherwise.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import random
import sys
import time
from pathlib import Path
from urllib.parse import urlencode

from . import database

OUT = Path(__file__).resolve().parent / "out"
DEFAULT_SEED = 20261127
LEVELS = ("city", "county", "township")


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", default="tiny", choices=["tiny", "jiangmen", "guangdong"])
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    parser.add_argument(
        "--requests",
        type=int,
        default=None,
        help="timed requests per endpoint (default 100 tiny, 300 otherwise)",
    )
    parser.add_argument(
        "--warmup", type=int, default=None, help="untimed requests per endpoint first (default 10 tiny, 30)"
    )
    parser.add_argument(
        "--rows", type=int, default=None, help="rows of the roster import (default: the scale's K)"
    )
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers (default 2)")
    parser.add_argument(
        "--part",
        default="all",
        choices=["all", "deputies", "cases", "duty"],
        help="which benchmark: deputies (issue 2), cases (issue 3), duty (issue 11) or all (default)",
    )
    parser.add_argument(
        "--cases",
        type=int,
        default=None,
        help="cases to build (default 2,000 tiny, 50,000 jiangmen, 1,000,000 guangdong)",
    )
    parser.add_argument(
        "--receptions",
        type=int,
        default=None,
        help="receptions of the duty part (default 2,000 tiny, 40,000 jiangmen, 1,000,000 guangdong)",
    )
    parser.add_argument(
        "--activities",
        type=int,
        default=None,
        help="activities of the duty part (default 1,000 tiny, 20,000 jiangmen, 500,000 guangdong)",
    )
    parser.add_argument(
        "--reuse",
        action="store_true",
        help="with --part cases or duty: keep the bench database and the data it holds, build only what is "
        "missing",
    )
    parser.add_argument(
        "--in-process",
        action="store_true",
        help="time with django.test.Client in process instead of gunicorn",
    )
    parser.add_argument(
        "--out", type=Path, default=None, help="the JSON file (default bench/out/<date>-<scale>.json)"
    )
    args = parser.parse_args(argv)
    if args.reuse and args.part not in ("cases", "duty"):
        parser.error(
            "--reuse goes with --part cases or duty (a second roster import would clash with the first)"
        )
    smoke = args.scale == "tiny"  # CI's smoke run: well under a minute even on a busy machine
    # The cases part times nine endpoints a round: half the rounds at tiny keep the smoke run short.
    args.case_rounds = args.requests if args.requests is not None else (50 if smoke else 300)
    args.case_warmup = args.warmup if args.warmup is not None else (5 if smoke else 30)
    # The duty part times six endpoints a round; its dashboards are the slow ones.
    args.duty_rounds = args.requests if args.requests is not None else (10 if smoke else 200)
    args.duty_warmup = args.warmup if args.warmup is not None else (2 if smoke else 10)
    args.requests = args.requests if args.requests is not None else (100 if smoke else 300)
    args.warmup = args.warmup if args.warmup is not None else (10 if smoke else 30)
    return args


def say(message: str) -> None:
    print(message, flush=True)


def machine() -> dict:
    info = {"cpus": os.cpu_count(), "platform": platform.platform()}
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                info["cpu_model"] = line.split(":", 1)[1].strip()
                break
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal"):
                info["ram_gib"] = round(int(line.split()[1]) / 1024 / 1024, 1)
                break
    except OSError:
        pass
    return info


def versions() -> dict:
    import django
    from django.db import connection

    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SHOW server_version")
        else:
            cursor.execute("SELECT sqlite_version()")
        db_version = cursor.fetchone()[0]
    try:
        from importlib.metadata import version

        gunicorn = version("gunicorn")
    except Exception:  # noqa: BLE001
        gunicorn = None
    return {
        "python": platform.python_version(),
        "django": django.get_version(),
        "database": f"{connection.vendor} {db_version}",
        "gunicorn": gunicorn,
    }


def healthz_floor(requests: int = 300) -> dict:
    """The floor of the same run: `/healthz/` through Django's test client, in this process."""
    from django.test import Client

    client = Client()
    samples = []
    for _ in range(requests):
        t = time.perf_counter()
        client.get("/healthz/")
        samples.append((time.perf_counter() - t) * 1000)
    samples.sort()
    return {
        "p50_ms": round(samples[len(samples) // 2], 3),
        "p95_ms": round(samples[int(len(samples) * 0.95)], 3),
    }


def analyze() -> None:
    """Fresh statistics, as a database that has lived a while would have them."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def bench_import(gen, *, rows: int, admin) -> dict:
    """(a) A deputies roster of `rows` new people spread over the region's congresses, imported by
    import_execute: rows per second of read + validate + apply, with validate and apply timed apart."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from minsheng.congresses.models import Congress
    from minsheng.deputies.models import Deputy
    from minsheng.imports import importers
    from minsheng.imports.rosters import write_roster
    from minsheng.imports.services import import_create, import_execute

    t = time.perf_counter()
    data = write_roster("deputies", gen.roster_rows(rows))
    write_s = time.perf_counter() - t
    # The congress that covers the whole region (Jiangmen's, or Guangdong's at the guangdong scale).
    region = Congress.objects.get(place__code=gen.region_congress_code)
    before = Deputy.objects.count()
    upload = SimpleUploadedFile("bench-roster.xlsx", data)
    job = import_create(actor=admin, kind="deputies", congress=region, upload=upload, enqueue=False)

    phases: dict[str, float] = {}
    importer_cls = importers.IMPORTERS["deputies"]
    originals = {
        name: getattr(importer_cls, name) for name in ("check", "apply") if hasattr(importer_cls, name)
    }

    def timed(name, original):
        def wrapper(self, *args, **kwargs):
            start = time.perf_counter()
            try:
                return original(self, *args, **kwargs)
            finally:
                phases[name] = phases.get(name, 0) + time.perf_counter() - start

        return wrapper

    for name, original in originals.items():
        setattr(importer_cls, name, timed(name, original))
    try:
        t = time.perf_counter()
        job = import_execute(job_id=job.pk)
        total_s = time.perf_counter() - t
    finally:
        for name, original in originals.items():
            setattr(importer_cls, name, original)
    created = Deputy.objects.count() - before
    result = {
        "rows": rows,
        "file_bytes": len(data),
        "write_roster_s": round(write_s, 3),
        "status": job.status,
        "message": job.message,
        "created_count": job.created_count,
        "deputies_created": created,
        "seconds": round(total_s, 3),
        "rows_per_s": round(rows / total_s, 1) if total_s else None,
        "validate_s": round(phases["check"], 3) if "check" in phases else None,
        "apply_s": round(phases["apply"], 3) if "apply" in phases else None,
        "errors": job.errors[:5],
    }
    result["ok"] = job.status == "succeeded" and created == rows
    return result


def search_samples(rng: random.Random, count: int) -> list[tuple[int, str, str]]:
    """(congress id, Chinese prefix, pinyin of the surname) for `count` searches: a level chosen uniformly
    among city, county and town, a congress of it that has deputies, and a prefix of one of its deputies'
    names, so every search finds somebody."""
    from minsheng.common.pinyin import name_syllables
    from minsheng.deputies.models import Seat

    by_level: dict[str, dict[int, list[str]]] = {level: {} for level in LEVELS}
    rows = Seat.objects.filter(congress__level__in=LEVELS).values_list(
        "congress__level", "congress_id", "deputy__name"
    )
    for level, congress_id, name in rows.iterator(chunk_size=5000):
        by_level[level].setdefault(congress_id, []).append(name)
    levels = [level for level in LEVELS if by_level[level]]
    congresses = {level: sorted(by_level[level]) for level in levels}
    samples = []
    for _ in range(count):
        level = rng.choice(levels)
        congress_id = rng.choice(congresses[level])
        name = rng.choice(by_level[level][congress_id])
        length = 1 if rng.random() < 0.6 else 2
        prefix = name[:length] if not name.startswith(("欧阳", "司徒", "司马")) else name[: length + 1]
        samples.append((congress_id, prefix, name_syllables(name)[0]))
    return samples


def time_endpoints(client, *, rng: random.Random, requests: int, warmup: int) -> dict:
    """(b) the deputy search page as an admin, (c) the deputies API list as an admin, (d) /healthz/."""
    from .clients import Sample

    samples = search_samples(rng, (requests + warmup) * 2)
    page = Sample("deputy search page", "/deputies/?congress=<id>&q=<prefix>")
    api = Sample("deputies API list", "/api/v1/deputies/?congress=<id>&name=<prefix>")
    health = Sample("bare view /healthz/", "/healthz/")

    def page_url(i: int) -> str:
        congress_id, prefix, pinyin = samples[i]
        # A quarter of the page's searches type pinyin, as staff do on a phone.
        q = pinyin if rng.random() < 0.25 else prefix
        return "/deputies/?" + urlencode({"congress": congress_id, "q": q})

    def api_url(i: int) -> str:
        congress_id, prefix, _pinyin = samples[requests + warmup + i]
        return "/api/v1/deputies/?" + urlencode({"congress": congress_id, "name": prefix})

    # Interleaved (page, API, healthz, page, ...): a burst of other work on the machine then weighs on all
    # three alike, and the healthz floor stays comparable with the two others.
    plan = ((page, page_url, True), (api, api_url, True), (health, None, False))
    for i in range(warmup + requests):
        for sample, url_of, signed_in in plan:
            url = url_of(i) if url_of else "/healthz/"
            status, body, ms = client.get(url, signed_in=signed_in)
            if i < warmup:
                if status != 200:
                    sample.add(ms, status)  # a failure during warm-up still fails the run
                continue
            sample.add(ms, status)
            if status != 200 or sample is health:
                continue
            if sample is api:
                try:
                    found = int(json.loads(body).get("count") or 0)
                except ValueError:
                    found = 0
            else:
                found = body.count(b'data-testid="deputy-row"')
            sample.found(found)
    return {"page": page, "api": api, "healthz": health}


def print_table(result: dict) -> None:
    imp = result["import"]
    rows = [
        (
            "roster import",
            f"{imp['rows']} rows",
            f"{imp['rows_per_s']} rows/s",
            f"{imp['seconds']} s total",
            "",
        ),
    ]
    for key in ("page", "api", "healthz"):
        s = result["http"]["endpoints"][key]
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
    say(f"deputies ({result['http']['mode']}):")
    for r in rows:
        say("  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)).rstrip())


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    started = time.perf_counter()
    url = database.resolve()
    say(f"bench: scale {args.scale}, part {args.part}, seed {args.seed}, database {database.redact(url)}")
    if args.reuse:
        database.refuse_unless_bench(url)
    else:
        database.recreate(url)
    os.environ["DJANGO_SETTINGS_MODULE"] = "bench.settings"
    for folder in ("media", "static"):
        (Path(__file__).resolve().parent.parent / "var" / "bench" / folder).mkdir(parents=True, exist_ok=True)

    import django

    django.setup()
    from django.core.management import call_command

    from minsheng.accounts.models import User
    from minsheng.demo.services import data_build, demo_is_built

    timings: dict[str, float] = {}
    t = time.perf_counter()
    call_command("migrate", verbosity=0)
    timings["migrate_s"] = round(time.perf_counter() - t, 2)
    say(f"migrated in {timings['migrate_s']} s")

    built = None
    if args.reuse and demo_is_built():
        say("reusing the data in the database")
        data_counts: dict = {"reused": True}
        data_timings: dict = {}
    else:
        t = time.perf_counter()
        built = data_build(scale=args.scale, seed=args.seed, progress=say)
        timings["generate_s"] = round(time.perf_counter() - t, 2)
        say(f"data generated in {timings['generate_s']} s: {built.counts}")
        data_counts, data_timings = built.counts, built.timings
    admin, _created = User.objects.get_or_create(
        username="bench_admin",
        defaults={"role": User.Role.ADMIN, "is_superuser": True, "is_staff": True, "display_name": "bench"},
    )

    result = {
        "date": dt.date.today().isoformat(),
        "scale": args.scale,
        "part": args.part,
        "seed": args.seed,
        "machine": machine(),
        "versions": versions(),
        "database": database.redact(url),
        "data": data_counts,
        "data_timings": data_timings,
        "timings": timings,
    }
    failures: list[str] = []
    if args.part in ("all", "deputies"):
        failures += deputies_part(args, result, built=built, admin=admin)
    if args.part in ("all", "cases"):
        from django.db import connections

        from . import cases

        connections.close_all()
        say("")
        say("== cases (issue 3)")
        result["cases"] = cases.run(args, admin=admin, analyze=analyze)
        failures += result["cases"]["failures"]
    if args.part in ("all", "duty"):
        from django.db import connections

        from . import duty

        connections.close_all()
        say("")
        say("== duty month (issue 11)")
        result["duty"] = duty.run(args, admin=admin, analyze=analyze)
        failures += result["duty"]["failures"]

    timings["total_s"] = round(time.perf_counter() - started, 2)
    result["ok"] = not failures
    result["failures"] = failures
    suffix = "" if args.part == "all" else f"-{args.part}"
    out = args.out or OUT / f"{result['date']}-{args.scale}{suffix}.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(result, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    say("")
    say(f"scale {result['scale']} · seed {result['seed']} · {result['versions']['database']}")
    if "import" in result:
        print_table(result)
    if "cases" in result:
        say(f"cases ({result['cases']['http']['mode']}; queries: small page / large page):")
        cases.print_table(result["cases"])
    if "duty" in result:
        say(f"duty month ({result['duty']['http']['mode']}):")
        duty.print_table(result["duty"])
    say(f"total {timings['total_s']} s; results in {out}")
    if failures:
        for failure in failures:
            say(f"FAILED {failure}")
        return 1
    return 0


def deputies_part(args, result: dict, *, built, admin) -> list[str]:
    """Issue 2's benchmark: the roster import, the deputy search page, the deputies API and /healthz/."""
    from minsheng.demo.generator import SCALES

    timings = result["timings"]
    rows = args.rows or SCALES[args.scale].roster_rows
    say(f"importing a roster of {rows} new deputies ...")
    imported = bench_import(built.generator, rows=rows, admin=admin)
    say(
        f"import: {imported['status']}, {imported['deputies_created']} deputies created in {imported['seconds']} s "
        f"({imported['rows_per_s']} rows/s; validate {imported['validate_s']} s, apply {imported['apply_s']} s)"
    )
    t = time.perf_counter()
    analyze()
    timings["analyze_s"] = round(time.perf_counter() - t, 2)

    from django.db import connections

    connections.close_all()
    if args.in_process:
        from .clients import InProcessClient

        client = InProcessClient(user=admin)
    else:
        from django.conf import settings
        from django.test import Client

        from .clients import GunicornClient

        session = Client()
        session.force_login(admin)
        cookie = {settings.SESSION_COOKIE_NAME: session.cookies[settings.SESSION_COOKIE_NAME].value}
        connections.close_all()
        client = GunicornClient(workers=args.workers, cookies=cookie)
    say(
        f"timing {args.requests} requests per endpoint after {args.warmup} warm-up ({client.description}) ..."
    )
    load_before = os.getloadavg()
    try:
        t = time.perf_counter()
        endpoints = time_endpoints(
            client, rng=random.Random(args.seed), requests=args.requests, warmup=args.warmup
        )
        timings["http_s"] = round(time.perf_counter() - t, 2)
    finally:
        client.stop()

    result["machine"].update(
        {
            # Other work on the machine skews latencies: the 1-minute load average around the HTTP timing.
            "loadavg_1m_before_http": round(load_before[0], 2),
            "loadavg_1m_after_http": round(os.getloadavg()[0], 2),
        }
    )
    result["import"] = imported
    result["http"] = {
        "mode": client.mode,
        "description": client.description,
        "warmup": args.warmup,
        "endpoints": {key: {"name": s.name, **s.summary()} for key, s in endpoints.items()},
    }
    failures = []
    if not imported["ok"]:
        failures.append(
            f"import: {imported['status']}, {imported['deputies_created']} of {rows} rows imported"
        )
    for key, sample in endpoints.items():
        if not sample.ok:
            failures.append(f"{key}: statuses {sample.statuses}")
        # Every search names a prefix of a deputy of that congress: an empty answer means the search (or
        # the benchmark) is broken. The page's rows are counted by their data-testid="deputy-row".
        if (
            key != "healthz"
            and sample.results
            and sum(sample.results)
            and sample.empty_results > len(sample.results) / 20
        ):
            failures.append(f"{key}: {sample.empty_results} of {len(sample.results)} searches found nobody")
        if key == "page" and sample.results and not sum(sample.results):
            say("warning: no deputy-row marker on the search page: its results could not be counted")
    return failures


if __name__ == "__main__":
    sys.exit(main())
