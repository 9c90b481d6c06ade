from wagtail import hooks

from .choosers import product_chooser_viewset, supplier_chooser_viewset


@hooks.register("register_admin_viewset")
def register_product_chooser():
    return product_chooser_viewset


@hooks.register("register_admin_viewset")
def register_supplier_chooser():
    return supplier_chooser_viewset
