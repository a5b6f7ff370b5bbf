"""The bench's bulk writer names every column it writes: a new non-null field of a case model must be added
there, or the benchmark (and CI's bench-smoke) fails. Caught here, in the test run, first."""

from django.apps import apps

from bench.cases_data import TABLES, _columns


def test_the_bench_writes_every_required_column_of_every_case_table():
    for path, names in TABLES.values():
        assert _columns(apps.get_model(path), names)  # raises naming the missing or unknown columns
