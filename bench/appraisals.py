"""`python -m bench.appraisals`: computing an appraisal (issue 14) with `minsheng.appraisals.rules.compute`.

`--scale full` is the issue's figure: 10,000 contestants in 10 groups × 30 judges × 5 components (four scored
by the judges, trimmed by 2 at each end, one entered directly), weights 30/20/20/20/10, rounding to 2 decimals
half up at both steps, a tie-breaker chain of three, four tiers with count and percentage quotas and award
funds; scores drawn from a fixed seed among the values a judge gives (60.0–100.0 in steps of 0.5). `--scale
tiny` (CI, `make bench-smoke`): 200 contestants × 7 judges. No database: the rules are pure.

Timed (wall, best of `--repeat` runs, each from the same inputs): `compute`, `compute` with z-score
normalisation of the judges, and `result_to_dict` (what publishing freezes, every judge's score and whether it
was dropped). Peak memory of `compute` alone from tracemalloc (a separate run: tracing slows it down), and the
process's peak RSS (`ru_maxrss`, inputs included). Exit 1 when a check fails: the aim (under 1 s and under 200
MB at `full`), a second compute that differs from the first, or a tier over its quota without a tie.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import platform
import random
import resource
import sys
import time
import tracemalloc
from decimal import Decimal
from pathlib import Path

OUT = Path(__file__).resolve().parent / "out"
SCALES = {"tiny": (200, 7, 4), "full": (10_000, 30, 10)}  # contestants, judges, groups
AIM_SECONDS = 1.0
AIM_MB = 200


def parse_args(argv):
    parser = argparse.ArgumentParser(prog="python -m bench.appraisals", description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", default="tiny", choices=sorted(SCALES))
    parser.add_argument("--seed", type=int, default=20261127)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--out", type=Path, default=None)
    return parser.parse_args(argv)


def say(message: str) -> None:
    print(message, flush=True)


def setup() -> None:
    """The rules translate their messages: a minimal configuration is enough (no database)."""
    from django.conf import settings

    if not settings.configured:
        settings.configure(USE_I18N=False)


def make_rules(normalise: bool = False):
    from minsheng.appraisals import rules as r

    judged = r.Aggregation(
        trim=2, min_judges=3, few_judges=((3, r.CLOSEST_TWO), (4, r.MEAN)), normalise=normalise
    )
    components = (
        r.Component("assessment", "综合考核评价", Decimal(30), source=r.DIRECT),
        r.Component("onsite", "现场竞演", Decimal(20), aggregation=judged),
        r.Component("results", "工作实绩", Decimal(20), aggregation=judged),
        r.Component("innovation", "创新亮点", Decimal(20), aggregation=judged),
        r.Component("speech", "答辩", Decimal(10), aggregation=judged),
    )
    tiers = (
        r.Tier("first", "一等奖", quota=1, award=Decimal(100000)),
        r.Tier("second", "二等奖", quota=2, award=Decimal(50000)),
        r.Tier("third", "三等奖", quota_percent=Decimal(5), award=Decimal(20000)),
        r.Tier(
            "merit", "优秀奖", quota_percent=Decimal("12.5"), quota_rounding=r.HALF_UP, award=Decimal(5000)
        ),
    )
    return r.Rules(
        components=components,
        tiers=tiers,
        tie_breakers=(
            r.TieBreaker(r.COMPONENT, "onsite"),
            r.TieBreaker(r.COMPONENT, "assessment"),
            r.TieBreaker(r.ALL_JUDGES_MEAN, "onsite"),
        ),
        straddle=r.ALL_HIGHER,
    )


def make_contestants(rng: random.Random, contestants: int, judges: int, groups: int):
    from minsheng.appraisals import rules as r

    values = [Decimal(v) / 2 for v in range(120, 201)]  # 60.0 .. 100.0
    entered = [Decimal(v) / 100 for v in range(7000, 10001)]
    panels = [[f"g{g}j{j}" for j in range(judges)] for g in range(groups)]
    out = []
    for i in range(contestants):
        g = i % groups
        scores = {}
        for code in ("onsite", "results", "innovation", "speech"):
            base = rng.randrange(0, 60)  # a contestant's level, spread by the judges
            scores[code] = {j: values[min(80, base + rng.randrange(0, 21))] for j in panels[g]}
        out.append(
            r.Contestant(
                id=f"c{i}", group=f"group{g}", scores={"assessment": rng.choice(entered)}, judges=scores
            )
        )
    return out


def rss_mb() -> float:
    """The process's resident memory now (Linux), in MB."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return round(int(line.split()[1]) / 1024, 1)
    return 0.0


def check(rules, result) -> list[str]:
    failures = []
    for g in result.groups.values():
        for t in rules.tiers:
            given = g.counts[t.code]
            if given > g.seats[t.code]:
                tied = [c for c in g.contestants if c.tier == t.code and c.shared]
                if not tied:
                    failures.append(f"{g.group}: {t.code} has {given} > {g.seats[t.code]} without a tie")
    return failures


def main(argv=None) -> int:
    args = parse_args(argv)
    setup()
    from minsheng.appraisals import rules as r

    n, judges, groups = SCALES[args.scale]
    say(
        f"bench.appraisals: scale {args.scale} ({n} contestants × {judges} judges × 5 components), seed {args.seed}"
    )
    started = time.perf_counter()
    rng = random.Random(args.seed)
    contestants = make_contestants(rng, n, judges, groups)
    built_s = round(time.perf_counter() - started, 2)
    inputs_rss_mb = rss_mb()
    rules = make_rules()
    normalised_rules = make_rules(normalise=True)

    def best_of(fn) -> tuple[float, object]:
        best, value = None, None
        for _ in range(args.repeat):
            t0 = time.perf_counter()
            value = fn()
            elapsed = time.perf_counter() - t0
            best = elapsed if best is None else min(best, elapsed)
        return round(best, 3), value

    compute_s, result = best_of(lambda: r.compute(rules, contestants))
    compute_rss_mb = rss_mb()
    normalised_s, _normalised = best_of(lambda: r.compute(normalised_rules, contestants))
    to_dict_s, frozen = best_of(lambda: r.result_to_dict(result))

    tracemalloc.start()
    again = r.compute(rules, contestants)
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    peak_mb = round(peak / 2**20, 1)
    peak_rss_mb = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)

    failures = check(rules, result)
    if r.result_to_dict(again) != frozen:
        failures.append("a second compute of the same scores differs from the first")
    if args.scale == "full":
        if compute_s >= AIM_SECONDS:
            failures.append(f"compute took {compute_s} s, the aim is under {AIM_SECONDS} s")
        if peak_mb >= AIM_MB:
            failures.append(f"compute's peak memory is {peak_mb} MB, the aim is under {AIM_MB} MB")

    report = {
        "bench": "appraisals",
        "date": dt.date.today().isoformat(),
        "scale": args.scale,
        "seed": args.seed,
        "shape": {"contestants": n, "judges": judges, "components": 5, "groups": groups},
        "versions": {"python": platform.python_version()},
        "timings": {
            "inputs_built_s": built_s,
            "compute_s": compute_s,
            "compute_normalised_s": normalised_s,
            "result_to_dict_s": to_dict_s,
            "repeat": args.repeat,
        },
        "memory": {
            "compute_peak_tracemalloc_mb": peak_mb,
            "process_rss_with_inputs_mb": inputs_rss_mb,
            "process_rss_after_compute_mb": compute_rss_mb,
            "process_peak_rss_mb": peak_rss_mb,
        },
        "awarded": {g.group: g.counts for g in result.groups.values()},
        "total_s": round(time.perf_counter() - started, 2),
        "failures": failures,
    }
    out = args.out or OUT / f"{report['date']}-{args.scale}-appraisals.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(report, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    say(f"compute {compute_s} s (normalised {normalised_s} s), result_to_dict {to_dict_s} s")
    say(
        f"compute peak {peak_mb} MB (tracemalloc); process RSS {inputs_rss_mb} MB with the inputs, "
        f"{compute_rss_mb} MB after compute, peak {peak_rss_mb} MB (with result_to_dict)"
    )
    say(f"total {report['total_s']} s; results in {out}")
    for failure in failures:
        say(f"FAILED {failure}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
