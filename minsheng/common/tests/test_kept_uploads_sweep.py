"""Uploads kept while a form is corrected (BootstrapForm.keep_uploads) go once no token can find them: the daily
sweep deletes what is older than a token lives, and leaves what a form may still send back."""

import datetime as dt

import time_machine
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile

from minsheng.common import clock
from minsheng.common.forms import KEPT_UPLOADS_DIR, KEPT_UPLOADS_MAX_AGE, kept_uploads_sweep, uploads_keep
from minsheng.common.tasks import sweep_kept_uploads


def _keep(name: str) -> str:
    uploads_keep([SimpleUploadedFile(name, b"\x89PNG....", content_type="image/png")])
    keys, _files = default_storage.listdir(KEPT_UPLOADS_DIR)
    return max(keys, key=lambda k: default_storage.get_created_time(f"{KEPT_UPLOADS_DIR}/{k}/0"))


def _kept(key: str) -> bool:
    return default_storage.exists(f"{KEPT_UPLOADS_DIR}/{key}/0")


def test_a_fresh_upload_stays_and_one_older_than_its_token_goes():
    old = _keep("照片.png")
    kept_uploads_sweep()
    assert _kept(old)  # a form may still send its token back
    later = clock.now() + dt.timedelta(seconds=KEPT_UPLOADS_MAX_AGE + 60)
    with time_machine.travel(later, tick=False):
        fresh = _keep("新照片.png")  # kept on that day: it stays
        assert sweep_kept_uploads.call() >= 1
        assert _kept(fresh)
    assert not _kept(old)


def test_the_sweep_is_a_daily_job_of_the_scheduler(settings):
    assert ("minsheng.common.tasks.sweep_kept_uploads", 3) in settings.MINSHENG["PERIODIC_TASKS"]
