"""Checks on the records (section 6 of issue 11), for congress staff: reads only, in a region and a period.

- `duplicate_matters`: the same matter recorded by several deputies — matters (`ReceptionMatter`) of
  different receptions at the same station in the same ISO week whose texts are alike (difflib ratio ≥
  `MINSHENG["CHECKS_DUPLICATE_SIMILARITY"]`); at most `MINSHENG["CHECKS_MATTERS_PER_WEEK"]` matters of a
  station-week are compared (the work is bounded: n²/2 pairs of short texts, with a cheap pre-filter).
- `shared_photos`: the same photo (by the `sha256` of its stored bytes) on different activities.
- `overlapping_attendance`: a deputy present at an activity that overlaps another activity where he or she
  was present, or a reception he or she held (a reception lasts its reception day's hours when linked to one,
  else `MINSHENG["RECEPTION_ASSUMED_MINUTES"]` from its time).
- `unscheduled_receptions`: receptions recorded on a day the station had scheduled no reception day.

Each returns a list of plain dicts (the page and the Excel export show them as they are); none carries a
visitor's name or phone.
"""

import datetime as dt
import difflib
from collections import defaultdict
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Count
from django.utils import timezone

from .models import Activity, ActivityPhoto, Participation, Reception, ReceptionDay, ReceptionMatter


@dataclass(frozen=True)
class Scope:
    """A region (place-code prefix; '' = everywhere) and a period of days (both ends included)."""

    prefix: str
    date_from: dt.date
    date_to: dt.date

    @property
    def start(self) -> dt.datetime:
        return timezone.make_aware(dt.datetime.combine(self.date_from, dt.time.min))

    @property
    def end(self) -> dt.datetime:
        return timezone.make_aware(dt.datetime.combine(self.date_to + dt.timedelta(days=1), dt.time.min))


def _setting(name: str, default):
    return settings.MINSHENG.get(name, default)


def _receptions(scope: Scope):
    return Reception.objects.filter(
        station__place__code__startswith=scope.prefix, received_at__gte=scope.start, received_at__lt=scope.end
    )


def _activities(scope: Scope):
    return Activity.objects.filter(
        congress__region_prefix__startswith=scope.prefix, starts_at__lt=scope.end, ends_at__gt=scope.start
    ).exclude(status=Activity.Status.CANCELLED)


def similarity(a: str, b: str) -> float:
    """How alike two texts are (0–1), ignoring white space."""
    a, b = "".join(a.split()), "".join(b.split())
    if not a or not b:
        return 0.0
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    if matcher.real_quick_ratio() < _threshold() or matcher.quick_ratio() < _threshold():
        return 0.0
    return matcher.ratio()


def _threshold() -> float:
    return float(_setting("CHECKS_DUPLICATE_SIMILARITY", 0.8))


def duplicate_matters(scope: Scope) -> list[dict]:
    """Pairs of alike matters of different receptions at one station in one ISO week."""
    limit = int(_setting("CHECKS_MATTERS_PER_WEEK", 200))
    matters = (
        ReceptionMatter.objects.filter(
            reception__in=_receptions(scope).values("pk"),
        )
        .select_related("reception", "reception__station")
        .prefetch_related("reception__deputies")
        .order_by("reception__station_id", "reception__received_at", "id")
    )
    groups: dict[tuple, list] = defaultdict(list)
    for matter in matters:
        year, week, _day = timezone.localtime(matter.reception.received_at).isocalendar()
        key = (matter.reception.station_id, year, week)
        if len(groups[key]) < limit:
            groups[key].append(matter)
    threshold = _threshold()
    found = []
    for (_station, year, week), group in groups.items():
        for i, first in enumerate(group):
            for second in group[i + 1 :]:
                if first.reception_id == second.reception_id:
                    continue
                ratio = similarity(first.text, second.text)
                if ratio >= threshold:
                    found.append(
                        {
                            "station": first.reception.station,
                            "week": f"{year}-W{week:02d}",
                            "similarity": round(ratio, 2),
                            "matters": [first, second],
                            "items": [
                                {
                                    "matter": m,
                                    "deputies": "、".join(d.name for d in m.reception.deputies.all()),
                                }
                                for m in (first, second)
                            ],
                        }
                    )
    return found


def shared_photos(scope: Scope) -> list[dict]:
    """Photos whose bytes (sha256) appear on more than one activity, at least one of them in the scope."""
    in_scope = ActivityPhoto.objects.filter(activity__in=_activities(scope).values("pk"))
    hashes = (
        ActivityPhoto.objects.filter(sha256__in=in_scope.values("sha256"))
        .values("sha256")
        .annotate(n=Count("activity", distinct=True))
        .filter(n__gt=1)
        .values_list("sha256", flat=True)
    )
    photos = (
        ActivityPhoto.objects.filter(sha256__in=list(hashes))
        .select_related("activity")
        .order_by("sha256", "id")
    )
    by_hash: dict[str, list] = defaultdict(list)
    for photo in photos:
        by_hash[photo.sha256].append(photo)
    return [
        {
            "sha256": digest,
            "photos": group,
            "activities": list({p.activity_id: p.activity for p in group}.values()),
        }
        for digest, group in by_hash.items()
    ]


def _reception_window(reception: Reception) -> tuple[dt.datetime, dt.datetime]:
    day = reception.reception_day
    if day is not None:
        start = timezone.make_aware(dt.datetime.combine(day.day, day.starts_at))
        end = timezone.make_aware(dt.datetime.combine(day.day, day.ends_at))
        if end > start:
            return start, end
    minutes = int(_setting("RECEPTION_ASSUMED_MINUTES", 60))
    return reception.received_at, reception.received_at + dt.timedelta(minutes=minutes)


def overlapping_attendance(scope: Scope) -> list[dict]:
    """A deputy present at an activity of the scope while present at another activity or holding a
    reception: `{deputy, activity, other_activity | reception}`."""
    present = list(
        Participation.objects.filter(
            activity__in=_activities(scope).values("pk"), status=Participation.Status.PRESENT
        ).select_related("activity", "deputy")
    )
    deputy_ids = {p.deputy_id for p in present}
    if not deputy_ids:
        return []
    margin = dt.timedelta(days=int(_setting("ACTIVITY_MAX_DAYS", 14)) + 1)
    others = list(
        Participation.objects.filter(
            deputy_id__in=deputy_ids,
            status=Participation.Status.PRESENT,
            activity__starts_at__lt=scope.end + margin,
            activity__ends_at__gt=scope.start - margin,
        )
        .exclude(activity__status=Activity.Status.CANCELLED)
        .select_related("activity")
    )
    by_deputy: dict[int, list] = defaultdict(list)
    for other in others:
        by_deputy[other.deputy_id].append(other.activity)
    receptions = (
        Reception.objects.filter(
            deputies__in=deputy_ids,
            received_at__gte=scope.start - margin,
            received_at__lt=scope.end + margin,
        )
        .select_related("station", "reception_day")
        .prefetch_related("deputies")
        .distinct()
    )
    held: dict[int, list] = defaultdict(list)
    for reception in receptions:
        window = _reception_window(reception)
        for deputy in reception.deputies.all():
            if deputy.pk in deputy_ids:
                held[deputy.pk].append((reception, window))
    found = []
    seen: set[tuple] = set()
    for participation in present:
        activity = participation.activity
        for other in by_deputy[participation.deputy_id]:
            if other.pk == activity.pk or not (
                other.starts_at < activity.ends_at and other.ends_at > activity.starts_at
            ):
                continue
            key = (participation.deputy_id, *sorted((activity.pk, other.pk)))
            if key in seen:
                continue
            seen.add(key)
            found.append(
                {
                    "deputy": participation.deputy,
                    "activity": activity,
                    "other_activity": other,
                    "reception": None,
                }
            )
        for reception, (start, end) in held[participation.deputy_id]:
            if start < activity.ends_at and end > activity.starts_at:
                found.append(
                    {
                        "deputy": participation.deputy,
                        "activity": activity,
                        "other_activity": None,
                        "reception": reception,
                    }
                )
    return found


def unscheduled_receptions(scope: Scope) -> list[dict]:
    """Receptions on a day their station had no (not cancelled) reception day."""
    found = []
    receptions = (
        _receptions(scope)
        .select_related("station")
        .prefetch_related("deputies")
        .order_by("received_at", "id")
    )
    days = set(
        ReceptionDay.objects.filter(
            station__place__code__startswith=scope.prefix,
            day__gte=scope.date_from,
            day__lte=scope.date_to,
            is_cancelled=False,
        ).values_list("station_id", "day")
    )
    for reception in receptions:
        if (reception.station_id, timezone.localtime(reception.received_at).date()) not in days:
            found.append({"reception": reception, "station": reception.station})
    return found


def run_all(scope: Scope) -> dict[str, list[dict]]:
    return {
        "duplicate_matters": duplicate_matters(scope),
        "shared_photos": shared_photos(scope),
        "overlapping_attendance": overlapping_attendance(scope),
        "unscheduled_receptions": unscheduled_receptions(scope),
    }


__all__ = [
    "Scope",
    "duplicate_matters",
    "overlapping_attendance",
    "run_all",
    "shared_photos",
    "similarity",
    "unscheduled_receptions",
]
