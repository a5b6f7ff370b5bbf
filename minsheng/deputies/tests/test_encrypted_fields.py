import pytest
from django.db import connection

from minsheng.common.crypto import blind_index
from minsheng.deputies.models import Deputy


@pytest.mark.django_db
def test_id_numbers_and_mobiles_are_encrypted_at_rest(county_deputy):
    with connection.cursor() as cursor:
        cursor.execute("SELECT id_number, mobile FROM deputies_deputy WHERE id = %s", [county_deputy.pk])
        raw_id, raw_mobile = cursor.fetchone()
    assert county_deputy.id_number not in raw_id
    assert county_deputy.mobile not in raw_mobile
    assert Deputy.objects.get(pk=county_deputy.pk).id_number == county_deputy.id_number


@pytest.mark.django_db
def test_a_deputy_is_found_by_the_blind_index_of_the_id_number_not_by_the_number(county_deputy):
    index = blind_index(county_deputy.id_number.lower())  # the index ignores case (x/X) and spaces
    assert Deputy.objects.get(id_number_index=index) == county_deputy
    with pytest.raises(TypeError):
        Deputy.objects.filter(id_number=county_deputy.id_number).exists()


def test_the_blind_index_does_not_reveal_the_value():
    assert "13800138000" not in blind_index("13800138000")
    assert blind_index(" 13800138000") == blind_index("13800138000")
    assert blind_index("13800138000") != blind_index("13800138001")
