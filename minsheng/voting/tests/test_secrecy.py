"""Secrecy of the ballot: nothing stored joins a ballot to a deputy — checked on the schema and on the data."""

import uuid

import pytest
from django.apps import apps
from django.db import connection, models

from minsheng.accounts.models import User
from minsheng.deputies.models import Deputy
from minsheng.voting import services
from minsheng.voting.models import Ballot, BallotChoice, Elector, PaperEntry

BALLOT_MODELS = (Ballot, BallotChoice)
IDENTIFYING = (Elector, Deputy, User)


def related_models(model):
    return {f.related_model for f in model._meta.get_fields() if f.is_relation and f.related_model}


def forward_related(model):
    return {
        f.related_model
        for f in model._meta.get_fields()
        if f.is_relation and not f.auto_created and f.related_model
    }


def test_ballots_and_their_marks_have_no_link_to_an_elector_a_deputy_or_a_user():
    for model in BALLOT_MODELS:
        assert related_models(model).isdisjoint(IDENTIFYING), model
        names = {f.name for f in model._meta.get_fields()}
        assert not names & {"deputy", "elector", "user", "voter", "created_by", "created_at", "updated_at"}


def test_ballots_and_their_marks_have_no_time_and_no_sequence():
    for model in BALLOT_MODELS:
        for field in model._meta.concrete_fields:
            assert not isinstance(field, models.DateField | models.TimeField), (model, field.name)
            assert not isinstance(field, models.AutoField | models.BigAutoField), (model, field.name)
        assert isinstance(model._meta.pk, models.UUIDField)


def test_no_model_anywhere_links_ballots_to_electors_deputies_or_users():
    for model in apps.get_models():
        targets = forward_related(model)
        if targets & set(BALLOT_MODELS) and model not in BALLOT_MODELS:
            # only the paper entry points at a ballot, and it names the staff who typed it, never a voter
            assert model is PaperEntry, model
            assert targets.isdisjoint({Elector, Deputy}), model
    assert related_models(Elector).isdisjoint(set(BALLOT_MODELS) | {PaperEntry})


@pytest.mark.django_db
def test_after_deputies_vote_the_data_cannot_be_joined(vote, haiyan_staff, haiyan_term):
    from .factories import make_electorate

    voters = make_electorate(haiyan_term, 30)
    services.vote_open(actor=haiyan_staff, vote_id=vote.pk)
    ids = sorted(vote.candidates.values_list("id", flat=True))
    receipts = []
    for i, user in enumerate(voters):
        choices = {cid: "for" if j == i % 3 else "against" for j, cid in enumerate(ids)}
        receipts.append(services.ballot_cast(actor=user, vote_id=vote.pk, choices=choices))

    ballots = list(Ballot.objects.filter(vote=vote))
    by_receipt = {b.receipt: b for b in ballots}
    in_casting_order = [by_receipt[r].pk for r in receipts]
    assert all(isinstance(pk, uuid.UUID) and pk.version == 4 for pk in in_casting_order)
    # neither the keys of ballots nor those of their marks follow the casting order
    assert sorted(in_casting_order) != in_casting_order
    first_mark = {
        b: min(BallotChoice.objects.filter(ballot_id=b).values_list("pk", flat=True))
        for b in in_casting_order
    }
    assert sorted(first_mark.values()) != [first_mark[b] for b in in_casting_order]
    # what is stored of a ballot: its key, the vote, a random receipt and the channel; nothing else
    row = Ballot.objects.filter(vote=vote).values().first()
    assert set(row) == {"id", "vote_id", "receipt", "is_paper"}
    deputy_ids = {str(u.deputy_id) for u in voters} | {str(u.pk) for u in voters}
    assert not {r for r in receipts if r in deputy_ids}
    # the elector rows say who voted, with no time and no ballot
    assert set(Elector.objects.filter(vote=vote).values().first()) == {
        "id",
        "vote_id",
        "deputy_id",
        "checked_in_at",
        "has_voted",
        "channel",
    }


@pytest.mark.django_db
@pytest.mark.skipif(connection.vendor != "postgresql", reason="row versions (xmin) are PostgreSQL's")
def test_after_closing_elector_rows_no_longer_share_a_transaction_id_with_the_ballots(
    vote, voters, haiyan_staff
):
    services.vote_open(actor=haiyan_staff, vote_id=vote.pk)
    ids = sorted(vote.candidates.values_list("id", flat=True))
    for user in voters:
        services.ballot_cast(actor=user, vote_id=vote.pk, choices=dict.fromkeys(ids, "abstain"))
    services.vote_close(actor=haiyan_staff, vote_id=vote.pk)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM voting_elector e JOIN voting_ballot b ON e.xmin = b.xmin WHERE e.vote_id = %s",
            [vote.pk],
        )
        assert cursor.fetchone()[0] == 0
