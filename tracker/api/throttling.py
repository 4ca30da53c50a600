"""Throttles that keep the API up when the shared cache (Redis) is down.

The counts live in Redis so every web process shares them (settings.CACHES). When Redis is
unreachable the reads the database can still answer are served unthrottled, logged, rather
than every request failing: an outage of the cache must not become an outage of the API.
"""

from __future__ import annotations

import logging

from redis.exceptions import RedisError
from rest_framework.throttling import AnonRateThrottle, UserRateThrottle

logger = logging.getLogger(__name__)


class _CacheOutageOpen:
    def allow_request(self, request, view) -> bool:
        try:
            return super().allow_request(request, view)
        except RedisError as exc:
            logger.warning("throttle cache unreachable (%s): request not counted", exc.__class__.__name__)
            return True


class AnonThrottle(_CacheOutageOpen, AnonRateThrottle):
    pass


class UserThrottle(_CacheOutageOpen, UserRateThrottle):
    pass
