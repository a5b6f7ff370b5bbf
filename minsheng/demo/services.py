"""Building the demo: Jiangmen's places and congresses, generated deputies, stations and units, and one
account per role. Refuses to build over existing data (start again with `make demo-reset`)."""

from __future__ import annotations

import time
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _

from minsheng.common import audit
from minsheng.common.errors import DomainError
from minsheng.congresses.services import congresses_build
from minsheng.places.services import places_load

from . import generator
from .generator import SCALES, Generator, Progress, Written

DEFAULT_SCALE = "jiangmen"
DEFAULT_SEED = 20261127


@dataclass
class BuildResult:
    scale: str
    seed: int
    counts: dict[str, int]
    timings: dict[str, float]
    generator: Generator
    written: Written


def demo_is_built() -> bool:
    from minsheng.deputies.models import Deputy
    from minsheng.stations.models import Station
    from minsheng.units.models import Unit

    return Deputy.objects.exists() or Station.objects.exists() or Unit.objects.exists()


def data_build(*, scale: str, seed: int, progress: Progress | None = None) -> BuildResult:
    """Generate and store one scale's data (no accounts). Used by the demo and by the benchmarks."""
    if scale not in SCALES:
        raise DomainError(
            _("Unknown scale %(scale)s: choose one of %(choices)s.")
            % {"scale": scale, "choices": ", ".join(SCALES)},
            field="scale",
        )
    if demo_is_built():
        raise DomainError(
            _("The demo is already built: run `make demo-reset` to start again."), code="demo_built"
        )
    say = progress or (lambda _msg: None)
    spec = SCALES[scale]
    timings: dict[str, float] = {}
    start = time.perf_counter()
    with transaction.atomic():
        loaded = places_load(region=spec.region)
        built = congresses_build(region=spec.region)
        timings["places_and_congresses"] = round(time.perf_counter() - start, 3)
        say(f"places: {loaded['created']} created; congresses: {built['created']} created")
        t = time.perf_counter()
        gen = Generator(spec, seed)
        plan = gen.plan(progress=say)
        timings["plan"] = round(time.perf_counter() - t, 3)
        say(f"planned in {timings['plan']:.1f}s")
        written = generator.write(plan, progress=say)
        timings.update(written.timings)
    timings["total"] = round(time.perf_counter() - start, 3)
    return BuildResult(scale, seed, plan.counts(), timings, gen, written)


def _build_votes(*, seed: int) -> dict:
    from minsheng.voting.demo import build_demo_votes

    return build_demo_votes(seed=seed)


def _build_projects(*, seed: int) -> dict:
    from minsheng.projects.demo import build_demo_projects

    return build_demo_projects(seed=seed)


def _build_receptions(*, seed: int) -> dict:
    from .receptions import build_demo_receptions

    return build_demo_receptions(seed=seed)


def _build_activities(*, seed: int) -> dict:
    from .activities import build_demo_activities

    return build_demo_activities(seed=seed)


def _build_campaigns(*, seed: int) -> dict:
    from .campaigns import build_demo_campaign

    return build_demo_campaign(seed=seed)


# The demo's content after the cases, in order: each part builds on the ones before it (the campaign last: its
# dashboard counts the receptions, activities, wishes and claims of the others; the duty records and points,
# after all of them, in demo_build).
_CONTENT_PARTS = [
    ("receptions", _build_receptions),
    ("activities", _build_activities),
    ("votes", _build_votes),
    ("projects", _build_projects),
    ("campaigns", _build_campaigns),
]


def demo_build(
    *,
    scale: str = DEFAULT_SCALE,
    seed: int = DEFAULT_SEED,
    progress: Progress | None = None,
    cases: bool = True,
) -> BuildResult:
    """Build the demo: the data of `scale`, the accounts listed in `logins.LOGINS` and (unless `cases` is
    False) the workflow content: cases in every state, then each part of `_CONTENT_PARTS` in order.
    Refused on a production settings module and on a database that already holds deputies, stations or
    units."""
    from .logins import create_cast

    if settings.SETTINGS_MODULE and settings.SETTINGS_MODULE.endswith(".prod"):
        raise DomainError(_("The demo is never built with the production settings."), code="production")
    with transaction.atomic():
        result = data_build(scale=scale, seed=seed, progress=progress)
        t = time.perf_counter()
        users = create_cast(result.generator, result.written)
        result.timings["accounts"] = round(time.perf_counter() - t, 3)
        # The named deputies of the accounts: 曾丽 (city and 海宴镇) and 陈海 (海宴镇).
        for key, extra in {
            "people": 2,
            "seats": 3,
            "people_with_two_seats": 1,
            "seats_city": 1,
            "seats_township": 2,
        }.items():
            result.counts[key] = result.counts.get(key, 0) + extra
        result.counts["accounts"] = len(users)
        if cases:
            from .cases import build_demo_cases

            t = time.perf_counter()
            result.counts.update(build_demo_cases(seed=seed, scale=scale))
            result.timings["cases"] = round(time.perf_counter() - t, 3)
            (progress or (lambda _msg: None))(f"cases built in {result.timings['cases']:.1f}s")
            for part, build in _CONTENT_PARTS:
                t = time.perf_counter()
                result.counts.update(build(seed=seed))
                result.timings[part] = round(time.perf_counter() - t, 3)
                (progress or (lambda _msg: None))(f"{part} built in {result.timings[part]:.1f}s")
            # Last: the duty records and points read what every part above made.
            from .records import build_demo_records

            t = time.perf_counter()
            result.counts.update(build_demo_records(seed=seed))
            result.timings["records"] = round(time.perf_counter() - t, 3)
        audit.record(None, "demo.built", None, scale=scale, seed=seed, **result.counts)
    return result
