"""The worker tier: real Celery workers (subprocesses) on a real broker, Redis and RabbitMQ,
with eager mode off, against the test database (PostgreSQL only: the worker is another
process, so the test's data must be committed, and SQLite's test database lives in memory).

Every test here is marked ``worker``. A broker that does not answer skips its tests, unless
``TEST_WORKER_REQUIRED`` is set (``.ci/run`` sets it, having started both brokers).
"""

import os

import pytest
from django.conf import settings
from kombu import Connection

from tests.support.celery import celery_broker
from tests.support.workers import (
    AMQP_BROKER_URL,
    REDIS_BROKER_URL,
    CeleryWorker,
    session_queue,
)

BROKERS = {"redis": REDIS_BROKER_URL, "amqp": AMQP_BROKER_URL}
ON_POSTGRES = "postgresql" in settings.DATABASES["default"]["ENGINE"]


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/workers/" in str(item.fspath):
            item.add_marker(pytest.mark.worker)
            item.add_marker(pytest.mark.postgres)
            if not ON_POSTGRES:
                # Decided before any database fixture runs, so that SQLite runs skip
                # without a flush.
                item.add_marker(
                    pytest.mark.skip(
                        reason="needs PostgreSQL (DATABASE_URL=postgres://...): the worker "
                        "process reads the test database"
                    )
                )


def _broker_answers(url: str) -> str:
    """'' when the broker answers, else why not."""
    try:
        with Connection(url, connect_timeout=2) as conn:
            conn.ensure_connection(max_retries=1, timeout=2)
    except Exception as exc:
        return f"{type(exc).__name__}: {exc}"
    return ""


@pytest.fixture(scope="session")
def _workers(django_db_setup, django_db_blocker, tmp_path_factory):
    """One worker per broker for the session, started when a test first needs it."""
    started: dict[str, CeleryWorker] = {}

    def get(name: str) -> CeleryWorker:
        if name not in started:
            url = BROKERS[name]
            if why := _broker_answers(url):
                message = f"no {name} broker at {url} ({why})"
                if os.environ.get("TEST_WORKER_REQUIRED"):
                    pytest.fail(message)
                pytest.skip(message)
            folder = tmp_path_factory.mktemp(f"worker-{name}")
            with django_db_blocker.unblock():
                started[name] = CeleryWorker(
                    broker_url=url,
                    queue=session_queue(),
                    mail_dir=folder / "mail",
                    log_path=folder / "worker.log",
                ).start()
        worker = started[name]
        if worker.process.poll() is not None:  # killed by an earlier test that failed
            worker.start()
        return worker

    yield get
    for worker in started.values():
        worker.stop()
        _queue_delete(worker)


def _queue_delete(worker: CeleryWorker) -> None:
    """The session's queue goes with it (RabbitMQ keeps durable queues otherwise)."""
    with Connection(worker.broker_url) as conn:
        conn.default_channel.queue_delete(worker.queue)


@pytest.fixture
def worker_on(_workers, transactional_db):
    """``worker_on("redis")``: that broker's worker, its mail folder emptied, and the test's
    Celery app sending to its queue with eager mode off (until the test ends)."""
    import contextlib

    stack = contextlib.ExitStack()
    used = []

    def on(name: str) -> CeleryWorker:
        worker = _workers(name)
        worker.mail_dir.mkdir(exist_ok=True)
        for path in worker.mail_dir.iterdir():
            path.unlink()
        stack.enter_context(celery_broker(worker.broker_url, task_default_queue=worker.queue))
        used.append(worker)
        return worker

    with stack:
        yield on
        # The test's follow-up tasks end before its tables are emptied: a TRUNCATE racing
        # the worker's queries deadlocks, and the rows it failed to remove leak into the
        # next test.
        for worker in used:
            if worker.process.poll() is None:
                worker.wait_idle()


@pytest.fixture(params=list(BROKERS))
def worker(request, worker_on):
    """The worker of each broker in turn."""
    return worker_on(request.param)


@pytest.fixture
def redis_worker(worker_on):
    return worker_on("redis")
