"""One importer per kind of roster (see base.py for the two phases every import goes through)."""

from ..models import ImportJob
from .base import ApplyConflict, Counts, RowError, RowErrors
from .deputies import DeputiesImporter
from .stations import StationsImporter
from .units import UnitsImporter

IMPORTERS = {
    ImportJob.Kind.DEPUTIES: DeputiesImporter,
    ImportJob.Kind.STATIONS: StationsImporter,
    ImportJob.Kind.UNITS: UnitsImporter,
}

__all__ = ["IMPORTERS", "ApplyConflict", "Counts", "RowError", "RowErrors"]
