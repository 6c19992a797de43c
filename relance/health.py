"""The checks behind /health/: can we reach the database and Redis?"""

from __future__ import annotations

from typing import Any

import redis
from django.conf import settings
from django.db import DatabaseError, connection

HEARTBEAT_KEY = "relance:heartbeat"


def redis_client() -> redis.Redis:
    return redis.Redis.from_url(settings.REDIS_URL, socket_connect_timeout=1, socket_timeout=1)


def check_database() -> dict[str, Any]:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError as error:
        return {"ok": False, "error": error.__class__.__name__}
    return {"ok": True, "vendor": connection.vendor}


def check_redis() -> dict[str, Any]:
    try:
        client = redis_client()
        client.ping()
        beat = client.get(HEARTBEAT_KEY)
    except redis.RedisError as error:
        return {"ok": False, "error": error.__class__.__name__}
    return {"ok": True, "last_heartbeat": beat.decode() if isinstance(beat, bytes) else beat}
