"""The API answers JSON for every error, the database being down included (issue #14 item
0c); pages keep the styled 500 page."""

import pytest
from django.db import OperationalError
from django.db.backends.base.base import BaseDatabaseWrapper
from django.test import Client

pytestmark = pytest.mark.django_db


@pytest.fixture
def client():
    return Client(raise_request_exception=False)


@pytest.fixture
def database_down(monkeypatch):
    def refuse(self):
        raise OperationalError("connection to server at 127.0.0.1 port 5432 failed")

    monkeypatch.setattr(BaseDatabaseWrapper, "ensure_connection", refuse)


def test_the_api_with_the_database_down_answers_503_json(client, database_down):
    response = client.get("/api/v1/me", headers={"Authorization": "Bearer hn_any"})

    assert response.status_code == 503
    assert response["Content-Type"] == "application/json"
    assert response["Retry-After"] == "30"
    assert response.json() == {"detail": "服务暂时不可用，请稍后重试。"}


def test_another_failure_of_the_api_is_a_500_in_json(client, monkeypatch):
    from marketplace import api as api_module

    def fail(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(api_module.api, "create_response", fail)

    response = client.get("/api/v1/me")

    assert response.status_code == 500
    assert response.json() == {"detail": "服务器出错了，我们已记录，请稍后重试。"}


def test_a_page_with_the_database_down_is_the_styled_500_page(client, database_down):
    response = client.get("/shop/catalogue/")

    assert response.status_code == 500
    assert response["Content-Type"].startswith("text/html")
    assert "<html" in response.content.decode()
