"""A seam for crash tests: long jobs call `job_step(...)` after each unit of work they commit (a reminder sent,
an import batch written). In every real installation it does nothing; a test points
settings.MINSHENG["JOB_STEP_HOOK"] at a function that slows the job down and says how far it got, then kills
the worker in the middle (minsheng/notifications/tests/test_crash.py)."""

from django.conf import settings
from django.utils.module_loading import import_string


def job_step(name: str, **info) -> None:
    hook = settings.MINSHENG.get("JOB_STEP_HOOK")
    if hook:
        import_string(hook)(name, **info)
