"""Throttles whose counts hold across every web process, and keep the API up when Redis is down.

The counts live in the shared cache (Redis when configured, settings.CACHES). DRF's own
throttle reads a list of timestamps and writes it back: with several gunicorn workers two
requests read the same list and one count is lost, so 8 parallel clients got 139 answers
against 100/minute. Here each request is one atomic INCR on a per-window counter (a fixed
window of the rate's duration), so no count is lost however many processes share it.

When Redis is unreachable the reads PostgreSQL can still answer are served unthrottled and
logged, rather than every request failing: a cache outage must not become an API outage.
"""

from __future__ import annotations

import logging
import math

from redis.exceptions import RedisError
from rest_framework.throttling import AnonRateThrottle, UserRateThrottle

logger = logging.getLogger(__name__)


class _AtomicWindowCount:
    _wait_seconds: float | None = None

    def allow_request(self, request, view) -> bool:
        if self.rate is None:
            return True
        self.key = self.get_cache_key(request, view)
        if self.key is None:
            return True
        try:
            count = self._count()
        except RedisError as exc:
            logger.warning("throttle cache unreachable (%s): request not counted", exc.__class__.__name__)
            return True
        if count <= self.num_requests:
            return True
        return self.throttle_failure()

    def _count(self) -> int:
        now = self.timer()
        window = int(now // self.duration)
        key = f"{self.key}:{window}"
        self._wait_seconds = (window + 1) * self.duration - now
        for _ in range(2):
            # add() only creates the counter (atomic SET NX); incr() is Redis' atomic INCR.
            self.cache.add(key, 0, timeout=self.duration + 1)
            try:
                return self.cache.incr(key)
            except ValueError:  # expired between the two calls: create it again
                continue
        return 1

    def wait(self) -> float | None:
        return None if self._wait_seconds is None else max(1, math.ceil(self._wait_seconds))


class AnonThrottle(_AtomicWindowCount, AnonRateThrottle):
    pass


class UserThrottle(_AtomicWindowCount, UserRateThrottle):
    pass
