"""Signing in on the storefront without a ``next`` page lands a user on the portal of their
role (issue #18); with ``next`` the user goes where they were going."""

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from points.models import Supermarket, Village
from tests.factories.accounts import UserFactory
from tests.factories.catalog import SupplierFactory
from tests.factories.procurement import BudgetUnitMemberFactory
from tests.factories.regions import BureauStaffFactory, region_tree

pytestmark = pytest.mark.django_db

PASSWORD = "Huinong-Landing-2026"


def sign_in(client, user, next_url=None):
    url = reverse("customer:login") + (f"?next={next_url}" if next_url else "")
    data = {"login-username": user.email, "login-password": PASSWORD, "login_submit": "1"}
    if next_url:
        data["login-redirect_url"] = next_url  # the page's hidden field, filled from ?next=
    response = client.post(url, data)
    assert response.status_code == 302, response.content[:300]
    return response["Location"]


def user(**kwargs):
    return UserFactory(password=PASSWORD, **kwargs)


def purchaser():
    return BudgetUnitMemberFactory(user=user()).user


def supplier_staff():
    staff = user()
    SupplierFactory().users.add(staff)
    return staff


def bureau_staff():
    return BureauStaffFactory(user=user()).user


def village_clerk():
    town = region_tree()["濉溪镇"]
    supermarket = Supermarket.objects.create(name="测试积分超市", town=town)
    village = Village.objects.create(
        code="340621100299", name="测试村", town=town, supermarket=supermarket
    )
    clerk = user()
    village.clerks.add(clerk)
    return clerk


def supermarket_manager():
    supermarket = Supermarket.objects.create(name="测试积分超市", town=region_tree()["濉溪镇"])
    manager = user()
    supermarket.managers.add(manager)
    return manager


def cms_editor():
    editor = user()
    editor.user_permissions.add(
        Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin")
    )
    return editor


@pytest.mark.parametrize(
    ("make", "landing"),
    [
        (purchaser, "/procurement/"),
        (supplier_staff, "/supplier/"),
        (bureau_staff, "/reports/"),
        (village_clerk, "/points/clerk/"),
        (supermarket_manager, "/points/shop/"),
        (cms_editor, "/cms/"),
    ],
    ids=["purchaser", "supplier", "bureau", "clerk", "manager", "editor"],
)
def test_each_role_lands_on_its_portal(client, home_page, make, landing):
    assert sign_in(client, make()) == landing
    assert client.get(landing).status_code == 200


def test_a_shopper_lands_on_the_account_page(client):
    assert sign_in(client, user()) == reverse("customer:profile-view")


def test_staff_without_a_portal_role_keep_oscars_dashboard(client):
    assert sign_in(client, user(is_staff=True, is_superuser=True)) == reverse("dashboard:index")


def test_a_portal_role_does_not_override_where_the_user_was_going(client):
    basket = reverse("basket:summary")
    assert sign_in(client, purchaser(), next_url=basket) == basket


def test_a_user_with_two_roles_lands_on_the_first_in_order(client):
    both = purchaser()
    SupplierFactory().users.add(both)
    assert sign_in(client, both) == "/procurement/"
