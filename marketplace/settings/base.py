"""Settings shared by every environment.

Every value that differs between machines comes from the environment through one
``environ.Env``; see ``.env.example`` for the full list.
"""

from pathlib import Path

import environ
from celery.schedules import crontab as _crontab
from csp.constants import NONCE, NONE, SELF, UNSAFE_INLINE
from django.utils.translation import gettext_lazy as _
from oscar.defaults import *

BASE_DIR = Path(__file__).resolve().parent.parent.parent

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

# ---------------------------------------------------------------------------
# Core
# ---------------------------------------------------------------------------
DEBUG = env.bool("DJANGO_DEBUG", default=False)
SECRET_KEY = env("DJANGO_SECRET_KEY", default="insecure-local-only-key-change-me")
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "testserver"])
CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])
SITE_ID = 1
ROOT_URLCONF = "marketplace.urls"
WSGI_APPLICATION = "marketplace.wsgi.application"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"
SITE_URL = env("SITE_URL", default="http://127.0.0.1:8000")

# ---------------------------------------------------------------------------
# Apps
# ---------------------------------------------------------------------------
DJANGO_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.sites",
    "django.contrib.flatpages",
    "django.contrib.humanize",
    "django.contrib.sitemaps",
]

# Oscar, with our forks in place of catalogue, partner, search, checkout and shipping (same
# labels).
# payments comes first so that its dashboard order page (refunds) overrides Oscar's template.
OSCAR_APPS = [
    "payments.apps.PaymentsConfig",
    "marketplace.config.MarketplaceShop",
    "oscar.apps.analytics.apps.AnalyticsConfig",
    "payments.checkout.apps.CheckoutConfig",
    "accounts.address.apps.AddressConfig",
    "orders.shipping.apps.ShippingConfig",
    "catalog.apps.CatalogueConfig",
    "oscar.apps.catalogue.reviews.apps.CatalogueReviewsConfig",
    "oscar.apps.communication.apps.CommunicationConfig",
    "suppliers.apps.PartnerConfig",
    "frontend.basket_apps.BasketConfig",
    "oscar.apps.payment.apps.PaymentConfig",
    "oscar.apps.offer.apps.OfferConfig",
    "orders.apps.OrderConfig",
    "accounts.customer.apps.CustomerConfig",
    "search.apps.SearchConfig",
    "oscar.apps.voucher.apps.VoucherConfig",
    "oscar.apps.wishlists.apps.WishlistsConfig",
    "oscar.apps.dashboard.apps.DashboardConfig",
    "oscar.apps.dashboard.reports.apps.ReportsDashboardConfig",
    "oscar.apps.dashboard.users.apps.UsersDashboardConfig",
    "oscar.apps.dashboard.orders.apps.OrdersDashboardConfig",
    "catalog.dashboard.apps.CatalogueDashboardConfig",
    "oscar.apps.dashboard.offers.apps.OffersDashboardConfig",
    "oscar.apps.dashboard.partners.apps.PartnersDashboardConfig",
    "oscar.apps.dashboard.pages.apps.PagesDashboardConfig",
    "oscar.apps.dashboard.ranges.apps.RangesDashboardConfig",
    "oscar.apps.dashboard.reviews.apps.ReviewsDashboardConfig",
    "oscar.apps.dashboard.vouchers.apps.VouchersDashboardConfig",
    "oscar.apps.dashboard.communications.apps.CommunicationsDashboardConfig",
    "oscar.apps.dashboard.shipping.apps.ShippingDashboardConfig",
    "widget_tweaks",
    "treebeard",
    "django_tables2",
    "sorl.thumbnail",
]

WAGTAIL_APPS = [
    "wagtail.contrib.forms",
    "wagtail.contrib.simple_translation",
    "wagtail.locales",
    "wagtail.contrib.redirects",
    "wagtail.contrib.settings",
    "wagtail.contrib.sitemaps",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
]

THIRD_PARTY_APPS = [
    "axes",
    "ninja",  # serves its Swagger UI from local static files, not a CDN
]

LOCAL_APPS = [
    "core",
    "accounts",
    "regions",
    "aftersales",
    "procurement",
    "reports",
    "points",
    "frontend",
    "demo",
]

INSTALLED_APPS = DJANGO_APPS + OSCAR_APPS + WAGTAIL_APPS + THIRD_PARTY_APPS + LOCAL_APPS

MIDDLEWARE = [
    # First: the cache version counters a request reads are read once (core.caching).
    "core.caching.RequestReadsMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # Security headers (see the section below): set on every response, error pages included.
    "core.csp.ContentSecurityPolicyMiddleware",
    "django_permissions_policy.PermissionsPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # A NUL byte in a query string would be a 500 on PostgreSQL: refused as bad input.
    "core.middleware.QueryControlCharactersMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "frontend.middleware.ChineseFirstLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "frontend.basket.BasketMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    # Last, so that it sees the final authentication result of the request.
    "axes.middleware.AxesMiddleware",
]

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    # Oscar's and Django's backends, reading the session's user from the cache (frontend.auth).
    "frontend.auth.EmailBackend",
    "frontend.auth.ModelBackend",
]

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "frontend" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.template.context_processors.i18n",
                "django.contrib.messages.context_processors.messages",
                "search.context_processors.search_form",
                "oscar.apps.checkout.context_processors.checkout",
                "frontend.context_processors.user_chrome",
                "oscar.core.context_processors.metadata",
                "frontend.context_processors.site_chrome",
                "csp.context_processors.nonce",
            ],
        },
    },
]

# ---------------------------------------------------------------------------
# Database
# ---------------------------------------------------------------------------
DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the demo server read while a seed or task writes.
    DATABASES["default"].setdefault("OPTIONS", {})
    DATABASES["default"]["OPTIONS"].setdefault(
        "init_command", "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;"
    )
    DATABASES["default"]["OPTIONS"].setdefault("timeout", 20)
    # Transactions take the write lock when they begin: two checkouts of one basket at once
    # then queue (as PostgreSQL's row lock makes them) instead of one failing with "database
    # is locked" when it upgrades its read to a write.
    DATABASES["default"]["OPTIONS"].setdefault("transaction_mode", "IMMEDIATE")

# ---------------------------------------------------------------------------
# Cache
# ---------------------------------------------------------------------------
REDIS_URL = env("REDIS_URL", default="")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "core.cache.RedisCache",
            "LOCATION": REDIS_URL,
            # A Redis that hangs costs a request this long, then the cache is skipped for a
            # few seconds (core.cache: pages render from the database meanwhile).
            "OPTIONS": {
                "socket_connect_timeout": env.float("REDIS_CONNECT_TIMEOUT", default=0.5),
                "socket_timeout": env.float("REDIS_TIMEOUT", default=0.5),
            },
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# Product list pages served whole to visitors without a session or basket (core.caching);
# 0 turns it off.
ANONYMOUS_PAGE_CACHE_SECONDS = env.int("ANONYMOUS_PAGE_CACHE_SECONDS", default=300)
# What the signed-in user's own parts of a cached page (core.caching.USER_PARTS) are
# rendered with, besides the request, the user and the CSRF token.
PAGE_CACHE_USER_CONTEXT = ["frontend.context_processors.user_chrome"]
# Renders those parts, keeping them per user and language (frontend.chrome).
PAGE_CACHE_USER_PART = "frontend.chrome.user_part_html"

# ---------------------------------------------------------------------------
# Security headers (docs/security.md)
# ---------------------------------------------------------------------------
# Scripts and style sheets only from this site; an inline <script> or <style> runs only with
# the request's nonce ({{ CSP_NONCE }}), and no on*= attribute runs at all. Style attributes
# stay allowed (they load nothing). The payment page adds Stripe.js (payments.checkout.views).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "script-src-attr": [NONE],
        "style-src": [SELF, NONCE],
        "style-src-elem": [SELF, NONCE],
        "style-src-attr": [UNSAFE_INLINE],
        "img-src": [SELF, "data:", "blob:"],
        "font-src": [SELF, "data:"],
        "connect-src": [SELF],
        "frame-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [SELF],
    }
}
# Wagtail's admin still writes inline scripts without a nonce (date pickers, inline panels)
# and inline styles: under these paths scripts and styles may be inline, but still load only
# from this site (core.csp).
CSP_RELAXED_PATH_PREFIXES = ("/cms/",)
CONTENT_SECURITY_POLICY_RELAXED = {
    "DIRECTIVES": {
        **CONTENT_SECURITY_POLICY["DIRECTIVES"],
        "script-src": [SELF, UNSAFE_INLINE],
        "script-src-attr": [UNSAFE_INLINE],
        "style-src": [SELF, UNSAFE_INLINE],
        "style-src-elem": [SELF, UNSAFE_INLINE],
    }
}
# Browser features the site never uses are switched off for it and every frame it embeds;
# payment is left to this site and Stripe's card frame.
PERMISSIONS_POLICY = {
    "accelerometer": [],
    "autoplay": [],
    "camera": [],
    "display-capture": [],
    "geolocation": [],
    "gyroscope": [],
    "hid": [],
    "magnetometer": [],
    "microphone": [],
    "midi": [],
    "payment": ["self", "https://js.stripe.com"],
    "serial": [],
    "usb": [],
    "xr-spatial-tracking": [],
}

# ---------------------------------------------------------------------------
# Passwords and login
# ---------------------------------------------------------------------------
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "customer:login"
LOGIN_REDIRECT_URL = "customer:profile-view"
# Signed in on the storefront without a `next` page, a user lands on the portal of their role.
LOGIN_LANDING = "frontend.landing.landing_url"

# Brute-force protection (django-axes): lock a username+IP pair after 5 failures.
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = 0.5  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_USERNAME_FORM_FIELD = "username"
# Count failures per address trimmed and lower-cased, as the email backend matches it.
AXES_USERNAME_CALLABLE = "accounts.lockout.lockout_username"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/lockout.html"

# Password reset mails per address and per client IP in one window (accounts.services;
# counted in the database).
PASSWORD_RESET_LIMIT_PER_ADDRESS = env.int("PASSWORD_RESET_LIMIT_PER_ADDRESS", default=3)
PASSWORD_RESET_LIMIT_PER_CLIENT = env.int("PASSWORD_RESET_LIMIT_PER_CLIENT", default=20)
PASSWORD_RESET_WINDOW_SECONDS = env.int("PASSWORD_RESET_WINDOW_SECONDS", default=3600)

# ---------------------------------------------------------------------------
# Language, time, money
# ---------------------------------------------------------------------------
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True
OSCAR_DEFAULT_CURRENCY = "CNY"
# "¥1,234.50" in both languages: Babel's "¤" would print "CN¥" in English.
OSCAR_CURRENCY_FORMAT = {"CNY": {"format": "¥#,##0.00", "format_type": "standard"}}

# ---------------------------------------------------------------------------
# Static and media
# ---------------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = env.path("DJANGO_STATIC_ROOT", default=BASE_DIR / "staticfiles")
STATICFILES_DIRS = [BASE_DIR / "frontend" / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = env.path("DJANGO_MEDIA_ROOT", default=BASE_DIR / "media")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
DATA_UPLOAD_MAX_NUMBER_FIELDS = 5000

# ---------------------------------------------------------------------------
# Email
# ---------------------------------------------------------------------------
EMAIL_BACKEND = env(
    "DJANGO_EMAIL_BACKEND", default="django.core.mail.backends.console.EmailBackend"
)
DEFAULT_FROM_EMAIL = env("DJANGO_DEFAULT_FROM_EMAIL", default="惠农集市 <noreply@huinong.example>")
OSCAR_FROM_EMAIL = DEFAULT_FROM_EMAIL

# ---------------------------------------------------------------------------
# Celery: with no broker configured, tasks run eagerly in-process.
# ---------------------------------------------------------------------------
CELERY_BROKER_URL = env("CELERY_BROKER_URL", default="")
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_RESULT_BACKEND = env("CELERY_RESULT_BACKEND", default=None)
CELERY_TIMEZONE = TIME_ZONE
# A task's message is acknowledged when the task ends, and given back to the broker when its
# worker process dies: every task is idempotent, so running one twice is harmless.
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# Tasks that wait on another service (core.tasks.RetryingTask): Celery's exponential backoff,
# 30 s doubled at each try up to an hour, eight tries, then the sweep. With jitter (the
# default) each countdown is drawn between 0 and its cap, so that retries do not come in waves.
TASK_RETRY_BACKOFF = env.int("TASK_RETRY_BACKOFF", default=30)
TASK_RETRY_BACKOFF_MAX = env.int("TASK_RETRY_BACKOFF_MAX", default=3600)
TASK_RETRY_LIMIT = env.int("TASK_RETRY_LIMIT", default=8)
TASK_RETRY_JITTER = env.bool("TASK_RETRY_JITTER", default=True)
CELERY_BEAT_SCHEDULE = {
    "payments-expire-pending-orders": {
        "task": "payments.tasks.order_expire_pending_task",
        "schedule": 300.0,
    },
    "payments-outbox-sweep": {
        "task": "payments.tasks.payments_outbox_sweep_task",
        "schedule": 120.0,
    },
}

# Wagtail's own background work (search index updates, reference index) runs
# through django-tasks; in-process is enough for the page volumes of a bureau.
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}

# ---------------------------------------------------------------------------
# Search: with no SEARCH_URL the database engine serves.
# ---------------------------------------------------------------------------
SEARCH_URL = env("SEARCH_URL", default="")
SEARCH_FLAVOR = env("SEARCH_FLAVOR", default="elasticsearch")
SEARCH_INDEX_PREFIX = env("SEARCH_INDEX_PREFIX", default="huinong")
# Index updates that could not be sent (broker or cluster down) are retried from the outbox.
CELERY_BEAT_SCHEDULE["search-outbox-sweep"] = {
    "task": "search.tasks.search_outbox_sweep_task",
    "schedule": 60.0,
}
# Sales counts reach the 销量 sort in batches, not with every order (search/services.py).
CELERY_BEAT_SCHEDULE["search-sales-refresh"] = {
    "task": "search.tasks.search_sales_refresh_task",
    "schedule": 900.0,
}
# Product page views of visitors served from the page cache are counted in the cache and
# written to Oscar's analytics (ProductRecord.num_views) in batches (catalog/services.py).
CELERY_BEAT_SCHEDULE["catalogue-product-views-flush"] = {
    "task": "catalog.tasks.product_views_flush_task",
    "schedule": 300.0,
}
# Oscar's stock search app imports haystack; our search fork replaces its views,
# so haystack is configured inert and is not an installed app.
HAYSTACK_CONNECTIONS = {"default": {"ENGINE": "haystack.backends.simple_backend.SimpleEngine"}}
HAYSTACK_SIGNAL_PROCESSOR = "haystack.signals.BaseSignalProcessor"

# ---------------------------------------------------------------------------
# Stripe (consumer card payments). localstripe stands in during demo and tests.
# ---------------------------------------------------------------------------
STRIPE_SECRET_KEY = env("STRIPE_SECRET_KEY", default="sk_test_localstripe")
STRIPE_PUBLISHABLE_KEY = env("STRIPE_PUBLISHABLE_KEY", default="pk_test_localstripe")
STRIPE_WEBHOOK_SECRET = env("STRIPE_WEBHOOK_SECRET", default="whsec_localstripe")
STRIPE_API_BASE = env("STRIPE_API_BASE", default="")  # empty: Stripe's own API
# Stripe.js: from Stripe in production; localstripe serves its stand-in under its own address.
STRIPE_JS_URL = env(
    "STRIPE_JS_URL",
    default=f"{STRIPE_API_BASE}/js.stripe.com/v3/"
    if STRIPE_API_BASE
    else "https://js.stripe.com/v3/",
)
STRIPE_API_VERSION = "2026-10-28.endive"  # pinned: the version stripe-python 16 is generated for
STRIPE_MAX_NETWORK_RETRIES = env.int("STRIPE_MAX_NETWORK_RETRIES", default=2)
STRIPE_TIMEOUT_SECONDS = env.float("STRIPE_TIMEOUT_SECONDS", default=20.0)
# An order left 待付款 this long is cancelled and its stock released (payments task).
PAYMENTS_PENDING_ORDER_TTL_MINUTES = env.int("PAYMENTS_PENDING_ORDER_TTL_MINUTES", default=30)
# Shipping fee of a supplier without its own rule (orders.shipping.SupplierShippingRule).
SUPPLIER_SHIPPING_DEFAULT_FEE = "8.00"
SUPPLIER_SHIPPING_DEFAULT_FREE_THRESHOLD = "99.00"

# ---------------------------------------------------------------------------
# Oscar
# ---------------------------------------------------------------------------
OSCAR_SHOP_NAME = _("惠农集市")
OSCAR_SHOP_TAGLINE = _("消费帮扶 · 脱贫地区农副产品")
OSCAR_HOMEPAGE = "/"
OSCAR_PRODUCTS_PER_PAGE = 24
OSCAR_ALLOW_ANON_CHECKOUT = False
OSCAR_SLUG_ALLOW_UNICODE = False
OSCAR_SLUG_FUNCTION = "catalog.utils.pinyin_slugify"
OSCAR_MISSING_IMAGE_URL = "image_not_found.jpg"
OSCAR_THUMBNAILER = "oscar.core.thumbnails.SorlThumbnail"
OSCAR_REQUIRED_ADDRESS_FIELDS = ("first_name", "line1", "line4", "phone_number")
OSCAR_HIDDEN_FEATURES = ["wishlists"]
# Order statuses are stored in Chinese, as shown. The pipelines list the moves staff may make
# by hand in the dashboard; payment, cancellation and refund moves are made only by
# orders.services and payments.services (the whole forward-only machine is
# orders.models.OrderStatus).
OSCAR_INITIAL_ORDER_STATUS = "待付款"
OSCAR_INITIAL_LINE_STATUS = "待付款"
OSCAR_ORDER_STATUS_PIPELINE = {
    "待付款": (),
    "已付款": ("已发货",),
    "已发货": ("已完成",),
    "已完成": (),
    "已取消": (),
    "已退款": (),
}
OSCAR_LINE_STATUS_PIPELINE = OSCAR_ORDER_STATUS_PIPELINE
OSCAR_SEND_REGISTRATION_EMAIL = False
OSCAR_EAGER_ALERTS = False
OSCAR_ACCOUNTS_REDIRECT_URL = "customer:profile-view"
THUMBNAIL_KVSTORE = "frontend.thumbnails.KVStore"
THUMBNAIL_PRESERVE_FORMAT = False
THUMBNAIL_FORMAT = "JPEG"

# ---------------------------------------------------------------------------
# Wagtail
# ---------------------------------------------------------------------------
WAGTAIL_SITE_NAME = "惠农集市"
WAGTAILADMIN_BASE_URL = SITE_URL
# No Gravatar: the admin's avatars are the editor's uploaded one or Wagtail's bundled default,
# so no page asks another host for anything (Gravatar is slow or blocked in mainland China).
WAGTAIL_GRAVATAR_PROVIDER_URL = None
# Nor does the admin's dashboard ask releases.wagtail.org for a newer version (upgrades go
# through the lock files, not through the editors).
WAGTAIL_ENABLE_UPDATE_CHECK = False
# CMS pages may have an English translation (Wagtail's simple translation: 翻译 on a page in
# /cms/); the same addresses serve it to English visitors, the Chinese page where there is none
# (frontend.views.serve; docs/cms.md).
WAGTAIL_I18N_ENABLED = True
WAGTAIL_CONTENT_LANGUAGES = LANGUAGES
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
WAGTAILDOCS_SERVE_METHOD = "serve_view"
WAGTAILIMAGES_EXTENSIONS = ["gif", "jpg", "jpeg", "png", "webp"]

# ---------------------------------------------------------------------------
# Logging
# ---------------------------------------------------------------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env("DJANGO_LOG_LEVEL", default="INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        "axes": {"level": "WARNING"},
        "stripe": {"level": "WARNING"},
    },
}

# ---------------------------------------------------------------------------
# Suppliers: certification documents, certificate numbers, reminders, portal
# ---------------------------------------------------------------------------
# Certification documents live here, outside MEDIA_ROOT; only a permission-checked view serves them.
SUPPLIERS_PRIVATE_ROOT = env.path("DJANGO_PRIVATE_ROOT", default=BASE_DIR / "private")
SUPPLIERS_DOCUMENT_MAX_BYTES = env.int("SUPPLIERS_DOCUMENT_MAX_BYTES", default=5 * 1024 * 1024)
SUPPLIERS_PRODUCT_IMAGE_MAX_BYTES = 5 * 1024 * 1024
# 淮北消帮认〔2026〕0001: the prefix of a certificate number, then the year and a sequence.
SUPPLIERS_CERTIFICATE_PREFIX = env("SUPPLIERS_CERTIFICATE_PREFIX", default="淮北消帮认")
SUPPLIERS_CERTIFICATION_VALID_DAYS = 730
SUPPLIERS_EXPIRY_NOTICE_DAYS = (30, 7)
SUPPLIERS_LOW_STOCK_DEFAULT = 10
# Daily at 00:30 Shanghai time: expire certifications, delist their products, send reminders.
CELERY_BEAT_SCHEDULE["suppliers-certification-daily"] = {
    "task": "suppliers.tasks.certification_daily_sweep_task",
    "schedule": _crontab(hour=0, minute=30),
}

# ---------------------------------------------------------------------------
# Procurement: the monthly reminder to budget units behind the year's schedule.
# ---------------------------------------------------------------------------
CELERY_BEAT_SCHEDULE["procurement-remind-behind"] = {
    "task": "procurement.tasks.procurement_remind_behind_task",
    "schedule": _crontab(day_of_month="1", hour="9", minute="0"),
}

# ---------------------------------------------------------------------------
# Reports (sales facts, rollups, e-commerce entities, dashboards)
# ---------------------------------------------------------------------------
# The procurement app's counting events and completion totals (contracts.md); tests point
# these at doubles. Without the procurement app the reports show procurement as unavailable.
REPORTS_PROCUREMENT_SALES_EVENTS = "procurement.selectors.reports.procurement_order_sales_events"
REPORTS_PROCUREMENT_TOTALS = "procurement.selectors.reports.procurement_completion_totals"
REPORTS_EIGHT_ENTRIES = "procurement.selectors.reports.eight_entries_report"
# Seconds the public statistics stay cached between refreshes by the beat task.
REPORTS_PUBLIC_STATS_TTL = env.int("REPORTS_PUBLIC_STATS_TTL", default=300)
CELERY_BEAT_SCHEDULE["reports-rebuild-rollups"] = {
    "task": "reports.tasks.sales_rollups_rebuild_task",
    "schedule": _crontab(hour=2, minute=30),
}
# Sales outbox rows and spreadsheet imports whose task was lost (broker down) or gave up.
CELERY_BEAT_SCHEDULE["reports-outbox-sweep"] = {
    "task": "reports.tasks.reports_outbox_sweep_task",
    "schedule": 120.0,
}
# The public figures (home page, /stats/) follow the dashboards within minutes: refreshed
# every TTL, kept for two (a missed refresh still serves a recent figure).
CELERY_BEAT_SCHEDULE["reports-public-statistics"] = {
    "task": "reports.tasks.public_statistics_refresh_task",
    "schedule": float(REPORTS_PUBLIC_STATS_TTL),
}

# ---------------------------------------------------------------------------
# Points supermarkets: awards whose notice ended are credited, expired points cleared.
# ---------------------------------------------------------------------------
# The public balance lookup (household code + the phone's last four digits): attempts per
# household code and per client IP in a window, counted in the database.
POINTS_LOOKUP_WINDOW_SECONDS = env.int("POINTS_LOOKUP_WINDOW_SECONDS", default=3600)
POINTS_LOOKUP_LIMIT_PER_CODE = env.int("POINTS_LOOKUP_LIMIT_PER_CODE", default=5)
POINTS_LOOKUP_LIMIT_PER_CLIENT = env.int("POINTS_LOOKUP_LIMIT_PER_CLIENT", default=30)
CELERY_BEAT_SCHEDULE["points-credit-due"] = {
    "task": "points.tasks.points_credit_due_task",
    "schedule": _crontab(hour=0, minute=10),
}
CELERY_BEAT_SCHEDULE["points-expire-due"] = {
    "task": "points.tasks.points_expire_due_task",
    "schedule": _crontab(hour=0, minute=20),
}

# ---------------------------------------------------------------------------
# ---------------------------------------------------------------------------
# After-sales (售后): the policy defaults (docs/orders.md#after-sales)
# ---------------------------------------------------------------------------
# Days after receipt within which a shopper may ask; each supplier may set its own.
AFTERSALES_WINDOW_DAYS = env.int("AFTERSALES_WINDOW_DAYS", default=7)
# A line shipped but never marked 已签收 counts as received this many days after shipping.
AFTERSALES_RECEIPT_ASSUMED_DAYS = env.int("AFTERSALES_RECEIPT_ASSUMED_DAYS", default=10)
# A supplier that does not answer a case (or confirm a returned parcel) in this many days
# agrees by default: the beat task below refunds it.
AFTERSALES_SUPPLIER_REPLY_DAYS = env.int("AFTERSALES_SUPPLIER_REPLY_DAYS", default=3)
AFTERSALES_MAX_PHOTOS = 5
CELERY_BEAT_SCHEDULE["aftersales-auto-agree"] = {
    "task": "aftersales.tasks.aftersales_auto_agree_task",
    "schedule": 900.0,
}

# Outbox sweeps: the beat tasks that redo recorded work whose task never ran or gave up
# (broker down at commit, a service down through every retry). `manage.py outbox_sweep`
# runs them all in-process, e.g. once the broker is back (docs/operations.md).
# ---------------------------------------------------------------------------
OUTBOX_SWEEP_TASKS = [
    "payments.tasks.payments_outbox_sweep_task",
    "search.tasks.search_outbox_sweep_task",
    "reports.tasks.reports_outbox_sweep_task",
]

# ---------------------------------------------------------------------------
# CMS (frontend app): one place for pages, safe documents, scheduled publishing
# ---------------------------------------------------------------------------
INSTALLED_APPS += ["wagtail.contrib.table_block"]
TEMPLATES[0]["OPTIONS"]["context_processors"] += ["frontend.context_processors.cms_chrome"]
# Oscar's flatpages dashboard is replaced by a stub without views, and its menu entry goes:
# pages are edited in Wagtail (/cms/) only.
INSTALLED_APPS[INSTALLED_APPS.index("oscar.apps.dashboard.pages.apps.PagesDashboardConfig")] = (
    "frontend.dashboard.PagesDashboardConfig"
)
for _section in OSCAR_DASHBOARD_NAVIGATION:
    if "children" in _section:
        _section["children"] = [
            child
            for child in _section["children"]
            if child.get("url_name") != "dashboard:page-list"
        ]
# Documents: only these extensions, served by Django (permission checks) as attachments
# with a content type from this table, never rendered inline by the browser.
WAGTAILDOCS_EXTENSIONS = ["pdf", "doc", "docx", "xls", "xlsx", "ppt", "pptx", "txt", "csv", "zip"]
WAGTAILDOCS_CONTENT_TYPES = {
    "pdf": "application/pdf",
    "doc": "application/msword",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xls": "application/vnd.ms-excel",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "ppt": "application/vnd.ms-powerpoint",
    "pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    "txt": "text/plain",
    "csv": "text/csv",
    "zip": "application/zip",
}
WAGTAILDOCS_INLINE_CONTENT_TYPES: list[str] = []
WAGTAILDOCS_DOCUMENT_FORM_BASE = "frontend.forms.SafeDocumentForm"
WAGTAILADMIN_RICH_TEXT_EDITORS = {
    "default": {"WIDGET": "wagtail.admin.rich_text.DraftailRichTextArea"}
}
WAGTAIL_MODERATION_ENABLED = True
WAGTAIL_WORKFLOW_ENABLED = True
# Pages whose go-live time has come are published by `manage.py publish_scheduled`, run by beat.
CELERY_BEAT_SCHEDULE["frontend-publish-scheduled-pages"] = {
    "task": "frontend.tasks.publish_scheduled_pages_task",
    "schedule": 60.0,
}
