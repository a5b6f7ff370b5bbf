import datetime as dt
import threading

import pytest
from django.db import connection

from minsheng.common.errors import Conflict
from minsheng.congresses.models import Term
from minsheng.congresses.services import term_create


@pytest.mark.postgres
@pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL")
@pytest.mark.django_db(transaction=True)
def test_two_staff_adding_overlapping_terms_at_once_get_one_term_and_one_conflict(  # the congress row lock
    taishan_staff, city_staff, taishan_congress
):
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def add(actor, number, start, end):
        try:
            barrier.wait(timeout=10)
            term_create(actor=actor, congress=taishan_congress, number=number, start_date=start, end_date=end)
            outcomes.append("created")
        except Conflict:
            outcomes.append("conflict")
        finally:
            connection.close()

    threads = [
        threading.Thread(target=add, args=(taishan_staff, 17, dt.date(2021, 10, 1), dt.date(2026, 9, 30))),
        threading.Thread(target=add, args=(city_staff, 18, dt.date(2024, 1, 1), dt.date(2028, 12, 31))),
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    assert sorted(outcomes) == ["conflict", "created"]
    assert Term.objects.filter(congress=taishan_congress).count() == 1
