"""`python -m bench.voting`: the votes benchmark (issue 4) on its own bench database.

Times, in one run: (a) ballots per second with V deputies casting at once from T threads (`ballot_cast`, the
real service: the elector's compare-and-set, the FOR SHARE lock on the vote, the ballot sealed into the box
(issue 9), the audit record), (b) closing the vote — opening the sealed box (decrypt, shuffle, write V ballots
and V × C marks, destroy the box), the tally from the stored marks and the stored results — and the pure
counting rule alone, (c) the result sheet: the stored results read and rendered
as the HTML table of the sheet.

`--scale tiny` (CI): 100 voters; otherwise 1,000 voters. 20 candidates for 10 seats. On SQLite the voters
cast one at a time (SQLite serialises writers; figures not comparable). Exit 1 when a check fails (every
ballot sealed, counted once, the box destroyed, totals equal to what was cast). The /healthz/ floor of the same
run is timed in process.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import threading
import time
from collections import Counter
from pathlib import Path

from . import database

OUT = Path(__file__).resolve().parent / "out"

SHEET = """<table class="table">
<thead><tr><th>#</th><th>项目</th><th>赞成</th><th>反对</th><th>弃权</th><th>结果</th></tr></thead>
<tbody>{% for r in rows %}<tr><td>{{ r.rank }}</td><td>{{ r.candidate.number }}. {{ r.candidate.title }}
({{ r.candidate.lead_unit.name }})</td><td>{{ r.votes_for }}</td><td>{{ r.votes_against }}</td>
<td>{{ r.abstentions }}</td><td>{{ r.get_outcome_display }}</td></tr>{% endfor %}</tbody>
<tfoot><tr><td colspan="6">应到 {{ vote.electorate }} · 实到 {{ vote.present }}</td></tr></tfoot></table>"""


def parse_args(argv):
    parser = argparse.ArgumentParser(prog="python -m bench.voting", description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", default="tiny", choices=["tiny", "jiangmen", "guangdong"])
    parser.add_argument("--voters", type=int, default=None, help="default 100 tiny, 1,000 otherwise")
    parser.add_argument("--threads", type=int, default=50, help="concurrent voters' threads (PostgreSQL)")
    parser.add_argument("--candidates", type=int, default=20)
    parser.add_argument("--seats", type=int, default=10)
    parser.add_argument("--seed", type=int, default=20261127)
    parser.add_argument("--out", type=Path, default=None)
    args = parser.parse_args(argv)
    args.voters = args.voters or (100 if args.scale == "tiny" else 1000)
    return args


def say(message: str) -> None:
    print(message, flush=True)


def build(args):
    """Jiangmen's places and congresses, the city congress's term and session, V deputies with seats and
    accounts, a solicitation with C candidates and a vote in preparation."""
    from minsheng.accounts.models import User
    from minsheng.congresses.models import Congress, Session, Term
    from minsheng.congresses.services import congresses_build
    from minsheng.deputies.models import Deputy, Seat
    from minsheng.places.models import Place
    from minsheng.places.services import places_load
    from minsheng.units.models import Unit
    from minsheng.voting import services
    from minsheng.voting.models import Solicitation

    places_load(region="4407")
    congresses_build(region="4407")
    congress = Congress.objects.get(region_prefix="4407")
    term = Term.objects.create(congress=congress, number=16, start_date=dt.date(2022, 1, 1))
    session = Session.objects.create(
        term=term, number=5, start_date=dt.date(2026, 1, 10), end_date=dt.date(2026, 1, 12)
    )
    admin = User.objects.create(
        username="bench_admin", role=User.Role.ADMIN, is_superuser=True, is_staff=True, display_name="bench"
    )
    from minsheng.common.idcard import with_check_digit

    def id_number_for(n: int) -> str:
        birth = dt.date(1960, 1, 1) + dt.timedelta(days=(n * 37) % 15000)
        return with_check_digit(f"440781{birth:%Y%m%d}{(n % 500) * 2 + 1:03d}")

    deputies = []
    for i in range(args.voters):
        deputy = Deputy(
            name=f"票决代表{i}",
            gender=Deputy.Gender.MALE,
            birth_date=dt.date(1970, 1, 1),
            id_number=id_number_for(i + 1),
        )
        deputy.fill_derived_fields()
        deputies.append(deputy)
    deputies = Deputy.objects.bulk_create(deputies, batch_size=500)
    if not all(d.pk for d in deputies):
        deputies = list(Deputy.objects.order_by("pk"))
    Seat.objects.bulk_create(
        [Seat(deputy=d, congress=congress, term=term, start_date=term.start_date) for d in deputies],
        batch_size=500,
    )
    users = User.objects.bulk_create(
        [
            User(username=f"voter{d.pk}", display_name=d.name, role=User.Role.DEPUTY, deputy=d, password="!")
            for d in deputies
        ],
        batch_size=500,
    )
    unit = Unit.objects.create(
        name="江门市住房和城乡建设局",
        kind=Unit.Kind.DEPARTMENT,
        level=Unit.Level.CITY,
        place=Place.objects.get(code="440700"),
        congress=congress,
    )
    solicitation = Solicitation.objects.create(
        congress=congress,
        year=2026,
        title="2026年江门市十件民生实事征集",
        opens_on=dt.date(2025, 10, 1),
        closes_on=dt.date(2025, 11, 30),
        status=Solicitation.Status.OPEN,
    )
    for i in range(args.candidates):
        services.candidate_add(
            actor=admin,
            solicitation_id=solicitation.pk,
            title=f"民生实事候选项目{i + 1}",
            description="改造农村道路、增设路灯、建设长者饭堂",
            lead_unit=unit,
            budget=100 + i,
        )
    vote = services.vote_create(
        actor=admin, solicitation_id=solicitation.pk, session=session, seats=args.seats, title="2026年票决"
    )
    return admin, vote, users


def cast_all(args, vote, users, ids, rng) -> tuple[float, Counter, int]:
    """Every voter casts a random valid ballot; returns (wall seconds, expected marks, refusals)."""
    from django.db import connection, connections

    from minsheng.voting import services

    ballots = []
    for _user in users:
        n_for = rng.randint(0, args.seats)
        fors = set(rng.sample(ids, n_for))
        ballots.append({cid: "for" if cid in fors else rng.choice(("against", "abstain")) for cid in ids})
    expected = Counter((cid, mark) for b in ballots for cid, mark in b.items())
    threads = args.threads if connection.vendor == "postgresql" else 1
    barrier = threading.Barrier(threads + 1 if threads > 1 else 1)
    errors: list = []

    def runner(t):
        try:
            barrier.wait()
            for i in range(t, len(users), threads):
                services.ballot_cast(actor=users[i], vote_id=vote.pk, choices=ballots[i])
        except Exception as exc:  # noqa: BLE001 - counted as a failure
            errors.append(repr(exc))
        finally:
            if threads > 1:
                connections.close_all()

    if threads == 1:
        t = time.perf_counter()
        runner(0)
        return time.perf_counter() - t, expected, len(errors)
    workers = [threading.Thread(target=runner, args=(t,)) for t in range(threads)]
    for w in workers:
        w.start()
    barrier.wait()
    t = time.perf_counter()
    for w in workers:
        w.join()
    return time.perf_counter() - t, expected, len(errors)


def main(argv=None) -> int:
    args = parse_args(argv)
    started = time.perf_counter()
    # its own database by default, so that it never drops the one `python -m bench` may be using
    os.environ.setdefault(
        "DATABASE_URL", f"sqlite:///{database.DEFAULT_SQLITE.with_name('minsheng_bench_voting.sqlite3')}"
    )
    url = database.resolve()
    say(f"bench.voting: scale {args.scale}, {args.voters} voters, database {database.redact(url)}")
    database.recreate(url)
    os.environ["DJANGO_SETTINGS_MODULE"] = "bench.settings"
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.template import Context, Template

    from minsheng.voting import selectors, services
    from minsheng.voting.models import Ballot, BallotBox, CandidateResult, SealedBallot

    from .run import healthz_floor, machine, versions

    call_command("migrate", verbosity=0)
    t = time.perf_counter()
    admin, vote, users = build(args)
    say(f"built in {time.perf_counter() - t:.1f} s")
    rng = random.Random(args.seed)
    ids = sorted(vote.candidates.values_list("id", flat=True))
    timings: dict = {}

    t = time.perf_counter()
    services.vote_open(actor=admin, vote_id=vote.pk)
    timings["open_s"] = round(time.perf_counter() - t, 3)
    load_before = os.getloadavg()
    seconds, expected, refused = cast_all(args, vote, users, ids, rng)
    load_after = os.getloadavg()
    timings["cast_s"] = round(seconds, 3)
    timings["ballots_per_s"] = round(args.voters / seconds, 1)
    threads = args.threads if connection.vendor == "postgresql" else 1

    in_box = SealedBallot.objects.filter(vote=vote).count()
    t = time.perf_counter()
    services.vote_close(
        actor=admin, vote_id=vote.pk
    )  # opens the sealed box: decrypt, shuffle, write, destroy
    timings["close_and_tally_s"] = round(time.perf_counter() - t, 3)
    vote.refresh_from_db()
    t = time.perf_counter()
    counts = services.counts_of(vote)
    timings["aggregate_s"] = round(time.perf_counter() - t, 3)
    t = time.perf_counter()
    for _ in range(100):
        services.result_of(vote, counts)
    timings["rule_only_ms"] = round((time.perf_counter() - t) * 10, 3)  # per run, of 100

    for key in ("result_sheet_cold_s", "result_sheet_s"):  # the first includes loading the translations
        t = time.perf_counter()
        html = Template(SHEET).render(Context({"rows": list(selectors.results_of(vote)), "vote": vote}))
        timings[key] = round(time.perf_counter() - t, 4)

    failures = []
    if refused:
        failures.append(f"{refused} voters' threads failed")
    if in_box != args.voters:
        failures.append("not every ballot was sealed in the box while the vote was open")
    if Ballot.objects.filter(vote=vote).count() != args.voters:
        failures.append("not every ballot was counted")
    if SealedBallot.objects.filter(vote=vote).exists() or BallotBox.objects.filter(vote=vote).exists():
        failures.append("the sealed box was not destroyed at closing")
    floor = healthz_floor()
    stored = {
        r.candidate_id: (r.votes_for, r.votes_against, r.abstentions)
        for r in CandidateResult.objects.filter(vote=vote)
    }
    for cid in ids:
        if stored.get(cid) != (
            expected[(cid, "for")],
            expected[(cid, "against")],
            expected[(cid, "abstain")],
        ):
            failures.append(f"candidate {cid}: stored totals differ from what was cast")
    if html.count("<tr>") != len(ids) + 2:
        failures.append("the result sheet does not list every candidate")

    result = {
        "date": dt.date.today().isoformat(),
        "scale": args.scale,
        "voters": args.voters,
        "threads": threads,
        "candidates": args.candidates,
        "seats": args.seats,
        "machine": machine(),
        "versions": versions(),
        "load_average": {"before_cast": load_before, "after_cast": load_after},
        "timings": timings,
        "healthz_in_process": floor,
        "total_s": round(time.perf_counter() - started, 2),
        "failures": failures,
    }
    out = args.out or OUT / f"{result['date']}-{args.scale}-voting.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(result, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    say(f"{result['versions']['database']} · {args.voters} voters from {threads} threads")
    say(f"cast:   {timings['ballots_per_s']} ballots/s ({timings['cast_s']} s)")
    say(
        f"close:  {timings['close_and_tally_s']} s ({args.voters} ballots × {args.candidates} candidates; "
        f"aggregate {timings['aggregate_s']} s, rule {timings['rule_only_ms']} ms)"
    )
    say(
        f"sheet:  {timings['result_sheet_s']} s (cold {timings['result_sheet_cold_s']} s); load average {load_before} → {load_after}"
    )
    say(f"/healthz/ in process (the floor): p50 {floor['p50_ms']} ms, p95 {floor['p95_ms']} ms")
    say(f"total {result['total_s']} s; results in {out}")
    for failure in failures:
        say(f"FAILED {failure}")
    return 1 if failures else 0


if __name__ == "__main__":
    import sys

    sys.exit(main())
