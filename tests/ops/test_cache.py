"""The production cache back-end (config.cache): Django's Redis cache with one client per pool.
Uses its own Redis database number on the machine's Redis (PORTAL_TEST_CACHE_REDIS_URL)."""

import os

import pytest

from config.cache import PortalRedisCache
from tests.conftest import service_missing

pytestmark = pytest.mark.services
URL = os.environ.get("PORTAL_TEST_CACHE_REDIS_URL", "redis://127.0.0.1:6379/12")


@pytest.fixture
def cache():
    backend = PortalRedisCache(URL, {"KEY_PREFIX": "cache-test"})
    try:
        backend.clear()
    except Exception as exc:  # noqa: BLE001 - any failure to reach Redis means the service is missing
        service_missing(f"no Redis at {URL}: {exc}")
    yield backend
    backend.clear()
    backend.close()


def test_values_round_trip_and_the_client_is_reused(cache):
    cache.set("a", {"n": 1})
    assert cache.get("a") == {"n": 1}
    assert cache.add("v", 5) and not cache.add("v", 6)
    assert cache.incr("v") == 6
    with pytest.raises(ValueError):
        cache.incr("missing")
    cache.delete("a")
    assert cache.get("a") is None
    client = cache._cache.get_client(write=True)
    assert cache._cache.get_client(write=True) is client


def test_a_dropped_connection_is_replaced(cache):
    cache.set("k", "v")
    client = cache._cache.get_client(write=True)
    own = client.client_id()  # the pool's one connection: kill it from the server's side
    client.client_kill_filter(_id=own, skipme=False)
    assert cache.get("k") == "v"
    assert client.client_id() != own  # a new connection answered
