"""The duty month's generator (`bench/duty_data.py`) at tiny scale: every skeleton column filled sensibly, the
same rows for the same seed, and matters, participations and the many-to-many rows pointing at real rows."""

import datetime as dt

import pytest
from django.db import connection
from django.db.models import Count, F, Q

from bench.cases_data import build_cases
from bench.duty_data import TABLES, Table, build_duty, campaign_month
from minsheng.activities.models import (
    Activity,
    Campaign,
    Participation,
    Reception,
    ReceptionDay,
    ReceptionMatter,
)
from minsheng.demo.services import data_build
from minsheng.stations.models import StationDeputy

# On PostgreSQL the cases writer COPYs through a connection of its own, which cannot see the rows this test's
# transaction has not committed (the accounts its cases refer to); CI's bench-smoke runs the generator on
# PostgreSQL for real (`make bench-smoke`, the duty part included). Here: SQLite, one connection.
ON_SQLITE_ONLY = pytest.mark.skipif(
    connection.vendor != "sqlite", reason="the bench writer's own connection sees only committed rows"
)

TODAY = dt.date(2026, 12, 2)
SEED = 20261127


def build(seed=SEED, today=TODAY):
    data_build(scale="tiny", seed=seed)
    build_cases(scale="tiny", seed=seed, count=300)  # the cases a matter becomes, an activity concerns
    return build_duty(scale="tiny", seed=seed, receptions=600, activities=300, today=today)


def snapshot() -> dict:
    """What the generator drew, without the database's own numbering and the ciphertexts' random IVs."""
    return {
        "receptions": list(
            Reception.objects.order_by("received_at", "station__name", "id").values_list(
                "station__name",
                "received_at",
                "visitor_count",
                "matter",
                "category",
                "outcome",
                "reception_day__day",
                "archived_at",
            )
        ),
        "contacts": list(Reception.objects.order_by("id").values_list("contact_name", flat=True)),
        "matters": list(
            ReceptionMatter.objects.order_by(
                "reception__received_at", "reception__station__name", "position"
            ).values_list(
                "position", "text", "disposal", "status", "answer_due", "answered_at", "feedback_at"
            )
        ),
        "activities": list(
            Activity.objects.order_by("starts_at", "congress__name", "id").values_list(
                "title", "kind__code", "congress__name", "status", "starts_at", "ends_at", "checkin_token"
            )
        ),
        "participations": list(
            Participation.objects.order_by(
                "activity__starts_at", "activity__checkin_token", "deputy__name_sort"
            ).values_list("deputy__name", "status", "method", "in_full")
        ),
    }


@ON_SQLITE_ONLY
@pytest.mark.django_db
def test_the_generator_fills_every_skeleton_column_sensibly():
    built = build()
    assert built.counts["receptions"] == Reception.objects.count() == 600
    assert built.counts["activities"] == Activity.objects.count() == 300
    # Every column the generator names is filled somewhere (not all null, not all blank).
    for key, (path, names) in TABLES.items():
        table = Table(path, names)
        assert not table.dropped, (key, table.dropped)
        rows = table.model.objects.all()
        assert rows.exists(), key
        for name in names.split():
            values = set(rows.values_list(name, flat=True))
            if values <= {True, False}:
                assert values, f"{key}.{name} is never filled"
                continue
            assert values - {None, ""}, f"{key}.{name} is never filled"
    # Sensible values.
    assert not Reception.objects.filter(received_at__date__gte=TODAY).exists()  # nothing ahead of the clock
    assert set(ReceptionMatter.objects.values_list("disposal", flat=True)) == {
        "answered",
        "town",
        "higher",
        "suggestion",
        "wish",
    }
    assert set(ReceptionMatter.objects.values_list("status", flat=True)) == {"open", "answered", "closed"}
    assert not ReceptionMatter.objects.filter(status="closed", feedback_at__isnull=True).exists()
    assert not ReceptionMatter.objects.filter(status="open").exclude(answer="").exists()
    assert not ReceptionMatter.objects.filter(answered_at__lt=F("reception__received_at")).exists()
    assert not ReceptionMatter.objects.filter(disposal="town", referred_to__isnull=True).exists()
    assert not Reception.objects.filter(
        archived_at__isnull=False, matters__status__in=["open", "answered"]
    ).exists()
    assert Reception.objects.annotate(n=Count("matters")).filter(Q(n__lt=1) | Q(n__gt=3)).count() == 0
    assert not Reception.objects.annotate(n=Count("deputies")).filter(n=0).exists()
    assert Reception.objects.filter(reception_day__isnull=False).exists()
    assert (
        not Reception.objects.filter(reception_day__isnull=False)
        .exclude(received_at__date=F("reception_day__day"))
        .exists()
    )
    assert not ReceptionDay.objects.annotate(n=Count("deputies")).filter(n=0).exists()
    assert set(Participation.objects.values_list("status", flat=True)) >= {"present", "leave", "absent"}
    assert not Participation.objects.filter(status="leave", leave_reason="").exists()
    assert not Participation.objects.filter(status="present", checked_in_at__isnull=True).exists()
    assert not Activity.objects.filter(status="held", starts_at__date__gte=TODAY).exists()
    assert Activity.objects.values("kind__code").distinct().count() >= 5
    assert Activity.objects.values("congress__level").distinct().count() >= 3
    july = campaign_month(TODAY)
    in_july = Reception.objects.filter(received_at__date__range=july).count()
    assert in_july > 600 * 31 / 365 * 1.5  # the campaign's month is busier
    campaign = Campaign.objects.get()
    assert (campaign.starts_on, campaign.ends_on) == july == (dt.date(2026, 7, 1), dt.date(2026, 7, 31))
    assert campaign.congress.level == "provincial"


@ON_SQLITE_ONLY
@pytest.mark.django_db
def test_matters_participations_and_links_reference_valid_rows():
    build()
    # The deputies who received are attached to the station, or (a home, a contact point) to one around it.
    attached = set(StationDeputy.objects.values_list("deputy_id", flat=True))
    received = set(Reception.deputies.through.objects.values_list("deputy_id", flat=True))
    assert received <= attached
    on_duty = set(ReceptionDay.deputies.through.objects.values_list("deputy_id", flat=True))
    assert on_duty <= attached
    # A reception on a reception day is received by deputies on duty that day.
    through = Reception.deputies.through.objects.filter(reception__reception_day__isnull=False)
    assert not through.exclude(deputy__reception_duties=F("reception__reception_day")).exists()
    assert (
        not Reception.objects.exclude(reception_day__station=F("station"))
        .filter(reception_day__isnull=False)
        .exists()
    )
    # Each matter belongs to a reception, numbered 1, 2, 3 within it.
    assert ReceptionMatter.objects.filter(position=1).count() == Reception.objects.count()
    # Participations: deputies with an active seat in the organising congress.
    assert not Participation.objects.exclude(
        deputy__seats__congress=F("activity__congress"), deputy__seats__status="active"
    ).exists()


@ON_SQLITE_ONLY
@pytest.mark.django_db
def test_the_same_seed_gives_the_same_rows():
    build()
    first = snapshot()
    for model in (Participation, Activity, ReceptionMatter, Reception, ReceptionDay, Campaign):
        model.objects.all().delete()
    build_duty(scale="tiny", seed=SEED, receptions=600, activities=300, today=TODAY)
    assert snapshot() == first
    for model in (Participation, Activity, ReceptionMatter, Reception, ReceptionDay):
        model.objects.all().delete()
    build_duty(scale="tiny", seed=SEED + 1, receptions=600, activities=300, today=TODAY)
    assert snapshot()["matters"] != first["matters"]


def test_a_field_another_part_removes_is_skipped_and_one_it_adds_gets_its_default():
    path, names = TABLES["reception"]
    # As if the skeleton had a field the model lost, and the model a field the generator does not name.
    table = Table(path, names.replace(" archived_at", "") + " gone_field")
    assert table.dropped == ["gone_field"]
    assert [f.name for f in table.extra] == ["archived_at"]
    row = tuple(range(len(names.split())))  # the generator's row: the skeleton's fields and the gone one
    (written,) = table.rows([row])
    assert len(written) == len(table.columns) and written[-1] is None
    assert Table(*TABLES["activity"]).extra  # report and report_name: not the skeleton's, defaulted
