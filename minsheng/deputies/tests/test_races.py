"""Races on PostgreSQL, for real: threads behind a barrier (SQLite serialises writers, so nothing to see)."""

import datetime as dt
import threading

import pytest
from django.db import connection, connections

from minsheng.common.errors import DomainError
from minsheng.common.models import AuditRecord
from minsheng.deputies import services
from minsheng.deputies.models import Seat

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks are real only on PostgreSQL"),
]


def race(*calls) -> list[str]:
    barrier = threading.Barrier(len(calls))
    outcomes: list[str] = []

    def run(call):
        try:
            barrier.wait(timeout=10)
            call()
            outcomes.append("done")
        except DomainError as exc:
            outcomes.append(exc.code)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(call,)) for call in calls]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    return sorted(outcomes)


@pytest.mark.django_db(transaction=True)
def test_two_clerks_ending_one_seat_at_once_end_it_once(taishan_staff, city_staff, county_deputy):
    seat = county_deputy.seats.get()

    def end(actor, status):
        return lambda: services.seat_end(
            actor=actor, seat_id=seat.pk, status=status, end_date=dt.date(2024, 5, 1)
        )

    assert race(end(taishan_staff, "ended"), end(city_staff, "resigned")) == [
        "done",
        "transition_not_allowed",
    ]
    assert AuditRecord.objects.filter(verb="seat.ended", target_id=str(seat.pk)).count() == 1


@pytest.mark.django_db(transaction=True)
def test_two_clerks_adding_the_same_seat_at_once_add_it_once(
    taishan_staff, city_staff, town_deputy, taishan_term
):
    def add(actor):
        return lambda: services.seat_add(actor=actor, deputy=town_deputy, term=taishan_term)

    assert race(add(taishan_staff), add(city_staff)) == ["done", "duplicate_seat"]
    assert Seat.objects.filter(deputy=town_deputy, term=taishan_term).count() == 1
