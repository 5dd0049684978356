"""The production cache back-end (config.cache): Django's Redis cache with one client per pool, that
answers as a miss, fast, while Redis is down, and works again once it is back. On a Redis server of the
test's own."""

from __future__ import annotations

import logging
import time

import pytest

from config.cache import PortalRedisCache

pytestmark = pytest.mark.services


@pytest.fixture
def cache(redis_server):
    backend = PortalRedisCache(
        redis_server.url(1),
        {"KEY_PREFIX": "cache-test", "OPTIONS": {"socket_connect_timeout": 0.25, "socket_timeout": 0.5,
                                                 "retry_after": 0.5}},
    )  # fmt: skip
    yield backend
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


def test_redis_down_every_call_is_a_fast_miss_logged_once_and_redis_back_is_used_again(cache, redis_server, caplog):
    """With Redis stopped, reads are misses, writes do nothing, incr is a missing key; no call raises
    anything else, each answers in milliseconds, and one warning is logged. Once Redis is back (after the
    retry delay) the cache works again."""
    cache.set("k", "v")
    redis_server.stop()
    caplog.set_level(logging.WARNING, logger="portal.cache")
    started = time.monotonic()
    for _ in range(50):
        assert cache.get("k", "default") == "default"
        assert cache.add("n", 1) is False
        cache.set("k", "w")
        cache.delete("k")
        assert cache.get_many(["k", "n"]) == {}
        assert cache.has_key("k") is False
        with pytest.raises(ValueError):
            cache.incr("n")
    assert time.monotonic() - started < 1.0
    assert not cache.reachable
    warnings = [r for r in caplog.records if r.name == "portal.cache"]
    assert len(warnings) == 1 and "unreachable" in warnings[0].getMessage()

    redis_server.start()
    time.sleep(0.6)  # the retry delay
    cache.set("k", "back")
    assert cache.get("k") == "back" and cache.reachable
