import oscar.apps.customer.apps as oscar_apps


class CustomerConfig(oscar_apps.CustomerConfig):
    """Fork of Oscar's customer app (label ``customer``): registration signs the shopper in
    through the lockout (``mixins``)."""

    name = "accounts.customer"
