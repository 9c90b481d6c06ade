"""A URLconf with one view that fails, to see the 500 page as a visitor would."""

from django.urls import path

from marketplace.urls import handler500  # noqa: F401 (the project's 500 view)


def boom(request):
    raise RuntimeError("boom")


urlpatterns = [path("boom/", boom)]
