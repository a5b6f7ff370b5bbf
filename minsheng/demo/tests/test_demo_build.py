"""demo_build at tiny scale: the places, stations, seats and accounts a demo needs, and no second build."""

import io

import pytest
from django.core.management import CommandError, call_command
from django.db.models import Count, F
from django.test import override_settings
from django.urls import reverse

from minsheng.accounts.models import DonorProfile, User
from minsheng.common.errors import DomainError
from minsheng.common.models import AuditRecord
from minsheng.congresses.models import Congress, Session, Term
from minsheng.demo.logins import LOGINS, PASSWORD, USERNAMES, login_table
from minsheng.demo.services import demo_build
from minsheng.deputies.models import Deputy, Seat
from minsheng.places.models import Place
from minsheng.stations.models import Station, StationDeputy
from minsheng.units.models import Unit

pytestmark = pytest.mark.django_db


def test_every_town_and_street_of_jiangmen_has_a_liaison_station(demo):
    townships = Place.objects.filter(code__startswith="4407", level="township", kind__in=["town", "street"])
    assert townships.count() == 73
    stations = Station.objects.filter(kind=Station.Kind.STATION)
    assert set(stations.values_list("place__code", flat=True)) == set(
        townships.values_list("code", flat=True)
    )


def test_a_streets_station_is_run_by_its_county_level_congress(demo):
    station = Station.objects.select_related("congress__place").get(name="台城街道人大代表联络站")
    assert station.congress.place.code == "440781"
    town_station = Station.objects.get(name="海宴镇人大代表联络站")
    assert town_station.congress.name == "海宴镇人民代表大会"


def test_every_county_has_a_deputies_home_and_some_villages_a_contact_point(demo):
    assert Station.objects.filter(kind=Station.Kind.HOME).count() == 7
    assert Station.objects.filter(kind=Station.Kind.CONTACT_POINT, place__level="village").exists()


def test_every_deputy_is_attached_to_the_station_of_his_or_her_home(demo):
    assert StationDeputy.objects.count() == Deputy.objects.count()
    zeng = Deputy.objects.get(name="曾丽")
    assert zeng.stations.get().name == "海宴镇人大代表联络站"


def test_seats_at_two_levels_exist(demo):
    two_levels = Deputy.objects.annotate(levels=Count("seats__congress__level", distinct=True)).filter(
        levels=2
    )
    assert two_levels.count() >= 2
    zeng = Deputy.objects.get(name="曾丽")
    assert set(zeng.seats.values_list("congress__level", flat=True)) == {"city", "township"}


def test_every_seat_has_a_term_of_its_congress_and_the_city_has_five_sessions(demo):
    assert not Seat.objects.exclude(term__congress=F("congress")).exists()
    term = Term.objects.get(congress__place__code="440700")
    assert (term.number, str(term.start_date), str(term.end_date)) == (16, "2022-01-01", "2026-12-31")
    assert Session.objects.filter(term=term).count() == 5
    county = Term.objects.get(congress__place__code="440781")
    assert (county.number, str(county.start_date), county.end_date) == (17, "2021-10-01", None)
    assert Term.objects.get(congress__place__code="440781111").number == 18
    assert Term.objects.filter(congress__level=Congress.Level.NATIONAL).exists()


def test_bulk_created_deputies_hold_what_save_would_compute(demo):
    deputy = Deputy.objects.exclude(name__in=["曾丽", "陈海"]).order_by("pk").first()
    fields = [f.attname for f in Deputy._meta.concrete_fields if f.attname not in ("updated_at",)]
    before = {f: getattr(deputy, f) for f in fields}
    deputy.save()
    deputy.refresh_from_db()
    assert {f: getattr(deputy, f) for f in fields} == before


def test_the_units_stand_in_their_hierarchy(demo):
    civil = Unit.objects.get(name="江门市民政局")
    assert civil.parent.name == "江门市人民政府"
    assert civil.congress.place.code == "440700"
    assert Unit.objects.get(name="台山市民政局").parent.name == "台山市人民政府"
    assert Unit.objects.get(name="海宴镇人民政府").congress.name == "海宴镇人民代表大会"
    assert Unit.objects.filter(kind=Unit.Kind.COURT, name="江门市中级人民法院").exists()


@pytest.mark.parametrize("login", LOGINS, ids=lambda login: login.username)
def test_every_demo_account_exists_with_its_role_and_signs_in_with_its_username(demo, client, login):
    user = User.objects.get(username=login.username)
    assert user.role == login.role
    response = client.post(reverse("accounts:login"), {"username": login.username, "password": PASSWORD})
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(user.pk)


def test_client_login_with_the_username_works_too(demo, client):
    from django.http import HttpRequest

    assert client.login(request=HttpRequest(), username="city_staff", password=PASSWORD)


def test_the_deputy_signs_in_with_her_mobile_number(demo, client):
    user = User.objects.get(username="deputy")
    assert user.mobile and user.mobile == user.deputy.mobile
    response = client.post(reverse("accounts:login"), {"username": user.mobile, "password": PASSWORD})
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(user.pk)


def test_the_accounts_have_their_scopes(demo):
    users = {u.username: u for u in User.objects.filter(username__in=USERNAMES)}
    assert users["admin"].is_superuser
    assert users["city_staff"].congress.place.code == "440700"
    assert users["taishan_staff"].congress.place.code == "440781"
    assert users["haiyan_staff"].congress.name == "海宴镇人民代表大会"
    assert users["deputy"].deputy.name == "曾丽"
    assert users["town_deputy"].deputy.seats.get().congress.name == "海宴镇人民代表大会"
    assert users["station_staff"].station.name == "海宴镇人大代表联络站"
    assert users["handler_minzheng"].unit.name == "江门市民政局"
    assert users["handler_jiaoyu"].unit.name == "江门市教育局"
    assert users["donor"].donor_profile.status == DonorProfile.Status.VERIFIED
    assert users["donor_pending"].donor_profile.status == DonorProfile.Status.PENDING


def test_the_build_is_recorded_in_the_audit_trail(demo):
    record = AuditRecord.objects.get(verb="demo.built")
    assert record.data["scale"] == "tiny"
    assert record.data["people"] == Deputy.objects.count()


def test_building_twice_is_refused_politely(demo):
    with pytest.raises(DomainError) as caught:
        demo_build(scale="tiny", seed=1)
    assert caught.value.code == "demo_built"
    assert "make demo-reset" in str(caught.value.message)
    with pytest.raises(CommandError, match="demo-reset"):
        call_command("demo_build", "--scale", "tiny", stdout=io.StringIO())


@override_settings(SETTINGS_MODULE="minsheng.settings.prod")
def test_the_demo_is_never_built_with_production_settings(db):
    with pytest.raises(DomainError) as caught:
        demo_build(scale="tiny")
    assert caught.value.code == "production"
    assert not Deputy.objects.exists()


def test_demo_build_prints_progress_and_the_logins(db):
    out = io.StringIO()
    call_command("demo_build", "--scale", "tiny", "--seed", "7", stdout=out)
    text = out.getvalue()
    for username in USERNAMES:
        assert username in text
    assert PASSWORD in text
    assert "deputies:" in text


def test_demo_logins_lists_the_accounts_with_their_mobiles(demo):
    out = io.StringIO()
    call_command("demo_logins", stdout=out)
    deputy = User.objects.get(username="deputy")
    assert deputy.mobile in out.getvalue()
    assert [row["username"] for row in login_table()] == USERNAMES


def test_demo_logins_without_a_demo_says_how_to_build_one(db):
    out = io.StringIO()
    call_command("demo_logins", stdout=out)
    assert "demo_build" in out.getvalue()
