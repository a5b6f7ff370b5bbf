from minsheng.congresses.models import Congress
from minsheng.places.models import Place


def test_jiangmen_has_one_city_seven_county_and_sixty_one_town_congresses(jiangmen):
    local = Congress.objects.filter(region_prefix__startswith="4407")
    assert local.filter(level=Congress.Level.CITY).count() == 1
    assert local.filter(level=Congress.Level.COUNTY).count() == 7
    assert local.filter(level=Congress.Level.TOWNSHIP).count() == 61
    assert local.count() == 1 + 7 + 61


def test_a_street_has_no_congress_but_a_town_has_one(jiangmen):
    street = Place.objects.get(name="会城街道")
    town = Place.objects.get(name="海宴镇")
    assert not Congress.objects.filter(place=street).exists()
    assert Congress.objects.get(place=town).level == Congress.Level.TOWNSHIP


def test_non_administrative_units_are_kept_but_flagged_and_have_no_congress(jiangmen):
    others = Place.objects.filter(code__startswith="4407", kind=Place.Kind.OTHER, level=Place.Level.TOWNSHIP)
    assert others.count() == 9
    assert not others.filter(is_administrative=True).exists()
    assert not Congress.objects.filter(place__in=others).exists()


def test_town_congresses_hang_below_their_county_congress(haiyan_congress, taishan_congress):
    assert haiyan_congress.parent == taishan_congress
    assert taishan_congress.parent.region_prefix == "4407"
    assert taishan_congress.parent.parent.level == Congress.Level.PROVINCIAL
    assert taishan_congress.covers(haiyan_congress)
    assert not haiyan_congress.covers(taishan_congress)


def test_building_twice_creates_nothing_new(jiangmen):
    from minsheng.congresses.services import congresses_build

    before = Congress.objects.count()
    assert congresses_build(region="4407") == {"created": 0}
    assert Congress.objects.count() == before
