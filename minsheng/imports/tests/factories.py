"""Factories of import jobs: a roster uploaded through `services.import_create` (its file stored, its audit record
written), not yet run. `ImportJobFactory(actor=taishan_staff)`: one valid row of the deputies roster into the
uploader's congress; `rows=[deputy_row(1), ...]`, `kind="stations"`; `enqueue=True` to run it on commit.
"""

import datetime as dt

import factory
from django.core.files.uploadedfile import SimpleUploadedFile

from minsheng.common.export import XLSX
from minsheng.deputies.tests.factories import id_number_for
from minsheng.imports.models import ImportJob
from minsheng.imports.rosters import write_roster
from minsheng.imports.services import import_create


def deputy_row(n: int, **changes) -> dict:
    """A valid row of the deputies roster: person n, a seat in 台山市's 17th congress."""
    row = {
        "name": f"测试代表{n}",
        "gender": "男",
        "ethnicity": "汉族",
        "id_number": id_number_for(10_000 + n),
        "mobile": f"139{n:08d}",
        "party": "中共党员",
        "occupation": "台山市某单位职员",
        "congress": "440781",
        "term": "17",
        "delegation": "台城代表团",
        "constituency": "第一选区",
        "start_date": dt.date(2021, 10, 1),
        "status": "在任",
    }
    row.update(changes)
    return row


def upload(kind: str, rows: list[dict], name: str = "roster.xlsx") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, write_roster(kind, rows), content_type=XLSX)


class ImportJobFactory(factory.Factory):
    class Meta:
        model = ImportJob
        exclude = ("rows",)

    actor = None  # who uploads (required): staff of the congress
    kind = ImportJob.Kind.DEPUTIES
    rows = factory.LazyFunction(lambda: [deputy_row(1)])
    congress = factory.LazyAttribute(lambda o: o.actor.congress)
    upload = factory.LazyAttribute(lambda o: upload(o.kind, o.rows))
    enqueue = False

    @classmethod
    def _create(cls, model_class, **kwargs):
        return import_create(**kwargs)

    @classmethod
    def _build(cls, model_class, *args, **kwargs):
        raise TypeError("an import job is created through services.import_create: use ImportJobFactory(...)")
