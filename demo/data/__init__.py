"""The demo's Chinese content as plain tables; ``demo.services`` turns them into rows."""

from .categories import CATEGORIES, ENGLISH_NAMES
from .people import (
    BUREAU_STAFF,
    DEMO_PASSWORD,
    SUPERUSERS,
    SUPPLIER_STAFF,
    UNIT_MEMBERS,
    USERS,
)
from .products_fresh import FRESH_PRODUCTS
from .products_pantry import PANTRY_PRODUCTS
from .regions import CITY, COUNTIES, PROVINCE
from .site import HOME_PAGE, SITE
from .suppliers import SUPPLIERS
from .units import BUDGET_UNITS

PRODUCTS = FRESH_PRODUCTS + PANTRY_PRODUCTS

__all__ = [
    "BUDGET_UNITS",
    "BUREAU_STAFF",
    "CATEGORIES",
    "CITY",
    "COUNTIES",
    "DEMO_PASSWORD",
    "ENGLISH_NAMES",
    "HOME_PAGE",
    "PRODUCTS",
    "PROVINCE",
    "SITE",
    "SUPERUSERS",
    "SUPPLIERS",
    "SUPPLIER_STAFF",
    "UNIT_MEMBERS",
    "USERS",
]
