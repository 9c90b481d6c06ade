"""Development and `make demo`: embedded defaults, DEBUG on."""

from .base import *

DEBUG = env.bool("DJANGO_DEBUG", default=True)
INTERNAL_IPS = ["127.0.0.1"]
