"""Background jobs of the imports app (django-tasks; `manage.py db_worker` runs them)."""

from django_tasks import task


@task()
def run_import(job_id: int) -> None:
    """Validate and apply one roster import. Everything, failures included, is recorded on the job."""
    from .services import import_execute

    import_execute(job_id=job_id)
