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


@pytest.mark.django_db(transaction=True)
def test_a_withdrawal_and_an_answer_at_once_never_deadlock_and_end_consistently(
    deputy_user, haiyan_staff, haiyan_government, haiyan_handler, station
):
    """撤回 locks the case, then its assignments; 答复 locked the assignment, then the case — two threads could
    each hold what the other waits for. Every service now locks the case first: 30 races, no deadlock, and
    each ends in one of the two orders' results."""
    from minsheng.cases.models import Answer, Assignment, Case

    outcomes = set()
    for i in range(30):
        case = services.case_create(
            actor=deputy_user,
            kind=Case.Kind.SUGGESTION,
            title=f"路灯{i}",
            content="五丰村路口夜间无照明",
            congress=haiyan_staff.congress,
            lead_deputy=deputy_user.deputy,
            place=station.place,
            station=station,
        )
        services.case_file(actor=deputy_user, case_id=case.pk)
        services.case_accept(actor=haiyan_staff, case_id=case.pk)
        services.case_assign(actor=haiyan_staff, case_id=case.pk, lead=haiyan_government)
        part = case.assignments.get()
        services.assignment_acknowledge(actor=haiyan_handler, assignment_id=part.pk)

        def step(which, case_id=case.pk, part_id=part.pk):
            if which == 0:
                return services.case_withdraw(actor=deputy_user, case_id=case_id, reason="需求已解决")
            return services.answer_submit(
                actor=haiyan_handler,
                assignment_id=part_id,
                answer_class="A",
                text="已安装路灯",
                signed_by="镇长",
            )

        errors = []

        def run(which, barrier, errors=errors):
            try:
                barrier.wait()
                step(which)
            except DomainError:
                pass  # the answer refused after the withdrawal: a legal outcome
            except Exception as exc:  # a deadlock (or anything else) fails the test
                errors.append(exc)
            finally:
                connections.close_all()

        barrier = threading.Barrier(2)
        threads = [threading.Thread(target=run, args=(w, barrier)) for w in (0, 1)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        assert errors == [], errors
        case.refresh_from_db()
        part.refresh_from_db()
        answered = Answer.objects.filter(assignment=part).exists()
        assert case.status == Case.Status.WITHDRAWN  # 撤回 succeeds in either order
        # answered first: the part keeps its answer; withdrawn first: the part is removed, no answer
        assert part.status == (Assignment.Status.ANSWERED if answered else Assignment.Status.REMOVED)
        outcomes.add(answered)
    assert outcomes  # 30 races ran
