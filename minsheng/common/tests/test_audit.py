import pytest

from minsheng.common import audit
from minsheng.common.models import AuditRecord


@pytest.mark.django_db
def test_an_audit_record_is_append_only(city_staff, jiangmen):
    record = audit.record(city_staff, "user.signed_in", city_staff)
    record.data = {"changed": True}
    with pytest.raises(RuntimeError):
        record.save()
    with pytest.raises(RuntimeError):
        record.delete()
    assert AuditRecord.objects.get(pk=record.pk).data == {}


@pytest.mark.django_db
def test_an_unknown_verb_is_refused(city_staff):
    with pytest.raises(ValueError):
        audit.record(city_staff, "user.did_something_unlisted", city_staff)


@pytest.mark.django_db
def test_the_history_of_an_object_lists_its_records_newest_first(city_staff, jiangmen):
    audit.record(city_staff, "user.signed_in", city_staff)
    audit.record(city_staff, "user.lockout_lifted", city_staff, username="x")
    verbs = [r.verb for r in audit.history_of(city_staff)]
    assert verbs == ["user.lockout_lifted", "user.signed_in"]


@pytest.mark.django_db
def test_many_records_at_once_are_the_same_rows_as_one_by_one(city_staff, taishan_staff):
    assert audit.record_many(None, "user.signed_in", [(city_staff, {"n": 1}), (taishan_staff, {"n": 2})]) == 2
    rows = list(AuditRecord.objects.filter(verb="user.signed_in").order_by("id"))
    assert [(r.target_id, r.data, r.actor) for r in rows] == [
        (str(city_staff.pk), {"n": 1}, None),
        (str(taishan_staff.pk), {"n": 2}, None),
    ]
    assert audit.history_of(city_staff).count() == 1
    with pytest.raises(ValueError):
        audit.record_many(None, "no.such_verb", [(city_staff, {})])
