import pytest

from minsheng.common.errors import Conflict, DomainError, PermissionDenied
from minsheng.common.models import AuditRecord
from minsheng.places.models import Place
from minsheng.stations import services
from minsheng.stations.models import Station, StationDeputy


def audit(verb, station):
    return AuditRecord.objects.filter(verb=verb, target_id=str(station.pk))


def test_a_station_in_a_street_is_run_by_the_county_congress(taishan_staff, taishan_congress):
    street = Place.objects.get(name="台城街道")
    station = services.station_create(
        actor=taishan_staff, name="台城街道代表联络站", place=street, address="台城"
    )
    assert station.congress == taishan_congress
    assert audit("station.created", station).get().data["congress"] == taishan_congress.pk


def test_a_station_in_a_town_is_run_by_the_town_congress(taishan_staff, haiyan_congress):
    station = services.station_create(
        actor=taishan_staff, name="海宴镇代表之家", kind="home", place=haiyan_congress.place, address="海宴"
    )
    assert station.congress == haiyan_congress


def test_staff_cannot_add_a_station_outside_their_region(kaiping_staff, haiyan_congress):
    with pytest.raises(PermissionDenied):
        services.station_create(actor=kaiping_staff, name="x", place=haiyan_congress.place, address="y")
    assert not Station.objects.exists()


@pytest.mark.parametrize(
    ("field", "value", "code"),
    [("name", " ", "required"), ("address", "", "required"), ("kind", "castle", "invalid_choice")],
)
def test_a_station_with_bad_input_is_refused(taishan_staff, haiyan_congress, field, value, code):
    data = {"name": "海宴镇代表之家", "address": "海宴", "kind": "home", field: value}
    with pytest.raises(DomainError) as refused:
        services.station_create(actor=taishan_staff, place=haiyan_congress.place, **data)
    assert (refused.value.field, refused.value.code) == (field, code)


def test_two_stations_of_one_name_at_one_place_are_a_conflict(taishan_staff, station):
    with pytest.raises(Conflict) as refused:
        services.station_create(actor=taishan_staff, name=station.name, place=station.place, address="x")
    assert refused.value.field == "name"


def test_station_staff_edit_their_station_and_the_change_is_audited(station_staff, station):
    services.station_update(
        actor=station_staff, station_id=station.pk, opening_hours="周六 9:00-12:00", phone="0750-5551234"
    )
    station.refresh_from_db()
    assert station.opening_hours == "周六 9:00-12:00"
    assert sorted(audit("station.updated", station).get().data["fields"]) == ["opening_hours", "phone"]


def test_a_station_cannot_move_out_of_its_congress_s_region(taishan_staff, station):
    with pytest.raises(DomainError) as refused:
        services.station_update(
            actor=taishan_staff, station_id=station.pk, place=Place.objects.get(name="台城街道")
        )
    assert refused.value.field == "place"


def test_staff_of_another_county_cannot_edit_a_station(kaiping_staff, station):
    with pytest.raises(PermissionDenied):
        services.station_update(actor=kaiping_staff, station_id=station.pk, name="x")


def test_deputies_of_every_level_above_the_station_may_be_attached(
    taishan_staff, station, city_deputy, county_deputy
):
    services.station_attach_deputy(actor=taishan_staff, station_id=station.pk, deputy=city_deputy)
    services.station_attach_deputy(actor=taishan_staff, station_id=station.pk, deputy=county_deputy)
    assert set(station.deputies.values_list("name", flat=True)) == {"陈海", "曾丽", "单国强"}
    assert sorted(r.data["deputy"] for r in audit("station.deputy_attached", station)) == sorted(
        [city_deputy.pk, county_deputy.pk]
    )


def test_attaching_a_deputy_twice_is_a_conflict(station_staff, station, town_deputy):
    with pytest.raises(Conflict) as refused:
        services.station_attach_deputy(actor=station_staff, station_id=station.pk, deputy=town_deputy)
    assert refused.value.code == "already_attached"
    assert StationDeputy.objects.filter(station=station).count() == 1


def test_a_deputy_of_another_county_cannot_be_attached(admin_user, station, kaiping_deputy):
    with pytest.raises(DomainError) as refused:
        services.station_attach_deputy(actor=admin_user, station_id=station.pk, deputy=kaiping_deputy)
    assert refused.value.code == "not_a_candidate"


def test_a_deputy_whose_seats_have_ended_cannot_be_attached(admin_user, station, county_deputy):
    county_deputy.seats.update(status="ended")
    with pytest.raises(DomainError):
        services.station_attach_deputy(actor=admin_user, station_id=station.pk, deputy=county_deputy)


def test_detaching_a_deputy_is_audited_and_detaching_again_is_refused(station_staff, station, town_deputy):
    services.station_detach_deputy(actor=station_staff, station_id=station.pk, deputy_id=town_deputy.pk)
    assert not station.deputies.exists()
    assert audit("station.deputy_detached", station).get().data == {"deputy": town_deputy.pk}
    with pytest.raises(DomainError) as refused:
        services.station_detach_deputy(actor=station_staff, station_id=station.pk, deputy_id=town_deputy.pk)
    assert refused.value.code == "not_attached"


def test_station_staff_cannot_touch_another_station(station_staff, kaiping_station, kaiping_deputy):
    with pytest.raises(PermissionDenied):
        services.station_attach_deputy(
            actor=station_staff, station_id=kaiping_station.pk, deputy=kaiping_deputy
        )
