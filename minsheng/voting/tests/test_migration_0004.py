"""Migration 0004 (the sealed ballot box) on data of the schema before it: an open vote gets its box and its paper
entries' marks are sealed with it; entries of every vote keep whether they counted; counted ballots stay."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from minsheng.voting import ballot_box
from minsheng.voting.models import Ballot, BallotBox, PaperEntry, VoteSession

BEFORE = [("voting", "0003_voting_rules_quorum_and_shortfall")]


@pytest.mark.django_db(transaction=True)
def test_an_open_vote_gets_its_box_and_its_paper_entries_are_sealed(vote, haiyan_staff, second_staff):
    VoteSession.objects.filter(pk=vote.pk).update(status=VoteSession.Status.OPEN)
    cid = vote.candidates.order_by("id").first().pk
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    old = executor.loader.project_state(BEFORE).apps
    OldBallot, OldEntry = old.get_model("voting", "Ballot"), old.get_model("voting", "PaperEntry")
    counted = OldBallot.objects.create(vote_id=vote.pk, receipt="abcdef123456", is_paper=True)
    marks = {str(cid): "for"}
    OldEntry.objects.create(
        vote_id=vote.pk, serial="7", entered_by_id=haiyan_staff.pk, choices=marks, ballot=counted
    )
    OldEntry.objects.create(vote_id=vote.pk, serial="8", entered_by_id=second_staff.pk, choices=marks)

    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())  # every app back to its latest, as before the test

    key = ballot_box.unwrap(BallotBox.objects.get(vote=vote).key)
    entries = {e.serial: e for e in PaperEntry.objects.filter(vote=vote)}
    assert entries["7"].counted and not entries["8"].counted
    for serial, entry in entries.items():
        assert ballot_box.unseal_marks(key, vote.pk, serial, entry.marks) == {cid: "for"}
    assert Ballot.objects.filter(vote=vote, receipt="abcdef123456").exists()
