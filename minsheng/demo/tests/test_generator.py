"""The generator: deterministic, valid ID numbers and mobiles, realistic proportions. No database needed."""

from collections import Counter

import pytest

from minsheng.common.idcard import parse_id_number
from minsheng.common.phones import normalize_mobile
from minsheng.demo.generator import (
    NATIONAL,
    SCALES,
    Generator,
    allocate,
    short_county_name,
    short_village_name,
)

SEED = 20261127


@pytest.fixture(scope="module")
def jiangmen_plan():
    return Generator("jiangmen", SEED).plan()


def test_the_same_seed_gives_the_same_people_and_id_numbers():
    first, second = Generator("tiny", SEED).plan(), Generator("tiny", SEED).plan()
    assert [(p.name, p.id_number, p.mobile) for p in first.persons] == [
        (p.name, p.id_number, p.mobile) for p in second.persons
    ]
    assert first.seats == second.seats
    assert first.stations == second.stations


def test_another_seed_gives_other_people():
    first, second = Generator("tiny", 1).plan(), Generator("tiny", 2).plan()
    assert [p.id_number for p in first.persons] != [p.id_number for p in second.persons]


def test_every_id_number_is_valid_and_agrees_with_birth_date_gender_and_home_county(jiangmen_plan):
    gen = Generator("jiangmen", SEED)
    for person in jiangmen_plan.persons:
        parsed = parse_id_number(person.id_number)
        assert parsed.birth_date == person.birth_date
        assert parsed.gender == person.gender
        assert parsed.region_code == gen.county_of(gen.places[person.home]).code
        assert 1955 <= person.birth_date.year <= 2000


def test_id_numbers_and_mobiles_are_unique(jiangmen_plan):
    persons = jiangmen_plan.persons
    assert len({p.id_number for p in persons}) == len(persons)
    assert len({p.mobile for p in persons}) == len(persons)


def test_every_mobile_is_a_valid_mainland_mobile(jiangmen_plan):
    for person in jiangmen_plan.persons:
        assert normalize_mobile(person.mobile) == person.mobile


def test_jiangmen_has_the_seats_of_a_real_jiangmen(jiangmen_plan):
    counts = jiangmen_plan.counts()
    assert counts["seats_city"] == 400
    assert counts["seats_county"] == 1500
    assert counts["seats_township"] == 4000
    assert counts["seats_provincial"] == 20
    assert counts["seats_national"] == 8


def test_about_one_person_in_ten_holds_seats_at_two_levels(jiangmen_plan):
    counts = jiangmen_plan.counts()
    assert 0.07 < counts["people_with_two_seats"] / counts["people"] < 0.13


def test_nobody_holds_two_seats_in_the_same_congress(jiangmen_plan):
    pairs = Counter((s.person, s.congress) for s in jiangmen_plan.seats)
    assert max(pairs.values()) == 1


def test_delegations_follow_the_level(jiangmen_plan):
    for seat in jiangmen_plan.seats:
        if seat.congress == "440700":
            assert seat.delegation in {
                f"{n}代表团" for n in ("蓬江", "江海", "新会", "台山", "开平", "鹤山", "恩平")
            }
        elif len(seat.congress) == 9:
            assert seat.delegation.endswith("代表小组")
        elif seat.congress == NATIONAL:
            assert seat.delegation == "广东代表团"
        else:
            assert seat.delegation.endswith("代表团")


def test_the_surnames_include_the_ones_pinyin_gets_wrong(jiangmen_plan):
    surnames = {p.name[:2] if p.name.startswith("欧阳") else p.name[0] for p in jiangmen_plan.persons}
    assert {"曾", "单", "区", "欧阳"} <= surnames


def test_every_town_and_street_gets_a_station_and_every_county_a_home(jiangmen_plan):
    gen = Generator("jiangmen", SEED)
    station_places = {s.place for s in jiangmen_plan.stations if s.kind == "station"}
    assert station_places == {h.code for h in gen.homes}
    assert {s.place for s in jiangmen_plan.stations if s.kind == "home"} == {c.code for c in gen.counties}
    street = next(s for s in jiangmen_plan.stations if s.name == "台城街道人大代表联络站")
    assert street.congress == "440781"  # a street has no congress: Taishan's runs its station


def test_unit_names_are_unique_and_the_known_departments_exist(jiangmen_plan):
    names = [u.name for u in jiangmen_plan.units]
    assert len(names) == len(set(names))
    assert {"江门市民政局", "江门市教育局", "江门市人民政府", "台山市民政局", "海宴镇人民政府"} <= set(names)


def test_guangdong_unit_names_are_unique_although_town_names_repeat():
    gen = Generator("guangdong", SEED)
    names = [u.name for u in gen.plan_units()]
    assert len(names) == len(set(names))
    assert len(gen.homes) > 1500


def test_roster_rows_are_people_the_plan_did_not_make(jiangmen_plan):
    gen = Generator("tiny", SEED)
    plan = gen.plan()
    rows = gen.roster_rows(50)
    assert len(rows) == 50
    assert not {r["id_number"] for r in rows} & {p.id_number for p in plan.persons}
    assert {r["gender"] for r in rows} <= {"男", "女"}
    assert {r["status"] for r in rows} <= {"在任", "终止", "辞职"}


def test_allocate_shares_out_the_whole_total_in_proportion():
    assert allocate(10, [1, 1, 2]) == [3, 2, 5] or sum(allocate(10, [1, 1, 2])) == 10
    assert sum(allocate(400, [5, 3, 17, 1])) == 400
    assert allocate(0, [1, 2]) == [0, 0]


@pytest.mark.parametrize(
    ("name", "short"),
    [
        ("五丰村委会", "五丰村"),
        ("澳村村委会", "澳村"),
        ("海宴圩居委会", "海宴圩社区"),
        ("新民村民委员会", "新民村"),
    ],
)
def test_village_names_are_shortened_as_people_say_them(name, short):
    assert short_village_name(name) == short


def test_county_names_are_shortened_for_delegations():
    assert short_county_name("台山市") == "台山"
    assert short_county_name("蓬江区") == "蓬江"


def test_scales_are_ordered_by_size():
    assert SCALES["tiny"].seats < SCALES["jiangmen"].seats < SCALES["guangdong"].seats
    assert 140_000 <= SCALES["guangdong"].seats <= 160_000
