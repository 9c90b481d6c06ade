"""Development and `make demo`: embedded defaults, DEBUG on."""

from .base import *

DEBUG = env.bool("DJANGO_DEBUG", default=True)
INTERNAL_IPS = ["127.0.0.1"]

# Card payments go to localstripe (`make demo` starts it on port 8420) unless STRIPE_API_BASE
# is set; set it empty, with real keys, to use Stripe itself.
STRIPE_API_BASE = env("STRIPE_API_BASE", default="http://127.0.0.1:8420")
STRIPE_JS_URL = env(
    "STRIPE_JS_URL",
    default=f"{STRIPE_API_BASE}/js.stripe.com/v3/"
    if STRIPE_API_BASE
    else "https://js.stripe.com/v3/",
)
