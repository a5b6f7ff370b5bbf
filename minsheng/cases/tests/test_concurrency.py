"""Races on PostgreSQL, for real: threads behind a barrier."""

import threading
from decimal import Decimal

import pytest
from django.db import connection, connections

from minsheng.cases import services
from minsheng.cases.models import Claim
from minsheng.common.errors import DomainError

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="row locks are real only on PostgreSQL"
)


def _donors(n):
    from minsheng.accounts.models import DonorProfile
    from minsheng.accounts.tests.factories import DonorProfileFactory

    return [
        DonorProfileFactory(user__username=f"racer{i}", status=DonorProfile.Status.VERIFIED).user
        for i in range(n)
    ]


def _race(n, fn):
    barrier = threading.Barrier(n)
    results = []

    def run(i):
        try:
            barrier.wait()
            results.append(("ok", fn(i)))
        except DomainError as exc:
            results.append(("refused", exc))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return results


@pytest.mark.django_db(transaction=True)
def test_fifty_donors_claiming_one_wish_at_once_make_exactly_one_claim(wall_wish_committed):
    donors = _donors(50)
    results = _race(
        50, lambda i: services.claim_create(actor=donors[i], case_id=wall_wish_committed.pk, kind="whole")
    )
    assert [r[0] for r in results].count("ok") == 1
    assert Claim.objects.filter(case=wall_wish_committed).count() == 1


@pytest.mark.django_db(transaction=True)
def test_fifty_pledges_at_once_never_exceed_the_value(wall_wish_committed):
    donors = _donors(50)
    results = _race(
        50,
        lambda i: services.claim_create(
            actor=donors[i], case_id=wall_wish_committed.pk, kind="share", amount="40"
        ),
    )
    total = sum(c.amount for c in Claim.objects.filter(case=wall_wish_committed))
    assert total <= wall_wish_committed.amount == Decimal("450")
    assert [r[0] for r in results].count("ok") == 11  # 11 × 40 = 440 ≤ 450 < 12 × 40
