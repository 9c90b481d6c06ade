"""Production settings for the benchmark, over plain HTTP on 127.0.0.1.

``bench/run.py`` sets the environment (``bench/environment.py``) before Django loads this
module; the defaults below let it also be imported on its own, e.g. by
``manage.py shell --settings=bench.settings``.
"""

from bench import environment

environment.apply_defaults()

from marketplace.settings.production import *  # noqa: E402, F403

# The load runs over plain HTTP: cookies marked Secure would never come back from a browser.
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
OSCAR_BASKET_COOKIE_SECURE = False
OSCAR_RECENTLY_VIEWED_COOKIE_SECURE = False
# Nothing is mailed during a benchmark.
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
