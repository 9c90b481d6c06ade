from oscar.apps.shipping import repository

from .methods import SupplierShipping


class Repository(repository.Repository):
    methods = (SupplierShipping(),)
