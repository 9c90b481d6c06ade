"""Running calls at the same moment, each in its own thread (so each with its own database
connection, closed at the end), for the PostgreSQL race tests."""

import threading
from collections.abc import Callable


def at_once(calls: list[Callable], *, timeout: float = 120) -> list:
    """Start every call at once (behind one barrier) and wait for all: each call's result,
    or ``repr()`` of what it raised, in the order the calls finished."""
    from django.db import connection

    start = threading.Barrier(len(calls))
    results = []

    def run(call):
        try:
            start.wait(timeout=30)
            results.append(call())
        except Exception as exc:  # the caller's assertions show it by name
            results.append(repr(exc))
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(call,)) for call in calls]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=timeout)
    return results


def posts_at_once(client, path: str, data: dict, times: int) -> list:
    """``data`` posted to ``path`` ``times`` times at once in ``client``'s session (signed in,
    checkout steps done), each post from its own test client: the responses."""
    from django.conf import settings
    from django.test import Client

    session = client.cookies[settings.SESSION_COOKIE_NAME].value

    def post():
        browser = Client()
        browser.cookies[settings.SESSION_COOKIE_NAME] = session
        return browser.post(path, data)

    return at_once([post] * times)
