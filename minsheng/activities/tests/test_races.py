"""Races on PostgreSQL, for real: threads behind a barrier."""

import pytest
from django.db import connection

from minsheng.activities import services
from minsheng.cases.models import Case
from minsheng.deputies.tests.test_races import race

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks are real only on PostgreSQL"),
]


@pytest.mark.django_db(transaction=True)
def test_two_people_recording_one_reception_as_a_case_at_once_make_one_case(
    deputy_user, station_staff, make_reception
):
    reception = make_reception()

    def to_case(actor):
        return lambda: services.reception_to_case(actor=actor, reception_id=reception.pk)

    assert race(to_case(deputy_user), to_case(station_staff)) == ["already_linked", "done"]
    assert Case.objects.count() == 1
    reception.refresh_from_db()
    assert reception.case_id == Case.objects.get().pk
