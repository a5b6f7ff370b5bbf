from minsheng.congresses.models import Congress
from minsheng.congresses.selectors import congress_list, congress_streets, default_region
from minsheng.places.models import Place
from minsheng.places.selectors import congress_covering_place


def test_the_default_region_is_jiangmen():
    assert default_region() == "4407"


def test_the_list_comes_in_tree_order(jiangmen):
    taishan = [c.name for c in congress_list(region="440781")]
    assert taishan[:3] == ["台山市人民代表大会", "大江镇人民代表大会", "水步镇人民代表大会"]
    assert len(taishan) == 1 + 16  # the county and its 16 towns; 台城街道 has no congress
    rows = list(congress_list(region="4407"))
    assert rows[0] == jiangmen
    for above, below in zip(rows, rows[1:], strict=False):
        assert above.region_prefix < below.region_prefix


def test_a_county_congress_covers_its_streets_and_a_town_congress_none(
    taishan_congress, haiyan_congress, jiangmen
):
    assert [p.name for p in congress_streets(taishan_congress)] == ["台城街道"]
    assert not congress_streets(haiyan_congress).exists()
    assert not congress_streets(jiangmen).exists()
    pengjiang = Congress.objects.get(place__code="440703")
    assert [p.name for p in congress_streets(pengjiang)] == ["白沙街道", "潮连街道", "环市街道"]


def test_a_street_a_zone_and_a_village_are_covered_by_the_nearest_congress_above(jiangmen, taishan_congress):
    street = Place.objects.get(name="台城街道")
    zone = Place.objects.get(code="440783400")
    village = Place.objects.filter(code__startswith="440781111", level="village").first()
    assert congress_covering_place(street) == taishan_congress
    assert congress_covering_place(zone).place.code == "440783"
    assert congress_covering_place(village).place.name == "海宴镇"
    assert congress_covering_place(Place.objects.get(code="440700")) == jiangmen
