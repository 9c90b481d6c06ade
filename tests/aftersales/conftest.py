import pytest

from tests.factories.accounts import UserFactory
from tests.factories.aftersales import card_paid_order


@pytest.fixture
def shopper(db):
    return UserFactory(email="consumer@example.com")


@pytest.fixture
def seller(catalogue):
    """A staff user of the pomegranate co-op (the supplier of the order's first line)."""
    user = UserFactory(email="supplier@example.com")
    catalogue["supplier"].users.add(user)
    return user


@pytest.fixture
def other_seller(catalogue):
    """A staff user of the rice company (the other supplier of the order)."""
    user = UserFactory(email="rice@example.com")
    catalogue["rice"].stockrecords.get().partner.users.add(user)
    return user


@pytest.fixture
def order(shopper, catalogue, localstripe):
    """Card-paid at localstripe: pomegranate 68.00 and rice 59.90, 8.00 shipping each."""
    return card_paid_order(
        shopper,
        localstripe.payment_method(),
        (catalogue["pomegranate"], 1),
        (catalogue["rice"], 1),
    )


@pytest.fixture
def line(order):
    return order.lines.get(partner_name="淮北塔山石榴专业合作社")


@pytest.fixture
def rice_line(order):
    return order.lines.get(partner_name="濉溪县濉河农业发展有限公司")
