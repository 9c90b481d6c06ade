"""Settings of the worker tier's Celery workers (tests/support/workers.py): the test settings,
with the broker, the queue, the email folder and the shared cache from the environment the
test gives the worker, and eager mode off, so that what a task enqueues goes to the broker."""

from marketplace.settings.test import *

CELERY_BROKER_URL = env("CELERY_BROKER_URL")
CELERY_TASK_ALWAYS_EAGER = False
CELERY_TASK_DEFAULT_QUEUE = env("WORKER_QUEUE")
# Redis gives an unacknowledged message (its worker killed) back after this many seconds,
# checked every second: longer than the tier's longest retry countdown (4 s), so a message
# waiting for its countdown is not given back meanwhile.
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": 8,
    "unacked_restore_interval": 1,
    "unacked_restore_throttle": 1,
}
EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
EMAIL_FILE_PATH = env("WORKER_MAIL_DIR")
# Shared with the test (product views counted, public statistics cached).
CACHES = {
    "default": {
        "BACKEND": "core.cache.RedisCache",
        "LOCATION": env("WORKER_CACHE_URL"),
        "KEY_PREFIX": env("WORKER_CACHE_PREFIX"),
    }
}
