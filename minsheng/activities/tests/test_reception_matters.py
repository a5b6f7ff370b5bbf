"""A reception's matter as each reader of the log may read it (cases.privacy.reception_matter): the station's
other deputies never read the visitor's name or phone, nor the family of the case it became."""

from django.urls import reverse

from .conftest import VISITOR_NAME, VISITOR_PHONE

MATTER = "{name}（电话{phone}）反映五丰村路灯损坏，夜间出行不便。"


def test_another_deputy_of_the_station_reads_the_matter_without_the_visitor(
    client, make_reception, station, station_staff, other_station_deputy_user
):
    matter = MATTER.format(name=VISITOR_NAME, phone=VISITOR_PHONE)
    reception = make_reception(matter=matter)
    log = reverse("activities:receptions", args=[station.pk])
    detail = reverse("activities:reception_detail", args=[reception.pk])

    client.force_login(station_staff)
    assert VISITOR_NAME in client.get(detail).content.decode()  # who may see the visitor reads it whole

    client.force_login(other_station_deputy_user)
    for url in (log, detail, f"/api/v1/receptions/{reception.pk}/"):
        text = client.get(url).content.decode()
        assert VISITOR_NAME not in text and VISITOR_PHONE not in text, url
        assert "路灯" in text, url
