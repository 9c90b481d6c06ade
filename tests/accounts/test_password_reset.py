"""Password reset mails are throttled per address and per client IP, in the database (issue
#14: 21 mails in 0.8 s to one address), alike for addresses with and without an account."""

import datetime
import re

import pytest
from django.core import mail
from django.urls import reverse

from accounts.models import RequestCounter
from tests.factories.accounts import UserFactory
from tests.support.redis import cache_down, closed_port  # noqa: F401

pytestmark = pytest.mark.django_db

REFUSAL = "找回密码的请求过于频繁，请一小时后再试。"


@pytest.fixture(autouse=True)
def _limits(settings):
    settings.PASSWORD_RESET_LIMIT_PER_ADDRESS = 3
    settings.PASSWORD_RESET_LIMIT_PER_CLIENT = 5
    settings.PASSWORD_RESET_WINDOW_SECONDS = 3600


def reset(client, email, ip="203.0.113.7"):
    return client.post(reverse("password-reset"), {"email": email}, REMOTE_ADDR=ip)


def page(response, email: str) -> str:
    """The page without what differs by request anyway: the address typed, the CSRF token,
    the Content-Security-Policy nonce."""
    text = response.content.decode().replace(email, "")
    return re.sub(r'value="[A-Za-z0-9]{64}"|nonce="[^"]+"', "", text)


def test_an_address_gets_three_mails_an_hour_then_a_chinese_refusal(client):
    UserFactory(email="shopper@example.com")

    answers = [reset(client, "shopper@example.com").status_code for _ in range(3)]
    refused = reset(client, "shopper@example.com")

    assert answers == [302, 302, 302]
    assert len(mail.outbox) == 3
    assert refused.status_code == 429
    assert REFUSAL in refused.content.decode()


def test_case_and_whitespace_variants_count_as_one_address(client):
    UserFactory(email="shopper@example.com")
    for variant in ["shopper@example.com", "Shopper@Example.com", " SHOPPER@example.com "]:
        assert reset(client, variant).status_code == 302

    assert reset(client, "shopper@EXAMPLE.com").status_code == 429
    assert len(mail.outbox) == 3


def test_an_address_without_an_account_is_answered_alike(client):
    UserFactory(email="shopper@example.com")
    known = [reset(client, "shopper@example.com") for _ in range(4)]
    unknown = [reset(client, "nobody@example.com", ip="198.51.100.9") for _ in range(4)]

    assert [r.status_code for r in known] == [r.status_code for r in unknown] == [302] * 3 + [429]
    assert known[0]["Location"] == unknown[0]["Location"] == reverse("password-reset-done")
    assert page(known[3], "shopper@example.com") == page(unknown[3], "nobody@example.com")
    assert len(mail.outbox) == 3


def test_one_client_gets_five_requests_an_hour_over_any_addresses(client):
    answers = [reset(client, f"a{i}@example.com").status_code for i in range(6)]
    other_client = reset(client, "a5@example.com", ip="198.51.100.9")

    assert answers == [302] * 5 + [429]
    assert other_client.status_code == 302
    # The refused request counted nowhere: a5's address has one request, other_client's.
    assert (
        RequestCounter.objects.get(scope="password-reset-address", key="a5@example.com").count == 1
    )


def test_the_count_starts_again_in_the_next_window(client):
    UserFactory(email="shopper@example.com")
    for _ in range(3):
        reset(client, "shopper@example.com")
    assert reset(client, "shopper@example.com").status_code == 429

    for counter in RequestCounter.objects.all():
        counter.window_start -= datetime.timedelta(hours=1)
        counter.save()

    assert reset(client, "shopper@example.com").status_code == 302
    assert len(mail.outbox) == 4


def test_counters_older_than_a_day_are_deleted(client):
    reset(client, "old@example.com")
    RequestCounter.objects.update(window_start=datetime.datetime(2020, 1, 1, tzinfo=datetime.UTC))

    reset(client, "new@example.com")

    assert sorted(RequestCounter.objects.values_list("key", flat=True)) == [
        "203.0.113.7",
        "new@example.com",
    ]


def test_the_throttle_holds_with_redis_down(client, cache_down):  # noqa: F811
    UserFactory(email="shopper@example.com")

    answers = [reset(client, "shopper@example.com").status_code for _ in range(4)]

    assert answers == [302, 302, 302, 429]
    assert len(mail.outbox) == 3
