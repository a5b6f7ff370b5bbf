"""Races on PostgreSQL, for real: many deputies at once, the same deputy twice, casting while the vote closes.

Skipped on SQLite, which serialises every writer anyway."""

import threading
import time
from collections import Counter

import pytest
from django.db import connection, connections
from django.db.models import Count

from minsheng.common.errors import Conflict, TransitionNotAllowed
from minsheng.common.models import AuditRecord
from minsheng.voting import services
from minsheng.voting.models import Ballot, BallotChoice, CandidateResult, Elector

from .factories import check_in_quorum, in_box, make_electorate, make_vote, peek_box

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="concurrency is tested on PostgreSQL"),
]

THREADS = 50


def choices_for(i: int, ids: list[int]) -> dict[int, str]:
    """Deputy i: 'for' the candidates i % k and (i + 1) % k, 'abstain' on every third other, else 'against'."""
    k = len(ids)
    fors = {i % k, (i + 1) % k}
    return {
        cid: "for" if j in fors else ("abstain" if (i + j) % 3 == 0 else "against")
        for j, cid in enumerate(ids)
    }


def run_in_threads(jobs_per_thread, work):
    """Run work(job) for each job list in its own thread, all starting together; return per-job outcomes."""
    barrier = threading.Barrier(len(jobs_per_thread))
    outcomes: dict = {}
    errors: list = []

    def runner(jobs):
        try:
            barrier.wait()
            for job in jobs:
                try:
                    outcomes[job] = ("ok", work(job))
                except (Conflict, TransitionNotAllowed) as exc:
                    outcomes[job] = ("refused", exc.code)
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=runner, args=(jobs,)) for jobs in jobs_per_thread]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert not errors, errors
    return outcomes


@pytest.fixture
def setting(haiyan_congress, haiyan_term, haiyan_staff):
    from .factories import SessionFactory

    session = SessionFactory(term=haiyan_term)
    return haiyan_congress, session, haiyan_staff


def test_a_thousand_deputies_cast_at_once_and_every_ballot_is_counted(setting, haiyan_term):
    congress, session, staff = setting
    voters = make_electorate(haiyan_term, 1000)
    vote = make_vote(congress=congress, session=session, seats=2, candidates=5)
    services.vote_open(actor=staff, vote_id=vote.pk)
    ids = sorted(vote.candidates.values_list("id", flat=True))
    by_job = dict(enumerate(voters))
    chunks = [list(range(t, 1000, THREADS)) for t in range(THREADS)]
    started = time.monotonic()
    outcomes = run_in_threads(
        chunks, lambda i: services.ballot_cast(actor=by_job[i], vote_id=vote.pk, choices=choices_for(i, ids))
    )
    assert time.monotonic() - started < 60
    assert Counter(kind for kind, _x in outcomes.values()) == {"ok": 1000}
    assert len({receipt for _k, receipt in outcomes.values()}) == 1000
    assert in_box(vote) == 1000
    assert Elector.objects.filter(vote=vote, has_voted=True).count() == 1000
    services.vote_close(actor=staff, vote_id=vote.pk)
    assert Ballot.objects.filter(vote=vote).count() == 1000

    expected = Counter((cid, mark) for i in range(1000) for cid, mark in choices_for(i, ids).items())
    stored = Counter(
        {
            (cid, mark): n
            for cid, mark, n in BallotChoice.objects.filter(ballot__vote=vote)
            .values_list("candidate_id", "choice")
            .annotate(n=Count("pk"))
            .order_by()
        }
    )
    assert stored == expected
    results = {r.candidate_id: r for r in CandidateResult.objects.filter(vote=vote)}
    for cid in ids:
        assert results[cid].votes_for == expected[(cid, "for")]
        assert results[cid].votes_against == expected[(cid, "against")]
        assert results[cid].abstentions == expected[(cid, "abstain")]
    assert AuditRecord.objects.filter(verb="vote.voted", target_id=str(vote.pk)).count() == 1000


def test_the_same_deputy_from_two_threads_casts_one_ballot(setting, haiyan_term):
    congress, session, staff = setting
    voters = make_electorate(haiyan_term, 20)
    vote = make_vote(congress=congress, session=session, seats=2, candidates=3)
    services.vote_open(actor=staff, vote_id=vote.pk)
    ids = sorted(vote.candidates.values_list("id", flat=True))
    # two threads, each trying every deputy: (thread, deputy) jobs
    outcomes = run_in_threads(
        [[(t, i) for i in range(20)] for t in range(2)],
        lambda job: services.ballot_cast(
            actor=voters[job[1]], vote_id=vote.pk, choices=choices_for(job[1], ids)
        ),
    )
    for i in range(20):
        kinds = sorted(outcomes[(t, i)][0] for t in range(2))
        assert kinds == ["ok", "refused"]
        assert {outcomes[(t, i)][1] for t in range(2)} >= {"already_voted"}
    assert in_box(vote) == 20
    assert sum(len(b.marks) for b in peek_box(vote)) == 60


def test_casting_while_the_vote_closes_each_ballot_is_counted_or_refused(setting, haiyan_term):
    congress, session, staff = setting
    voters = make_electorate(haiyan_term, 400)
    vote = make_vote(congress=congress, session=session, seats=2, candidates=3)
    services.vote_open(actor=staff, vote_id=vote.pk)
    check_in_quorum(vote, staff)  # the hall has its quorum whenever the closing comes
    ids = sorted(vote.candidates.values_list("id", flat=True))

    def work(job):
        if job == "close":
            time.sleep(0.05)
            return services.vote_close(actor=staff, vote_id=vote.pk).pk
        return services.ballot_cast(actor=voters[job], vote_id=vote.pk, choices=choices_for(job, ids))

    chunks = [list(range(t, 400, 20)) for t in range(20)] + [["close"]]
    outcomes = run_in_threads(chunks, work)
    assert outcomes.pop("close")[0] == "ok"
    counted = [i for i, (kind, _x) in outcomes.items() if kind == "ok"]
    refused = [i for i, (kind, code) in outcomes.items() if kind == "refused"]
    assert len(counted) + len(refused) == 400
    assert {outcomes[i][1] for i in refused} <= {"vote_not_open"}
    assert Ballot.objects.filter(vote=vote).count() == len(counted)
    assert set(Elector.objects.filter(vote=vote, has_voted=True).values_list("deputy_id", flat=True)) == {
        voters[i].deputy_id for i in counted
    }
    expected = Counter((cid, mark) for i in counted for cid, mark in choices_for(i, ids).items())
    results = {r.candidate_id: r for r in CandidateResult.objects.filter(vote=vote)}
    for cid in ids:
        assert results[cid].votes_for == expected[(cid, "for")]
        assert results[cid].votes_against == expected[(cid, "against")]
    record = AuditRecord.objects.get(verb="vote.closed", target_id=str(vote.pk))
    assert record.data["ballots"] == len(counted)
