"""Background jobs of votes, run by `manage.py db_worker` (immediately in tests)."""

import logging

from django.db import connection
from django_tasks import task

from .models import Elector

logger = logging.getLogger(__name__)


@task()
def vacuum_electors() -> bool:
    """`VACUUM voting_elector` on PostgreSQL after a vote closes: `vote_close` rewrote every elector row, and
    VACUUM removes the old row versions whose transaction ids (xmin) could be matched to the ballots' rows.
    VACUUM cannot run inside a transaction, so this is a job enqueued on commit (the worker runs it in
    autocommit). Returns whether it ran: a no-op on SQLite, which keeps no old row versions to match."""
    if connection.vendor != "postgresql":
        return False
    if connection.in_atomic_block:
        # Only a caller that runs jobs inside its own transaction gets here (a test); the job is harmless to
        # skip there and the next closing vacuums the table anyway.
        logger.warning("vacuum_electors skipped: inside a transaction")
        return False
    with connection.cursor() as cursor:
        cursor.execute(f"VACUUM {connection.ops.quote_name(Elector._meta.db_table)}")
    return True
