"""The secret ballot attacked as someone with full read access to the database would (issue 9; the threat model is
in the voting README): 24 known deputies sign in through the sign-in page and vote through the ballot page, one
after another, each with a ballot no one else casts, so that the test knows whose ballot is whose. The attacker
knows the casting order from everything stored about the deputies (the audit trail's sign-in and 'voted' records,
`last_login`) and tries every order stored about the ballots (row order — SQLite's rowid, PostgreSQL's ctid —, the
marks' row order, the keys, the receipts, PostgreSQL's transaction ids, a pg_dump) to match ballots to voters.

"Better than chance" is measured: matching a random order of 24 ballots to 24 voters gets 1 right on average, 9 or
more with a probability of about 1 in a million. Each attack must get at most 8 right, forwards and backwards. The
positive control shows that the same attack finds every voter where the order is kept (the sealed box while the
vote is open — which is why what it holds is encrypted).
"""

import itertools
import random
import re
import shutil
import subprocess
import uuid

import pytest
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import connection
from django.urls import reverse

from minsheng.accounts.models import User
from minsheng.common.models import AuditRecord
from minsheng.voting import ballot_box, services
from minsheng.voting.models import Ballot, BallotBox, BallotChoice, Elector, SealedBallot

from .factories import make_electorate, make_vote

N = 24
MAX_CORRECT = 8  # P(a random matching of 24 gets >= 9 right) ~ 1e-6
PG = connection.vendor == "postgresql"

pytestmark = pytest.mark.django_db(transaction=True)


def physical(table: str, column: str, where: str = "", params=()) -> list:
    """The values of `column` in the order the rows lie in the table (rowid on SQLite, ctid on PostgreSQL)."""
    order = "ctid" if PG else "rowid"
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {column} FROM {table} {where} ORDER BY {order}", list(params))
        return [row[0] for row in cursor.fetchall()]


def first_seen(values: list) -> list:
    return list(dict.fromkeys(values))


def correct(order: list, owner: dict, cast_order: list) -> int:
    """How many ballots an attacker matches to their voter by taking `order` (ballot ids) as the casting order,
    forwards or backwards: the better of the two."""
    forwards = sum(owner[b] == v for b, v in zip(order, cast_order, strict=True))
    backwards = sum(owner[b] == v for b, v in zip(reversed(order), cast_order, strict=True))
    return max(forwards, backwards)


@pytest.fixture
def election(client, haiyan_congress, haiyan_session, haiyan_term, haiyan_staff):
    """A vote of 6 candidates for 3 seats; 24 deputies sign in and vote in a known order, each a distinct ballot.
    Returns (vote, {deputy id: marks}, [deputy ids in casting order], {deputy id: receipt})."""
    vote = make_vote(congress=haiyan_congress, session=haiyan_session, seats=3, candidates=6)
    users = make_electorate(haiyan_term, N)
    for user in users:
        user.set_password("票决-secret-1")
    User.objects.bulk_update(users, ["password"])
    services.vote_open(actor=haiyan_staff, vote_id=vote.pk)
    ids = sorted(vote.candidates.values_list("id", flat=True))
    patterns = [
        p for p in itertools.product(("for", "against", "abstain"), repeat=len(ids)) if p.count("for") <= 3
    ]
    random.Random(9).shuffle(patterns)
    marks, receipts, order = {}, {}, []
    for user, pattern in zip(users, patterns, strict=False):
        client.post(reverse("accounts:login"), {"username": user.username, "password": "票决-secret-1"})
        response = client.post(
            reverse("voting:ballot", args=[vote.pk]),
            {f"c{cid}": m for cid, m in zip(ids, pattern, strict=True)},
        )
        assert response.status_code == 200, response.content.decode()[:500]
        receipts[user.deputy_id] = response.context["receipt"]
        marks[user.deputy_id] = dict(zip(ids, pattern, strict=True))
        order.append(user.deputy_id)
        client.logout()
    return vote, marks, order, receipts


def known_cast_orders(vote) -> dict[str, list]:
    """Every order of the voters an attacker reads off what is stored about them."""
    voted = AuditRecord.objects.filter(verb="vote.voted", target_id=str(vote.pk)).order_by("at", "id")
    signed_in = AuditRecord.objects.filter(verb="user.signed_in").order_by("at", "id")
    electors = set(Elector.objects.filter(vote=vote, has_voted=True).values_list("deputy_id", flat=True))
    return {
        "audit 'voted'": [r.data["deputy"] for r in voted],
        "audit sign-in": [
            d
            for d in User.objects.filter(pk__in=[r.actor_id for r in signed_in])
            .order_by("last_login")
            .values_list("deputy_id", flat=True)
            if d in electors
        ],
    }


def owners(vote, marks) -> dict:
    """{ballot id: deputy id}: the test's knowledge (each deputy's ballot is unique), never the attacker's."""
    by_marks = {tuple(sorted(m.items())): d for d, m in marks.items()}
    choices: dict = {}
    for ballot_id, cid, mark in BallotChoice.objects.filter(ballot__vote=vote).values_list(
        "ballot_id", "candidate_id", "choice"
    ):
        choices.setdefault(ballot_id, []).append((cid, mark))
    return {b: by_marks[tuple(sorted(c))] for b, c in choices.items()}


def test_while_open_the_box_keeps_the_casting_order_but_nothing_readable(election):
    vote, marks, order, receipts = election
    assert not Ballot.objects.filter(vote=vote).exists()
    # Positive control: the sealed rows lie in casting order, so an attacker matches every one to its voter...
    key = ballot_box.unwrap(BallotBox.objects.get(vote=vote).key)  # the server's secret: the test's knowledge
    by_marks = {tuple(sorted(m.items())): d for d, m in marks.items()}
    sealed = physical("voting_sealedballot", "id", "WHERE vote_id = %s", [vote.pk])
    owner = {
        _uuid(s.pk): by_marks[tuple(sorted(ballot_box.unseal(key, vote.pk, s.sealed).marks.items()))]
        for s in SealedBallot.objects.filter(vote=vote)
    }
    assert correct([_uuid(s) for s in sealed], owner, order) == N
    # ... and learns nothing from them: every sealed ballot has the same length, shows no mark and no receipt,
    # and cannot be opened without the box key, itself encrypted with the server's keys.
    blobs = [bytes(b) for b in SealedBallot.objects.filter(vote=vote).values_list("sealed", flat=True)]
    assert len({len(b) for b in blobs}) == 1
    for blob in blobs:
        assert not re.search(rb"for|against|abstain|\"m\"", blob)
        assert not any(r.encode() in blob for r in receipts.values())
        with pytest.raises(ImproperlyConfigured):
            ballot_box.unseal(ballot_box.new_key(), vote.pk, blob)
    assert key.hex() not in BallotBox.objects.get(vote=vote).key
    # the receipt tags are keyed hashes: not the receipts
    tags = set(SealedBallot.objects.filter(vote=vote).values_list("tag", flat=True))
    assert tags.isdisjoint(receipts.values())


@pytest.mark.skipif(not PG, reason="transaction ids (xmin) are PostgreSQL's")
def test_while_open_a_casts_transaction_writes_nothing_readable_next_to_the_voter(election):
    vote, marks, order, receipts = election
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT deputy_id, xmin::text FROM voting_elector WHERE vote_id = %s AND has_voted", [vote.pk]
        )
        elector_xmin = dict(cursor.fetchall())
        cursor.execute("SELECT xmin::text FROM voting_sealedballot WHERE vote_id = %s", [vote.pk])
        sealed_xmin = [r[0] for r in cursor.fetchall()]
        cursor.execute(
            "SELECT xmin::text FROM voting_ballotchoice UNION ALL SELECT xmin::text FROM voting_ballot"
        )
        assert cursor.fetchall() == []
    # Positive control: each sealed ballot shares its transaction id with exactly its voter's elector row ...
    assert sorted(sealed_xmin) == sorted(elector_xmin.values())
    # ... which is why it is sealed (the test above): the rows of a cast's transaction hold no mark in the clear.


def test_after_closing_no_stored_order_matches_ballots_to_voters(election, haiyan_staff):
    vote, marks, order, receipts = election
    services.vote_close(actor=haiyan_staff, vote_id=vote.pk)
    assert not SealedBallot.objects.exists() and not BallotBox.objects.exists()
    owner = owners(vote, marks)
    assert sorted(owner.values()) == sorted(order)  # every ballot counted, each once
    # the receipts still work: each voter finds the ballot counted
    assert all(services.receipt_status(receipt=r) == "counted" for r in receipts.values())

    casting = known_cast_orders(vote)
    assert casting["audit 'voted'"] == order  # the attacker does know the order of voting ...
    ballot_orders = {
        "ballot rows": physical("voting_ballot", "id", "WHERE vote_id = %s", [vote.pk]),
        "mark rows": first_seen(physical("voting_ballotchoice", "ballot_id")),
        "ballot keys": sorted(owner),
        "receipts": list(Ballot.objects.filter(vote=vote).order_by("receipt").values_list("id", flat=True)),
        "mark keys": first_seen(
            list(
                BallotChoice.objects.filter(ballot__vote=vote)
                .order_by("id")
                .values_list("ballot_id", flat=True)
            )
        ),
    }
    ballot_orders = {
        k: [b if not isinstance(b, str) else _uuid(b) for b in v] for k, v in ballot_orders.items()
    }
    for voters_seen, voters_order in casting.items():
        for what, ballots in ballot_orders.items():
            assert len(ballots) == N, what
            score = correct(ballots, owner, voters_order)
            # ... but no order stored of the ballots tells more than chance which is whose
            assert score <= MAX_CORRECT, f"{what} against {voters_seen}: {score} of {N} matched"


def _uuid(value):
    return uuid.UUID(str(value))


@pytest.mark.skipif(not PG, reason="transaction ids (xmin) are PostgreSQL's")
def test_after_closing_every_ballot_carries_the_closing_transaction_only(election, haiyan_staff):
    vote, marks, order, receipts = election
    with connection.cursor() as cursor:
        cursor.execute("SELECT xmin::text FROM common_auditrecord WHERE verb = 'vote.voted'")
        cast_xids = {r[0] for r in cursor.fetchall()}
    services.vote_close(actor=haiyan_staff, vote_id=vote.pk)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT DISTINCT xmin::text FROM voting_ballot WHERE vote_id = %s UNION "
            "SELECT DISTINCT c.xmin::text FROM voting_ballotchoice c JOIN voting_ballot b ON b.id = c.ballot_id "
            "WHERE b.vote_id = %s",
            [vote.pk, vote.pk],
        )
        ballot_xids = {r[0] for r in cursor.fetchall()}
        cursor.execute("SELECT DISTINCT xmin::text FROM voting_elector WHERE vote_id = %s", [vote.pk])
        elector_xids = {r[0] for r in cursor.fetchall()}
        cursor.execute("SELECT xmin::text FROM common_auditrecord WHERE verb = 'vote.closed'")
        (close_xid,) = [r[0] for r in cursor.fetchall()]
    assert ballot_xids == {close_xid} == elector_xids
    assert not ballot_xids & cast_xids


@pytest.mark.skipif(not PG or not shutil.which("pg_dump"), reason="pg_dump of PostgreSQL")
def test_a_dump_after_closing_keeps_no_casting_order(election, haiyan_staff):
    vote, marks, order, receipts = election
    services.vote_close(actor=haiyan_staff, vote_id=vote.pk)
    owner = owners(vote, marks)
    db = settings.DATABASES["default"]
    dump = subprocess.run(
        [
            "pg_dump",
            "--data-only",
            "--table=voting_ballot",
            "--table=voting_ballotchoice",
            "-h",
            db["HOST"] or "127.0.0.1",
            "-p",
            str(db["PORT"] or 5432),
            "-U",
            db["USER"] or "postgres",
            connection.settings_dict["NAME"],
        ],
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    ).stdout
    rows = {}
    for table in ("voting_ballot", "voting_ballotchoice"):
        block = re.search(rf"COPY public\.{table} \(([^)]*)\) FROM stdin;\n(.*?)\n\\\.", dump, re.S)
        columns = [c.strip().strip('"') for c in block.group(1).split(",")]
        key = columns.index("id" if table == "voting_ballot" else "ballot_id")
        rows[table] = [_uuid(line.split("\t")[key]) for line in block.group(2).splitlines()]
    for table, ballots in rows.items():
        ballots = first_seen(ballots)
        score = correct(ballots, owner, order)
        assert score <= MAX_CORRECT, f"{table} in the dump: {score} of {N} matched"
