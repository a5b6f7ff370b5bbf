"""Background jobs of votes, run by `manage.py db_worker` (immediately in tests)."""

import logging

from django.db import connection
from django_tasks import task

from .models import BallotBox, Elector, PaperEntry, SealedBallot

logger = logging.getLogger(__name__)


@task()
def vacuum_electors() -> bool:
    """VACUUM on PostgreSQL after a vote closes: `vote_close` rewrote every elector row and destroyed the sealed
    box; VACUUM removes the old row versions (the electors' cast-time versions, the deleted sealed ballots and the
    box key) that a reader of the database files could otherwise still find.
    VACUUM cannot run inside a transaction, so this is a job enqueued on commit (the worker runs it in
    autocommit). Returns whether it ran: a no-op on SQLite, which keeps no old row versions to match."""
    if connection.vendor != "postgresql":
        return False
    if connection.in_atomic_block:
        # Only a caller that runs jobs inside its own transaction gets here (a test); the job is harmless to
        # skip there and the next closing vacuums the table anyway.
        logger.warning("vacuum_electors skipped: inside a transaction")
        return False
    tables = ", ".join(
        connection.ops.quote_name(m._meta.db_table) for m in (Elector, SealedBallot, BallotBox, PaperEntry)
    )
    with connection.cursor() as cursor:
        cursor.execute(f"VACUUM {tables}")
    return True
