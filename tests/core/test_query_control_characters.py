"""A NUL byte or another control character in a query string is bad input (400) on every
search and filter path, never a 500 (PostgreSQL refuses NUL in a text parameter); the API
answers in JSON. Ordinary queries, Chinese and pinyin included, go through."""

import pytest

pytestmark = pytest.mark.django_db

PATHS = ["/shop/search/", "/shop/search/suggest/", "/api/v1/products/search", "/shop/catalogue/"]


@pytest.mark.parametrize("path", PATHS)
@pytest.mark.parametrize("value", ["\x00", "石榴\x00", "a\x1fb", "\x7f"])
def test_a_control_character_in_the_query_string_is_refused_as_bad_input(
    client, catalogue, path, value
):
    response = client.get(path, {"q": value})

    assert response.status_code == 400
    if path.startswith("/api/"):
        assert response.json() == {"detail": "查询参数含有控制字符，请检查后重试。"}
    else:
        assert response.content.decode() == "查询参数含有控制字符，请检查后重试。"


def test_a_control_character_in_a_parameter_name_is_refused_too(client, catalogue):
    assert client.get("/shop/search/?q%00=1").status_code == 400


@pytest.mark.parametrize("value", ["石榴", "shiliu", "塔山 石榴", "a\tb"])
def test_ordinary_queries_go_through(client, catalogue, value):
    assert client.get("/shop/search/", {"q": value}).status_code == 200
    assert client.get("/api/v1/products/search", {"q": value}).status_code == 200
