"""The move of receptions from stations to activities (stations 0004, activities 0001) on data of the schema
before it: the receptions keep their ids, deputies, station, case and encrypted contact (the same ciphertext),
and the audit trail written while they lived in stations still names them."""

import datetime as dt

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from minsheng.activities import services
from minsheng.activities.models import Reception
from minsheng.common import audit, clock

BEFORE = [("activities", None), ("stations", "0003_stations_text_lengths_and_date_checks")]
OLD_STATE = [
    ("stations", "0003_stations_text_lengths_and_date_checks"),
    ("contenttypes", "0002_remove_content_type_name"),
    ("common", "0001_initial"),
]


def _ciphertexts(pk: int) -> tuple:
    with connection.cursor() as cursor:
        cursor.execute("SELECT contact_name, contact_phone FROM stations_reception WHERE id = %s", [pk])
        return cursor.fetchone()


@pytest.mark.django_db(transaction=True)
def test_receptions_made_before_the_move_survive_it_with_their_ids_links_and_contacts(
    station, station_staff, town_deputy
):
    made = services.reception_record(
        actor=station_staff,
        station_id=station.pk,
        received_at=clock.now() - dt.timedelta(days=3),
        deputies=[town_deputy],
        visitor_count=2,
        contact_name="梁秀英",
        contact_phone="13912345678",
        matter="五丰村路灯损坏，夜间出行不便，希望尽快维修。",
        category="urban_rural",
        outcome="answered",
    )
    case = services.reception_to_case(actor=station_staff, reception_id=made.pk)

    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    old = executor.loader.project_state(OLD_STATE).apps
    OldReception = old.get_model("stations", "Reception")
    OldContentType = old.get_model("contenttypes", "ContentType")
    OldAuditRecord = old.get_model("common", "AuditRecord")
    assert not OldContentType.objects.filter(app_label="activities", model="reception").exists()
    old_type = OldContentType.objects.get(app_label="stations", model="reception")
    assert OldAuditRecord.objects.filter(target_type=old_type, target_id=str(made.pk)).exists()
    # A reception recorded on the old schema, by the old model (its contact encrypted by the same field).
    before = OldReception.objects.create(
        station_id=station.pk,
        received_at=clock.now() - dt.timedelta(days=1),
        visitor_count=5,
        contact_name="黄丽珍",
        contact_phone="13687654321",
        matter="渡口码头台阶破损，老人上下船不便。",
        category="transport",
        outcome="none",
        recorded_by_id=station_staff.pk,
    )
    before.deputies.add(town_deputy.pk)
    OldAuditRecord.objects.create(
        actor_id=station_staff.pk, verb="reception.recorded", target_type=old_type, target_id=str(before.pk)
    )
    ciphertexts = {pk: _ciphertexts(pk) for pk in (made.pk, before.pk)}

    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())  # every app back to its latest, as before the test

    moved = Reception.objects.get(pk=made.pk)
    assert (moved.station_id, moved.case_id, moved.outcome) == (station.pk, case.pk, "case")
    assert list(moved.deputies.all()) == [town_deputy]
    assert (moved.contact_name, moved.contact_phone) == ("梁秀英", "13912345678")
    assert list(case.receptions.all()) == [moved]
    older = Reception.objects.get(pk=before.pk)
    assert (older.contact_name, older.contact_phone, older.visitor_count) == ("黄丽珍", "13687654321", 5)
    assert list(older.deputies.all()) == [town_deputy]
    assert {pk: _ciphertexts(pk) for pk in (made.pk, before.pk)} == ciphertexts  # not re-encrypted, not lost
    assert sorted(r.verb for r in audit.history_of(moved)) == [
        "reception.archived",
        "reception.case_created",
        "reception.recorded",
    ]
    # activities 0004 (issue 11): each reception's single matter became its first ReceptionMatter.
    moved_matter, older_matter = moved.matters.get(), older.matters.get()
    assert (moved_matter.disposal, moved_matter.status, moved_matter.case_id) == (
        "suggestion",
        "closed",
        case.pk,
    )
    assert (older_matter.text, older_matter.disposal, older_matter.status) == (
        "渡口码头台阶破损，老人上下船不便。",
        "answered",
        "closed",
    )
    assert older.archived_at is not None
    assert [r.verb for r in audit.history_of(older)] == ["reception.recorded"]
