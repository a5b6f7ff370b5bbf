"""Background jobs of the insights, run by `manage.py db_worker` and enqueued by `manage.py scheduler`
(settings.MINSHENG["PERIODIC_TASKS"]). They were `minsheng.cases.tasks.*` before issue 10: migration
0002_task_paths_from_cases moves the queued ones here."""

from django_tasks import task

from .campaigns import refresh_campaign_summaries
from .duty_record import duty_summaries_update
from .duty_record import refresh_duty_summaries as refresh_summaries
from .points_services import points_compute_all
from .rollup import rollup_refresh


@task()
def refresh_case_stats() -> int:
    """Bring the statistics' summary table up to date (the changed congresses; all, on a new day)."""
    return rollup_refresh().rows


@task()
def rebuild_case_stats() -> int:
    """Rebuild the statistics' summary table from every case (nightly)."""
    return rollup_refresh(full=True).rows


@task()
def refresh_duty_summaries(year: int | None = None) -> int:
    """Bring the duty record's summary rows up to date: the deputies whose duties changed since the last run
    (every 10 minutes). With `year` (a job queued by an older version): every deputy's rows of that year."""
    if year is not None:
        return refresh_summaries(None, year)
    return duty_summaries_update().rows


@task()
def rebuild_duty_summaries() -> int:
    """Rewrite every deputy's duty summary rows of every year (nightly: also counts rows deleted)."""
    return duty_summaries_update(full=True).rows


@task()
def compute_points(year: int | None = None) -> int:
    """Recompute the points entries of every scheme in force of the year (default: this year)."""
    return points_compute_all(year)


@task()
def refresh_campaign_figures(campaign_id: int | None = None) -> int:
    """Recompute the campaign dashboards' summary rows: one campaign (on demand), or every running one."""
    return refresh_campaign_summaries(campaign_id=campaign_id)
