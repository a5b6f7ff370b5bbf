"""A real read replica (issue 13): scripts/pg_replica.py starts a streaming standby of the test cluster (a second
Debian cluster on port 5433), the test database created on the primary reaches it by replication, and the router
(minsheng/common/dbrouter.py) sends the wall's reads to it, the claim's writes to the primary, and the donor who
has just claimed back to the primary for a few seconds. PostgreSQL only."""

import copy
import datetime as dt
import shutil
from contextlib import ExitStack, suppress

import pytest
import time_machine
from django.conf import settings as django_settings
from django.db import DEFAULT_DB_ALIAS, connection, connections
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from minsheng.cases.models import Claim
from minsheng.common.dbrouter import PIN_COOKIE, REPLICA

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="a streaming replica needs PostgreSQL"),
    pytest.mark.skipif(
        shutil.which("pg_createcluster") is None, reason="Debian's postgresql-common is missing"
    ),
]
ROUTER = "minsheng.common.dbrouter.ReplicaRouter"
BOTH = [DEFAULT_DB_ALIAS, REPLICA]


@pytest.fixture(scope="module")
def replica(django_db_setup):
    """The replica streams, and `replica` is an alias of the test database on it (a test mirror: never flushed)."""
    from scripts import pg_replica

    primary = connections[DEFAULT_DB_ALIAS].settings_dict
    if str(primary["PORT"] or "5432") != str(pg_replica.PRIMARY_PORT):
        pytest.skip(f"the test database is not on the cluster of port {pg_replica.PRIMARY_PORT}")
    with pg_replica.replica_running():
        alias = copy.deepcopy(primary)
        alias.update(HOST=pg_replica.HOST, PORT=str(pg_replica.REPLICA_PORT))
        alias["TEST"]["MIRROR"] = DEFAULT_DB_ALIAS
        connections.settings[REPLICA] = alias
        pg_replica.wait_for_replay()  # the test database, made on the primary, has reached the replica
        try:
            yield pg_replica
        finally:
            for conn in connections.all(initialized_only=True):
                if conn.alias == REPLICA:
                    conn.close()
            with suppress(AttributeError):
                del connections[REPLICA]
            del connections.settings[REPLICA]


@pytest.fixture
def routed(replica, settings):
    settings.DATABASE_ROUTERS = [ROUTER]
    return replica


class Queries:
    """The SQL each alias ran inside the block."""

    def __enter__(self):
        self._stack = ExitStack()
        self.on = {
            alias: self._stack.enter_context(CaptureQueriesContext(connections[alias])) for alias in BOTH
        }
        return self

    def __exit__(self, *exc):
        self._stack.close()

    def touching(self, alias: str, table: str) -> list[str]:
        return [q["sql"] for q in self.on[alias].captured_queries if f'"{table}"' in q["sql"]]


@pytest.mark.django_db(transaction=True, databases=BOTH)
def test_the_wall_is_read_from_the_streaming_replica(routed, wall_wish_committed, client):
    routed.wait_for_replay()
    with Queries() as queries:
        body = client.get(reverse("cases:wall")).content.decode()

    assert "独居老人需要一台轮椅" in body
    assert queries.touching(REPLICA, "cases_case")
    assert not queries.touching(DEFAULT_DB_ALIAS, "cases_case")
    with connections[REPLICA].cursor() as cursor:
        cursor.execute("SELECT pg_is_in_recovery(), current_setting('port')")
        assert cursor.fetchone() == (True, str(routed.REPLICA_PORT))


@pytest.mark.django_db(transaction=True, databases=BOTH)
def test_a_donor_who_claims_reads_from_the_primary_for_a_few_seconds_then_from_the_replica(
    routed, wall_wish_committed, donor, client
):
    case = wall_wish_committed
    client.force_login(donor)
    page = reverse("cases:wall_detail", args=[case.pk])
    routed.wait_for_replay()
    with time_machine.travel(dt.datetime.now(dt.UTC), tick=False) as clock:
        with Queries() as claiming:
            response = client.post(reverse("cases:claim", args=[case.pk]), {"kind": "whole"})
        assert response.status_code == 302
        assert Claim.objects.filter(case=case, donor=donor).exists()
        assert [q for q in claiming.touching(DEFAULT_DB_ALIAS, "cases_claim") if q.startswith("INSERT")]
        assert not claiming.touching(REPLICA, "cases_claim")
        assert PIN_COOKIE in response.cookies

        clock.shift(django_settings.MINSHENG["REPLICA_PIN_SECONDS"] - 1)
        with Queries() as right_after:
            body = client.get(page).content.decode()
        assert 'data-testid="my-claim"' in body  # their own claim, read where it was written
        assert right_after.touching(DEFAULT_DB_ALIAS, "cases_case")
        assert not right_after.touching(REPLICA, "cases_case")

        clock.shift(2)
        routed.wait_for_replay()
        with Queries() as later:
            body = client.get(page).content.decode()
        assert 'data-testid="my-claim"' in body
        assert later.touching(REPLICA, "cases_case")
        assert not later.touching(DEFAULT_DB_ALIAS, "cases_case")
