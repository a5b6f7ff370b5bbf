"""The demo's receptions: a few hundred, through the services, some linked to the demo's cases, the same for
a seed; and their visitors never reach a public page, the public API or an export."""

from io import BytesIO

import pytest
from django.db import transaction
from django.test import Client
from openpyxl import load_workbook

SEED = 20261127


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """The tiny demo with its cases and receptions, built once for this module and rolled back afterwards."""
    from minsheng.demo.services import demo_build

    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            yield demo_build(scale="tiny", seed=SEED).counts  # the receptions are a part of the demo
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


def snapshot() -> list[tuple]:
    from minsheng.activities.models import Reception

    return [
        (
            r.station.name,
            tuple(d.name for d in r.deputies.order_by("name_sort", "id")),
            r.visitor_count,
            r.contact_name,
            r.contact_phone,
            r.matter,
            r.category,
            r.outcome,
            r.referred_to.name if r.referred_to else "",
            r.case.title if r.case else "",
        )
        for r in Reception.objects.select_related("station", "referred_to", "case").order_by("id")
    ]


def test_a_few_hundred_receptions_some_linked_to_cases(demo, db):
    from minsheng.activities.models import Reception
    from minsheng.common.models import AuditRecord

    assert demo["receptions"] == Reception.objects.count() == 300
    assert (
        0 < demo["receptions_linked"] < Reception.objects.filter(case__isnull=False).count()
    )  # + matters' cases
    assert Reception.objects.values("station").distinct().count() > 50
    assert Reception.objects.filter(station__name="海宴镇人大代表联络站").count() >= 40
    assert set(Reception.objects.values_list("outcome", flat=True)) == {
        "answered",
        "referred",
        "none",
        "case",
    }
    assert AuditRecord.objects.filter(verb="reception.recorded").count() == 300
    for reception in Reception.objects.filter(case__isnull=False).select_related("case"):
        assert reception.case.station_id == reception.station_id


def test_the_same_seed_gives_the_same_receptions(demo, db):
    from minsheng.activities.models import Reception, ReceptionDay
    from minsheng.cases.models import Case
    from minsheng.common.models import AuditRecord
    from minsheng.demo.receptions import build_demo_receptions

    first = snapshot()
    with transaction.atomic():
        sid = transaction.savepoint()
        # issue 11: the reception days and the cases the receptions' matters became go with them
        linked = {r.data["case"] for r in AuditRecord.objects.filter(verb="reception.case_linked")}
        made = set(Case.objects.filter(reception_matters__isnull=False).values_list("pk", flat=True)) - linked
        Reception.objects.all().delete()
        Case.objects.filter(pk__in=made).delete()
        ReceptionDay.objects.all().delete()
        build_demo_receptions(seed=SEED)
        again = snapshot()
        transaction.savepoint_rollback(sid)
    assert again == first


def visitors() -> dict[str, str]:
    from minsheng.activities.models import Reception

    found = {}
    for r in Reception.objects.all():
        if r.contact_name:
            found[r.contact_name] = "visitor's name"
        if r.contact_phone:
            found[r.contact_phone] = "visitor's phone"
    return found


def test_no_public_page_api_or_export_shows_a_visitor(demo, db):
    from minsheng.accounts.models import User
    from minsheng.activities.models import Reception
    from minsheng.stations.models import Station

    secrets = visitors()
    assert len(secrets) > 200
    client = Client()
    texts = {}
    home = Station.objects.get(name="海宴镇人大代表联络站")
    busy = list(
        Station.objects.filter(receptions__isnull=False)
        .distinct()
        .order_by("id")
        .values_list("pk", flat=True)[:30]
    )
    for pk in {home.pk, *busy}:
        texts[f"/stations/{pk}/"] = client.get(f"/stations/{pk}/").content.decode()
        texts[f"/api/v1/stations/{pk}/"] = client.get(f"/api/v1/stations/{pk}/").content.decode()
    texts["/stations/"] = client.get("/stations/").content.decode()
    for username in ("admin", "city_staff", "haiyan_staff", "station_staff"):
        client.force_login(User.objects.get(username=username))
        response = client.get(f"/stations/{home.pk}/receptions/export/")
        assert response.status_code == 200
        book = load_workbook(BytesIO(response.content), read_only=True)
        texts[f"export as {username}"] = "\n".join(
            str(c) for s in book.worksheets for row in s.iter_rows(values_only=True) for c in row if c
        )
        texts[f"api list as {username}"] = client.get("/api/v1/receptions/?page_size=500").content.decode()
        texts[f"log as {username}"] = client.get(f"/stations/{home.pk}/receptions/").content.decode()
    assert Reception.objects.filter(station=home).count() > 0
    assert str(Reception.objects.filter(station=home).count()) in texts[f"/stations/{home.pk}/"]
    leaks = {where: [v for v in secrets if v in text] for where, text in texts.items()}
    assert not {where: hits for where, hits in leaks.items() if hits}

    # the control: the station's staff see a visitor on the reception's own page
    client.force_login(User.objects.get(username="station_staff"))
    with_contact = next(r for r in Reception.objects.filter(station=home).order_by("id") if r.contact_name)
    page = client.get(f"/stations/receptions/{with_contact.pk}/").content.decode()
    assert with_contact.contact_name in page


def test_the_demo_matters_cover_every_disposal_and_are_mostly_followed_to_an_archive(demo, db):
    from minsheng.activities.models import Reception, ReceptionDay, ReceptionMatter
    from minsheng.common import clock

    assert set(ReceptionMatter.objects.values_list("disposal", flat=True)) == {
        "answered",
        "town",
        "higher",
        "suggestion",
        "wish",
    }
    assert ReceptionMatter.objects.filter(case__isnull=False, disposal="wish").exists()
    assert Reception.objects.filter(archived_at__isnull=False).count() > Reception.objects.count() / 2
    assert ReceptionMatter.objects.filter(status="open", answer_due__lt=clock.today()).exists()  # overdue
    assert ReceptionDay.objects.filter(day__month=7, day__year=clock.today().year).exists()
    assert ReceptionDay.objects.filter(day__gt=clock.today()).exists()
    assert Reception.objects.filter(reception_day__isnull=False).exists()
