"""Real Celery workers for the worker tier (tests/workers): ``celery -A marketplace worker`` as
a subprocess on a real broker, reading and writing the test database, as production runs.

The worker uses ``tests.workers.settings`` (the test settings with eager mode off, the
broker, queue, email folder and retry timings from its environment). Each test session has
its own queue, so two sessions sharing a broker never take each other's messages.
"""

import email
import email.policy
import os
import re
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from django.db import connection
from kombu import Connection

BASE_DIR = Path(__file__).resolve().parent.parent.parent

#: Where the tier finds its brokers; .ci/run creates the RabbitMQ vhost.
REDIS_BROKER_URL = os.environ.get("TEST_WORKER_REDIS_URL", "redis://127.0.0.1:6379/12")
AMQP_BROKER_URL = os.environ.get(
    "TEST_WORKER_AMQP_URL", "amqp://guest:guest@127.0.0.1:5672/huinong_test"
)

#: The retry timings of the tier's workers: 1 s doubled up to 4 s, three retries, no jitter
#: (so that the countdowns can be read in the log).
RETRY_ENV = {
    "TASK_RETRY_BACKOFF": "1",
    "TASK_RETRY_BACKOFF_MAX": "4",
    "TASK_RETRY_LIMIT": "3",
    "TASK_RETRY_JITTER": "false",
}


TAKEN = re.compile(r"\] received$", re.MULTILINE)
ENDED = re.compile(r"\] (succeeded in |raised unexpected|retry: |ignored|rejected)")
MAIL_SEPARATOR = "\n" + "-" * 79 + "\n"


def wait_until(predicate: Callable[[], object], *, timeout: float = 30, what: str = "") -> object:
    """Poll ``predicate`` until it returns something true (returned), or fail after
    ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while True:
        result = predicate()
        if result:
            return result
        if time.monotonic() > deadline:
            raise AssertionError(f"not within {timeout} s: {what or predicate}")
        time.sleep(0.2)


def test_database_url() -> str:
    """The test database pytest-django made, as a URL the worker's settings read."""
    conf = connection.settings_dict
    user = conf["USER"] or ""
    password = f":{conf['PASSWORD']}" if conf["PASSWORD"] else ""
    host = conf["HOST"] or "127.0.0.1"
    port = conf["PORT"] or 5432
    return f"postgres://{user}{password}@{host}:{port}/{conf['NAME']}"


@dataclass
class CeleryWorker:
    """One worker process (prefork, one child) on ``broker_url``, consuming ``queue``."""

    broker_url: str
    queue: str
    mail_dir: Path
    log_path: Path
    process: subprocess.Popen | None = None
    starts: int = 0
    env: dict = field(default_factory=dict)

    def environment(self) -> dict:
        return {
            **os.environ,
            **RETRY_ENV,
            "DJANGO_SETTINGS_MODULE": "tests.workers.settings",
            "DATABASE_URL": test_database_url(),
            "CELERY_BROKER_URL": self.broker_url,
            "WORKER_QUEUE": self.queue,
            "WORKER_MAIL_DIR": str(self.mail_dir),
            "WORKER_CACHE_URL": REDIS_BROKER_URL,
            "WORKER_CACHE_PREFIX": self.queue,
            **self.env,
        }

    def start(self) -> "CeleryWorker":
        self.starts += 1
        log = self.log_path.open("ab")
        log.write(f"\n----- start {self.starts}\n".encode())
        log.flush()
        self.process = subprocess.Popen(
            [
                *(sys.executable, "-m", "celery", "-A", "marketplace", "worker"),
                *("--pool", "prefork", "--concurrency", "1", "--loglevel", "INFO"),
                *("-Q", self.queue, "-n", f"{self.queue}-{self.starts}@%h"),
                *("--without-gossip", "--without-mingle", "--without-heartbeat"),
            ],
            cwd=BASE_DIR,
            env=self.environment(),
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group: killed with its pool child
        )
        log.close()
        wait_until(
            lambda: self.log_since_start().count(" ready.") or self._exited(),
            timeout=60,
            what="the worker says it is ready",
        )
        return self

    def _exited(self) -> bool:
        if self.process.poll() is not None:
            raise AssertionError(f"the worker exited:\n{self.log()[-3000:]}")
        return False

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")

    def log_since_start(self) -> str:
        return self.log().rsplit(f"----- start {self.starts}\n", 1)[-1]

    def kill(self) -> None:
        """SIGKILL the worker and its pool child at once, as the OOM killer or a lost machine
        would: no warm shutdown, no message given back."""
        os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=10)

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        os.killpg(self.process.pid, signal.SIGTERM)  # warm shutdown
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.kill()

    def idle(self) -> bool:
        """Nothing waits on the broker and every message the worker took since its last
        start has ended (succeeded, failed, or handed back for a retry)."""
        log = self.log_since_start()
        taken = len(TAKEN.findall(log))
        ended = len(ENDED.findall(log))
        with Connection(self.broker_url) as conn:
            try:
                channel = conn.default_channel
                waiting = channel.queue_declare(self.queue, passive=True).message_count
            except conn.channel_errors:  # Redis keeps no empty queue: nothing waits
                waiting = 0
        return waiting == 0 and taken == ended

    def wait_idle(self, timeout: float = 60) -> None:
        """Until the worker is idle twice in a row: a test's end (and the flush of every
        table that follows) must not race the work its test set off."""
        wait_until(lambda: self.idle() and (time.sleep(0.5) or self.idle()), timeout=timeout)

    def mails(self) -> list[email.message.EmailMessage]:
        """The messages the worker sent (Django's file-based backend: a file per connection,
        the messages in it separated by a line of dashes)."""
        found = []
        for path in sorted(self.mail_dir.glob("*.log")):
            for text in path.read_text().split(MAIL_SEPARATOR):
                if text.strip():
                    found.append(email.message_from_string(text, policy=email.policy.default))
        return found


def session_queue() -> str:
    return f"huinong-test-{uuid.uuid4().hex[:12]}"
