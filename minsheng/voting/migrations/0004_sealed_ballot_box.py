"""The sealed ballot box (issue 9): ballots of an open vote are sealed with the vote's own key and written as
counted ballots only at closing, in a random order. Paper entries keep their marks sealed too.

Existing data: an open vote gets its box (a new key); its paper entries' marks are sealed with it. Entries of
closed votes keep only whether they counted: their marks are in the counted ballots already.
"""

import uuid

from django.db import migrations, models
from django.db.models import deletion

from minsheng.voting import ballot_box


def forwards(apps, schema_editor):
    VoteSession = apps.get_model("voting", "VoteSession")
    BallotBox = apps.get_model("voting", "BallotBox")
    PaperEntry = apps.get_model("voting", "PaperEntry")
    keys = {}
    for vote_id in VoteSession.objects.filter(status="open").values_list("id", flat=True):
        key = ballot_box.new_key()
        BallotBox.objects.create(vote_id=vote_id, key=ballot_box.wrap(key))
        keys[vote_id] = key
    for entry in PaperEntry.objects.all().iterator():
        entry.counted = entry.ballot_id is not None
        if entry.vote_id in keys and entry.choices:
            marks = {int(cid): mark for cid, mark in entry.choices.items()}
            entry.marks = ballot_box.seal_marks(keys[entry.vote_id], entry.vote_id, entry.serial, marks)
        entry.save(update_fields=["counted", "marks"])


class Migration(migrations.Migration):
    dependencies = [
        ("voting", "0003_voting_rules_quorum_and_shortfall"),
    ]

    operations = [
        migrations.CreateModel(
            name="BallotBox",
            fields=[
                (
                    "vote",
                    models.OneToOneField(
                        on_delete=deletion.CASCADE,
                        primary_key=True,
                        related_name="+",
                        serialize=False,
                        to="voting.votesession",
                    ),
                ),
                ("key", models.CharField(editable=False, max_length=400)),
            ],
            options={"verbose_name": "ballot box", "verbose_name_plural": "ballot boxes"},
        ),
        migrations.CreateModel(
            name="SealedBallot",
            fields=[
                ("id", models.UUIDField(default=uuid.uuid4, editable=False, primary_key=True, serialize=False)),
                ("sealed", models.BinaryField(editable=False)),
                ("tag", models.CharField(editable=False, max_length=64, unique=True)),
                (
                    "vote",
                    models.ForeignKey(on_delete=deletion.CASCADE, related_name="+", to="voting.votesession"),
                ),
            ],
            options={"verbose_name": "sealed ballot", "verbose_name_plural": "sealed ballots"},
        ),
        migrations.AddField(
            model_name="paperentry",
            name="marks",
            field=models.BinaryField(default=b"", editable=False, verbose_name="marks (sealed)"),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="paperentry",
            name="counted",
            field=models.BooleanField(default=False, verbose_name="counted"),
        ),
        migrations.RunPython(forwards, migrations.RunPython.noop, elidable=False),
        migrations.RemoveField(model_name="paperentry", name="choices"),
        migrations.RemoveField(model_name="paperentry", name="ballot"),
        # Whether a counted ballot was on paper is not kept: a count with few paper ballots would show them.
        migrations.RemoveField(model_name="ballot", name="is_paper"),
    ]
