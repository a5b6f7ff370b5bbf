"""The versioned cache (common/pagecache.py): a version moves only when the transaction that bumped it commits,
a keyed bump moves its scope too, a value kept by `versioned` is computed again after a bump, and a version
that the cache lost never comes back to a number a stored page carries."""

import pytest
from django.core.cache import cache
from django.db import transaction

from minsheng.common import pagecache

pytestmark = pytest.mark.django_db


def test_a_bump_moves_the_version_only_on_commit(django_capture_on_commit_callbacks):
    before = pagecache.version_of("things")
    with django_capture_on_commit_callbacks(execute=True):
        pagecache.bump("things")
        assert pagecache.version_of("things") == before  # not yet: the transaction is still open
    assert pagecache.version_of("things") == before + 1


def test_a_rolled_back_bump_moves_nothing(django_capture_on_commit_callbacks):
    before = pagecache.version_of("things")
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(RuntimeError), transaction.atomic():
        pagecache.bump("things")
        raise RuntimeError
    assert pagecache.version_of("things") == before


def test_a_keyed_bump_moves_its_scope_and_leaves_the_other_keys(django_capture_on_commit_callbacks):
    scope, one, other = (
        pagecache.version_of("things"),
        pagecache.version_of("things", 1),
        pagecache.version_of("things", 2),
    )
    with django_capture_on_commit_callbacks(execute=True):
        pagecache.bump("things", key=1)
    assert pagecache.version_of("things") == scope + 1
    assert pagecache.version_of("things", 1) == one + 1
    assert pagecache.version_of("things", 2) == other


def test_versioned_computes_again_after_a_bump_and_not_before(django_capture_on_commit_callbacks):
    calls = []

    def compute():
        calls.append(1)
        return len(calls)

    assert pagecache.versioned("things", 7, compute) == 1
    assert pagecache.versioned("things", 7, compute) == 1
    with django_capture_on_commit_callbacks(execute=True):
        pagecache.bump("things", key=8)
    assert pagecache.versioned("things", 7, compute) == 1  # another key's bump
    with django_capture_on_commit_callbacks(execute=True):
        pagecache.bump("things", key=7)
    assert pagecache.versioned("things", 7, compute) == 2


def test_a_lost_version_starts_again_above_every_number_it_had(django_capture_on_commit_callbacks):
    old = pagecache.version_of("things")
    with django_capture_on_commit_callbacks(execute=True):
        pagecache.bump("things")
    cache.delete("pagecache:v:things")  # evicted
    assert pagecache.version_of("things") > old + 1


def test_the_versions_and_a_cached_page_work_on_redis(settings, client, django_capture_on_commit_callbacks):
    """Production's cache: Redis keeps the versions as integers it increments (redis://127.0.0.1:6379/5; keys
    under a prefix of this run's own, removed after it: never a flush of the database)."""
    import uuid

    redis = pytest.importorskip("redis")
    raw = redis.Redis.from_url("redis://127.0.0.1:6379/5")
    try:
        raw.ping()
    except redis.exceptions.ConnectionError:
        pytest.skip("no Redis on 127.0.0.1:6379")
    prefix = f"pagecache-test-{uuid.uuid4().hex}"
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:6379/5",
            "KEY_PREFIX": prefix,
        }
    }
    try:
        before = pagecache.version_of("things")
        with django_capture_on_commit_callbacks(execute=True):
            pagecache.bump("things", key=3)
        assert pagecache.version_of("things") == before + 1
        assert pagecache.version_of("things", 3) > before
        first = client.get("/cases/wall/")
        second = client.get("/cases/wall/")
        assert (first["X-Page-Cache"], second["X-Page-Cache"]) == ("miss", "hit")
        assert client.get("/cases/wall/", HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304
    finally:
        for key in raw.scan_iter(match=f"{prefix}:*"):
            raw.delete(key)
