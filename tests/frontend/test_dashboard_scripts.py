"""Oscar's dashboard order page starts without a JavaScript error: Oscar 4.2 calls
oscar.dashboard.orders.initTable(), which its dashboard.js no longer defines."""

import pytest
from django.contrib.auth import get_user_model

from tests.factories.accounts import UserFactory
from tests.factories.payments import paid_order

pytestmark = pytest.mark.django_db


def test_the_dashboard_order_page_calls_only_what_dashboard_js_defines(client, catalogue):
    order = paid_order(UserFactory(), (catalogue["pomegranate"], 1))
    admin = get_user_model().objects.create_superuser(email="admin@example.com", password="x")
    client.force_login(admin)

    response = client.get(f"/dashboard/orders/{order.number}/")

    assert response.status_code == 200
    html = response.content.decode()
    assert "oscar.dashboard.orders.initTabs();" in html
    assert "initTable" not in html
    # Oscar's own Chinese said 选择时间种类 ("choose time kind") and 依照参考 (locale/zh_Hans).
    assert "选择事件类型" in html and "选择时间种类" not in html
    assert "依照参考" not in html
