"""Pointing the project's Celery app (the producer side: what ``delay`` sends) at a broker for
a while, with eager mode off, as production runs; then back to eager.

Celery reads its configuration once and keeps a connection pool and a result backend per
app: those are dropped here so that the next ``delay`` uses the new broker.
"""

import contextlib

from django.test import override_settings
from kombu import pools

from marketplace.celery import app


def _drop_connections() -> None:
    # Closing only the app's pool would leave that closed pool in kombu's registry, keyed by
    # the broker URL, for the next test that sends to the same broker to pick up ("Acquire on
    # closed pool"): reset closes every pool and empties the registry.
    pools.reset()
    app._after_fork()  # forgets the app's connection and producer pools
    app._backend_cache = None
    if getattr(app._local, "backend", None) is not None:
        del app._local.backend


@contextlib.contextmanager
def celery_broker(broker_url: str, **conf):
    """Send tasks to ``broker_url`` (eager mode off) inside the block."""
    conf = {"broker_url": broker_url, "task_always_eager": False, **conf}
    saved = {key: app.conf[key] for key in conf}
    app.conf.update(conf)
    _drop_connections()
    try:
        with override_settings(CELERY_TASK_ALWAYS_EAGER=False, CELERY_BROKER_URL=broker_url):
            yield app
    finally:
        app.conf.update(saved)
        _drop_connections()
