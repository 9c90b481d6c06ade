"""``{% load figures %}``: amounts as the bureau's tables print them (``core.money.amount``).

- ``{{ value|amount }}`` in a table cell whose column head names 元: ``1,598,000,000.00``
- ``{{ value|amount:"元" }}`` for an exact amount in a sentence: ``1,234.50元``
- ``{{ value|amount:"万" }}`` on cards and in headlines: ``604.01万元``, ``15.98亿元``
"""

from django import template

from core.money import amount

register = template.Library()

register.filter("amount", amount)
