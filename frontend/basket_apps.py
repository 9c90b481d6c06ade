"""Oscar's basket app with the basket page of ``frontend.basket`` (models, label, URLs and
templates unchanged). Its own module: an app config is imported before the models, the
views after."""

from oscar.apps.basket import apps as basket_apps


class BasketConfig(basket_apps.BasketConfig):
    name = "oscar.apps.basket"

    def ready(self):
        super().ready()
        from .basket import BasketView

        self.summary_view = BasketView
