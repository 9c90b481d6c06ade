import pytest
from django.urls import reverse
from wagtail.models import APIToken

from accounts.exceptions import ApiTokenNotFoundError
from accounts.services import api_token_create, api_token_revoke
from tests.factories.accounts import UserFactory

pytestmark = pytest.mark.django_db


def test_a_created_token_authenticates_the_api_until_it_is_revoked(client):
    user = UserFactory(email="owner@example.com")
    token, raw_key = api_token_create(user=user, name="仓储系统")

    response = client.get("/api/v1/me", headers={"Authorization": f"Bearer {raw_key}"})
    assert response.status_code == 200
    assert response.json()["email"] == "owner@example.com"
    assert raw_key not in {token.key_hash, token.prefix}  # only a digest is stored

    api_token_revoke(user=user, token_id=token.pk)
    response = client.get("/api/v1/me", headers={"Authorization": f"Bearer {raw_key}"})
    assert response.status_code == 401


def test_nobody_revokes_another_users_token():
    owner = UserFactory()
    token, _ = api_token_create(user=owner, name="对接")

    with pytest.raises(ApiTokenNotFoundError):
        api_token_revoke(user=UserFactory(), token_id=token.pk)

    token.refresh_from_db()
    assert token.revoked_at is None


def test_the_api_refuses_anonymous_and_bad_tokens(client):
    assert client.get("/api/v1/me").status_code == 401
    bad = client.get("/api/v1/me", headers={"Authorization": "Bearer wagtail_nope"})
    assert bad.status_code == 401


def test_the_browser_session_authenticates_the_api(client):
    user = UserFactory()
    client.force_login(user)

    response = client.get("/api/v1/me")

    assert response.status_code == 200
    assert response.json()["id"] == user.pk


def test_the_openapi_schema_and_docs_are_served(client):
    schema = client.get("/api/v1/openapi.json")
    assert schema.status_code == 200
    assert schema.json()["info"]["title"] == "惠农集市 API"
    assert "/api/v1/me" in schema.json()["paths"]
    assert client.get("/api/v1/docs").status_code == 200


def test_the_account_page_creates_shows_once_and_revokes_a_token(client):
    user = UserFactory()
    client.force_login(user)
    url = reverse("accounts:api-tokens")

    response = client.post(url, {"name": "ERP 对接"}, follow=True)
    token = APIToken.objects.get(user=user)
    assert token.name == "ERP 对接"
    new_key = response.context["new_key"]
    assert new_key.startswith("wagtail_")
    assert APIToken.objects.filter(key_hash=APIToken.hash_token(new_key)).exists()
    # Shown once: a reload no longer carries the key.
    assert client.get(url).context["new_key"] is None

    client.post(reverse("accounts:api-token-revoke", args=[token.pk]))
    token.refresh_from_db()
    assert token.revoked_at is not None


def test_a_blank_token_name_is_a_field_error_and_creates_nothing(client):
    user = UserFactory()
    client.force_login(user)

    response = client.post(reverse("accounts:api-tokens"), {"name": "   "})

    assert response.status_code == 200
    assert "请填写令牌名称" in response.content.decode()
    assert not APIToken.objects.filter(user=user).exists()


def test_revoking_someone_elses_token_through_the_page_is_a_404(client):
    token, _ = api_token_create(user=UserFactory(), name="别人的")
    client.force_login(UserFactory())

    response = client.post(reverse("accounts:api-token-revoke", args=[token.pk]))

    assert response.status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None


def test_the_token_page_requires_login(client):
    response = client.get(reverse("accounts:api-tokens"))
    assert response.status_code == 302
