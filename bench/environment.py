"""The environment the bench runs the site in: production settings over plain HTTP on
127.0.0.1, against the bench's own database, cache database and static/media folders.

``run.py`` forces these values (a developer's exported DATABASE_URL must never be loaded);
``settings.py`` only defaults to them, so that it can also be imported on its own.
"""

import os
from pathlib import Path

DATA = Path(__file__).resolve().parent / ".data"
DATABASE_URL = "postgres://postgres@127.0.0.1:5432/huinong_bench"
REDIS_URL = "redis://127.0.0.1:6379/5"

SITE_ENVIRONMENT = {
    "DJANGO_SETTINGS_MODULE": "bench.settings",
    "DJANGO_SECRET_KEY": "bench",
    "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost,testserver",
    "DATABASE_URL": DATABASE_URL,
    "REDIS_URL": REDIS_URL,
    "DJANGO_SECURE_SSL_REDIRECT": "false",
    "DJANGO_STATIC_ROOT": str(DATA / "static"),
    "DJANGO_MEDIA_ROOT": str(DATA / "media"),
    "DJANGO_LOG_LEVEL": "WARNING",
    # The pages under load never call Stripe; production refuses to start without keys.
    "STRIPE_SECRET_KEY": "sk_test_bench",
    "STRIPE_PUBLISHABLE_KEY": "pk_test_bench",
    "STRIPE_WEBHOOK_SECRET": "whsec_bench",
    # The database search engine and in-process tasks: the search cluster and Celery have
    # benchmarks of their own.
    "SEARCH_URL": "",
    "CELERY_BROKER_URL": "",
}


def apply_defaults() -> None:
    for key, value in SITE_ENVIRONMENT.items():
        os.environ.setdefault(key, value)
