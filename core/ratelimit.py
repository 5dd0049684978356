"""A small rate limit on the shared cache: at most `limit` actions per `window` seconds for one key (a
user's uploads, a password reset's address or client address). A fixed window, counted in the cache.

It falls back open: while the cache cannot be reached (config.cache answers every call as a miss) the
action is allowed. The rate limits are a second line (an upload is bounded by its own limits, a reset
e-mail goes only to the account's own address); refusing every upload and every reset of the province
while Redis is down would do more harm than they prevent.
"""

from __future__ import annotations

import time

from django.core.cache import cache


def hit(scope: str, key: str, *, limit: int, window: int) -> bool:
    """Count one action; False when it is over the limit for this window (refuse it)."""
    slot = int(time.time() // window)
    name = f"ratelimit:{scope}:{key}:{slot}"
    cache.add(name, 0, timeout=window + 5)
    try:
        count = cache.incr(name)
    except ValueError:  # the cache cannot be reached (or lost the key): fall back open
        return True
    return count <= limit
