"""The production cache: Django's Redis back-end, with one Redis client per connection pool, that never
fails a request when Redis does.

Reuse: Django's client builds a new `redis.Redis` object for every cache call, which costs about 0.1 ms,
as much as the Redis round trip itself; a request makes several calls. A `redis.Redis` object is safe to
share between threads: it takes a connection from its pool for each command, and the pool starts afresh
in a forked process.

Fail-soft: Redis is a cache here, never a single point of failure. A call that cannot reach Redis
(connection refused, timed out, Redis loading its data) answers as a miss: `get` gives the default,
`add`/`set`/`delete` do nothing, `incr` raises ValueError as for a missing key. After a failure the
client does not try Redis again for `RETRY_AFTER` seconds (every call a miss at once, so a dead Redis
costs microseconds, not a connect timeout per call), and it logs a warning at most once a minute per
process. Short socket timeouts (production settings: OPTIONS socket_connect_timeout, socket_timeout)
bound the first call that meets a dead Redis.

What the portal keeps in the cache is all of it rebuilt from the database: sessions are in the database,
the data version is counted in the database (core.dataversion), the structure version is rebuilt on a
miss (core.structureversion). See docs/operations.md, "When a service fails".
"""

from __future__ import annotations

import functools
import logging
import time

from django.core.cache.backends.redis import RedisCache, RedisCacheClient
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger("portal.cache")

UNREACHABLE = (RedisConnectionError, RedisTimeoutError, OSError)
RETRY_AFTER = 5.0  # seconds without trying Redis after a failure (OPTIONS "retry_after" changes it)
LOG_EVERY = 60.0  # seconds between two warnings of one process


def _fail_soft(on_failure):
    """Wrap a client method: when Redis cannot be reached, `on_failure(*args)` answers instead."""

    def decorate(method):
        @functools.wraps(method)
        def wrapper(self, *args, **kwargs):
            if not self._may_try():
                return on_failure(*args, **kwargs)
            try:
                result = method(self, *args, **kwargs)
            except UNREACHABLE as exc:
                self._failed(exc)
                return on_failure(*args, **kwargs)
            self._down_since = None
            return result

        return wrapper

    return decorate


def _missing(key, *args, **kwargs):
    raise ValueError(f"Key '{key}' not found (the cache is unreachable)")


class FailSoftRedisCacheClient(RedisCacheClient):
    """One `redis.Redis` per pool, and every call a miss while Redis cannot be reached."""

    def __init__(self, *args, retry_after: float = RETRY_AFTER, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}
        self._retry_after = float(retry_after)
        self._down_since: float | None = None  # when the current outage was first seen
        self._next_try = 0.0
        self._logged_at = -LOG_EVERY

    def get_client(self, key=None, *, write=False):
        index = self._get_connection_pool_index(write)
        client = self._clients.get(index)
        if client is None:
            client = self._clients[index] = self._client(connection_pool=self._get_connection_pool(write))
        return client

    @property
    def reachable(self) -> bool:
        """False while the client holds Redis for down (between a failure and the next try)."""
        return self._down_since is None

    def _may_try(self) -> bool:
        return self._down_since is None or time.monotonic() >= self._next_try

    def _failed(self, exc: Exception) -> None:
        now = time.monotonic()
        if self._down_since is None:
            self._down_since = now
        self._next_try = now + self._retry_after
        if now - self._logged_at >= LOG_EVERY:
            self._logged_at = now
            logger.warning(
                "Redis cache unreachable for %.0f s (%s: %s): answering as a miss, next try in %.0f s",
                now - self._down_since, type(exc).__name__, exc, self._retry_after,
            )  # fmt: skip

    add = _fail_soft(lambda *a, **k: False)(RedisCacheClient.add)
    get = _fail_soft(lambda key, default, *a, **k: default)(RedisCacheClient.get)
    set = _fail_soft(lambda *a, **k: None)(RedisCacheClient.set)
    touch = _fail_soft(lambda *a, **k: False)(RedisCacheClient.touch)
    delete = _fail_soft(lambda *a, **k: False)(RedisCacheClient.delete)
    get_many = _fail_soft(lambda *a, **k: {})(RedisCacheClient.get_many)
    has_key = _fail_soft(lambda *a, **k: False)(RedisCacheClient.has_key)
    incr = _fail_soft(_missing)(RedisCacheClient.incr)
    set_many = _fail_soft(lambda *a, **k: None)(RedisCacheClient.set_many)
    delete_many = _fail_soft(lambda *a, **k: None)(RedisCacheClient.delete_many)
    clear = _fail_soft(lambda *a, **k: False)(RedisCacheClient.clear)


class PortalRedisCache(RedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = FailSoftRedisCacheClient

    @property
    def reachable(self) -> bool:
        return self._cache.reachable
