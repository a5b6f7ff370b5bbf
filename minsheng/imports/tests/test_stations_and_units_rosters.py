"""The liaison stations and handling units rosters."""

import pytest

from minsheng.common.models import AuditRecord
from minsheng.imports.models import ImportJob
from minsheng.stations.models import Station
from minsheng.units.models import Unit

pytestmark = pytest.mark.django_db

Status = ImportJob.Status


def station_row(**changes) -> dict:
    row = {
        "name": "斗山镇人大代表联络站",
        "kind": "代表联络站",
        "place_code": "440781106",
        "congress": "440781106",
        "address": "斗山镇中山路1号",
        "opening_hours": "周一至周五 9:00-17:00",
        "phone": "0750-5500000",
        "deputies": "",
    }
    row.update(changes)
    return row


def unit_row(name: str, **changes) -> dict:
    row = {
        "name": name,
        "short_name": "",
        "kind": "政府部门",
        "level": "县",
        "place_code": "440781",
        "parent": "",
    }
    row.update(changes)
    return row


# --- stations ---------------------------------------------------------------------------------------------


def test_a_stations_roster_attaches_deputies_by_id_number(
    run_import, taishan_staff, county_deputy, town_deputy
):
    row = station_row(deputies=f"{county_deputy.id_number}；{town_deputy.id_number.lower()}\n")

    job = run_import(taishan_staff, "stations", taishan_staff.congress, [row])

    assert job.status == Status.SUCCEEDED, job.errors
    station = Station.objects.get(name="斗山镇人大代表联络站")
    assert (station.kind, station.place.name, station.congress.name) == (
        "station",
        "斗山镇",
        "斗山镇人民代表大会",
    )
    assert set(station.deputies.all()) == {county_deputy, town_deputy}
    assert AuditRecord.objects.filter(verb="import.completed", target_id=str(job.pk)).count() == 1


def test_the_same_stations_roster_twice_changes_nothing(run_import, taishan_staff, county_deputy):
    rows = [
        station_row(deputies=county_deputy.id_number),
        station_row(name="斗山镇代表之家", kind="代表之家"),
    ]
    run_import(taishan_staff, "stations", taishan_staff.congress, rows)
    before = dict(Station.objects.values_list("id", "updated_at"))

    job = run_import(taishan_staff, "stations", taishan_staff.congress, rows)

    assert (job.created_count, job.updated_count, job.unchanged_count) == (0, 0, 2)
    assert dict(Station.objects.values_list("id", "updated_at")) == before


def test_a_filled_deputies_cell_replaces_the_stations_deputies(
    run_import, taishan_staff, county_deputy, town_deputy
):
    run_import(
        taishan_staff, "stations", taishan_staff.congress, [station_row(deputies=county_deputy.id_number)]
    )

    job = run_import(
        taishan_staff, "stations", taishan_staff.congress, [station_row(deputies=town_deputy.id_number)]
    )

    assert job.updated_count == 1
    assert list(Station.objects.get().deputies.all()) == [town_deputy]


def test_a_station_deputy_who_is_not_on_record_is_refused(run_import, taishan_staff, county_deputy):
    from minsheng.deputies.tests.factories import id_number_for

    stranger = id_number_for(777)
    row = station_row(deputies=f"{county_deputy.id_number}、{stranger}")

    job = run_import(taishan_staff, "stations", taishan_staff.congress, [row])

    assert job.status == Status.REFUSED and not Station.objects.exists()
    [error] = job.errors
    assert (error["row"], error["field"]) == (2, "deputies")
    assert stranger not in str(job.errors) and county_deputy.id_number not in str(job.errors)


def test_a_station_outside_its_congress_region_is_refused(run_import, taishan_staff):
    job = run_import(taishan_staff, "stations", taishan_staff.congress, [station_row(place_code="440781111")])

    assert [(e["field"], e["value"]) for e in job.errors] == [("place_code", "440781111")]


def test_two_stations_of_the_same_name_and_place_are_refused(run_import, taishan_staff):
    job = run_import(
        taishan_staff, "stations", taishan_staff.congress, [station_row(), station_row(address="另一个地址")]
    )

    assert [(e["row"], e["field"]) for e in job.errors] == [(3, "name")]


def test_an_unknown_station_kind_is_refused(run_import, taishan_staff):
    job = run_import(taishan_staff, "stations", taishan_staff.congress, [station_row(kind="服务站")])

    assert [(e["field"], e["value"]) for e in job.errors] == [("kind", "服务站")]


# --- units ------------------------------------------------------------------------------------------------


def test_a_units_roster_builds_the_hierarchy_from_parents_listed_above(run_import, taishan_staff):
    rows = [
        unit_row("台山市人民政府", kind="人民政府"),
        unit_row("台山市民政局", short_name="市民政局", parent="台山市人民政府"),
        unit_row("台山市民政局社会救助股", parent="台山市民政局", kind="其他"),
        unit_row("斗山镇人民政府", kind="人民政府", level="", place_code="440781106"),
    ]

    job = run_import(taishan_staff, "units", taishan_staff.congress, rows)

    assert job.status == Status.SUCCEEDED, job.errors
    assert job.created_count == 4
    bureau = Unit.objects.get(name="台山市民政局")
    assert (bureau.parent.name, bureau.short_name, bureau.kind, bureau.level) == (
        "台山市人民政府",
        "市民政局",
        "department",
        "county",
    )
    assert bureau.congress.name == "台山市人民代表大会"
    assert Unit.objects.get(name="台山市民政局社会救助股").parent == bureau
    town = Unit.objects.get(name="斗山镇人民政府")
    assert (town.level, town.congress.name) == ("township", "斗山镇人民代表大会")


def test_the_same_units_roster_twice_changes_nothing_and_a_change_updates_one_unit(run_import, taishan_staff):
    rows = [unit_row("台山市人民政府", kind="人民政府"), unit_row("台山市民政局", parent="台山市人民政府")]
    run_import(taishan_staff, "units", taishan_staff.congress, rows)
    before = dict(Unit.objects.values_list("id", "updated_at"))

    again = run_import(taishan_staff, "units", taishan_staff.congress, rows)
    rows[1]["short_name"] = "民政局"
    changed = run_import(taishan_staff, "units", taishan_staff.congress, rows)

    assert (again.created_count, again.updated_count, again.unchanged_count) == (0, 0, 2)
    assert (changed.created_count, changed.updated_count, changed.unchanged_count) == (0, 1, 1)
    after = dict(Unit.objects.values_list("id", "updated_at"))
    assert [pk for pk in after if after[pk] != before[pk]] == [Unit.objects.get(name="台山市民政局").pk]


def test_a_parent_on_record_may_be_named(run_import, city_staff, civil_affairs):
    job = run_import(
        city_staff,
        "units",
        city_staff.congress,
        [unit_row("江门市民政局救助站", kind="其他", level="市", place_code="440700", parent="江门市民政局")],
    )

    assert job.status == Status.SUCCEEDED, job.errors
    assert Unit.objects.get(name="江门市民政局救助站").parent == civil_affairs


def test_a_parent_listed_below_its_sub_unit_is_refused(run_import, taishan_staff):
    rows = [unit_row("台山市民政局", parent="台山市人民政府"), unit_row("台山市人民政府", kind="人民政府")]

    job = run_import(taishan_staff, "units", taishan_staff.congress, rows)

    assert job.status == Status.REFUSED and not Unit.objects.exists()
    assert [(e["row"], e["field"]) for e in job.errors] == [(2, "parent")]


def test_a_parent_that_would_make_a_cycle_is_refused(run_import, taishan_staff):
    run_import(
        taishan_staff, "units", taishan_staff.congress, [unit_row("甲局"), unit_row("乙局", parent="甲局")]
    )

    job = run_import(taishan_staff, "units", taishan_staff.congress, [unit_row("甲局", parent="乙局")])

    assert job.status == Status.REFUSED
    assert [(e["field"], e["value"]) for e in job.errors] == [("parent", "乙局")]


def test_a_unit_of_another_congress_cannot_be_changed_from_a_county_import(
    run_import, taishan_staff, civil_affairs
):
    job = run_import(taishan_staff, "units", taishan_staff.congress, [unit_row("江门市民政局")])

    assert job.status == Status.REFUSED
    assert [(e["field"], e["value"]) for e in job.errors] == [("name", "江门市民政局")]
    civil_affairs.refresh_from_db()
    assert civil_affairs.place.code == "440700"


def test_a_unit_outside_the_import_congress_is_refused(run_import, taishan_staff):
    job = run_import(
        taishan_staff, "units", taishan_staff.congress, [unit_row("开平市民政局", place_code="440783")]
    )

    assert [(e["field"], e["value"]) for e in job.errors] == [("place_code", "440783")]


def test_duplicate_unit_names_and_unknown_kinds_are_refused(run_import, taishan_staff):
    rows = [unit_row("台山市民政局"), unit_row("台山市民政局"), unit_row("台山市某办", kind="事业单位")]

    job = run_import(taishan_staff, "units", taishan_staff.congress, rows)

    assert [(e["row"], e["field"]) for e in job.errors] == [(3, "name"), (4, "kind")]
