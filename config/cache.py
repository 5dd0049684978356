"""The production cache: Django's Redis back-end, with one Redis client per connection pool.

Django's client builds a new `redis.Redis` object for every cache call, which costs about 0.1 ms, as
much as the Redis round trip itself; a request makes several calls (the session, the structure and
data versions). A `redis.Redis` object is safe to share between threads: it takes a connection from
its pool for each command, and the pool starts afresh in a forked process.
"""

from django.core.cache.backends.redis import RedisCache, RedisCacheClient


class ReusingRedisCacheClient(RedisCacheClient):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        index = self._get_connection_pool_index(write)
        client = self._clients.get(index)
        if client is None:
            client = self._clients[index] = self._client(connection_pool=self._get_connection_pool(write))
        return client


class PortalRedisCache(RedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = ReusingRedisCacheClient
