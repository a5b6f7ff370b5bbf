"""Receptions (接待) come over from the stations app (issue 10), keeping their tables (stations_reception and
stations_reception_deputies), their rows, ids and ciphertexts: state only. Their content type moves with them
so that the audit trail still finds them."""

import django.db.models.deletion
import django.db.models.functions.text
import django.db.models.lookups
import minsheng.common.crypto
import minsheng.common.validators
from django.conf import settings
from django.db import migrations, models


def _content_type_follows(apps, schema_editor, *, old: str, new: str) -> None:
    """The content type of receptions changes app, so that the audit trail (and any permission) written
    while receptions lived in `old` still names them. A content type already made for `new` (post_migrate
    of a run in between) gives its rows to the old one, which takes its place."""
    ContentType = apps.get_model("contenttypes", "ContentType")
    AuditRecord = apps.get_model("common", "AuditRecord")
    db = schema_editor.connection.alias
    before = ContentType.objects.using(db).filter(app_label=old, model="reception").first()
    if before is None:
        return
    already = ContentType.objects.using(db).filter(app_label=new, model="reception").first()
    if already is not None:
        AuditRecord.objects.using(db).filter(target_type=already).update(target_type=before)
        already.delete()
    before.app_label = new
    before.save(update_fields=["app_label"])


def forwards(apps, schema_editor):
    _content_type_follows(apps, schema_editor, old="stations", new="activities")


def backwards(apps, schema_editor):
    _content_type_follows(apps, schema_editor, old="activities", new="stations")


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('cases', '0011_files_under_random_names'),
        ('deputies', '0004_deputies_text_lengths_and_date_checks'),
        ('stations', '0004_receptions_move_to_activities'),
        ('units', '0001_initial'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
        ("contenttypes", "0002_remove_content_type_name"),
        ("common", "0001_initial"),
    ]

    operations = [
        # The tables were made by stations 0002 and 0003 and are kept: state only.
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='Reception',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='created at')),
                        ('updated_at', models.DateTimeField(auto_now=True, verbose_name='updated at')),
                        ('received_at', models.DateTimeField(db_index=True, validators=[minsheng.common.validators.validate_past_date], verbose_name='received at')),
                        ('visitor_count', models.PositiveSmallIntegerField(default=1, verbose_name='number of visitors')),
                        ('contact_name', minsheng.common.crypto.EncryptedCharField(blank=True, default='', max_length=50, verbose_name="contact visitor's name")),
                        ('contact_phone', minsheng.common.crypto.EncryptedCharField(blank=True, default='', max_length=20, verbose_name="contact visitor's phone")),
                        ('matter', models.TextField(max_length=5000, verbose_name='matter')),
                        ('category', models.CharField(choices=[('social_security', 'Social security'), ('urban_rural', 'Urban and rural construction'), ('education', 'Education'), ('health', 'Health care'), ('transport', 'Transport'), ('environment', 'Environment'), ('other', 'Other')], max_length=20, verbose_name='category')),
                        ('outcome', models.CharField(choices=[('answered', 'Answered on the spot'), ('referred', 'Referred to a unit'), ('case', 'Recorded as a case'), ('none', 'Nothing further')], max_length=10, verbose_name='how it was dealt with')),
                        ('outcome_note', models.TextField(blank=True, max_length=2000, verbose_name='note on how it was dealt with')),
                        ('case', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='receptions', to='cases.case', verbose_name='the case it became')),
                        ('deputies', models.ManyToManyField(db_table='stations_reception_deputies', related_name='receptions', to='deputies.deputy', verbose_name='deputies who received')),
                        ('recorded_by', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='recorded by')),
                        ('referred_to', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='units.unit', verbose_name='referred to')),
                        ('station', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='receptions', to='stations.station', verbose_name='liaison station')),
                    ],
                    options={
                        'verbose_name': 'reception',
                        'verbose_name_plural': 'receptions',
                        'db_table': 'stations_reception',
                        'ordering': ['-received_at', '-id'],
                        'indexes': [models.Index(fields=['station', 'received_at'], name='reception_station_time_idx')],
                        'constraints': [models.CheckConstraint(condition=django.db.models.lookups.LessThanOrEqual(django.db.models.functions.text.Length('contact_name'), 356), name='reception_contact_name_max_length'), models.CheckConstraint(condition=django.db.models.lookups.LessThanOrEqual(django.db.models.functions.text.Length('contact_phone'), 204), name='reception_contact_phone_max_length'), models.CheckConstraint(condition=django.db.models.lookups.LessThanOrEqual(django.db.models.functions.text.Length('matter'), 5000), name='reception_matter_max_length'), models.CheckConstraint(condition=django.db.models.lookups.LessThanOrEqual(django.db.models.functions.text.Length('outcome_note'), 2000), name='reception_outcome_note_max_length'), models.CheckConstraint(condition=models.Q(('visitor_count__gte', 1)), name='reception_has_visitors'), models.CheckConstraint(condition=models.Q(models.Q(('outcome', 'referred'), ('referred_to__isnull', False)), models.Q(models.Q(('outcome', 'referred'), _negated=True), ('referred_to__isnull', True)), _connector='OR'), name='reception_referred_has_unit')],
                    },
                ),
            ],
            database_operations=[],
        ),
        migrations.RunPython(forwards, backwards, elidable=False),
    ]
