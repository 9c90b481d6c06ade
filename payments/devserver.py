"""localstripe, the fake Stripe server of the demo and the tests, as a real local process.

    python -m payments.devserver start [--port 8420] [--webhook-url URL]
        start it in the background unless it already answers, wait for it, and register our
        webhook endpoint with the secret from settings.STRIPE_WEBHOOK_SECRET (`make demo`)
    python -m payments.devserver stop [--port 8420]
    python -m payments.devserver serve [--port 8420] [--store PATH]
        run it in the foreground (the tests start it this way on a free port)

localstripe keeps its objects in one fixed file (/tmp/localstripe.pickle) and listens on
every interface; here it listens on 127.0.0.1 only and keeps its objects in ``--store``
(nowhere when omitted), so the demo and parallel test runs never share state.
"""

import argparse
import os
import pickle
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
RUN_DIR = BASE_DIR / ".localstripe"
DEFAULT_PORT = 8420
WEBHOOK_ID = "huinong"


def base_url(port: int) -> str:
    return f"http://127.0.0.1:{port}"


def is_up(port: int) -> bool:
    try:
        url = f"{base_url(port)}/js.stripe.com/v3/"
        with urllib.request.urlopen(url, timeout=1) as reply:  # noqa: S310 (local http)
            return reply.status == 200
    except (OSError, urllib.error.URLError):
        return False


def wait_until_up(port: int, *, timeout: float = 15.0, process=None) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if is_up(port):
            return
        if process is not None and process.poll() is not None:
            raise RuntimeError(f"localstripe exited with status {process.returncode}")
        time.sleep(0.1)
    raise RuntimeError(f"localstripe did not answer on port {port} within {timeout:.0f}s")


def register_webhook(port: int, *, url: str, secret: str) -> None:
    """localstripe signs every event with ``secret`` and POSTs it to ``url``."""
    data = urllib.parse.urlencode({"url": url, "secret": secret}).encode()
    url = f"{base_url(port)}/_config/webhooks/{WEBHOOK_ID}"
    request = urllib.request.Request(url, data)  # noqa: S310 (local http)
    with urllib.request.urlopen(request, timeout=5) as reply:  # noqa: S310
        if reply.status != 200:
            raise RuntimeError(f"localstripe refused the webhook: HTTP {reply.status}")


def serve(port: int, store: str | None) -> None:
    from aiohttp import web
    from localstripe import resources, server

    def load(self):
        if store and os.path.exists(store):
            with open(store, "rb") as f:
                self.clear()
                self.update(pickle.load(f))  # noqa: S301 (our own file)

    def dump(self):
        if store:
            tmp = f"{store}.tmp"
            with open(tmp, "wb") as f:
                pickle.dump(self, f, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(tmp, store)

    resources.Store.try_load_from_disk = load
    resources.Store.dump_to_disk = dump
    resources.store.try_load_from_disk()
    web.run_app(server.app, host="127.0.0.1", port=port, print=None)


def start(port: int, webhook_url: str) -> None:
    if is_up(port):
        print(f"localstripe already answers on {base_url(port)}")
    else:
        RUN_DIR.mkdir(exist_ok=True)
        log = (RUN_DIR / f"localstripe-{port}.log").open("ab")
        process = subprocess.Popen(  # noqa: S603 (our own interpreter and module)
            [
                sys.executable,
                "-m",
                "payments.devserver",
                "serve",
                "--port",
                str(port),
                "--store",
                str(RUN_DIR / f"store-{port}.pickle"),
            ],
            cwd=BASE_DIR,
            stdout=log,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            start_new_session=True,
        )
        (RUN_DIR / f"localstripe-{port}.pid").write_text(str(process.pid))
        wait_until_up(port, process=process)
        print(f"localstripe started on {base_url(port)} (log: {log.name})")

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "marketplace.settings.local")
    import django

    django.setup()
    from django.conf import settings

    register_webhook(port, url=webhook_url, secret=settings.STRIPE_WEBHOOK_SECRET)
    print(f"localstripe sends signed webhooks to {webhook_url}")


def stop(port: int) -> None:
    pid_file = RUN_DIR / f"localstripe-{port}.pid"
    if not pid_file.exists():
        print("localstripe was not started by this script")
        return
    pid = int(pid_file.read_text())
    try:
        os.kill(pid, signal.SIGTERM)
        print(f"localstripe (pid {pid}) stopped")
    except ProcessLookupError:
        print("localstripe was not running")
    pid_file.unlink()


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m payments.devserver")
    commands = parser.add_subparsers(dest="command", required=True)
    for name in ("start", "stop", "serve"):
        command = commands.add_parser(name)
        command.add_argument("--port", type=int, default=DEFAULT_PORT)
        if name == "start":
            command.add_argument(
                "--webhook-url", default="http://127.0.0.1:8000/payments/stripe/webhook/"
            )
        if name == "serve":
            command.add_argument("--store", default=None)
    args = parser.parse_args(argv)
    if args.command == "start":
        start(args.port, args.webhook_url)
    elif args.command == "stop":
        stop(args.port)
    else:
        serve(args.port, args.store)


if __name__ == "__main__":
    main()
