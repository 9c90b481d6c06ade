"""Redis that cannot be reached: a port held bound but never listening, so every connection
to it is refused at once (and no other process can take the port while the test runs)."""

import socket

import pytest


@pytest.fixture
def closed_port():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        yield sock.getsockname()[1]


@pytest.fixture
def cache_down(settings, closed_port):
    """The default cache is the project's Redis backend pointed at a closed port."""
    settings.CACHES = {
        "default": {
            "BACKEND": "core.cache.RedisCache",
            "LOCATION": f"redis://127.0.0.1:{closed_port}/1",
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        }
    }
    return closed_port
