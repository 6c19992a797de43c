"""A real Celery worker on the real Redis, in threads of the test's process, on a queue of
its own, so that a development worker on the same Redis never takes the tests' tasks, nor
the tests its. The worker reads the test database, so the tests that use it are
transactional (it sees committed data only)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import redis
from celery.contrib.testing.worker import start_worker
from celery.signals import task_postrun
from django.db import connections

from relance.celery import app as celery_app


def _close_connections(**kwargs):
    # The worker's threads end with the worker; their connections must not outlive them.
    connections.close_all()


@contextmanager
def running_worker(redis_url: str, queue: str, *, shutdown_timeout: float) -> Iterator[object]:
    """Two worker threads taking ``queue``'s tasks; the queue's keys are removed after."""
    task_postrun.connect(_close_connections, weak=False)
    hijack = celery_app.conf.worker_hijack_root_logger
    celery_app.conf.worker_hijack_root_logger = False
    try:
        with start_worker(
            celery_app,
            pool="threads",
            concurrency=2,
            queues=[queue],
            perform_ping_check=False,
            shutdown_timeout=shutdown_timeout,
        ) as running:
            yield running
    finally:
        celery_app.conf.worker_hijack_root_logger = hijack
        task_postrun.disconnect(_close_connections)
        client = redis.Redis.from_url(redis_url)
        client.delete(queue, f"_kombu.binding.{queue}", f"_kombu.binding_permanent.{queue}")
        client.close()


def drop_waiting(redis_url: str, queue: str) -> None:
    """Remove the messages still waiting on ``queue`` (none of its running tasks)."""
    client = redis.Redis.from_url(redis_url)
    client.delete(queue)
    client.close()
