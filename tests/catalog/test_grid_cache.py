import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_a_cached_grid_carries_each_visitors_own_csrf_token(catalogue, client):
    from django.test import Client

    url = catalogue["fruit"].get_absolute_url()
    client.get(url)  # fills the cache
    other = Client(enforce_csrf_checks=True)
    page = other.get(url).content.decode()

    assert "__HN_CSRF_TOKEN__" not in page
    token = page.split('name="csrfmiddlewaretoken" value="')[1].split('"')[0]
    response = other.post(
        reverse("basket:add", kwargs={"pk": catalogue["grapes"].pk}),
        {"quantity": 1, "csrfmiddlewaretoken": token},
    )
    assert response.status_code == 302  # accepted, not a CSRF 403


def test_a_price_change_shows_once_committed_despite_the_cache(
    catalogue, client, django_capture_on_commit_callbacks
):
    url = catalogue["fruit"].get_absolute_url()
    assert "¥68.00" in client.get(url).content.decode()

    record = catalogue["pomegranate"].stockrecords.get()
    record.price = "75.00"
    with django_capture_on_commit_callbacks(execute=True):  # the commit
        record.save()

    page = client.get(url).content.decode()
    assert "¥75.00" in page
    assert "¥68.00" not in page
