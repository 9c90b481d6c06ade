"""What the project's Celery tasks share: Celery's own retry with backoff for work that waits
on another service, and enqueueing after commit that survives a broker that is down.

Every piece of work a task does is first recorded in the database (an unprocessed Stripe
event, a pending refund, a search outbox row, a sales outbox row, a pending import job), so
a message that never reaches the broker, or a task that gives up, loses nothing: the sweeps
(``manage.py outbox_sweep`` and the beat entries in ``OUTBOX_SWEEP_TASKS``) redo it.
"""

import functools
import logging

from celery import Task
from celery.exceptions import Ignore
from django.conf import settings
from django.db import transaction
from kombu.exceptions import OperationalError as BrokerUnavailableError

logger = logging.getLogger(__name__)


class RetryingTask(Task):
    """Base of the tasks whose work waits on another service (Stripe, the search cluster, a
    lock held by another transaction). Declare ``autoretry_for`` on the task; Celery retries
    it with exponential backoff (``TASK_RETRY_BACKOFF`` seconds doubled at each try, up to
    ``TASK_RETRY_BACKOFF_MAX``, with jitter unless ``TASK_RETRY_JITTER`` is off) at most
    ``TASK_RETRY_LIMIT`` times, then the task fails and its row stays pending for the sweep,
    with the error recorded where the service records it.

    Run eagerly (demo, tests: no broker), a retry would run again at once: the work is left
    to the sweep instead, its rows being committed already.
    """

    abstract = True
    acks_late = True
    reject_on_worker_lost = True
    retry_backoff = settings.TASK_RETRY_BACKOFF
    retry_backoff_max = settings.TASK_RETRY_BACKOFF_MAX
    retry_jitter = settings.TASK_RETRY_JITTER
    max_retries = settings.TASK_RETRY_LIMIT

    def retry(self, *args, exc=None, **kwargs):
        if self.request.is_eager:
            logger.warning("%s left for the sweep: %r", self.name, exc)
            raise Ignore()
        return super().retry(*args, exc=exc, **kwargs)


def enqueue(task, *args) -> bool:
    """Send ``task(*args)`` to the broker now; False (logged) when the broker cannot be
    reached. Only for work already recorded in the database, which a sweep picks up."""
    try:
        task.delay(*args)
    except BrokerUnavailableError as exc:
        logger.warning("broker unavailable, %s%r left for the sweep: %s", task.name, args, exc)
        return False
    return True


def enqueue_on_commit(task, *args, using: str | None = None) -> None:
    """``enqueue`` once the current transaction commits (at once outside one)."""
    transaction.on_commit(functools.partial(enqueue, task, *args), using=using)
