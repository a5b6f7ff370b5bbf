"""`python -m bench.calendar`: the working-day calendar benchmark (issue 8) on its own bench database.

The cases of a scale (`bench/cases_data.py`, fixed seed) are built with the clock at 2027-01-20, a day in a
year whose official holiday schedule has not been entered: the open deadlines counted in working days (交办 5,
申请调整 7, publication 20) that reach into 2027 are provisional. Then, in a fresh process each (so that peak
memory is the work's own, read from `ru_maxrss`):

(a) **the recompute task**: the office enters the 2027 schedule (`calendar_year_enter`), and
    `deadlines_recompute(year=2027)` computes every open deadline that counts days of 2027 again, saves the
    changed ones, writes an audit record for each and notifies the staff and handlers;
(b) **every deadline of every case**: the three working-day rules computed for every case and assignment that
    has a start (filing, closing, 交办), read in chunks, nothing written — what recomputing the whole database
    would cost.

`--scale tiny` (CI, 2,000 cases) or `guangdong` (1,000,000 cases, 12-20 minutes to build); `--reuse` keeps the
database built before (the data must have been built by this benchmark: it checks the marker row).
Exit 1 when a check fails (the task changed nothing, or a second run of it changed something).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

from . import database

OUT = Path(__file__).resolve().parent / "out"
AS_OF = dt.datetime(2027, 1, 20, 10, 0)
MARKER = "bench.calendar built"

# A 2027 schedule for the benchmark (the real notice may differ): Spring Festival 02-06..02-14, New Year
# 01-01..01-03, and working Saturdays/Sundays that the provisional calendar did not have.
NOTICE_2027 = """一、元旦：1月1日（周五）至3日（周日）放假，共3天。
二、春节：2月6日（周六）至14日（周日）放假调休，共9天。2月20日（周六）上班。
三、清明节：4月3日（周六）至5日（周一）放假，共3天。
四、劳动节：5月1日（周六）至5日（周三）放假调休，共5天。4月25日（周日）、5月8日（周六）上班。
五、端午节：6月9日（周三）放假1天。
六、中秋节：9月15日（周三）放假1天。
七、国庆节：10月1日（周五）至7日（周四）放假调休，共7天。9月26日（周日）、10月9日（周六）上班。"""


def parse_args(argv):
    parser = argparse.ArgumentParser(prog="python -m bench.calendar", description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", default="tiny", choices=["tiny", "jiangmen", "guangdong"])
    parser.add_argument("--seed", type=int, default=20261127)
    parser.add_argument("--reuse", action="store_true", help="keep the database this benchmark built before")
    parser.add_argument("--out", type=Path, default=None)
    parser.add_argument("--step", choices=["recompute", "every"], help=argparse.SUPPRESS)  # the child process
    return parser.parse_args(argv)


def say(message: str) -> None:
    print(message, flush=True)


def setup_django() -> None:
    os.environ["DJANGO_SETTINGS_MODULE"] = "bench.settings"
    import django

    django.setup()


def frozen():
    import time_machine

    return time_machine.travel(AS_OF.astimezone(), tick=False)


def build(args) -> dict:
    from django.core.management import call_command

    from minsheng.common.models import AuditRecord
    from minsheng.demo.services import data_build

    from .cases_data import build_cases

    call_command("migrate", verbosity=0)
    started = time.perf_counter()
    with frozen():
        built = data_build(scale=args.scale, seed=args.seed, progress=say)
        cases = build_cases(scale=args.scale, seed=args.seed, progress=say)
        AuditRecord.objects.create(verb=MARKER, data={"scale": args.scale, "seed": args.seed})
    from .run import analyze

    analyze()
    return {
        "deputies": built.counts,
        "cases": cases.counts,
        "build_s": round(time.perf_counter() - started, 1),
    }


def provisional_counts() -> dict:
    from minsheng.cases.models import Assignment, Case

    return {
        "assign_due": Case.objects.filter(assign_due_provisional=True).count(),
        "publish_due": Case.objects.filter(publish_due_provisional=True).count(),
        "reassign_request_due": Assignment.objects.filter(reassign_request_due_provisional=True).count(),
    }


def step_recompute() -> dict:
    """(a) in this process: enter the 2027 schedule, then run the recompute task; a second run must change
    nothing."""
    from django.db import connection

    from minsheng.accounts.models import User
    from minsheng.common import workdays
    from minsheng.common.models import WorkCalendarYear
    from minsheng.common.services import calendar_year_enter
    from minsheng.common.tasks import deadlines_recompute

    # Provisional again, if a run before entered the year: the deadlines are computed back on the provisional
    # calendar first (by the same task), so that every run starts from the state the build left.
    WorkCalendarYear.objects.filter(year=2027).delete()
    workdays.invalidate()
    with frozen():
        t = time.perf_counter()
        reset = deadlines_recompute.call(year=2027)
        reset_s = time.perf_counter() - t
    admin, _ = User.objects.get_or_create(
        username="bench_admin",
        defaults={"role": User.Role.ADMIN, "is_superuser": True, "is_staff": True, "display_name": "bench"},
    )
    with frozen():
        before = provisional_counts()
        t = time.perf_counter()
        calendar_year_enter(actor=admin, year=2027, days=workdays.parse_notice(NOTICE_2027, 2027))
        enter_s = time.perf_counter() - t
        t = time.perf_counter()
        first = deadlines_recompute.call(year=2027)
        recompute_s = time.perf_counter() - t
        t = time.perf_counter()
        again = deadlines_recompute.call(year=2027)
        again_s = time.perf_counter() - t
        after = provisional_counts()
    return {
        "vendor": connection.vendor,
        "reset_to_provisional": reset,
        "reset_s": round(reset_s, 3),
        "provisional_before": before,
        "provisional_after": after,
        "enter_s": round(enter_s, 3),
        "recompute_s": round(recompute_s, 3),
        "result": first,
        "second_run_s": round(again_s, 3),
        "second_run": again,
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
    }


def step_every() -> dict:
    """(b) in this process: every working-day deadline of every case and assignment, computed, not written."""
    from django.utils import timezone

    from minsheng.cases import rules as R
    from minsheng.cases.models import Assignment, Case

    rules = R.rules_for(None)
    computed = 0
    t = time.perf_counter()
    for filed_at, closed_at in (
        Case.objects.filter(filed_at__isnull=False)
        .values_list("filed_at", "closed_at")
        .iterator(chunk_size=5000)
    ):
        R.assign_due(timezone.localtime(filed_at).date(), rules)
        computed += 1
        if closed_at is not None:
            R.publish_due(timezone.localtime(closed_at).date(), rules)
            computed += 1
    for (created_at,) in Assignment.objects.values_list("created_at").iterator(chunk_size=5000):
        R.reassign_request_due(timezone.localtime(created_at).date(), rules)
        computed += 1
    seconds = time.perf_counter() - t
    return {
        "deadlines": computed,
        "seconds": round(seconds, 2),
        "per_second": round(computed / seconds) if seconds else None,
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
    }


def child(step: str) -> dict:
    env = dict(os.environ)
    out = subprocess.run(
        [sys.executable, "-m", "bench.calendar", "--step", step],
        env=env,
        capture_output=True,
        text=True,
        cwd=Path(__file__).resolve().parent.parent,
    )
    if out.returncode:
        raise SystemExit(f"the {step} step failed:\n{out.stderr[-4000:]}")
    return json.loads(out.stdout.strip().splitlines()[-1])


def main(argv=None) -> int:
    args = parse_args(argv)
    os.environ.setdefault(
        "DATABASE_URL", f"sqlite:///{database.DEFAULT_SQLITE.with_name('minsheng_bench_calendar.sqlite3')}"
    )
    url = database.resolve()
    if args.step:
        setup_django()
        print(json.dumps(step_recompute() if args.step == "recompute" else step_every()), flush=True)
        return 0
    started = time.perf_counter()
    say(f"bench.calendar: scale {args.scale}, seed {args.seed}, database {database.redact(url)}")
    if args.reuse:
        database.refuse_unless_bench(url)
    else:
        database.recreate(url)
    setup_django()
    from django.core.management import call_command

    from minsheng.common.models import AuditRecord

    from .run import healthz_floor, machine, versions

    call_command("migrate", verbosity=0)
    if args.reuse and AuditRecord.objects.filter(verb=MARKER, data__scale=args.scale).exists():
        say("reusing the data in the database")
        data: dict = {"reused": True}
    else:
        data = build(args)
        say(f"built in {data['build_s']} s")
    from django.db import connections

    connections.close_all()
    load_before = os.getloadavg()
    recompute = child("recompute")
    every = child("every")
    floor = healthz_floor()
    load_after = os.getloadavg()
    failures = []
    if not recompute["result"]["cases"]["changed"]:
        failures.append("the recompute task changed no deadline")
    if recompute["second_run"]["cases"]["changed"]:
        failures.append("a second run of the recompute task changed deadlines")
    result = {
        "date": dt.date.today().isoformat(),
        "scale": args.scale,
        "seed": args.seed,
        "as_of": AS_OF.isoformat(),
        "machine": machine(),
        "versions": versions(),
        "load": {"before": load_before, "after": load_after},
        "data": data,
        "recompute": recompute,
        "every_deadline": every,
        "healthz_in_process": floor,
        "total_s": round(time.perf_counter() - started, 1),
        "ok": not failures,
        "failures": failures,
    }
    out = args.out or OUT / f"{result['date']}-{args.scale}-calendar.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(result, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    r = recompute
    say(
        f"recompute task: {r['result']['cases']['checked']} open deadlines checked, "
        f"{r['result']['cases']['changed']} changed in {r['recompute_s']} s (entering the year {r['enter_s']} s); "
        f"second run {r['second_run_s']} s, {r['second_run']['cases']['changed']} changed; peak RSS {r['peak_rss_mb']} MB"
    )
    say(
        f"every deadline: {every['deadlines']} computed in {every['seconds']} s ({every['per_second']}/s); "
        f"peak RSS {every['peak_rss_mb']} MB"
    )
    say(f"/healthz/ in process (the floor): p50 {floor['p50_ms']} ms, p95 {floor['p95_ms']} ms")
    say(f"load {load_before} → {load_after}; total {result['total_s']} s; results in {out}")
    for failure in failures:
        say(f"FAILED {failure}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
