"""localstripe as a real process for the tests, and helpers to talk to it like Stripe would.

``localstripe_server`` starts one server per test session (per xdist worker) on a free port
and kills it at the end; ``localstripe`` points the settings at it for one test.
"""

import json
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import pytest
import stripe
from django.conf import settings

from payments.devserver import register_webhook, wait_until_up

BASE_DIR = Path(__file__).resolve().parent.parent.parent


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class LocalStripe:
    port: int

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def js_url(self) -> str:
        return f"{self.url}/js.stripe.com/v3/"

    def client(self) -> stripe.StripeClient:
        return stripe.StripeClient(
            settings.STRIPE_SECRET_KEY, base_addresses={"api": self.url}, max_network_retries=0
        )

    def payment_method(self, number: str = "4242424242424242") -> str:
        """What Stripe.js would hand the browser for this test card."""
        card = {"number": number, "exp_month": 12, "exp_year": 2034, "cvc": "123"}
        return self.client().v1.payment_methods.create({"type": "card", "card": card}).id

    def authenticate(self, intent_id: str, client_secret: str, *, success: bool = True) -> None:
        """What the 3-D Secure modal of localstripe's Stripe.js does when the user answers."""
        import urllib.request

        data = json.dumps({"client_secret": client_secret, "key": "pk_test_x"}).encode()
        answer = "true" if success else "false"
        url = f"{self.url}/v1/payment_intents/{intent_id}/_authenticate?success={answer}"
        with urllib.request.urlopen(urllib.request.Request(url, data), timeout=5) as reply:
            assert reply.status == 200

    def events(
        self, *, type: str, object_id: str | None = None, order_number: str | None = None
    ) -> list[dict]:
        """The events localstripe generated (it also signs and sends them to any registered
        webhook) for one object or one order's PaymentIntents, oldest first."""
        pages = self.client().v1.events.list({"type": type, "limit": 100}).auto_paging_iter()
        found = []
        for event in (event.to_dict() for event in pages):
            obj = event["data"]["object"]
            if object_id is not None and obj.get("id") != object_id:
                continue
            if order_number is not None and obj["metadata"].get("order_number") != order_number:
                continue
            found.append(event)
        return sorted(found, key=lambda e: e["created"])

    def register_webhook(self, url: str) -> None:
        register_webhook(self.port, url=url, secret=settings.STRIPE_WEBHOOK_SECRET)


@pytest.fixture(scope="session")
def localstripe_server(tmp_path_factory):
    port = free_port()
    log = (tmp_path_factory.mktemp("localstripe") / "localstripe.log").open("wb")
    process = subprocess.Popen(
        [sys.executable, "-m", "payments.devserver", "serve", "--port", str(port)],
        cwd=BASE_DIR,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        wait_until_up(port, process=process)
        yield LocalStripe(port=port)
    finally:
        process.terminate()
        try:
            process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        log.close()


@pytest.fixture
def localstripe(localstripe_server, settings):
    settings.STRIPE_API_BASE = localstripe_server.url
    settings.STRIPE_JS_URL = localstripe_server.js_url
    return localstripe_server


@pytest.fixture
def stripe_down(settings):
    """Stripe unreachable: the API base is a local port nobody listens on."""
    port = free_port()
    settings.STRIPE_API_BASE = f"http://127.0.0.1:{port}"
    return port


def sign(payload: bytes, *, secret: str | None = None, timestamp: int | None = None) -> str:
    """A ``Stripe-Signature`` header for ``payload`` (Stripe's v1 scheme)."""
    timestamp = int(time.time()) if timestamp is None else timestamp
    signature = stripe.WebhookSignature._compute_signature(
        f"{timestamp}.{payload.decode()}", secret or settings.STRIPE_WEBHOOK_SECRET
    )
    return f"t={timestamp},v1={signature}"


def post_event(client, event: dict, **sign_kwargs):
    """Deliver an event to our webhook the way Stripe does: raw JSON body, signed."""
    payload = json.dumps(event).encode()
    return client.post(
        "/payments/stripe/webhook/",
        data=payload,
        content_type="application/json",
        HTTP_STRIPE_SIGNATURE=sign(payload, **sign_kwargs),
    )
