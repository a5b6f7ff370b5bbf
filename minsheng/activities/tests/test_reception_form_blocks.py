"""The phone form's matter blocks: one to begin with, 「再加一项」 for another. Without JavaScript the button is a
submit the server answers with the same form and one more block (what was typed kept, no errors, nothing
saved), at most 20 blocks; the JavaScript path is in tests/test_browser_reception_day.py."""

import datetime as dt
import re

import pytest
from django.urls import reverse

from minsheng.activities.models import Reception
from minsheng.common import clock

pytestmark = pytest.mark.django_db


def _post(town_deputy, total: int, **extra) -> dict:
    data = {
        "received_at": (clock.now() - dt.timedelta(hours=1)).astimezone().strftime("%Y-%m-%dT%H:%M"),
        "deputies": [town_deputy.pk],
        "visitor_count": 2,
        "matters-TOTAL_FORMS": total,
        "matters-INITIAL_FORMS": 0,
        "matters-MIN_NUM_FORMS": 0,
        "matters-MAX_NUM_FORMS": 20,
        "matters-0-text": "村道路灯坏了。",
        "matters-0-category": "urban_rural",
        "matters-0-disposal": "town",
        "matters-0-referred_to_name": "海宴镇政府",
    }
    data.update(extra)
    return data


def blocks(html: str) -> int:
    return len(re.findall(r'data-testid="matter-form-\d+"', html))


def test_the_form_begins_with_one_block_and_the_empty_form_for_the_script(client, station_staff, station):
    client.force_login(station_staff)
    html = client.get(
        reverse("activities:reception_new", args=[station.pk]), HTTP_ACCEPT_LANGUAGE="zh-hans"
    ).content.decode()
    assert blocks(html.split("<template")[0]) == 1
    assert 'name="matters-TOTAL_FORMS" value="1"' in html
    assert "<template data-matter-template>" in html and 'name="matters-__prefix__-text"' in html
    assert 'name="add_matter"' in html and "再加一项" in html
    assert "activities/reception.js" in html


def test_add_another_matter_without_javascript_keeps_what_was_typed_and_saves_nothing(
    client, station_staff, station, town_deputy
):
    client.force_login(station_staff)
    url = reverse("activities:reception_new", args=[station.pk])
    response = client.post(url, _post(town_deputy, 1, add_matter="1"))
    html = response.content.decode()
    assert response.status_code == 200
    assert not Reception.objects.exists()
    assert blocks(html.split("<template")[0]) == 2
    assert 'name="matters-TOTAL_FORMS" value="2"' in html
    assert "村道路灯坏了。" in html and 'value="海宴镇政府"' in html
    assert 'class="invalid-feedback' not in html and "is-invalid" not in html and "alert-danger" not in html
    # The second block filled in, the form saves both matters.
    data = _post(
        town_deputy,
        2,
        **{
            "matters-1-text": "咨询医保。",
            "matters-1-category": "health",
            "matters-1-disposal": "answered",
        },
    )
    response = client.post(url, data)
    assert response.status_code == 302
    assert list(Reception.objects.get().matters.order_by("position").values_list("text", flat=True)) == [
        "村道路灯坏了。",
        "咨询医保。",
    ]


def test_at_most_twenty_blocks(client, station_staff, station, town_deputy):
    client.force_login(station_staff)
    url = reverse("activities:reception_new", args=[station.pk])
    html = client.post(url, _post(town_deputy, 19, add_matter="1")).content.decode()
    assert blocks(html.split("<template")[0]) == 20
    assert 'name="add_matter"' not in html  # no further block offered
    html = client.post(url, _post(town_deputy, 20, add_matter="1")).content.decode()
    assert blocks(html.split("<template")[0]) == 20
    too_many = client.post(url, _post(town_deputy, 21))
    assert too_many.status_code == 400 and not Reception.objects.exists()


def test_the_edit_form_says_it_corrects_the_first_matter_when_there_are_several(
    client, station_staff, make_reception
):
    single = make_reception()
    several = make_reception(
        matters=[
            {"text": "村道路灯坏了。", "category": "urban_rural", "disposal": "answered"},
            {"text": "咨询医保。", "category": "health", "disposal": "answered"},
        ]
    )
    client.force_login(station_staff)
    page = client.get(
        reverse("activities:reception_edit", args=[several.pk]), HTTP_ACCEPT_LANGUAGE="zh-hans"
    ).content.decode()
    assert 'data-testid="edit-first-matter"' in page and "另外1项" in page
    page = client.get(reverse("activities:reception_edit", args=[single.pk])).content.decode()
    assert 'data-testid="edit-first-matter"' not in page
