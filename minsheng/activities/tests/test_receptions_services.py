"""Receptions (接待): each service, its refusals, and the audit record of each write."""

import datetime as dt

import pytest

from minsheng.activities import services
from minsheng.activities.models import Reception
from minsheng.cases.models import Case
from minsheng.common import clock
from minsheng.common.crypto import decrypt
from minsheng.common.errors import Conflict, DomainError, PermissionDenied, TransitionNotAllowed
from minsheng.common.models import AuditRecord
from minsheng.stations import services as station_services
from minsheng.stations.models import StationDeputy
from minsheng.stations.tests.factories import StationFactory

from .conftest import VISITOR_NAME, VISITOR_PHONE


def audit_of(reception, verb):
    return AuditRecord.objects.filter(verb=verb, target_id=str(reception.pk)).order_by("id")


def test_station_staff_record_a_reception_and_it_is_audited(reception, station, station_staff, town_deputy):
    assert reception.station == station
    assert list(reception.deputies.all()) == [town_deputy]
    assert reception.recorded_by == station_staff
    record = audit_of(reception, "reception.recorded").get()
    assert record.actor == station_staff
    assert record.data == {
        "station": station.pk,
        "deputies": [town_deputy.pk],
        "outcome": "answered",
        "matters": 1,
        "day": None,
    }
    # the audit trail never names the visitor
    assert VISITOR_NAME not in str(record.data) + record.target_repr
    assert VISITOR_PHONE not in str(record.data) + record.target_repr


def test_the_visitor_is_encrypted_at_rest(reception):
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT contact_name, contact_phone FROM stations_reception WHERE id = %s", [reception.pk]
        )
        name, phone = cursor.fetchone()
    assert VISITOR_NAME not in name and VISITOR_PHONE not in phone
    assert decrypt(name) == VISITOR_NAME and decrypt(phone) == VISITOR_PHONE


def test_a_phone_is_normalised_and_a_bad_one_refused(make_reception):
    assert make_reception(contact_phone="+86 139-1234-5678").contact_phone == VISITOR_PHONE
    with pytest.raises(DomainError) as exc:
        make_reception(contact_phone="12345")
    assert exc.value.field == "contact_phone"


def test_a_contact_name_longer_than_its_field_is_refused_and_nothing_saved(make_reception):
    before = Reception.objects.count()
    with pytest.raises(DomainError) as exc:
        make_reception(contact_name="张" * 51)
    assert exc.value.field == "contact_name" and exc.value.code == "max_length"
    assert "50" in str(exc.value.message) and "51" in str(exc.value.message)
    assert Reception.objects.count() == before
    assert make_reception(contact_name="张" * 50).pk


def test_a_deputy_records_a_reception_he_took_part_in(make_reception, deputy_user, town_deputy):
    reception = make_reception(actor=deputy_user)
    assert reception.recorded_by == deputy_user


def test_a_deputy_may_not_record_a_reception_without_himself(
    make_reception, other_station_deputy_user, town_deputy
):
    with pytest.raises(DomainError) as exc:
        make_reception(actor=other_station_deputy_user, deputies=[town_deputy])
    assert exc.value.code == "not_present"
    assert not Reception.objects.exists()


@pytest.mark.parametrize("role", ["kaiping_staff", "civil_affairs_handler", "donor", "county_deputy_user"])
def test_others_may_not_record_a_reception(make_reception, request, role, county_deputy):
    if role == "county_deputy_user":
        from minsheng.accounts.models import User
        from minsheng.accounts.tests.factories import UserFactory

        actor = UserFactory(role=User.Role.DEPUTY, deputy=county_deputy)  # not attached to the station
    else:
        actor = request.getfixturevalue(role)
    with pytest.raises(PermissionDenied):
        make_reception(actor=actor)
    assert not AuditRecord.objects.filter(verb="reception.recorded").exists()


@pytest.mark.parametrize("role", ["taishan_staff", "city_staff", "admin_user"])
def test_congress_staff_covering_the_place_record_receptions(make_reception, request, role):
    assert make_reception(actor=request.getfixturevalue(role)).pk


def test_station_staff_record_only_at_their_own_station(make_reception, station_staff, town_deputy):
    other = StationFactory(name="海宴镇另一联络站")
    StationDeputy.objects.create(station=other, deputy=town_deputy)
    with pytest.raises(PermissionDenied):
        make_reception(station_id=other.pk)


def test_at_least_one_deputy_and_only_attached_ones(make_reception, county_deputy):
    with pytest.raises(DomainError) as none:
        make_reception(deputies=[])
    assert none.value.field == "deputies" and none.value.code == "required"
    with pytest.raises(DomainError) as stranger:
        make_reception(deputies=[county_deputy])
    assert stranger.value.code == "not_attached"
    assert county_deputy.name in str(stranger.value.message)


def test_a_reception_in_the_future_is_refused(make_reception):
    with pytest.raises(DomainError) as exc:
        make_reception(received_at=clock.now() + dt.timedelta(days=1))
    assert exc.value.code == "future"


def test_a_referred_reception_names_its_unit_and_others_do_not(make_reception, civil_affairs):
    with pytest.raises(DomainError) as exc:
        make_reception(outcome="referred")
    assert exc.value.field == "referred_to"
    referred = make_reception(outcome="referred", referred_to=civil_affairs)
    assert referred.referred_to == civil_affairs
    answered = make_reception(outcome="answered", referred_to=civil_affairs)
    assert answered.referred_to is None


def test_no_reception_at_a_closed_station(make_reception, station, station_staff):
    station_services.station_update(actor=station_staff, station_id=station.pk, is_active=False)
    with pytest.raises(TransitionNotAllowed):
        make_reception()


def test_update_changes_fields_and_audits_their_names_only(reception, station_staff, civil_affairs):
    services.reception_update(
        actor=station_staff,
        reception_id=reception.pk,
        visitor_count=5,
        contact_phone="13800138000",
        outcome="referred",
        referred_to=civil_affairs,
    )
    reception.refresh_from_db()
    assert (reception.visitor_count, reception.contact_phone, reception.referred_to) == (
        5,
        "13800138000",
        civil_affairs,
    )
    record = audit_of(reception, "reception.updated").get()
    assert record.data == {"fields": ["contact_phone", "outcome", "referred_to", "visitor_count"]}
    assert "13800138000" not in str(record.data)


def test_an_update_that_changes_nothing_writes_no_audit(reception, station_staff):
    services.reception_update(actor=station_staff, reception_id=reception.pk, visitor_count=3)
    assert not audit_of(reception, "reception.updated").exists()


def test_a_detached_deputy_stays_on_his_reception_but_cannot_be_added_anew(
    reception, station, station_staff, town_deputy, city_deputy
):
    StationDeputy.objects.create(station=station, deputy=city_deputy)
    StationDeputy.objects.filter(station=station, deputy=town_deputy).delete()
    services.reception_update(
        actor=station_staff, reception_id=reception.pk, deputies=[town_deputy, city_deputy]
    )
    assert set(reception.deputies.all()) == {town_deputy, city_deputy}
    services.reception_update(actor=station_staff, reception_id=reception.pk, deputies=[city_deputy])
    with pytest.raises(DomainError) as exc:
        services.reception_update(
            actor=station_staff, reception_id=reception.pk, deputies=[town_deputy, city_deputy]
        )
    assert exc.value.code == "not_attached"


def test_others_may_not_update(reception, kaiping_staff):
    with pytest.raises(PermissionDenied):
        services.reception_update(actor=kaiping_staff, reception_id=reception.pk, visitor_count=9)


def test_reception_to_case_makes_a_draft_case_of_the_station_and_links_it(
    reception, deputy_user, station, town_deputy, haiyan_congress
):
    case = services.reception_to_case(actor=deputy_user, reception_id=reception.pk)
    assert case.status == Case.Status.DRAFT and case.kind == Case.Kind.SUGGESTION
    assert (case.station, case.place, case.lead_deputy, case.congress) == (
        station,
        station.place,
        town_deputy,
        haiyan_congress,
    )
    assert case.content == reception.matter and case.title == "五丰村路灯损坏，夜间出行不便，希望尽快维修。"
    assert case.created_by == deputy_user
    reception.refresh_from_db()
    assert reception.case == case and reception.outcome == Reception.Outcome.CASE
    assert audit_of(reception, "reception.case_created").get().data == {
        "case": case.pk,
        "previous_outcome": "answered",
    }
    assert AuditRecord.objects.filter(verb="case.created", target_id=str(case.pk)).exists()


def test_a_long_matter_gives_a_short_title(make_reception, station_staff):
    reception = make_reception(matter="村" * 80 + "\n第二行")
    case = services.reception_to_case(actor=station_staff, reception_id=reception.pk)
    assert case.title == "村" * 29 + "…"


def test_reception_to_case_is_refused_when_already_linked(reception, deputy_user):
    services.reception_to_case(actor=deputy_user, reception_id=reception.pk)
    with pytest.raises(Conflict) as exc:
        services.reception_to_case(actor=deputy_user, reception_id=reception.pk)
    assert exc.value.code == "already_linked"
    assert Case.objects.count() == 1
    assert audit_of(reception, "reception.case_created").count() == 1


def test_reception_to_case_takes_a_receiving_deputy_only(reception, station_staff, city_deputy):
    with pytest.raises(DomainError) as exc:
        services.reception_to_case(actor=station_staff, reception_id=reception.pk, deputy=city_deputy)
    assert exc.value.code == "not_a_receiver"
    with pytest.raises(DomainError) as wish:
        services.reception_to_case(actor=station_staff, reception_id=reception.pk, kind="petition")
    assert wish.value.field == "kind"
    with pytest.raises(DomainError) as value:  # a micro-wish (issue 11) needs its estimated value
        services.reception_to_case(actor=station_staff, reception_id=reception.pk, kind="wish")
    assert value.value.field == "amount"
    assert not Case.objects.exists()


def test_a_micro_project_needs_its_budget(reception, station_staff):
    with pytest.raises(DomainError) as exc:
        services.reception_to_case(actor=station_staff, reception_id=reception.pk, kind="micro_project")
    assert exc.value.field == "amount"
    reception.refresh_from_db()
    assert reception.case is None  # the case's refusal rolled everything back
    case = services.reception_to_case(
        actor=station_staff, reception_id=reception.pk, kind="micro_project", amount="20000"
    )
    assert case.amount == 20000


def test_reception_to_case_is_refused_to_others(reception, kaiping_staff):
    with pytest.raises(PermissionDenied):
        services.reception_to_case(actor=kaiping_staff, reception_id=reception.pk)


def test_link_an_existing_case_then_unlink(reception, make_reception, station_staff):
    first = make_reception()
    case = services.reception_to_case(actor=station_staff, reception_id=first.pk)
    services.reception_link_case(actor=station_staff, reception_id=reception.pk, case_id=case.pk)
    reception.refresh_from_db()
    assert reception.case == case and reception.outcome == Reception.Outcome.CASE
    assert audit_of(reception, "reception.case_linked").get().data["case"] == case.pk
    assert set(case.receptions.all()) == {first, reception}

    with pytest.raises(Conflict):
        services.reception_link_case(actor=station_staff, reception_id=reception.pk, case_id=case.pk)

    services.reception_unlink(actor=station_staff, reception_id=reception.pk)
    reception.refresh_from_db()
    assert reception.case is None
    assert audit_of(reception, "reception.case_unlinked").get().data == {"case": case.pk}
    with pytest.raises(TransitionNotAllowed) as exc:
        services.reception_unlink(actor=station_staff, reception_id=reception.pk)
    assert exc.value.code == "not_linked"


def test_a_case_the_actor_may_not_see_cannot_be_linked(reception, station_staff, kaiping_deputy):
    from minsheng.accounts.models import User
    from minsheng.accounts.tests.factories import UserFactory
    from minsheng.cases.services import case_create

    kaiping_user = UserFactory(role=User.Role.DEPUTY, deputy=kaiping_deputy)
    elsewhere = case_create(
        actor=kaiping_user,
        kind="suggestion",
        title="开平的建议",
        content="内容",
        congress=kaiping_deputy.seats.get().congress,
        lead_deputy=kaiping_deputy,
        place=kaiping_deputy.seats.get().congress.place,
    )
    with pytest.raises(DomainError) as exc:
        services.reception_link_case(actor=station_staff, reception_id=reception.pk, case_id=elsewhere.pk)
    assert exc.value.code == "not_found"
    reception.refresh_from_db()
    assert reception.case is None


def test_a_merged_case_points_to_the_one_it_was_merged_into(make_reception, reception, station_staff):
    duplicate = services.reception_to_case(actor=station_staff, reception_id=make_reception().pk)
    Case.objects.filter(pk=duplicate.pk).update(merged_into=duplicate, number="2026S0000001")
    with pytest.raises(DomainError) as exc:
        services.reception_link_case(actor=station_staff, reception_id=reception.pk, case_id=duplicate.pk)
    assert exc.value.code == "merged"


def test_unlinking_is_refused_to_others(reception, deputy_user, kaiping_staff):
    services.reception_to_case(actor=deputy_user, reception_id=reception.pk)
    with pytest.raises(PermissionDenied):
        services.reception_unlink(actor=kaiping_staff, reception_id=reception.pk)
