import pytest
from django.utils import translation

from minsheng.common.errors import Conflict, DomainError, PermissionDenied
from minsheng.common.models import AuditRecord
from minsheng.places.models import Place
from minsheng.units.models import Unit
from minsheng.units.services import unit_create, unit_update


def place(code: str) -> Place:
    return Place.objects.get(code=code)


def test_staff_add_a_unit_whose_level_and_congress_follow_its_place(
    taishan_staff, taishan_government, taishan_congress
):
    unit = unit_create(
        actor=taishan_staff,
        name="台山市民政局",
        short_name="台山民政",
        kind="department",
        place=place("440781"),
        parent=taishan_government,
    )
    assert (unit.level, unit.congress, unit.parent) == ("county", taishan_congress, taishan_government)
    record = AuditRecord.objects.get(verb="unit.created", target_id=str(unit.pk))
    assert record.actor == taishan_staff
    assert record.data == {
        "name": "台山市民政局",
        "kind": "department",
        "place": "440781",
        "congress": taishan_congress.pk,
        "parent": taishan_government.pk,
    }


def test_a_town_government_hangs_below_the_county_government(
    taishan_staff, taishan_government, haiyan_congress
):
    unit = unit_create(
        actor=taishan_staff,
        name="海宴镇人民政府",
        kind="government",
        place=place("440781111"),
        parent=taishan_government,
    )
    assert (unit.level, unit.congress) == ("township", haiyan_congress)


def test_a_street_office_is_supervised_by_its_county_congress(taishan_staff, taishan_congress):
    unit = unit_create(actor=taishan_staff, name="台城街道办事处", kind="other", place=place("440781001"))
    assert (unit.level, unit.congress) == ("township", taishan_congress)


def test_a_duplicate_name_is_a_conflict_with_a_clear_message(taishan_staff, civil_affairs):
    with translation.override("en"), pytest.raises(Conflict) as exc:
        unit_create(actor=taishan_staff, name=" 江门市民政局 ", kind="department", place=place("440781"))
    assert exc.value.field == "name"
    assert (
        str(exc.value.message)
        == "A handling unit named “江门市民政局” already exists (under 江门市人民代表大会)."
    )
    assert Unit.objects.filter(name="江门市民政局").count() == 1
    assert not AuditRecord.objects.filter(verb="unit.created").exists()


def test_a_parent_in_another_county_is_refused(taishan_staff, kaiping_government):
    with pytest.raises(DomainError) as exc:
        unit_create(
            actor=taishan_staff,
            name="台山市民政局",
            kind="department",
            place=place("440781"),
            parent=kaiping_government,
        )
    assert exc.value.field == "parent"
    assert not Unit.objects.filter(name="台山市民政局").exists()


def test_a_city_unit_may_not_hang_below_a_county_unit(city_staff, taishan_government):
    with pytest.raises(DomainError) as exc:
        unit_create(
            actor=city_staff,
            name="江门市水利局",
            kind="department",
            place=place("440700"),
            parent=taishan_government,
        )
    assert exc.value.field == "parent"


@pytest.mark.parametrize("code", ["440000", "440781111201"])
def test_a_unit_of_the_province_or_a_village_is_refused(admin_user, code, jiangmen):
    with pytest.raises(DomainError) as exc:
        unit_create(actor=admin_user, name="某单位", kind="other", place=place(code))
    assert exc.value.field == "place"


def test_an_empty_name_or_unknown_kind_is_refused(taishan_staff):
    with pytest.raises(DomainError) as exc:
        unit_create(actor=taishan_staff, name=" ", kind="department", place=place("440781"))
    assert exc.value.field == "name"
    with pytest.raises(DomainError) as exc:
        unit_create(actor=taishan_staff, name="台山市某局", kind="ministry", place=place("440781"))
    assert exc.value.field == "kind"


def test_taishan_staff_cannot_add_a_unit_in_kaiping_or_at_the_city(taishan_staff):
    for code in ("440783", "440700"):
        with pytest.raises(PermissionDenied):
            unit_create(actor=taishan_staff, name=f"某局{code}", kind="department", place=place(code))
    assert not Unit.objects.exists()


@pytest.mark.parametrize("role", ["deputy_user", "station_staff", "civil_affairs_handler", "donor"])
def test_people_who_are_not_staff_cannot_add_units(request, role, jiangmen):
    with pytest.raises(PermissionDenied):
        unit_create(
            actor=request.getfixturevalue(role), name="某局", kind="department", place=place("440781")
        )


def test_staff_change_a_unit_and_the_audit_trail_records_what_changed(
    city_staff, civil_affairs, education_bureau
):
    unit = unit_update(
        actor=city_staff, unit_id=civil_affairs.pk, short_name="民政局", parent=education_bureau
    )
    assert (unit.short_name, unit.parent) == ("民政局", education_bureau)
    record = AuditRecord.objects.get(verb="unit.updated", target_id=str(unit.pk))
    assert record.data == {
        "changes": {"short_name": ["市民政局", "民政局"], "parent": [None, education_bureau.pk]}
    }


def test_a_change_that_changes_nothing_records_nothing(city_staff, civil_affairs):
    unit_update(actor=city_staff, unit_id=civil_affairs.pk, name="江门市民政局", is_active=True)
    assert not AuditRecord.objects.filter(verb="unit.updated").exists()


def test_renaming_a_unit_to_an_existing_name_is_a_conflict(city_staff, civil_affairs, education_bureau):
    with pytest.raises(Conflict) as exc:
        unit_update(actor=city_staff, unit_id=civil_affairs.pk, name="江门市教育局")
    assert exc.value.field == "name"
    civil_affairs.refresh_from_db()
    assert civil_affairs.name == "江门市民政局"


def test_a_unit_cannot_be_its_own_parent_or_hang_below_its_sub_unit(
    city_staff, civil_affairs, education_bureau
):
    with pytest.raises(DomainError) as exc:
        unit_update(actor=city_staff, unit_id=civil_affairs.pk, parent=civil_affairs)
    assert exc.value.code == "parent_cycle"
    unit_update(actor=city_staff, unit_id=education_bureau.pk, parent=civil_affairs)
    with pytest.raises(DomainError) as exc:
        unit_update(actor=city_staff, unit_id=civil_affairs.pk, parent=education_bureau)
    assert exc.value.code == "parent_cycle"
    civil_affairs.refresh_from_db()
    assert civil_affairs.parent is None


def test_removing_the_parent_and_deactivating_are_changes(taishan_staff, taishan_government):
    unit = unit_create(
        actor=taishan_staff,
        name="台山市民政局",
        kind="department",
        place=place("440781"),
        parent=taishan_government,
    )
    unit = unit_update(actor=taishan_staff, unit_id=unit.pk, parent=None, is_active=False)
    assert unit.parent is None and not unit.is_active


def test_moving_a_unit_to_another_place_moves_its_congress_if_the_staff_cover_both(
    city_staff, taishan_staff, civil_affairs, taishan_congress
):
    with pytest.raises(PermissionDenied):
        unit_update(actor=taishan_staff, unit_id=civil_affairs.pk, place=place("440781"))
    unit = unit_update(actor=city_staff, unit_id=civil_affairs.pk, place=place("440781"))
    assert (unit.level, unit.congress) == ("county", taishan_congress)


def test_a_unit_with_sub_units_of_the_city_cannot_move_down_to_a_county(
    city_staff, civil_affairs, education_bureau
):
    unit_update(actor=city_staff, unit_id=education_bureau.pk, parent=civil_affairs)
    with pytest.raises(DomainError) as exc:
        unit_update(actor=city_staff, unit_id=civil_affairs.pk, place=place("440781"))
    assert exc.value.field == "place"


def test_taishan_staff_cannot_change_a_city_unit(taishan_staff, civil_affairs):
    with pytest.raises(PermissionDenied):
        unit_update(actor=taishan_staff, unit_id=civil_affairs.pk, short_name="x")
