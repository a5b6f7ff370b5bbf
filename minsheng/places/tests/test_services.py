import pytest
from django.utils import translation

from minsheng.common.errors import Conflict, DomainError, PermissionDenied
from minsheng.common.models import AuditRecord
from minsheng.places.models import Place
from minsheng.places.services import place_create, place_rename, read_divisions


@pytest.fixture
def taishan(jiangmen):
    return Place.objects.get(code="440781")


@pytest.fixture
def kaiping(jiangmen):
    return Place.objects.get(code="440783")


def test_staff_add_a_town_below_their_county_and_the_audit_trail_records_it(taishan_staff, taishan):
    place = place_create(actor=taishan_staff, parent=taishan, code="440781601", name="新海镇", kind="town")
    assert (place.level, place.kind, place.parent, place.prefix) == ("township", "town", taishan, "440781601")
    record = AuditRecord.objects.get(verb="place.created", target_id=str(place.pk))
    assert record.actor == taishan_staff
    assert record.data == {"code": "440781601", "name": "新海镇", "parent": "440781", "kind": "town"}


def test_a_village_added_below_a_town_gets_the_village_level(taishan_staff):
    haiyan = Place.objects.get(name="海宴镇")
    village = place_create(
        actor=taishan_staff, parent=haiyan, code="440781111299", name="新村村委会", kind="village"
    )
    assert village.level == Place.Level.VILLAGE
    assert village.is_administrative


def test_a_development_zone_is_kept_but_flagged_as_not_administrative(taishan_staff, taishan):
    zone = place_create(
        actor=taishan_staff, parent=taishan, code="440781450", name="台山工业新城", kind="other"
    )
    assert not zone.is_administrative
    assert not zone.has_congress


@pytest.mark.parametrize(
    "code, field, message",
    [
        ("44078160", "code", "Township codes have 9 digits."),
        ("4407816011", "code", "Township codes have 9 digits."),
        ("44078A601", "code", "Township codes have 9 digits."),
        ("440783601", "code", "The code must continue the code of 台山市 (start with 440781)."),
    ],
)
def test_a_code_of_the_wrong_length_or_not_continuing_the_parents_is_refused(
    taishan_staff, taishan, code, field, message
):
    with translation.override("en"), pytest.raises(DomainError) as exc:
        place_create(actor=taishan_staff, parent=taishan, code=code, name="新海镇", kind="town")
    assert exc.value.field == field
    assert str(exc.value.message) == message
    assert not Place.objects.filter(code=code).exists()
    assert not AuditRecord.objects.filter(verb="place.created").exists()


def test_a_duplicate_code_is_a_conflict_on_the_code_field(taishan_staff, taishan):
    with translation.override("en"), pytest.raises(Conflict) as exc:
        place_create(actor=taishan_staff, parent=taishan, code="440781111", name="又一个海宴镇", kind="town")
    assert exc.value.field == "code"
    assert "440781111" in str(exc.value.message)
    assert Place.objects.get(code="440781111").name == "海宴镇"


def test_a_kind_that_does_not_exist_at_the_level_is_refused(taishan_staff, taishan):
    with pytest.raises(DomainError) as exc:
        place_create(actor=taishan_staff, parent=taishan, code="440781601", name="新海村", kind="village")
    assert exc.value.field == "kind"


def test_an_empty_name_is_refused(taishan_staff, taishan):
    with pytest.raises(DomainError) as exc:
        place_create(actor=taishan_staff, parent=taishan, code="440781601", name="  ", kind="town")
    assert exc.value.field == "name"


def test_nothing_can_be_added_below_a_village(taishan_staff):
    village = Place.objects.filter(code__startswith="440781111", level="village").first()
    with pytest.raises(DomainError) as exc:
        place_create(actor=taishan_staff, parent=village, code=village.code + "1", name="x", kind="")
    assert exc.value.field == "parent"


def test_taishan_staff_cannot_add_a_place_in_kaiping(taishan_staff, kaiping):
    with pytest.raises(PermissionDenied):
        place_create(actor=taishan_staff, parent=kaiping, code="440783601", name="新镇", kind="town")
    assert not Place.objects.filter(code="440783601").exists()


def test_city_staff_add_places_anywhere_in_the_city(city_staff, kaiping):
    assert place_create(actor=city_staff, parent=kaiping, code="440783601", name="新镇", kind="town").pk


def test_below_dongguan_which_has_no_counties_a_town_hangs_directly_below_the_city(admin_user, jiangmen):
    province = Place.objects.get(code="440000")
    dongguan = Place.objects.create(code="441900", name="东莞市", parent=province, level="city")
    town = place_create(actor=admin_user, parent=dongguan, code="441900101", name="石碣镇", kind="town")
    assert town.level == Place.Level.TOWNSHIP
    assert [p.code for p in [*Place.objects.filter(code__in=town.ancestor_codes())]] == ["440000", "441900"]
    with pytest.raises(DomainError):
        place_create(actor=admin_user, parent=dongguan, code="441901101", name="x镇", kind="town")


def test_renaming_a_place_keeps_its_code_records_the_old_name_and_renames_its_congress(taishan_staff):
    haiyan = Place.objects.get(name="海宴镇")
    place = place_rename(actor=taishan_staff, place_id=haiyan.pk, name="海晏镇")
    assert (place.code, place.name) == ("440781111", "海晏镇")
    assert (
        Place.objects.get(pk=haiyan.pk).congress.name == "海晏镇人民代表大会"
    )  # it followed (congresses listen)
    record = AuditRecord.objects.get(verb="place.renamed")
    assert record.data == {"old": "海宴镇", "new": "海晏镇", "congress_renamed": True}


def test_renaming_to_the_same_name_changes_nothing_and_records_nothing(taishan_staff):
    haiyan = Place.objects.get(name="海宴镇")
    place_rename(actor=taishan_staff, place_id=haiyan.pk, name=" 海宴镇 ")
    assert not AuditRecord.objects.filter(verb="place.renamed").exists()


def test_renaming_to_an_empty_name_is_refused(taishan_staff):
    haiyan = Place.objects.get(name="海宴镇")
    with pytest.raises(DomainError) as exc:
        place_rename(actor=taishan_staff, place_id=haiyan.pk, name="")
    assert exc.value.field == "name"


def test_taishan_staff_cannot_rename_a_place_in_kaiping(taishan_staff, kaiping):
    with pytest.raises(PermissionDenied):
        place_rename(actor=taishan_staff, place_id=kaiping.pk, name="开平县")
    kaiping.refresh_from_db()
    assert kaiping.name == "开平市"


def test_the_divisions_file_stands_dongguan_and_zhongshan_for_their_own_county_rows():
    rows = read_divisions(region="4419")
    assert [r["code"] for r in rows if r["level"] in ("city", "county")] == ["441900"]
    assert all(r["parent_code"] == "441900" for r in rows if r["level"] == "township")
