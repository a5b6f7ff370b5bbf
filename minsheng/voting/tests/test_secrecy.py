"""Secrecy of the ballot: nothing stored joins a ballot to a deputy — checked on the schema, and on the data as an
attacker with full read access to the database would try it (test_ballot_box_attacks.py)."""

from django.apps import apps
from django.db import models

from minsheng.accounts.models import User
from minsheng.deputies.models import Deputy
from minsheng.voting.models import Ballot, BallotBox, BallotChoice, Elector, PaperEntry, SealedBallot

BALLOT_MODELS = (Ballot, BallotChoice, SealedBallot)
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
        assert not (targets & set(BALLOT_MODELS)) or model in BALLOT_MODELS, model
    assert related_models(Elector).isdisjoint(set(BALLOT_MODELS) | {PaperEntry, BallotBox})
    # a paper entry names the staff member who typed it and the paper's number, never a voter or a ballot
    assert forward_related(PaperEntry).isdisjoint(set(BALLOT_MODELS) | {Elector, Deputy})
