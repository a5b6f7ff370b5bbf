"""The replica router's rules without a replica (the real one is minsheng/cases/tests/test_read_replica.py):
which views read from it, which requests pin a browser to the primary and for how long, where writes and
migrations go."""

import datetime as dt

import pytest
import time_machine
from django.http import HttpResponse
from django.test import RequestFactory

from minsheng.common import dbrouter
from minsheng.common.dbrouter import PIN_COOKIE, REPLICA, ReplicaMiddleware, ReplicaRouter, use_replica

NOW = dt.datetime(2026, 5, 6, 10, 0, tzinfo=dt.UTC)


@use_replica
def public_view(request):
    return HttpResponse(dbrouter.reading_from() or "default")


def own_view(request):
    return HttpResponse(dbrouter.reading_from() or "default")


@pytest.fixture
def with_replica(monkeypatch, settings):
    settings.MINSHENG = {**settings.MINSHENG, "REPLICA_PIN_SECONDS": 5}
    monkeypatch.setattr(dbrouter, "replica_configured", lambda: True)


def serve(request, view):
    """The middleware around one view, as Django's handler calls it (process_view, then the view)."""

    def get_response(request):
        middleware.process_view(request, view, (), {})
        return view(request)

    middleware = ReplicaMiddleware(get_response)
    return middleware(request)


def test_a_public_view_reads_from_the_replica_and_an_unmarked_one_from_the_primary(with_replica):
    rf = RequestFactory()
    assert serve(rf.get("/cases/wall/"), public_view).content == b"replica"
    assert serve(rf.get("/cases/"), own_view).content == b"default"
    assert dbrouter.reading_from() is None  # nothing leaks past the request


def test_a_post_reads_from_the_primary_and_pins_the_browser_for_a_few_seconds(with_replica):
    rf = RequestFactory()
    with time_machine.travel(NOW, tick=False) as clock:
        posted = serve(rf.post("/cases/wall/1/claim/"), public_view)
        assert posted.content == b"default"
        cookie = posted.cookies[PIN_COOKIE]
        assert cookie["max-age"] == 5 and cookie["httponly"]

        clock.shift(4)
        again = rf.get("/cases/wall/1/")
        again.COOKIES[PIN_COOKIE] = cookie.value
        assert serve(again, public_view).content == b"default"

        clock.shift(2)
        later = rf.get("/cases/wall/1/")
        later.COOKIES[PIN_COOKIE] = cookie.value
        assert serve(later, public_view).content == b"replica"
        assert PIN_COOKIE not in serve(later, public_view).cookies  # a read marks nothing


def test_a_cookie_that_is_not_a_time_pins_nothing(with_replica):
    request = RequestFactory().get("/cases/wall/")
    request.COOKIES[PIN_COOKIE] = "soon"
    assert serve(request, public_view).content == b"replica"


def test_without_a_replica_nothing_is_routed_and_no_cookie_is_set():
    rf = RequestFactory()
    assert serve(rf.get("/cases/wall/"), public_view).content == b"default"
    assert PIN_COOKIE not in serve(rf.post("/cases/wall/1/claim/"), public_view).cookies


@pytest.mark.django_db
def test_writes_reads_in_a_transaction_and_migrations_stay_on_the_primary(with_replica):
    from django.db import transaction

    from minsheng.common.models import AuditRecord

    router = ReplicaRouter()
    token = dbrouter._reads_from.set(REPLICA)
    try:
        assert router.db_for_write(AuditRecord) == "default"
        # pytest-django's `db` holds a transaction open on the primary: what a service reads before it writes
        assert router.db_for_read(AuditRecord) is None
        with transaction.atomic():
            assert router.db_for_read(AuditRecord) is None
    finally:
        dbrouter._reads_from.reset(token)
    assert router.allow_migrate("default", "common") is True
    assert router.allow_migrate(REPLICA, "common") is False


def test_outside_a_transaction_a_marked_view_reads_from_the_replica():
    from minsheng.common.models import AuditRecord

    token = dbrouter._reads_from.set(REPLICA)
    try:
        assert ReplicaRouter().db_for_read(AuditRecord) == REPLICA
    finally:
        dbrouter._reads_from.reset(token)
    assert ReplicaRouter().db_for_read(AuditRecord) is None
