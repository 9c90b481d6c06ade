"""Tests: SQLite unless DATABASE_URL is set, eager tasks, fast hashing, locmem email."""

from .base import *

DEBUG = False
SECRET_KEY = "test-only-secret-key"
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
CELERY_TASK_ALWAYS_EAGER = True
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# Page tests read the response's template context, which a page served from the cache lacks;
# the tests of the page cache turn it on.
ANONYMOUS_PAGE_CACHE_SECONDS = 0
BASKET_PAGE_CACHE_SECONDS = 0
MEDIA_ROOT = env.path("DJANGO_MEDIA_ROOT", default="/tmp/huinong-test-media")  # noqa: S108
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_AUTOREFRESH = True
AXES_ENABLED = env.bool("AXES_ENABLED", default=False)
LANGUAGE_CODE = "zh-hans"

# No test reaches Stripe: a closed local port unless a test starts localstripe (fixture).
STRIPE_API_BASE = "http://127.0.0.1:9"
STRIPE_JS_URL = f"{STRIPE_API_BASE}/js.stripe.com/v3/"
STRIPE_MAX_NETWORK_RETRIES = 0
STRIPE_TIMEOUT_SECONDS = 10.0
SUPPLIERS_PRIVATE_ROOT = env.path("DJANGO_PRIVATE_ROOT", default="/tmp/huinong-test-private")  # noqa: S108
